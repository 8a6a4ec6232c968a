// What the UI tests of GPUs build their store from: the 4-GPU server's samples (RTX 6000 Ada, as
// the nvidia-smi stand-in's rtx4 profile reports them) and running containers to hold them.
import type { Container } from '../../src/engine/models.js';
import type { GpuSample } from '../../src/gpu/parse.js';
import type { Action } from '../../src/store/state.js';

export const NOW = Date.now();
/** A 64-digit container id from a short one. */
export const ID = (n: string) => n.padEnd(64, '0');

export function running(engineId: string, name: string, id: string): Container {
  return { key: `${engineId}/${id}`, engineId, id, name, image: 'pytorch:24.10', state: 'running', status: 'Up 3 hours', created: Math.floor(NOW / 1000) - 3600, since: NOW - 3 * 3600_000, ports: [], command: '', labels: {} };
}

/** GPUs 0-3 with the memory the 4-GPU server showed; `util`: each one's utilisation. */
export function fourGpus(util: readonly number[] = [97, 0, 0, 0]): GpuSample[] {
  return [0, 1, 2, 3].map((i) => ({
    index: i,
    uuid: `GPU-${i}`,
    name: 'NVIDIA RTX 6000 Ada Generation',
    memoryTotalMiB: 49140,
    memoryUsedMiB: [9628, 4562, 122, 88][i]!,
    utilizationPct: util[i] ?? 0,
    temperatureC: 30 + i,
    powerW: 100,
    powerLimitW: 300,
    migEnabled: false,
  }));
}

/** The GPU monitor's update: the four GPUs, and `procs` as [pid, GPU index, MiB, container id]. */
export function gpuUpdate(procs: readonly [number, number, number, string][]): Action {
  return {
    type: 'gpu/update',
    status: { state: 'ok' },
    gpus: fourGpus(),
    processes: procs.map(([pid, gpuIndex, usedMemoryMiB, containerId]) => ({ pid, gpuUuid: `GPU-${gpuIndex}`, gpuIndex, usedMemoryMiB, processName: 'python', containerId })),
    at: NOW,
  };
}
