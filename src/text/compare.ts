// Names in the order people read them: case ignored, digits as numbers ("gpu-2" before "gpu-10"),
// punctuation before digits before letters (as Unicode's collation orders them). Written by hand
// for ASCII, which is what container, image, volume and network names are made of: the collator
// behind String#localeCompare brings ICU's collation data into memory (~4 MiB of the node binary
// read in and ~2 MiB of heap, measured) for strings that need none of it. Anything else still goes
// to localeCompare.

/** ASCII's punctuation and symbols in the collator's order (read off it; a unit test checks). */
export const PUNCTUATION = ' _-,;:!?.\'"()[]{}@*/\\&#%`^+<=>|~$';

/** The rank of a code unit below 0x80: punctuation and symbols < digits < letters (a and A equal). */
const RANK = new Uint8Array(128);
{
  let r = 1;
  for (const ch of PUNCTUATION) RANK[ch.charCodeAt(0)] = r++;
  for (let c = 0x30; c <= 0x39; c++) RANK[c] = r++;
  for (let c = 0x61; c <= 0x7a; c++) RANK[c] = RANK[c - 0x20] = r++;
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

function printableAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/** The natural order of `a` and `b` (negative, 0 or positive), ties broken by code units so it is total. */
export function compareNames(a: string, b: string): number {
  if (!printableAscii(a) || !printableAscii(b)) return a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' }) || (a < b ? -1 : a > b ? 1 : 0);
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(j);
    if (isDigit(x) && isDigit(y)) {
      // Two numbers: by value (leading zeros skipped), then on.
      let si = i;
      let sj = j;
      while (si < a.length - 1 && a.charCodeAt(si) === 0x30 && isDigit(a.charCodeAt(si + 1))) si++;
      while (sj < b.length - 1 && b.charCodeAt(sj) === 0x30 && isDigit(b.charCodeAt(sj + 1))) sj++;
      let ei = si;
      let ej = sj;
      while (ei < a.length && isDigit(a.charCodeAt(ei))) ei++;
      while (ej < b.length && isDigit(b.charCodeAt(ej))) ej++;
      if (ei - si !== ej - sj) return ei - si - (ej - sj);
      for (let k = 0; k < ei - si; k++) {
        const d = a.charCodeAt(si + k) - b.charCodeAt(sj + k);
        if (d !== 0) return d;
      }
      i = ei;
      j = ej;
      continue;
    }
    const d = RANK[x]! - RANK[y]!;
    if (d !== 0) return d;
    i++;
    j++;
  }
  const rest = a.length - i - (b.length - j);
  if (rest !== 0) return rest;
  return a < b ? -1 : a > b ? 1 : 0;
}
