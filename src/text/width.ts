// Display width of text and width-exact cutting: wide and combining characters count right, a
// grapheme is never split, and nothing costs more than the columns asked for (clusters.ts steps
// through text without Intl.Segmenter on long strings). The one marker for a cut log line too.
import { ASCII, plainWidth, prefix, widerThan } from './clusters.js';
import { showControls } from './controls.js';

export { ASCII };

// Escape sequences take no columns: CSI (colour and others), OSC (titles, links), and C1 CSI.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x9b[0-?]*[ -/]*[@-~]/g;

const withoutAnsi = (s: string) => (s.includes('\x1b') || s.includes('\x9b') ? s.replace(ANSI, '') : s);

/** Columns the text takes on screen (escape sequences take none). */
export function textWidth(s: string): number {
  return ASCII.test(s) ? s.length : plainWidth(withoutAnsi(s));
}

/** Cuts `s` to at most `width` columns, ending with `…` when cut. Never splits a grapheme. */
export function truncate(s: string, width: number): string {
  if (width <= 0) return '';
  if (s.length <= width && ASCII.test(s)) return s;
  if (!widerThan(s, width)) return s;
  if (width === 1) return '…';
  // The longest start of whole clusters that leaves a column for the ellipsis.
  return `${s.slice(0, prefix(s, width - 1).end)}…`;
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
