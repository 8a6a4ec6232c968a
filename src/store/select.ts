// Selectors: what each list shows (filtered, sorted), what is selected, and counts. Pure and
// memoised on the slices they read, so a render that changed nothing they read costs nothing.
import type { Container, EngineInfo } from '../engine/models.js';
import type { ImageRow } from '../engine/models.js';
import { gpuRows, type GpuRow } from './gpu.js';
import { serverSummaries, type ServerSummary } from './servers.js';
import { PANES, type AppState, type ListId, type ListSort, type PaneId, type ResourcePane, type ResourceRow, type ResourceRowOf } from './types.js';

import { containerComparator, DEFAULT_SORT, isActive } from './sort.js';
import { compareNames } from '../text/compare.js';

export { isActive };

let shownMemo: { engines: EngineInfo[]; list: AppState['servers']['list']; server: string | undefined; out: EngineInfo[] } | undefined;

/** The engines every pane shows: all of them, or the narrowed-to server's (Enter on the Servers pane). */
export function shownEngines(s: AppState): EngineInfo[] {
  const server = s.ui.server;
  if (server === undefined) return s.engines;
  if (shownMemo && shownMemo.engines === s.engines && shownMemo.list === s.servers.list && shownMemo.server === server) return shownMemo.out;
  const ids = new Set(s.servers.list.find((e) => e.name === server)?.engineIds ?? []);
  const out = s.engines.filter((e) => ids.has(e.id));
  shownMemo = { engines: s.engines, list: s.servers.list, server, out };
  return out;
}

/** The panes on the tab row (and Tab's round): Servers only when servers are configured. */
export function shownPanes(s: AppState): readonly PaneId[] {
  return s.servers.list.length > 0 ? PANES : PANES.filter((p) => p !== 'servers');
}

/**
 * What a row's ENGINE column says: the engine id, which for a remote server's engine already names
 * it (node-a/docker); with servers configured this machine's engines are named after it too.
 */
export function engineLabel(s: AppState, engineId: string): string {
  const local = s.servers.list.find((e) => e.local);
  return local && local.engineIds.includes(engineId) ? `${local.name}/${engineId}` : engineId;
}

/** Engines whose rows are dimmed: down, or on a server that is not connected. */
export function dimEngines(s: AppState): Set<string> {
  const out = new Set(s.engines.filter((e) => e.status === 'down').map((e) => e.id));
  for (const e of s.servers.list) if (e.state !== 'connected') for (const id of e.engineIds) out.add(id);
  return out;
}

let serverMemo: { all: ServerSummary[]; filter: string; out: ServerSummary[] } | undefined;

/** The Servers pane's rows: the summaries (most free GPU memory first) the filter keeps. */
export function serverRows(s: AppState): ServerSummary[] {
  const all = serverSummaries(s);
  const filter = s.ui.filters.servers.trim().toLowerCase();
  if (serverMemo && serverMemo.all === all && serverMemo.filter === filter) return serverMemo.out;
  const out = filter ? all.filter((x) => `${x.name} ${x.state} ${x.reason ?? ''}`.toLowerCase().includes(filter)) : all;
  serverMemo = { all, filter, out };
  return out;
}

let memo: { containers: AppState['containers']; filter: string; showStopped: boolean; engines: EngineInfo[]; sort: ListSort; gpu: unknown; out: Container[] } | undefined;

/** The containers the list shows, in order: filtered, stopped ones hidden if asked, sorted. */
export function visibleContainers(s: AppState): Container[] {
  const filter = s.ui.filters.containers;
  const { showStopped } = s.ui;
  const sort = s.ui.sorts.containers ?? DEFAULT_SORT;
  // VRAM order follows the GPU readings; the other orders do not read them.
  const gpu = sort.by === 'vram' ? s.gpu.processes : sort.by === 'cpu' || sort.by === 'mem' ? s.usage : undefined;
  if (memo && memo.containers === s.containers && memo.filter === filter && memo.showStopped === showStopped && memo.engines === shownEngines(s) && memo.sort === sort && memo.gpu === gpu) {
    return memo.out;
  }
  const q = filter.trim().toLowerCase();
  const out: Container[] = [];
  for (const e of shownEngines(s)) {
    for (const c of s.containers[e.id] ?? []) {
      if (!showStopped && !isActive(c)) continue;
      if (q && !c.name.toLowerCase().includes(q) && !c.image.toLowerCase().includes(q)) continue;
      out.push(c);
    }
  }
  out.sort(containerComparator(s, sort));
  memo = { containers: s.containers, filter, showStopped, engines: shownEngines(s), sort, gpu, out };
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
  const engines = shownEngines(s);
  const memoKey = `${s.ui.imageSort}|${engines.map((e) => e.id).join(',')}|${filter}`;
  const hit = rowMemo.get(src)?.get(memoKey);
  if (hit) return hit as ResourceRowOf[P][];
  const out: ResourceRow[] = [];
  for (const e of engines) {
    for (const r of (src[e.id] ?? []) as ResourceRow[]) if (!filter || resourceText(pane, r).toLowerCase().includes(filter)) out.push(r);
  }
  if (pane === 'images') {
    const imgs = out as ImageRow[];
    const name = (i: ImageRow) => i.repoTags[0] ?? '\uffff' + i.id;
    if (s.ui.imageSort === 'size') imgs.sort((a, b) => b.size - a.size || compareNames(name(a), name(b)));
    else if (s.ui.imageSort === 'age') imgs.sort((a, b) => b.created - a.created || compareNames(name(a), name(b)));
    else imgs.sort((a, b) => compareNames(name(a), name(b)));
  } else {
    const n = (r: ResourceRow) => (r as ResourceRowOf['volumes' | 'networks']).name;
    out.sort((a, b) => compareNames(n(a), n(b)) || compareNames(a.engineId, b.engineId));
  }
  let m = rowMemo.get(src);
  if (!m) rowMemo.set(src, (m = new Map()));
  m.set(memoKey, out);
  return out as ResourceRowOf[P][];
}

export type ListRow = Container | ResourceRow | GpuRow | ServerSummary;

/** The rows of a list pane, as shown. */
export function listRows(s: AppState, list: ListId): readonly ListRow[] {
  if (list === 'containers') return visibleContainers(s);
  if (list === 'gpus') return gpuRows(s);
  if (list === 'servers') return serverRows(s);
  return resourceRows(s, list);
}

/** A row's identity, for the cursor and marks. */
export function rowKey(row: ListRow): string {
  if ('freeMiB' in row) return `server:${row.name}`;
  if ('kind' in row && (row.kind === 'gpu' || row.kind === 'proc' || row.kind === 'server')) {
    // A server's GPUs and processes are told apart by its name (none: this machine, no servers configured).
    const on = row.server === undefined ? '' : `${row.server}:`;
    if (row.kind === 'server') return `gpuserver:${row.server}`;
    return row.kind === 'gpu' ? `gpu:${on}${row.gpu.index}` : `proc:${on}${row.proc.pid}/${row.proc.gpuUuid}`;
  }
  return (row as Container | ResourceRow).key;
}

/** Rows the cursor stops on: every row, but a GPU's own line and a server's line in the GPUs pane (its processes are). */
export function selectable(row: ListRow): boolean {
  return !('kind' in row && (row.kind === 'gpu' || row.kind === 'server'));
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
  for (const e of shownEngines(s)) {
    for (const c of s.containers[e.id] ?? []) {
      total++;
      if (c.state === 'running') running++;
    }
  }
  return { shown: visibleContainers(s).length, total, running };
}
