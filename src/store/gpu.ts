// GPU selectors: what each container holds and was given, and the rows of the GPUs pane.
import { displayName, type Container } from '../engine/models.js';
import { usageByContainer, type AttributedProcess, type ContainerGpuUse } from '../gpu/attribute.js';
import { gpuGrant, grantIndices } from '../gpu/reservations.js';
import type { GpuSample } from '../gpu/parse.js';
import { serverSummaries, type ServerSummary } from './servers.js';
import type { AppState } from './types.js';

const usageMemo = new WeakMap<readonly AttributedProcess[], Map<string, ContainerGpuUse>>();

function usage(procs: readonly AttributedProcess[]): Map<string, ContainerGpuUse> {
  let out = usageMemo.get(procs);
  if (!out) usageMemo.set(procs, (out = usageByContainer(procs)));
  return out;
}

export interface ContainerGpu {
  /** GPUs it was given or uses, by index. */
  indices: number[];
  /** Memory its processes hold, MiB; undefined when none of its processes is on a GPU. */
  memoryMiB?: number;
  /** How long it has held memory at 0 % utilisation on all its GPUs, when past the idle limit. */
  idleMs?: number;
}

type GpuOf = Pick<AppState['gpu'], 'gpus' | 'processes'> & { zeroSince: Record<number, number> };

/** The GPUs a container's engine sees: its remote server's, else this machine's (undefined: none watched). */
function gpusOf(s: Pick<AppState, 'gpu'> & Partial<Pick<AppState, 'servers'>>, engineId: string): GpuOf | undefined {
  const server = s.servers?.list.find((e) => !e.local && e.engineIds.includes(engineId));
  // A remote server's samples say nothing of how long a GPU has been at 0 %.
  if (server) return server.gpu ? { gpus: server.gpu.gpus, processes: server.gpu.processes, zeroSince: {} } : undefined;
  return s.gpu.enabled ? s.gpu : undefined;
}

/** What a container was given and holds, on the GPUs of its own server. */
export function containerGpu(s: Pick<AppState, 'gpu' | 'grants'> & Partial<Pick<AppState, 'servers'>>, c: Container, now = Date.now()): ContainerGpu | undefined {
  const g = gpusOf(s, c.engineId);
  if (!g) return undefined;
  const used = usage(g.processes).get(c.id);
  const grant = s.grants[c.key];
  const given = grant ? gpuGrant(grant) : undefined;
  const indices = new Set<number>(used?.indices ?? []);
  if (given) for (const i of grantIndices(given, g.gpus)) indices.add(i);
  if (indices.size === 0 && !used) return undefined;
  const out: ContainerGpu = { indices: [...indices].sort((a, b) => a - b) };
  if (used) {
    out.memoryMiB = used.memoryMiB;
    if (used.memoryMiB > 0 && used.indices.length > 0) {
      const since = Math.max(...used.indices.map((i) => g.zeroSince[i] ?? Infinity));
      if (Number.isFinite(since) && now - since >= s.gpu.idleMs) out.idleMs = now - since;
    }
  }
  return out;
}

/** Any GPU is known, here or on a server: the container list has GPU columns. */
export function anyGpus(s: AppState): boolean {
  return (s.gpu.enabled && s.gpu.gpus.length > 0) || s.servers.list.some((e) => (e.gpu?.gpus.length ?? 0) > 0);
}

let sharedMemo: {
  servers: AppState['servers']['list'];
  containers: AppState['containers'];
  grants: AppState['grants'];
  gpus: readonly GpuSample[];
  procs: readonly AttributedProcess[];
  on: string;
  out: Map<number, Container[]>;
} | undefined;

/**
 * What of a GPU sample decides who shares a GPU: the GPUs there are and which container's process
 * is on which. Each sample (every second) brings new arrays whose figures changed; this rarely does.
 */
function holders(gpus: readonly GpuSample[], procs: readonly AttributedProcess[]): string {
  let k = '';
  for (const g of gpus) k += `${g.index}=${g.uuid ?? ''},`;
  k += '|';
  for (const p of procs) k += `${p.containerId ?? ''}@${p.gpuIndex},`;
  return k;
}

/**
 * The GPUs two or more live containers share (both use it, or were given it), each with those
 * containers — the list marks their rows, the GPUs pane and the strip the GPU.
 */
