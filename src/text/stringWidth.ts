// string-width with a fast path for the characters a TUI draws most: printable ASCII (string-width
// has that path too) and, here, the narrow letters, punctuation, arrows, box drawing and shapes
// gantry's own chrome uses (│ ● ◌ … ▏ ↑). Without it, the first "●" on screen costs string-width's
// grapheme segmenter and its \p{RGI_Emoji} regular expression, which V8 compiles on first use
// (~45 ms on the 2-core test machine, on the way to the first frame), and every later one ~40 µs.
//
// Every code point in NARROW was read off string-width itself: width 1, not an emoji or pictograph,
// not a mark, format or control character, so none of them joins another into one grapheme and
// a string made only of them is as wide as it is long. test/unit/string-width.test.ts checks each
// one against string-width and random strings against it whole. Anything else goes to string-width.
// The bundle (scripts/bundle-patches.mjs) gives Ink's and its libraries' imports of string-width
// this module, so the whole UI measures the same way.
import realStringWidth from 'string-width';

type Options = Parameters<typeof realStringWidth>[1];

/** Inclusive ranges of code points below 0x2900 whose width is 1 on their own and in any string of them. */
export const NARROW: readonly (readonly [number, number])[] = [
  [0xa0, 0xa8], [0xaa, 0xac], [0xaf, 0x24f], [0x370, 0x377], [0x37a, 0x37f], [0x384, 0x38a], [0x38c, 0x38c],
  [0x38e, 0x3a1], [0x3a3, 0x482], [0x48a, 0x4ff], [0x2010, 0x2027], [0x202f, 0x203b], [0x203d, 0x2048],
  [0x204a, 0x205e], [0x2070, 0x2071], [0x2074, 0x208e], [0x2090, 0x209c], [0x20a0, 0x20bf], [0x2100, 0x2121],
  [0x2123, 0x2138], [0x213a, 0x218b], [0x2190, 0x2193], [0x219a, 0x21a8], [0x21ab, 0x2319], [0x231c, 0x2327],
  [0x232b, 0x23ce], [0x23d0, 0x23e8], [0x23f4, 0x23f7], [0x23fb, 0x23ff], [0x2500, 0x25a9], [0x25ac, 0x25b5],
  [0x25b7, 0x25bf], [0x25c1, 0x25fa], [0x25ff, 0x25ff], [0x2800, 0x28ff],
];

const LIMIT = 0x2900;
const narrow = new Uint8Array(LIMIT);
for (const [a, b] of NARROW) narrow.fill(1, a, b + 1);
for (let c = 0x20; c < 0x7f; c++) narrow[c] = 1;

/**
 * Columns `s` takes on screen: string-width's answer, without its segmenter for common text. SGR
 * and other CSI sequences (ESC [ … final byte, as string-width's ANSI pattern reads them) take no
 * columns; any other escape goes to string-width.
 */
export default function stringWidth(s: string, options?: Options): number {
  if (options === undefined || (options.ambiguousIsNarrow !== false && !options.countAnsiEscapeCodes)) {
    let width = 0;
    let i = 0;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 0x1b && s.charCodeAt(i + 1) === 0x5b) {
        const end = csiEnd(s, i + 2);
        if (end < 0) break;
        i = end;
        continue;
      }
      if (c >= LIMIT || narrow[c] === 0) break;
      width++;
    }
    if (i === s.length) return width;
  }
  return realStringWidth(s, options);
}

/** The index of a CSI sequence's final byte, its parameters starting at `i`; -1 when it is not one. */
function csiEnd(s: string, i: number): number {
  let c = s.charCodeAt(i);
  while (c >= 0x30 && c <= 0x3f) c = s.charCodeAt(++i);
  while (c >= 0x20 && c <= 0x2f) c = s.charCodeAt(++i);
  return c >= 0x40 && c <= 0x7e ? i : -1;
}

/** True when every code unit of `s` is a NARROW character, printable ASCII or ESC (escape sequences are made of those). */
function narrowOrEscape(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x1b && (c >= LIMIT || narrow[c] === 0)) return false;
  }
  return true;
}

export interface Segments {
  containing(index: number): { index: number; segment: string } | undefined;
}

/**
 * slice-ansi's grapheme segments of `s` when none of its characters can join another (each is a
 * grapheme of its own, one column wide), without a segmenter; undefined for any other text. The
 * bundle (scripts/bundle-patches.mjs) has slice-ansi ask here first: Ink's output stage slices
 * every coloured row through it, and the segmenter it made brings ~3 MiB of ICU into memory.
 */
export function narrowSegments(s: string): Segments | undefined {
  if (!narrowOrEscape(s)) return undefined;
  return { containing: (i) => (i >= 0 && i < s.length ? { index: i, segment: s[i]! } : undefined) };
}

/** True when `a` then `b` are two graphemes for certain: both one NARROW or printable ASCII character. */
export function narrowPair(a: string, b: string): boolean {
  if (a.length !== 1 || b.length !== 1) return false;
  const x = a.charCodeAt(0);
  const y = b.charCodeAt(0);
  return x < LIMIT && narrow[x] === 1 && y < LIMIT && narrow[y] === 1;
}

/** ansi-tokenize's grapheme segments of `s` (each character one) when none can join another; undefined for any other text. */
export function narrowSegmentList(s: string): { segment: string; index: number }[] | undefined {
  if (!narrowOrEscape(s)) return undefined;
  const out: { segment: string; index: number }[] = [];
  for (let i = 0; i < s.length; i++) out.push({ segment: s[i]!, index: i });
  return out;
}
