// One cursor for every list: moving it (skipping rows it does not stop on) and keeping it on its
// row when the list changes underneath (re-sort, filter, rows coming and going). Pure.
import { listRows, rowKey, selectable, type ListRow } from './select.js';
import type { AppState, Cursor, ListId } from './types.js';

function setCursor(s: AppState, list: ListId, c: Cursor): AppState {
  const old = s.ui.cursors[list];
  if (old.index === c.index && old.key === c.key && old.user === c.user) return s;
  return { ...s, ui: { ...s.ui, cursors: { ...s.ui.cursors, [list]: c } } };
}

/** The nearest row the cursor may stop on, from `i` in direction `dir` (then the other way). */
function nearest(rows: readonly ListRow[], i: number, dir: 1 | -1): number {
  for (let j = i; j >= 0 && j < rows.length; j += dir) if (selectable(rows[j]!)) return j;
  for (let j = i - dir; j >= 0 && j < rows.length; j -= dir) if (selectable(rows[j]!)) return j;
  return -1;
}

function currentIndex(rows: readonly ListRow[], c: Cursor): number {
  const byKey = c.key === undefined ? -1 : rows.findIndex((r) => rowKey(r) === c.key);
  return byKey >= 0 ? byKey : Math.min(Math.max(c.index, 0), rows.length - 1);
}

/** j/k, a page, g/G: the user moved, so from now on the selection follows its row. */
export function moveCursor(s: AppState, list: ListId, move: { delta?: number; to?: 'top' | 'bottom' }): AppState {
  const rows = listRows(s, list);
  if (rows.length === 0) return s;
  const cur = currentIndex(rows, s.ui.cursors[list]);
  let idx: number;
  if (move.to === 'top') idx = nearest(rows, 0, 1);
  else if (move.to === 'bottom') idx = nearest(rows, rows.length - 1, -1);
  else {
    const d = move.delta ?? 0;
    const target = Math.min(Math.max(cur + d, 0), rows.length - 1);
    idx = nearest(rows, target, d < 0 ? -1 : 1);
    // A step that finds nothing selectable beyond the header stays put.
    if (d !== 0 && idx === cur && target !== cur) idx = cur;
  }
  if (idx < 0) return s;
  return setCursor(s, list, { index: idx, key: rowKey(rows[idx]!), user: true });
}

/**
 * After the list changed: the same row if it is still there and the user chose it (or it is
 * anchored), else the same place.
 */
export function reselect(s: AppState, list: ListId): AppState {
  const rows = listRows(s, list);
  const c = s.ui.cursors[list];
  if (rows.length === 0) return c.key === undefined && c.index === 0 ? s : setCursor(s, list, { index: 0, ...(c.user ? { user: true } : {}) });
  let idx = c.user && c.key !== undefined ? rows.findIndex((r) => rowKey(r) === c.key) : -1;
  if (idx < 0) idx = nearest(rows, Math.min(Math.max(c.index, 0), rows.length - 1), 1);
  if (idx < 0) return setCursor(s, list, { index: 0, ...(c.user ? { user: true } : {}) });
  return setCursor(s, list, { index: idx, key: rowKey(rows[idx]!), ...(c.user ? { user: true } : {}) });
}

/** Selects a row by key (Enter on a GPU process → its container). */
export function selectKey(s: AppState, list: ListId, key: string): AppState {
  const idx = listRows(s, list).findIndex((r) => rowKey(r) === key);
  return idx < 0 ? s : setCursor(s, list, { index: idx, key, user: true });
}

/** The filter was typed: anchor the selection to its row, so clearing the filter keeps it. */
export function anchor(s: AppState, list: ListId): AppState {
  const c = s.ui.cursors[list];
  return c.key === undefined || c.user ? s : setCursor(s, list, { ...c, user: true });
}
