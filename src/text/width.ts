// Display width of text and width-exact cutting: wide and combining characters count right, a
// grapheme is never split. The one marker for a cut log line lives here too.
import stringWidth from 'string-width';
import { showControls } from './controls.js';

/** Printable ASCII only: one column per character, no need to ask string-width. */
export const ASCII = /^[\x20-\x7e]*$/;
export const segmenter = new Intl.Segmenter();

/** Columns the text takes on screen (SGR sequences take none). */
export function textWidth(s: string): number {
  return ASCII.test(s) ? s.length : stringWidth(s);
}

/** Cuts `s` to at most `width` columns, ending with `…` when cut. Never splits a grapheme. */
export function truncate(s: string, width: number): string {
  if (width <= 0) return '';
  if (ASCII.test(s)) return s.length <= width ? s : width === 1 ? '…' : `${s.slice(0, width - 1)}…`;
  if (stringWidth(s) <= width) return s;
  let out = '';
  let w = 0;
  for (const { segment } of segmenter.segment(s)) {
    const sw = stringWidth(segment);
    if (w + sw > width - 1) break;
    out += segment;
    w += sw;
  }
  return `${out}…`;
}

/** Exactly `width` columns: cut with `…` or padded with spaces (right-aligned when asked). */
export function cell(s: string, width: number, align: 'left' | 'right' = 'left'): string {
  const t = truncate(s, width);
  const pad = width - textWidth(t);
  if (pad <= 0) return t;
  return align === 'right' ? ' '.repeat(pad) + t : t + ' '.repeat(pad);
}

/** One line of text from outside (engines, nvidia-smi, /proc) for the screen: every control shown (^[, <U+202E>), never obeyed. */
export function printable(s: string): string {
  return showControls(s);
}

/** What ends a log line that was cut for being too long: `n` characters were dropped. */
export function cutMarker(n: number): string {
  return ` … [cut ${n} characters]`;
}
