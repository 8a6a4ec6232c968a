// Which GPU to start on: every GPU with its free memory, utilisation and who holds it (containers
// by name, host users by pid, memory held by processes gantry cannot see), ranked idle first by
// free memory; `auto: N` takes the first N idle ones and says why. A pure function of the GPU
// state the store already holds (the GPU monitor's sample, attributed processes, grants).
import type { Container } from '../engine/models.js';
import { listWords } from '../text/words.js';
import { containerGpu } from '../store/gpu.js';
import type { AppState } from '../store/state.js';

/** What the ranking reads from the store (the CLI builds the same from one sample). */
export type GpuView = Pick<AppState, 'gpu' | 'containers' | 'grants'>;

export type GpuHolder =
  | { kind: 'container'; engineId: string; name: string; key?: string; memoryMiB?: number }
  | { kind: 'host'; pid: number; user?: string; processName: string; memoryMiB?: number }
  | { kind: 'unseen'; memoryMiB?: number; utilizationPct?: number };

export interface GpuChoice {
  index: number;
  uuid: string;
  name: string;
  totalMiB?: number;
  usedMiB?: number;
  freeMiB?: number;
  utilizationPct?: number;
  idle: boolean;
  holders: GpuHolder[];
  /** "idle, 47.9 GiB free" or "busy: docker/alice-train (9.3 GiB), host user bob (pid 4242, python3)". */
  why: string;
}

/** Memory in use with no process to show for it: someone gantry cannot see holds the GPU. */
export const UNSEEN_MEMORY_MIB = 1024;
/** Utilisation with no process to show for it. */
export const UNSEEN_UTILIZATION_PCT = 10;

const gib = (mib: number) => `${(mib / 1024).toFixed(1)} GiB`;

export function holderText(h: GpuHolder): string {
  const mem = h.memoryMiB ? ` (${gib(h.memoryMiB)})` : '';
  if (h.kind === 'container') return `${h.engineId}/${h.name}${mem}`;
  if (h.kind === 'host') return `${h.user ? `host user ${h.user}` : 'a host process'} (pid ${h.pid}, ${h.processName}${h.memoryMiB ? `, ${gib(h.memoryMiB)}` : ''})`;
  return `processes gantry cannot see${h.memoryMiB ? ` (${gib(h.memoryMiB)} in use${h.utilizationPct ? `, ${h.utilizationPct}%` : ''})` : ''}`;
}

function holdersOf(view: GpuView, index: number, byId: Map<string, Container>, running: Container[]): GpuHolder[] {
  const out: GpuHolder[] = [];
  const procs = view.gpu.processes.filter((p) => p.gpuIndex === index);
  const seen = new Set<string>();
  // Containers whose processes are on it, or that were given it (a grant holds a GPU before CUDA starts).
  for (const c of running) {
    const g = containerGpu(view, c);
    if (!g?.indices.includes(index)) continue;
    const mem = procs.filter((p) => p.containerId === c.id).reduce((a, p) => a + (p.usedMemoryMiB ?? 0), 0);
    const h: GpuHolder = { kind: 'container', engineId: c.engineId, name: c.name, key: c.key };
    if (mem > 0) h.memoryMiB = mem;
    out.push(h);
    seen.add(c.id);
  }
  for (const p of procs) {
    if (p.containerId) {
      if (seen.has(p.containerId)) continue;
      const c = byId.get(p.containerId);
      const h: GpuHolder = c ? { kind: 'container', engineId: c.engineId, name: c.name, key: c.key } : { kind: 'container', engineId: '?', name: p.containerId.slice(0, 12) };
      if (p.usedMemoryMiB) h.memoryMiB = p.usedMemoryMiB;
      out.push(h);
      seen.add(p.containerId);
    } else {
      const h: GpuHolder = { kind: 'host', pid: p.pid, processName: p.processName };
      if (p.hostUser) h.user = p.hostUser;
      if (p.usedMemoryMiB) h.memoryMiB = p.usedMemoryMiB;
      out.push(h);
    }
  }
  return out;
}

/** Every GPU, idle ones first (most free memory first), then busy ones (most free memory first). */
export function rankGpus(view: GpuView): GpuChoice[] {
  const byId = new Map<string, Container>();
  for (const list of Object.values(view.containers)) for (const c of list) byId.set(c.id, c);
  const running = [...byId.values()].filter((c) => c.state === 'running' || c.state === 'paused' || c.state === 'restarting');
  const out = view.gpu.gpus.map((g): GpuChoice => {
    const holders = holdersOf(view, g.index, byId, running);
    const used = g.memoryUsedMiB;
    if (holders.length === 0 && ((used ?? 0) > UNSEEN_MEMORY_MIB || (g.utilizationPct ?? 0) >= UNSEEN_UTILIZATION_PCT)) {
      const h: GpuHolder = { kind: 'unseen' };
      if (used !== undefined) h.memoryMiB = used;
      if (g.utilizationPct !== undefined) h.utilizationPct = g.utilizationPct;
      holders.push(h);
    }
    const c: GpuChoice = { index: g.index, uuid: g.uuid, name: g.name, idle: holders.length === 0, holders, why: '' };
    if (g.memoryTotalMiB !== undefined) c.totalMiB = g.memoryTotalMiB;
    if (used !== undefined) c.usedMiB = used;
    if (g.memoryTotalMiB !== undefined && used !== undefined) c.freeMiB = Math.max(0, g.memoryTotalMiB - used);
    if (g.utilizationPct !== undefined) c.utilizationPct = g.utilizationPct;
    c.why = c.idle ? `idle${c.freeMiB !== undefined ? `, ${gib(c.freeMiB)} free` : ''}` : `busy: ${holders.map(holderText).join(', ')}`;
    return c;
  });
  return out.sort((a, b) => Number(b.idle) - Number(a.idle) || (b.freeMiB ?? -1) - (a.freeMiB ?? -1) || a.index - b.index);
}

/** "GPU 3 and 1", "GPU 0, 2 and 5". */
export function gpuList(indices: readonly (number | string)[]): string {
  return `GPU ${listWords(indices.map(String))}`;
}

/** The N GPUs `auto: N` takes, and why; or what stands in the way. */
export function autoPick(ranked: readonly GpuChoice[], count: number): { indices: number[]; reason: string } | { error: string } {
  if (ranked.length === 0) return { error: `auto: ${count} needs the GPUs' state, and nvidia-smi reported no GPU` };
  const idle = ranked.filter((g) => g.idle);
  if (idle.length < count) {
    const busy = ranked.filter((g) => !g.idle).map((g) => `GPU ${g.index} ${g.why}`);
    const have = idle.length === 0 ? 'none is idle' : `only ${idle.length} ${idle.length === 1 ? 'is' : 'are'} idle (${gpuList(idle.map((g) => g.index))})`;
    return { error: `auto: ${count} needs ${count} idle GPU${count === 1 ? '' : 's'}, and ${have}; ${busy.join('; ')}. Choose GPUs yourself, or wait.` };
  }
  const picked = idle.slice(0, count);
  const indices = picked.map((g) => g.index);
  const reason = `auto: ${count} picked ${gpuList(indices)}: ${count === 1 ? 'the most free memory' : 'most free memory'}, idle`;
  return { indices, reason };
}
