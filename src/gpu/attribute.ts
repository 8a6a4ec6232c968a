// Joins nvidia-smi's processes to GPUs (by UUID) and to containers (by cgroup), and sums what
// each container holds.
import { containerIdFromCgroup, processOwner, readCgroup, runtimeFromCgroup, type ContainerRuntime } from './cgroup.js';
import type { GpuProcess, GpuSample } from './parse.js';

export interface AttributedProcess extends GpuProcess {
  gpuIndex?: number;
  /** Full container id from the process's cgroup, if it runs in one. */
  containerId?: string;
  /** Whose container that is, as the cgroup path says (Docker, Podman, …). */
  runtime?: ContainerRuntime;
  /** The owner's user name, for a host process. */
  hostUser?: string;
}

export interface ProcReader {
  cgroup(pid: number): string | undefined;
  owner(pid: number): string | undefined;
}

export const procReader: ProcReader = { cgroup: (pid) => readCgroup(pid), owner: (pid) => processOwner(pid) };

export function attribute(processes: readonly GpuProcess[], gpus: readonly GpuSample[], proc: ProcReader = procReader): AttributedProcess[] {
  const byUuid = new Map(gpus.map((g) => [g.uuid, g.index]));
  return processes.map((p) => {
    const a: AttributedProcess = { ...p };
    const idx = byUuid.get(p.gpuUuid);
    if (idx !== undefined) a.gpuIndex = idx;
    const cg = proc.cgroup(p.pid);
    const id = cg ? containerIdFromCgroup(cg) : undefined;
    if (id) {
      a.containerId = id;
      const runtime = runtimeFromCgroup(cg!, id);
      if (runtime) a.runtime = runtime;
    } else {
      const u = proc.owner(p.pid);
      if (u) a.hostUser = u;
    }
    return a;
  });
}

export interface ContainerGpuUse {
  /** GPU indices its processes use. */
  indices: number[];
  memoryMiB: number;
}

/** Per container id: which GPUs its processes are on and how much memory they hold. */
export function usageByContainer(procs: readonly AttributedProcess[]): Map<string, ContainerGpuUse> {
  const out = new Map<string, ContainerGpuUse>();
  for (const p of procs) {
    if (!p.containerId) continue;
    const u = out.get(p.containerId) ?? { indices: [], memoryMiB: 0 };
    if (p.gpuIndex !== undefined && !u.indices.includes(p.gpuIndex)) u.indices.push(p.gpuIndex);
    u.memoryMiB += p.usedMemoryMiB ?? 0;
    u.indices.sort((a, b) => a - b);
    out.set(p.containerId, u);
  }
  return out;
}
