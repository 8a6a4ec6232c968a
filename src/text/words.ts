// Lists of things as a sentence, and text broken into lines at spaces, for messages made in any layer.
import { textWidth, truncate } from './width.js';

/** `a`, `a and b`, `a, b and c`. */
export function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Text broken at spaces into lines of at most `width` columns (a longer word gets a line of its own). */
export function wordWrap(text: string, width: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (cur && textWidth(cur) + 1 + textWidth(word) > width) {
      out.push(cur);
      cur = word;
    } else cur = cur ? `${cur} ${word}` : word;
  }
  if (cur || out.length === 0) out.push(cur);
  return out;
}

/**
 * `text` in at most `max` lines of at most `width` columns, broken at spaces: one line when it
 * fits; the last line cut (with "…") when more is left, and a word wider than a line cut too.
 */
export function wrapWithin(text: string, width: number, max: number): string[] {
  if (textWidth(text) <= width) return [text];
  const lines = wordWrap(text, width);
  const rows = lines.length > max ? [...lines.slice(0, max - 1), lines.slice(max - 1).join(' ')] : lines;
  return rows.map((r) => truncate(r, width));
}
