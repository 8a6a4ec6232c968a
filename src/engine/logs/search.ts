// Search in logs: typed live, case-insensitive unless the query has a capital, regular
// expressions allowed (an invalid one says so), n/N navigation with a counter, & and !& filters.

export type Query = { re: RegExp; error?: undefined } | { re?: undefined; error: string };

/** Long lines are searched in their first part only, so a pathological pattern stays bounded. */
export const SEARCH_SPAN = 8 * 1024;

export function compileQuery(q: string): Query {
  const flags = /[A-Z]/.test(q) ? 'g' : 'gi';
  try {
    return { re: new RegExp(q, flags) };
  } catch (e) {
    return { error: `invalid regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}` };
  }
}

export function matches(re: RegExp, text: string): boolean {
  re.lastIndex = 0;
  return re.test(text.length > SEARCH_SPAN ? text.slice(0, SEARCH_SPAN) : text);
}

/** [start, end) ranges of every match in text, for highlighting. */
export function matchRanges(re: RegExp, text: string): [number, number][] {
  const out: [number, number][] = [];
  const t = text.length > SEARCH_SPAN ? text.slice(0, SEARCH_SPAN) : text;
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(t)) !== null) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    out.push([m.index, m.index + m[0].length]);
    if (out.length > 200) break;
  }
  return out;
}

export type FilterMode = 'none' | 'only' | 'except';

/**
 * Given the seqs of matching lines (ascending) and the current position, the next (dir 1) or
 * previous (dir -1) match, wrapping, and its 1-based place: "3/41".
 */
export function step(hits: readonly number[], from: number | undefined, dir: 1 | -1): { seq: number; index: number; total: number } | undefined {
  if (hits.length === 0) return undefined;
  let i: number;
  if (from === undefined) i = dir === 1 ? 0 : hits.length - 1;
  else if (dir === 1) {
    i = hits.findIndex((s) => s > from);
    if (i < 0) i = 0;
  } else {
    i = -1;
    for (let k = hits.length - 1; k >= 0; k--)
      if (hits[k]! < from) {
        i = k;
        break;
      }
    if (i < 0) i = hits.length - 1;
  }
  return { seq: hits[i]!, index: i + 1, total: hits.length };
}
