// The container list's order, chosen with o (the next column) and O (the other direction), kept
// in the store per list: by state (running first, then by name: the default), name, VRAM held,
// CPU %, memory, or age. The header marks the sorted column with ▲ (ascending) or ▼ (descending).
import type { Container } from '../engine/models.js';
import { containerGpu } from './gpu.js';
import type { AppState, ContainerSortBy, ListSort } from './types.js';
import { compareNames } from '../text/compare.js';

const ACTIVE: ReadonlySet<string> = new Set(['running', 'restarting', 'paused', 'removing']);

export function isActive(c: Container): boolean {
  return ACTIVE.has(c.state);
}

/** The columns o steps through, each with the direction it starts in. */
export const CONTAINER_SORTS: readonly ListSort[] = [
  { by: 'state', desc: false },
  { by: 'name', desc: false },
  { by: 'vram', desc: true },
  { by: 'cpu', desc: true },
  { by: 'mem', desc: true },
  { by: 'created', desc: true },
];

/** The column each sort is shown on. */
export const SORT_TITLES: Record<ContainerSortBy, string> = { state: 'STATE', name: 'NAME', vram: 'VRAM', cpu: 'CPU%', mem: 'MEM', created: 'CREATED' };

export const DEFAULT_SORT: ListSort = CONTAINER_SORTS[0]!;

const byName = (a: Container, b: Container) =>
  compareNames(a.name, b.name) || compareNames(a.engineId, b.engineId) || compareNames(a.id, b.id);

/** The comparator for `sort` (a stable tie-break by name, whatever the direction). */
export function containerComparator(s: Pick<AppState, 'gpu' | 'grants' | 'usage'>, sort: ListSort): (a: Container, b: Container) => number {
  const dir = sort.desc ? -1 : 1;
  switch (sort.by) {
    case 'name':
      return (a, b) => dir * byName(a, b);
    case 'created':
      return (a, b) => dir * (a.created - b.created) || byName(a, b);
    case 'cpu':
      return (a, b) => dir * ((s.usage[a.key]?.cpuPct ?? -1) - (s.usage[b.key]?.cpuPct ?? -1)) || byName(a, b);
    case 'mem':
      return (a, b) => dir * ((s.usage[a.key]?.memBytes ?? -1) - (s.usage[b.key]?.memBytes ?? -1)) || byName(a, b);
    case 'vram': {
      const mem = new Map<string, number>();
      const of = (c: Container) => {
        let m = mem.get(c.key);
        if (m === undefined) mem.set(c.key, (m = containerGpu(s, c)?.memoryMiB ?? -1));
        return m;
      };
      return (a, b) => dir * (of(a) - of(b)) || byName(a, b);
    }
    default:
      return (a, b) => dir * ((isActive(a) ? 0 : 1) - (isActive(b) ? 0 : 1)) || byName(a, b);
  }
}

/** o: the next column (VRAM only where GPUs are watched); O: the same column the other way. */
export function nextSort(s: AppState, current: ListSort, flip: boolean): ListSort {
  if (flip) return { ...current, desc: !current.desc };
  const usage = Object.keys(s.usage).length > 0;
  const cycle = CONTAINER_SORTS.filter((x) => (x.by !== 'vram' || (s.gpu.enabled && s.gpu.gpus.length > 0)) && ((x.by !== 'cpu' && x.by !== 'mem') || usage));
  const i = cycle.findIndex((x) => x.by === current.by);
  return cycle[(i + 1) % cycle.length]!;
}
