// Columns of log text: cutting, scrolling sideways and wrapping by display width (wide and
// combining characters count right), with or without SGR colour sequences inside. Each costs the
// columns it is asked for, not the length of the line: a 64 KiB line costs what a short one does.
import { Clusters, prefix } from './clusters.js';

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
export function colRange(plain: string, startCol: number, width: number, from?: { idx: number; col: number }): { si: number; ei: number } {
  const end = startCol + Math.max(0, width);
  // From a known cluster boundary (a wrapped row's start) rather than from the line's start.
  const c = new Clusters(plain, from?.idx ?? 0);
  let col = from?.col ?? 0;
  let si = -1;
  for (;;) {
    if (si < 0 && col >= startCol) si = c.end;
    const room = (si < 0 ? startCol : end) - col;
    if (room > 0) {
      const k = c.asciiRun(room);
      if (k > 0) {
        c.skip(k);
        col += k;
        continue;
      }
    }
    if (!c.next()) break;
    if (si >= 0 && col + c.width > end) return { si, ei: c.start };
    col += c.width;
  }
  if (si < 0) si = plain.length;
  return { si, ei: plain.length };
}

/**
 * Where each wrapped row of plain text starts, for rows `width` wide: columns and code-unit
 * indexes. Built a slice at a time (`step`) so that no single piece of work is long; `done` once
 * the whole text (or `max` rows) is laid out.
 */
// A log line keeps its wrapped rows while it is in the buffer (10,000 lines by default): what a
// finished layout keeps is only its rows, and a one-row line (most) shares one pair of arrays.
const ONE_ROW: readonly number[] = Object.freeze([0]);

export class WrapRows {
  cols: readonly number[] = [0];
  idx: readonly number[] = [0];
  done = false;
  private c: Clusters | undefined;
  private col = 0;
  private rowStart = 0;

  constructor(
    plain: string,
    readonly width: number,
    private readonly max = 2000,
  ) {
    this.c = new Clusters(plain);
    if (plain.length === 0) this.finish();
  }

  private finish(): void {
    this.done = true;
    this.c = undefined;
    if (this.cols.length === 1) this.cols = this.idx = ONE_ROW;
  }

  /** Lays out more rows, until done or past `until` (a performance.now() time); returns `done`. */
  step(until = Infinity): boolean {
    const w = Math.max(1, this.width);
    const c = this.c;
    if (!c) return this.done;
    const cols = this.cols as number[];
    const idx = this.idx as number[];
    let n = 0;
    while (!this.done) {
      if ((++n & 127) === 0 && performance.now() > until) break;
      const k = c.asciiRun(this.rowStart + w - this.col);
      if (k > 0) {
        c.skip(k);
        this.col += k;
        continue;
      }
      if (!c.next()) {
        this.finish();
        break;
      }
      if (this.col + c.width - this.rowStart > w) {
        this.rowStart = this.col;
        cols.push(this.col);
        idx.push(c.start);
        if (cols.length >= this.max) this.finish();
      }
      this.col += c.width;
    }
    return this.done;
  }
}

/** Column offsets where each wrapped row of plain text starts, for rows `width` wide (at most `max`). */
export function wrapStarts(plain: string, width: number, max = 2000): number[] {
  const rows = new WrapRows(plain, width, max);
  rows.step();
  return [...rows.cols];
}

/** Text with SGR sequences taken out and remembered by position, for slicing without rescanning. */
export interface SgrText {
  plain: string;
  /** Positions in `plain` where each sequence was, ascending. */
  at: readonly number[];
  seqs: readonly string[];
}

const NO_AT: readonly number[] = Object.freeze([]);
const NO_SEQS: readonly string[] = Object.freeze([]);

export function sgrText(text: string): SgrText {
  // Most log lines have no colour: they share the empty lists (each line keeps its SgrText).
  if (!hasEsc(text)) return { plain: text, at: NO_AT, seqs: NO_SEQS };
  const at: number[] = [];
  const seqs: string[] = [];
  let plain = '';
  let last = 0;
  SGR.lastIndex = 0;
  for (let m = SGR.exec(text); m; m = SGR.exec(text)) {
    plain += text.slice(last, m.index);
    at.push(plain.length);
    seqs.push(m[0]);
    last = m.index + m[0].length;
  }
  plain += text.slice(last);
  return { plain, at, seqs };
}

/** An SGR whose first parameter is a reset: what came before it no longer matters. */
const RESETS = /^\x1b\[(?:0*(?:[;:]|m))/;

/**
 * The plain range [si, ei) with its colours: the sequences in force at si (from the last reset
 * before it), those inside, and a reset at the end when any was written.
 */
export function sliceSgrText(t: SgrText, si: number, ei: number): string {
  if (t.at.length === 0) return t.plain.slice(si, ei);
  // The sequences at or before si: from the last reset on.
  let lo = 0;
  let hi = t.at.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (t.at[mid]! <= si) lo = mid + 1;
    else hi = mid;
  }
  let first = lo;
  while (first > 0 && !RESETS.test(t.seqs[first - 1]!)) first--;
  if (first > 0) first--;
  // A line that never resets (hostile or broken) carries at most its last 32 sequences along.
  first = Math.max(first, lo - 32);
  let out = '';
  for (let k = first; k < lo; k++) out += t.seqs[k];
  let at = si;
  let k = lo;
  for (; k < t.at.length && t.at[k]! < ei; k++) {
    out += t.plain.slice(at, t.at[k]) + t.seqs[k];
    at = t.at[k]!;
  }
  out += t.plain.slice(at, ei);
  return k > first ? `${out}\x1b[0m` : out;
}

/**
 * Columns [startCol, startCol + width) of text that may hold SGR sequences: the colours in force
 * before the window are kept (so colours carry on), and a reset ends the piece when any was seen.
 */
export function sliceSgr(text: string, startCol: number, width: number): string {
  const t = sgrText(text);
  const { si, ei } = colRange(t.plain, startCol, width);
  return sliceSgrText(t, si, ei);
}

/**
 * Exactly `width` columns of a row that may hold SGR sequences, for drawing at a fixed place:
 * cut there (a wide character that would cross the edge becomes a space), padded with spaces in
 * the default colours, and never anything but SGR and printable text (no cursor moves, no line
 * breaks), so nothing lands outside the row.
 */
export function fitRow(row: string, width: number): string {
  if (width <= 0) return '';
  const t = sgrText(row);
  // eslint-disable-next-line no-control-regex
  const plain = /[\x00-\x1f\x7f-\x9f]/.test(t.plain) ? t.plain.replace(/[\x00-\x1f\x7f-\x9f]/g, '?') : t.plain;
  const cut = prefix(plain, width);
  const body = sliceSgrText({ ...t, plain }, 0, cut.end);
  const reset = t.at.length > 0 && !body.endsWith('\x1b[0m') ? '\x1b[0m' : '';
  return body + reset + ' '.repeat(width - cut.width);
}
