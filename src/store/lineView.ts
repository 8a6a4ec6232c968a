// What the log panel needs of a line, worked out once and kept with the line: its text without
// colour (and where the colours were), its wrapped rows for the panel's width (laid out a slice
// at a time), its search matches. A frame then costs the rows it shows, however long the line.
import type { LogLine } from '../engine/logs/buffer.js';
import { matchRanges } from '../engine/logs/search.js';
import { sgrText, WrapRows, type SgrText } from '../text/ansi.js';

export interface LineView {
  text: SgrText;
  wrap?: WrapRows;
  match?: { re: RegExp; ranges: [number, number][] };
}

// Kept while the line is in the buffer, gone with it.
const views = new WeakMap<LogLine, LineView>();

export function lineView(line: LogLine): LineView {
  let v = views.get(line);
  if (!v) {
    v = { text: sgrText(line.text) };
    views.set(line, v);
  }
  return v;
}

/** The line's plain text (no colour codes). */
export function plainText(line: LogLine): string {
  return lineView(line).text.plain;
}

/**
 * The line's wrapped rows for rows `width` wide, laid out further until `until` (a
 * performance.now() time); `done` says whether they are all known yet.
 */
export function wrapRows(line: LogLine, width: number, until: number): WrapRows {
  const v = lineView(line);
  if (!v.wrap || v.wrap.width !== width) v.wrap = new WrapRows(v.text.plain, width);
  if (!v.wrap.done) v.wrap.step(until);
  return v.wrap;
}

/** Where `re` matches the line's plain text (the first part of a long line), for highlighting. */
export function matchesIn(line: LogLine, re: RegExp): [number, number][] {
  const v = lineView(line);
  if (v.match?.re !== re) v.match = { re, ranges: matchRanges(re, v.text.plain) };
  return v.match.ranges;
}
