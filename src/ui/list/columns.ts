// Table columns that take the width their content needs: each column's natural width is its
// widest cell (title included) within [min, max]; spare room goes to the columns that grow; when
// the table is too wide, columns give room back in one order: each shrinks (`shrink`) or is left out
// whole (`drop`) at its own priority, so a short column of figures goes before a label is cut.
import { cell, textWidth } from '../../text/width.js';

export interface Column<R> {
  title: string;
  /** The cell's text (unsanitised: the list makes it printable). */
  text(row: R): string;
  align?: 'left' | 'right';
  /** Narrowest and widest the column may be (default 3 and 60). */
  min?: number;
  max?: number;
  /** Takes a share of spare room (relative weight). */
  grow?: number;
  /** Gives room back first when the table is too wide (higher first; default 0: never). */
  shrink?: number;
  /** Left out whole when the table is too wide, at this priority on the same scale as `shrink` (default: never). */
  drop?: number;
  /** The cell's own colour, when it differs from the row's. */
  color?(row: R): string | undefined;
  /**
   * This column's cells are measured again when this changes (an age: the clock), besides when the
   * rows do; without it, when the list's `measureKey` changes.
   */
  measure?: string;
}

/** The ENGINE column's widest: room for a server's engine (gpu-node-12/podman); it shrinks when the terminal is narrow. */
export const ENGINE_MAX = 28;

/** Per rows array, each column's (by title) last measure key and the width measured for it. */
const widthMemo = new WeakMap<readonly unknown[], Map<string, { key: string; width: number }>>();

/** Natural widths, each measured once per rows array, column and its measure key. */
function natural<R>(columns: readonly Column<R>[], rows: readonly R[], measureKey: string): number[] {
  let m = widthMemo.get(rows);
  if (!m) widthMemo.set(rows, (m = new Map()));
  const memo = m;
  return columns.map((c) => {
    const key = c.measure ?? measureKey;
    const hit = memo.get(c.title);
    if (hit?.key === key) return hit.width;
    let w = textWidth(c.title);
    const max = c.max ?? 60;
    for (const r of rows) {
      if (w >= max) break;
      const t = c.text(r);
      const tw = /^[\x20-\x7e]*$/.test(t) ? t.length : textWidth(t);
      if (tw > w) w = tw;
    }
    const width = Math.max(c.min ?? 3, Math.min(w, max));
    memo.set(c.title, { key, width });
    return width;
  });
}

/** The columns that fit and their widths. */
export interface Fitted<R> {
  columns: Column<R>[];
  widths: number[];
}

/**
 * Widths for `columns` in `width` columns (one space between columns; `lead` columns before the
 * first). Cells are measured again when the rows or `measureKey` change (ages, GPU memory).
 */
export function fitColumns<R>(columns: readonly Column<R>[], rows: readonly R[], width: number, measureKey = '', lead = 1): Fitted<R> {
  const w = natural(columns, rows, measureKey);
  const room = width - lead;
  const kept = columns.map(() => true);
  let total = w.reduce((a, b) => a + b, 0) + columns.length - 1;
  if (total > room) {
    const steps = columns
      .flatMap((c, i) => [
        ...(c.shrink ? [{ i, at: c.shrink, drop: false }] : []),
        ...(c.drop !== undefined ? [{ i, at: c.drop, drop: true }] : []),
      ])
      .sort((a, b) => b.at - a.at);
    for (const { i, drop } of steps) {
      if (total <= room) break;
      if (!kept[i]) continue;
      if (drop) {
        kept[i] = false;
        total -= w[i]! + 1;
        continue;
      }
      const give = Math.min(w[i]! - (columns[i]!.min ?? 3), total - room);
      w[i]! -= give;
      total -= give;
    }
  }
  const out: Fitted<R> = { columns: columns.filter((_, i) => kept[i]), widths: w.filter((_, i) => kept[i]) };
  if (total < room) {
    const growers = out.columns.map((c, i) => ({ i, g: c.grow ?? 0 })).filter((x) => x.g > 0);
    const sum = growers.reduce((a, b) => a + b.g, 0);
    let spare = room - total;
    if (sum > 0) {
      for (const { i, g } of growers) {
        const add = Math.floor(((room - total) * g) / sum);
        out.widths[i]! += add;
        spare -= add;
      }
      out.widths[growers[growers.length - 1]!.i]! += spare;
    }
  }
  return out;
}

/** The header row. */
export function headerText<R>(columns: readonly Column<R>[], widths: readonly number[], lead = ' '): string {
  return lead + columns.map((c, i) => cell(c.title, widths[i]!, c.align)).join(' ');
}
