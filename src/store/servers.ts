// The servers slice of the state (this machine and the remote servers: their state and why, their
// engines, a remote server's GPUs) and what a Servers pane reads from it: one summary per server,
// the server with the most free GPU memory first. Pure: no I/O here.
import type { AttributedProcess } from '../gpu/attribute.js';
import type { GpuSample } from '../gpu/parse.js';
import type { ServerGpu, ServerStatus } from '../remote/server.js';
import type { AppState } from './state.js';
import { compareNames } from '../text/compare.js';

export type ServerState = ServerStatus['state'];

export interface ServerEntry {
  name: string;
  /** This machine (its engines by discovery, its GPUs in AppState.gpu). */
  local: boolean;
  /** The ssh destination as given (empty for this machine). */
  destination: string;
  state: ServerState;
  /** Why it is unreachable, with what to run. */
  reason?: string;
  /** Problems that leave it connected (a socket refused, no engine, no nvidia-smi). */
  notes: string[];
  /** Since when it is in this state, ms since the epoch. */
  since: number;
  /** While unreachable: when gantry tries again. */
  nextTryAt?: number;
  engineIds: string[];
  /** A remote server's GPUs (this machine's are AppState.gpu). */
  gpu?: ServerGpu;
}

export interface ServersState {
  /** In the configured order; empty when no server is configured (gantry as it always was). */
  list: ServerEntry[];
}

export type ServersAction =
  | { type: 'servers/set'; servers: ServerEntry[] }
  | { type: 'servers/status'; name: string; status: ServerStatus }
  | { type: 'servers/engine'; name: string; engineId: string }
  | { type: 'servers/gpu'; name: string; gpu: ServerGpu };

export const NO_SERVERS: ServersState = { list: [] };

export function isServersAction(a: { type: string }): a is ServersAction {
  return a.type.startsWith('servers/');
}

function update(s: ServersState, name: string, f: (e: ServerEntry) => ServerEntry): ServersState {
  let changed = false;
  const list = s.list.map((e) => {
    if (e.name !== name) return e;
    const next = f(e);
    if (next !== e) changed = true;
    return next;
  });
  return changed ? { list } : s;
}

export function serversReducer(s: ServersState, a: ServersAction): ServersState {
  switch (a.type) {
    case 'servers/set':
      return { list: a.servers };
    case 'servers/status':
      return update(s, a.name, (e) => {
        const next: ServerEntry = { ...e, state: a.status.state, notes: a.status.notes, since: a.status.since };
        delete next.reason;
        delete next.nextTryAt;
        if (a.status.reason) next.reason = a.status.reason;
        if (a.status.nextTryAt !== undefined) next.nextTryAt = a.status.nextTryAt;
        return next;
      });
    case 'servers/engine':
      return update(s, a.name, (e) => (e.engineIds.includes(a.engineId) ? e : { ...e, engineIds: [...e.engineIds, a.engineId] }));
    case 'servers/gpu':
      return update(s, a.name, (e) => ({ ...e, gpu: a.gpu }));
  }
}

/** Under this much memory in use and no process on it, a GPU counts as idle (free to take). */
export const IDLE_GPU_MIB = 1024;

export interface GpuCell {
  index: number;
  usedMiB?: number;
  totalMiB?: number;
  utilizationPct?: number;
  /** Nobody holds it: no process on it and under IDLE_GPU_MIB in use. */
  idle: boolean;
}

export interface ServerSummary {
  name: string;
  local: boolean;
  state: ServerState;
  reason?: string;
  notes: string[];
  since: number;
  nextTryAt?: number;
  /** Each GPU, used/total; empty when none is known (see gpuNote). */
  gpus: GpuCell[];
  /** Why no (current) GPUs are shown: nvidia-smi missing there, failing, or the server unreachable. */
  gpuNote?: string;
  idleGpus: number;
  /** Free GPU memory over all its GPUs, MiB: the sort key. */
  freeMiB: number;
  containers: { running: number; total: number };
  /** Bytes its engines could free, once their disk usage is loaded (the System pane loads it). */
  reclaimableBytes?: number;
  engineIds: string[];
}

export function gpuCells(gpus: readonly GpuSample[], processes: readonly Pick<AttributedProcess, 'gpuIndex'>[]): GpuCell[] {
  return gpus.map((g) => {
    const held = processes.some((p) => p.gpuIndex === g.index);
    const cell: GpuCell = { index: g.index, idle: !held && (g.memoryUsedMiB ?? 0) < IDLE_GPU_MIB };
    if (g.memoryUsedMiB !== undefined) cell.usedMiB = g.memoryUsedMiB;
    if (g.memoryTotalMiB !== undefined) cell.totalMiB = g.memoryTotalMiB;
    if (g.utilizationPct !== undefined) cell.utilizationPct = g.utilizationPct;
    return cell;
  });
}

function reclaimable(s: AppState, engineIds: readonly string[]): number | undefined {
  let sum: number | undefined;
  for (const id of engineIds) {
    const df = s.resources.df[id];
    if (!df || 'error' in df) continue;
    sum = (sum ?? 0) + df.images.reclaimable + df.containers.reclaimable + df.volumes.reclaimable + (df.buildCache?.reclaimable ?? 0);
  }
  return sum;
}

function summary(s: AppState, e: ServerEntry): ServerSummary {
  const g = e.local ? (s.gpu.enabled ? s.gpu : undefined) : e.gpu;
  const gpus = g ? gpuCells(g.gpus, g.processes) : [];
  const out: ServerSummary = {
    name: e.name,
    local: e.local,
    state: e.state,
    notes: e.notes,
    since: e.since,
    gpus,
    idleGpus: gpus.filter((c) => c.idle).length,
    freeMiB: gpus.reduce((n, c) => n + Math.max(0, (c.totalMiB ?? 0) - (c.usedMiB ?? 0)), 0),
    containers: { running: 0, total: 0 },
    engineIds: e.engineIds,
  };
  if (e.reason) out.reason = e.reason;
  if (e.nextTryAt !== undefined) out.nextTryAt = e.nextTryAt;
  if (g && g.status.state !== 'ok' && g.status.state !== 'starting' && 'message' in g.status) out.gpuNote = g.status.message;
  for (const id of e.engineIds) {
    for (const c of s.containers[id] ?? []) {
      out.containers.total++;
      if (c.state === 'running') out.containers.running++;
    }
  }
  const r = reclaimable(s, e.engineIds);
  if (r !== undefined) out.reclaimableBytes = r;
  return out;
}

const ORDER: Record<ServerState, number> = { connected: 0, connecting: 1, unreachable: 2 };

let memo: { list: ServerEntry[]; containers: unknown; gpu: unknown; df: unknown; out: ServerSummary[] } | undefined;

/** One summary per server: connected ones first, most free GPU memory first, then by name. */
export function serverSummaries(s: AppState): ServerSummary[] {
  const list = s.servers.list;
  if (memo && memo.list === list && memo.containers === s.containers && memo.gpu === s.gpu && memo.df === s.resources.df) return memo.out;
  const out = list
    .map((e) => summary(s, e))
    .sort((a, b) => ORDER[a.state] - ORDER[b.state] || b.freeMiB - a.freeMiB || compareNames(a.name, b.name));
  memo = { list, containers: s.containers, gpu: s.gpu, df: s.resources.df, out };
  return out;
}

/** The server an engine belongs to (undefined when no server is configured). */
export function serverOfEngine(s: AppState, engineId: string): string | undefined {
  return s.servers.list.find((e) => e.engineIds.includes(engineId))?.name;
}
