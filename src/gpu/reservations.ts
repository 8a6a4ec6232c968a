// What GPUs a container was given: --gpus (DeviceRequests), CDI device names and
// NVIDIA_VISIBLE_DEVICES in its environment. Resolved against the GPUs nvidia-smi reports.

export interface GpuGrantInput {
  deviceRequests?: { Driver?: string; Count?: number; DeviceIDs?: string[] | null; Capabilities?: string[][] | null }[] | null;
  /** HostConfig.Devices[].PathOnHost and CDI names (Podman puts `nvidia.com/gpu=0` there). */
  devices?: string[];
  env?: string[] | null;
}

export interface GpuGrant {
  all: boolean;
  indices: number[];
  uuids: string[];
}

function addId(id: string, g: GpuGrant): void {
  const t = id.trim();
  if (!t) return;
  if (t === 'all') g.all = true;
  else if (/^\d+$/.test(t)) g.indices.push(Number(t));
  else if (/^(GPU|MIG)-/i.test(t)) g.uuids.push(t);
}

/** Returns undefined when the container was given no GPU at all. */
export function gpuGrant(input: GpuGrantInput): GpuGrant | undefined {
  const g: GpuGrant = { all: false, indices: [], uuids: [] };
  let any = false;
  for (const r of input.deviceRequests ?? []) {
    const isGpu = r.Driver === 'nvidia' || (r.Capabilities ?? []).some((caps) => caps.includes('gpu'));
    const cdi = (r.DeviceIDs ?? []).filter((d) => /^nvidia\.com\/gpu=/.test(d));
    if (!isGpu && cdi.length === 0) continue;
    any = true;
    if (r.Count === -1) g.all = true;
    for (const id of r.DeviceIDs ?? []) addId(id.replace(/^nvidia\.com\/gpu=/, ''), g);
    if (!r.DeviceIDs?.length && r.Count !== undefined && r.Count > 0) for (let i = 0; i < r.Count; i++) g.indices.push(i);
  }
  for (const d of input.devices ?? []) {
    const m = /^nvidia\.com\/gpu=(.+)$/.exec(d);
    if (m) {
      any = true;
      addId(m[1]!, g);
    } else if (/^\/dev\/nvidia(\d+)$/.test(d)) {
      any = true;
      g.indices.push(Number(/(\d+)$/.exec(d)![1]));
    }
  }
  const env = (input.env ?? []).find((e) => e.startsWith('NVIDIA_VISIBLE_DEVICES='));
  if (env) {
    const v = env.slice('NVIDIA_VISIBLE_DEVICES='.length).trim();
    if (v && v !== 'void' && v !== 'none') {
      any = true;
      for (const id of v.split(',')) addId(id, g);
    }
  }
  if (!any) return undefined;
  g.indices = [...new Set(g.indices)].sort((a, b) => a - b);
  g.uuids = [...new Set(g.uuids)];
  return g;
}

/** The GPU indices a grant names, given the GPUs present (uuid → index). */
export function grantIndices(g: GpuGrant, gpus: readonly { index: number; uuid: string }[]): number[] {
  if (g.all) return gpus.map((x) => x.index).sort((a, b) => a - b);
  const out = new Set(g.indices);
  for (const u of g.uuids) {
    const hit = gpus.find((x) => x.uuid.toLowerCase() === u.toLowerCase());
    if (hit) out.add(hit.index);
  }
  return [...out].sort((a, b) => a - b);
}
