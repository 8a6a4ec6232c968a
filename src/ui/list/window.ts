// The scroll window, computed one way everywhere: a list keeps its cursor in view and moves its
// window only when the cursor leaves it; a text view (help, a panel tab, the prune preview) is
// scrolled by a number of lines, clamped so the last page is full.

/** The first row to show so that `cursor` is in view, moving from `prevTop` as little as possible. */
export function listWindow(prevTop: number, cursor: number, rows: number, count: number): number {
  let top = prevTop;
  if (cursor >= 0) {
    if (cursor < top) top = cursor;
    if (cursor >= top + rows) top = cursor - rows + 1;
  }
  return Math.max(0, Math.min(top, Math.max(0, count - rows)));
}

/** A scroll offset kept within [0, count - rows]. */
export function clampScroll(scroll: number, rows: number, count: number): number {
  return Math.max(0, Math.min(scroll, Math.max(0, count - rows)));
}

/** "12-40 of 80": where a scrolled view is, or '' when it all fits. */
export function scrollPosition(top: number, rows: number, count: number): string {
  if (count <= rows) return '';
  return `${top + 1}-${Math.min(count, top + rows)} of ${count}`;
}