export function sharedGpus(s: Pick<AppState, 'gpu' | 'grants' | 'containers' | 'servers'>): Map<number, Container[]> {
  const m = sharedMemo;
  const same = m && m.servers === s.servers.list && m.containers === s.containers && m.grants === s.grants;
  // The list asks for every GPU row of every render: the same sample answers without a word built.
  if (same && m.gpus === s.gpu.gpus && m.procs === s.gpu.processes) return m.out;
  const on = `${s.gpu.enabled}|${holders(s.gpu.gpus, s.gpu.processes)}`;
  if (same && m.on === on) {
    m.gpus = s.gpu.gpus;
    m.procs = s.gpu.processes;
    return m.out;
  }
  const by = new Map<number, Container[]>();
  // This machine's GPUs: a remote server's containers are on its own GPUs, not these.
  const remote = new Set(s.servers.list.filter((e) => !e.local).flatMap((e) => e.engineIds));
  for (const [engineId, list] of Object.entries(s.containers)) {
    if (remote.has(engineId)) continue;
    for (const c of list) {
      if (c.state !== 'running' && c.state !== 'paused' && c.state !== 'restarting') continue;
      for (const i of containerGpu(s, c)?.indices ?? []) by.set(i, [...(by.get(i) ?? []), c]);
    }
  }
  for (const [i, cs] of by) if (cs.length < 2) by.delete(i);
  sharedMemo = { servers: s.servers.list, containers: s.containers, grants: s.grants, gpus: s.gpu.gpus, procs: s.gpu.processes, on, out: by };
  return by;
}


/**
 * A row of the GPUs pane. With servers configured each server has a line of its own and its GPUs
 * and processes carry its name; without, `server` is absent (this machine, as always).
 */
export type GpuRow =
  | { kind: 'server'; server: string; summary: ServerSummary }
  | { kind: 'gpu'; gpu: GpuSample; server?: string }
  | { kind: 'proc'; proc: AttributedProcess; container?: Container; server?: string; remote?: true };

let rowsMemo: { gpu: AppState['gpu']; list: AppState['servers']['list']; narrow: string | undefined; containers: AppState['containers']; filter: string; out: GpuRow[] } | undefined;

/** What a process row is found by with `/`: its container, its command, its user, its pid. */
function procText(p: AttributedProcess, c: Container | undefined): string {
  return `${c ? displayName(c) : ''} ${p.processName} ${p.hostUser ?? ''} ${p.pid}`.toLowerCase();
}

/** One machine's GPUs, each followed by its processes (those the filter keeps), biggest first. */
function machineRows(out: GpuRow[], gpus: readonly GpuSample[], processes: readonly AttributedProcess[], byId: Map<string, Container>, filter: string, on?: { server: string; remote: boolean }): void {
  for (const g of gpus) {
    out.push(on ? { kind: 'gpu', gpu: g, server: on.server } : { kind: 'gpu', gpu: g });
    const procs = processes.filter((p) => p.gpuIndex === g.index).sort((a, b) => (b.usedMemoryMiB ?? 0) - (a.usedMemoryMiB ?? 0));
    for (const p of procs) {
      const row: GpuRow = { kind: 'proc', proc: p };
      const c = p.containerId ? byId.get(p.containerId) : undefined;
      if (filter && !procText(p, c).includes(filter)) continue;
      if (c) row.container = c;
      if (on) row.server = on.server;
      if (on?.remote) row.remote = true;
      out.push(row);
    }
  }
}

/** Containers by id, of the given engines only (two servers may run containers with one id). */
function containersById(s: AppState, engineIds?: readonly string[]): Map<string, Container> {
  const byId = new Map<string, Container>();
  const lists = engineIds ? engineIds.map((id) => s.containers[id] ?? []) : Object.values(s.containers);
  for (const list of lists) for (const c of list) byId.set(c.id, c);
  return byId;
}

/**
 * The GPUs pane: each GPU, then its processes. With servers configured: each server shown (the
 * narrowed-to one, else all, most free GPU memory first), its line, then its GPUs.
 */
export function gpuRows(s: AppState): GpuRow[] {
  const filter = s.ui.filters.gpus.trim().toLowerCase();
  const m = rowsMemo;
  if (m && m.gpu === s.gpu && m.list === s.servers.list && m.narrow === s.ui.server && m.containers === s.containers && m.filter === filter) return m.out;
  const out: GpuRow[] = [];
  if (s.servers.list.length === 0) machineRows(out, s.gpu.gpus, s.gpu.processes, containersById(s), filter);
  for (const sum of serverSummaries(s)) {
    if (s.ui.server !== undefined && sum.name !== s.ui.server) continue;
    out.push({ kind: 'server', server: sum.name, summary: sum });
    const entry = s.servers.list.find((e) => e.name === sum.name);
    const g = sum.local ? (s.gpu.enabled ? s.gpu : undefined) : entry?.gpu;
    if (g) machineRows(out, g.gpus, g.processes, containersById(s, sum.engineIds), filter, { server: sum.name, remote: !sum.local });
  }
  rowsMemo = { gpu: s.gpu, list: s.servers.list, narrow: s.ui.server, containers: s.containers, filter, out };
  return out;
}
