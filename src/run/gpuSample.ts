// One look at the GPUs outside the TUI (`gantry run`, and just before a start): an nvidia-smi
// sample, its processes attributed to containers, and what each running container was given,
// shaped as the store holds it so the same ranking serves the TUI and the command line.
import type { Engine } from '../engine/engine.js';
import type { Container } from '../engine/models.js';
import { attribute } from '../gpu/attribute.js';
import { queryOnce } from '../gpu/once.js';
import type { GpuGrantInput } from '../gpu/reservations.js';
import { rankGpus, type GpuChoice, type GpuView } from './gpuPick.js';

export interface GpuLook {
  view: GpuView;
  /** nvidia-smi's failure, in words (the view then has no GPUs). */
  error?: string;
}

export async function sampleGpuView(nvidiaSmi: string, engines: readonly Engine[]): Promise<GpuLook> {
  const [smi, lists] = await Promise.all([queryOnce(nvidiaSmi), Promise.all(engines.map((e) => e.listContainers().catch(() => [] as Container[])))]);
  const containers: Record<string, Container[]> = {};
  engines.forEach((e, i) => (containers[e.id] = lists[i]!));
  const grants: Record<string, GpuGrantInput | null> = {};
  await Promise.all(
    engines.flatMap((e, i) =>
      lists[i]!
        .filter((c) => c.state === 'running')
        .map(async (c) => {
          grants[c.key] = await e.gpuSettings(c.id).catch(() => null);
        }),
    ),
  );
  const gpus = smi.error ? [] : smi.gpus;
  const view: GpuView = {
    gpu: { enabled: true, status: smi.error ? { state: 'failed', message: smi.error } : { state: 'ok' }, gpus, processes: attribute(smi.error ? [] : smi.processes, gpus), at: Date.now(), zeroSince: {}, idleMs: Infinity },
    containers,
    grants,
  };
  return smi.error ? { view, error: smi.error } : { view };
}

/** The ranked GPUs now, or undefined when nvidia-smi gave none (for StartOptions.gpus). */
export function freshRanking(nvidiaSmi: string, engines: readonly Engine[]): () => Promise<GpuChoice[] | undefined> {
  return async () => {
    const look = await sampleGpuView(nvidiaSmi, engines);
    return look.error ? undefined : rankGpus(look.view);
  };
}
