// The screen in plain ASCII, for a terminal whose locale is not UTF-8 (LC_ALL=C): gantry's own
// marks, bars and borders get ASCII look-alikes, and any other character becomes '?' as wide as it
// was, so every row keeps its columns.
import { Clusters } from './clusters.js';

const ALL_ASCII = /^[\x00-\x7f]*$/;

/** Look-alikes for the characters gantry draws itself. */
const LOOKALIKE: Record<string, string> = {
  '●': '*', '○': 'o', '◆': '*', '•': '*', '·': '.', '…': '~', '—': '-', '–': '-', '×': 'x',
  '✓': '+', '✔': '+', '✗': 'x', '✘': 'x', '⚠': '!', '▲': '^', '▼': 'v', '▶': '>', '◀': '<',
  '↑': '^', '↓': 'v', '←': '<', '→': '>', '↵': '<', '⏎': '<', '‹': '<', '›': '>', '«': '<', '»': '>',
  '░': '.', '▒': ':', '▓': '#', '█': '#', '▉': '#', '▊': '#', '▋': '#', '▌': '#', '▍': '|', '▎': '|', '▏': '|',
  '▁': '_', '▂': '_', '▃': '.', '▄': '-', '▅': '-', '▆': '=', '▇': '=', '▐': '#',
  '“': '"', '”': '"', '‘': "'", '’': "'",
};

/** A box-drawing character (U+2500–U+257F): '-' across, '|' down, '+' where lines meet. */
function boxLookalike(cp: number): string {
  const horizontal = [0x2500, 0x2501, 0x2504, 0x2505, 0x2508, 0x2509, 0x254c, 0x254d, 0x2550, 0x2574, 0x2576, 0x2578, 0x257a, 0x257c, 0x257e];
  const vertical = [0x2502, 0x2503, 0x2506, 0x2507, 0x250a, 0x250b, 0x254e, 0x254f, 0x2551, 0x2575, 0x2577, 0x2579, 0x257b, 0x257d, 0x257f];
  if (horizontal.includes(cp)) return '-';
  if (vertical.includes(cp)) return '|';
  return '+';
}

/** The text with every non-ASCII character replaced by its look-alike, or by '?' per column. */
export function toAscii(s: string): string {
  if (ALL_ASCII.test(s)) return s;
  let out = '';
  const c = new Clusters(s);
  while (c.next()) {
    const segment = s.slice(c.start, c.end);
    if (ALL_ASCII.test(segment)) {
      out += segment;
      continue;
    }
    const look = LOOKALIKE[segment];
    const cp = segment.codePointAt(0)!;
    if (look !== undefined) out += look;
    else if (segment.length === 1 && cp >= 0x2500 && cp <= 0x257f) out += boxLookalike(cp);
    else out += '?'.repeat(c.width);
  }
  return out;
}
