// GPU selectors: what each container holds and was given, and the rows of the GPUs pane.
import { displayName, type Container } from '../engine/models.js';
import { usageByContainer, type AttributedProcess, type ContainerGpuUse } from '../gpu/attribute.js';
import { gpuGrant, grantIndices } from '../gpu/reservations.js';
import type { GpuSample } from '../gpu/parse.js';
import type { AppState } from './types.js';

let usageMemo: { procs: AttributedProcess[]; out: Map<string, ContainerGpuUse> } | undefined;

function usage(s: Pick<AppState, 'gpu'>): Map<string, ContainerGpuUse> {
  if (usageMemo?.procs !== s.gpu.processes) usageMemo = { procs: s.gpu.processes, out: usageByContainer(s.gpu.processes) };
  return usageMemo.out;
}

export interface ContainerGpu {
  /** GPUs it was given or uses, by index. */
  indices: number[];
  /** Memory its processes hold, MiB; undefined when none of its processes is on a GPU. */
  memoryMiB?: number;
  /** How long it has held memory at 0 % utilisation on all its GPUs, when past the idle limit. */
  idleMs?: number;
}

export function containerGpu(s: Pick<AppState, 'gpu' | 'grants'>, c: Container, now = Date.now()): ContainerGpu | undefined {
  if (!s.gpu.enabled) return undefined;
  const used = usage(s).get(c.id);
  const grant = s.grants[c.key];
  const given = grant ? gpuGrant(grant) : undefined;
  const indices = new Set<number>(used?.indices ?? []);
  if (given) for (const i of grantIndices(given, s.gpu.gpus)) indices.add(i);
  if (indices.size === 0 && !used) return undefined;
  const out: ContainerGpu = { indices: [...indices].sort((a, b) => a - b) };
  if (used) {
    out.memoryMiB = used.memoryMiB;
    if (used.memoryMiB > 0 && used.indices.length > 0) {
      const since = Math.max(...used.indices.map((i) => s.gpu.zeroSince[i] ?? Infinity));
      if (Number.isFinite(since) && now - since >= s.gpu.idleMs) out.idleMs = now - since;
    }
  }
  return out;
}

export type GpuRow = { kind: 'gpu'; gpu: GpuSample } | { kind: 'proc'; proc: AttributedProcess; container?: Container };

let rowsMemo: { procs: AttributedProcess[]; gpus: GpuSample[]; containers: AppState['containers']; filter: string; out: GpuRow[] } | undefined;

/** What a process row is found by with `/`: its container, its command, its user, its pid. */
function procText(p: AttributedProcess, c: Container | undefined): string {
  return `${c ? displayName(c) : ''} ${p.processName} ${p.hostUser ?? ''} ${p.pid}`.toLowerCase();
}

/** The GPUs pane: each GPU, then its processes (those the filter keeps), biggest first. */
export function gpuRows(s: AppState): GpuRow[] {
  const filter = s.ui.filters.gpus.trim().toLowerCase();
  if (rowsMemo && rowsMemo.procs === s.gpu.processes && rowsMemo.gpus === s.gpu.gpus && rowsMemo.containers === s.containers && rowsMemo.filter === filter) return rowsMemo.out;
  const byId = new Map<string, Container>();
  for (const list of Object.values(s.containers)) for (const c of list) byId.set(c.id, c);
  const out: GpuRow[] = [];
  for (const g of s.gpu.gpus) {
    out.push({ kind: 'gpu', gpu: g });
    const procs = s.gpu.processes.filter((p) => p.gpuIndex === g.index).sort((a, b) => (b.usedMemoryMiB ?? 0) - (a.usedMemoryMiB ?? 0));
    for (const p of procs) {
      const row: GpuRow = { kind: 'proc', proc: p };
      const c = p.containerId ? byId.get(p.containerId) : undefined;
      if (filter && !procText(p, c).includes(filter)) continue;
      if (c) row.container = c;
      out.push(row);
    }
  }
  rowsMemo = { procs: s.gpu.processes, gpus: s.gpu.gpus, containers: s.containers, filter, out };
  return out;
}
