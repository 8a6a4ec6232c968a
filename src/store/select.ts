// Selectors: what each list shows (filtered, sorted), what is selected, and counts. Pure and
// memoised on the slices they read, so a render that changed nothing they read costs nothing.
import type { Container, EngineInfo } from '../engine/models.js';
import type { ImageRow } from '../engine/models.js';
import { gpuRows, type GpuRow } from './gpu.js';
import type { AppState, ListId, ResourcePane, ResourceRow, ResourceRowOf } from './types.js';

const ACTIVE: ReadonlySet<string> = new Set(['running', 'restarting', 'paused', 'removing']);

export function isActive(c: Container): boolean {
  return ACTIVE.has(c.state);
}

function compareContainers(a: Container, b: Container): number {
  const ga = isActive(a) ? 0 : 1;
  const gb = isActive(b) ? 0 : 1;
  if (ga !== gb) return ga - gb;
  const n = a.name.localeCompare(b.name, undefined, { numeric: true, sensitivity: 'base' });
  if (n !== 0) return n;
  return a.engineId.localeCompare(b.engineId) || a.id.localeCompare(b.id);
}

let memo: { containers: AppState['containers']; filter: string; showStopped: boolean; engines: EngineInfo[]; out: Container[] } | undefined;

/** The containers the list shows, in order: filtered, stopped ones hidden if asked, sorted. */
export function visibleContainers(s: AppState): Container[] {
  const filter = s.ui.filters.containers;
  const { showStopped } = s.ui;
  if (memo && memo.containers === s.containers && memo.filter === filter && memo.showStopped === showStopped && memo.engines === s.engines) {
    return memo.out;
  }
  const q = filter.trim().toLowerCase();
  const out: Container[] = [];
  for (const e of s.engines) {
    for (const c of s.containers[e.id] ?? []) {
      if (!showStopped && !isActive(c)) continue;
      if (q && !c.name.toLowerCase().includes(q) && !c.image.toLowerCase().includes(q)) continue;
      out.push(c);
    }
  }
  out.sort(compareContainers);
  memo = { containers: s.containers, filter, showStopped, engines: s.engines, out };
  return out;
}

/** The words a resource row is found by with `/`. */
function resourceText(pane: ResourcePane, r: ResourceRow): string {
  if (pane === 'images') {
    const i = r as ImageRow;
    return `${i.repoTags.join(' ')} ${i.id} ${i.containerNames.join(' ')}`;
  }
  return `${(r as ResourceRowOf['volumes' | 'networks']).name} ${r.engineId}`;
}

const rowMemo = new WeakMap<object, Map<string, ResourceRow[]>>();

/** A resource pane's rows, all engines, filtered, in display order (images by the chosen sort). */
export function resourceRows<P extends ResourcePane>(s: AppState, pane: P): ResourceRowOf[P][] {
  const src = s.resources[pane];
  const filter = s.ui.filters[pane].trim().toLowerCase();
  const memoKey = `${s.ui.imageSort}|${s.engines.map((e) => e.id).join(',')}|${filter}`;
  const hit = rowMemo.get(src)?.get(memoKey);
  if (hit) return hit as ResourceRowOf[P][];
  const out: ResourceRow[] = [];
  for (const e of s.engines) {
    for (const r of (src[e.id] ?? []) as ResourceRow[]) if (!filter || resourceText(pane, r).toLowerCase().includes(filter)) out.push(r);
  }
  if (pane === 'images') {
    const imgs = out as ImageRow[];
    const name = (i: ImageRow) => i.repoTags[0] ?? '\uffff' + i.id;
    if (s.ui.imageSort === 'size') imgs.sort((a, b) => b.size - a.size || name(a).localeCompare(name(b)));
    else if (s.ui.imageSort === 'age') imgs.sort((a, b) => b.created - a.created || name(a).localeCompare(name(b)));
    else imgs.sort((a, b) => name(a).localeCompare(name(b)));
  } else {
    const n = (r: ResourceRow) => (r as ResourceRowOf['volumes' | 'networks']).name;
    out.sort((a, b) => n(a).localeCompare(n(b)) || a.engineId.localeCompare(b.engineId));
  }
  let m = rowMemo.get(src);
  if (!m) rowMemo.set(src, (m = new Map()));
  m.set(memoKey, out);
  return out as ResourceRowOf[P][];
}

export type ListRow = Container | ResourceRow | GpuRow;

/** The rows of a list pane, as shown. */
export function listRows(s: AppState, list: ListId): readonly ListRow[] {
  if (list === 'containers') return visibleContainers(s);
  if (list === 'gpus') return gpuRows(s);
  return resourceRows(s, list);
}

/** A row's identity, for the cursor and marks. */
export function rowKey(row: ListRow): string {
  if ('kind' in row && (row.kind === 'gpu' || row.kind === 'proc')) return row.kind === 'gpu' ? `gpu:${row.gpu.index}` : `proc:${row.proc.pid}/${row.proc.gpuUuid}`;
  return (row as Container | ResourceRow).key;
}

/** Rows the cursor stops on: every row, but a GPU's own line in the GPUs pane (its processes are). */
export function selectable(row: ListRow): boolean {
  return !('kind' in row && row.kind === 'gpu');
}

/** The selected row of a list, by its cursor (a stale index is clamped). */
export function selectedRow(s: AppState, list: ListId): ListRow | undefined {
  const rows = listRows(s, list);
  if (rows.length === 0) return undefined;
  const cur = s.ui.cursors[list];
  if (cur.key !== undefined) {
    const found = rows.find((r) => rowKey(r) === cur.key);
    if (found) return found;
  }
  const row = rows[Math.min(Math.max(cur.index, 0), rows.length - 1)];
  return row && selectable(row) ? row : undefined;
}

export function selectedContainer(s: AppState): Container | undefined {
  return selectedRow(s, 'containers') as Container | undefined;
}

export function selectedResource<P extends ResourcePane>(s: AppState, pane: P): ResourceRowOf[P] | undefined {
  return selectedRow(s, pane) as ResourceRowOf[P] | undefined;
}

export function containerCounts(s: AppState): { shown: number; total: number; running: number } {
  let total = 0;
  let running = 0;
  for (const e of s.engines) {
    for (const c of s.containers[e.id] ?? []) {
      total++;
      if (c.state === 'running') running++;
    }
  }
  return { shown: visibleContainers(s).length, total, running };
}
