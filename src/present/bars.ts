// Numbers drawn with block characters: a sparkline of recent values, and a bar of used/total.

const BARS = '▁▂▃▄▅▆▇█';

/**
 * The last `width` values as a sparkline, scaled from 0 (or the smallest value, when below 0) to
 * the largest; `max` fixes the top of the scale (100 for a percentage). Missing values (NaN) are
 * drawn as a space. Shorter input is padded on the left with spaces.
 */
export function sparkline(values: readonly number[], width: number, max?: number): string {
  const w = Math.max(0, Math.floor(width));
  if (w === 0) return '';
  const vals = values.slice(-w);
  const finite = vals.filter((v) => Number.isFinite(v));
  const lo = Math.min(0, ...finite);
  const hi = max !== undefined && max > lo ? max : Math.max(lo, ...finite);
  const span = hi - lo;
  let out = '';
  for (const v of vals) {
    if (!Number.isFinite(v)) {
      out += ' ';
      continue;
    }
    const level = span > 0 ? Math.round(((Math.min(v, hi) - lo) / span) * (BARS.length - 1)) : 0;
    out += BARS[Math.max(0, Math.min(BARS.length - 1, level))];
  }
  return out.padStart(w, ' ');
}

/** `width` cells, the used part of the total filled (█), the rest empty (░); all empty without a total. */
export function bar(used: number | undefined, total: number | undefined, width: number): string {
  if (total === undefined || !(total > 0) || used === undefined) return '░'.repeat(width);
  const n = Math.max(0, Math.min(width, Math.round((used / total) * width)));
  return '█'.repeat(n) + '░'.repeat(width - n);
}
