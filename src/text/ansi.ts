// Columns of log text: cutting, scrolling sideways and wrapping by display width (wide and
// combining characters count right), with or without SGR colour sequences inside.
import stringWidth from 'string-width';
import { ASCII, segmenter, textWidth } from './width.js';

/** One SGR (colour/style) sequence: ESC [ params m. */
// eslint-disable-next-line no-control-regex
const SGR = /\x1b\[[\d;:]*m/g;

export function hasEsc(s: string): boolean {
  return s.includes('\x1b');
}

export function stripSgr(s: string): string {
  return hasEsc(s) ? s.replace(SGR, '') : s;
}

/**
 * The code-unit range [si, ei) of plain text that shows columns [startCol, startCol + width).
 * A wide character straddling either edge is left out, never split.
 */
export function colRange(plain: string, startCol: number, width: number): { si: number; ei: number } {
  if (ASCII.test(plain)) {
    const si = Math.min(plain.length, Math.max(0, startCol));
    return { si, ei: Math.min(plain.length, si + Math.max(0, width)) };
  }
  let col = 0;
  let idx = 0;
  let si = -1;
  let ei = plain.length;
  for (const { segment } of segmenter.segment(plain)) {
    const w = stringWidth(segment);
    if (si < 0 && col >= startCol) si = idx;
    if (si >= 0 && col + w > startCol + width) {
      ei = idx;
      break;
    }
    col += w;
    idx += segment.length;
  }
  if (si < 0) si = plain.length;
  return { si, ei: Math.max(si, ei) };
}

/** Column offsets where each wrapped row of plain text starts, for rows `width` wide (at most `max`). */
export function wrapStarts(plain: string, width: number, max = 2000): number[] {
  const w = Math.max(1, width);
  if (ASCII.test(plain)) {
    const n = Math.min(max, Math.max(1, Math.ceil(plain.length / w)));
    return Array.from({ length: n }, (_, i) => i * w);
  }
  const starts = [0];
  let col = 0;
  let rowStart = 0;
  for (const { segment } of segmenter.segment(plain)) {
    const sw = stringWidth(segment);
    if (col + sw - rowStart > w) {
      rowStart = col;
      starts.push(col);
      if (starts.length >= max) break;
    }
    col += sw;
  }
  return starts;
}

/**
 * Columns [startCol, startCol + width) of text that may hold SGR sequences: every SGR before the
 * window is kept (so colours carry on), and a reset ends the piece when any colour was seen.
 */
export function sliceSgr(text: string, startCol: number, width: number): string {
  if (!hasEsc(text)) {
    const { si, ei } = colRange(text, startCol, width);
    return text.slice(si, ei);
  }
  let out = '';
  let col = 0;
  let seen = false;
  const end = startCol + width;
  let i = 0;
  while (i < text.length) {
    if (text.charCodeAt(i) === 0x1b) {
      SGR.lastIndex = i;
      const m = SGR.exec(text);
      if (m && m.index === i) {
        out += m[0];
        seen = true;
        i += m[0].length;
        continue;
      }
    }
    // The run of text up to the next escape.
    let j = text.indexOf('\x1b', i + 1);
    if (j < 0) j = text.length;
    const run = text.slice(i, j);
    const rw = textWidth(run);
    if (col + rw > startCol && col < end) {
      const r = colRange(run, Math.max(0, startCol - col), end - Math.max(col, startCol));
      out += run.slice(r.si, r.ei);
    }
    col += rw;
    i = j;
  }
  return seen ? `${out}\x1b[0m` : out;
}
