// From a template to a running container: the draft the run form edits (every field, GPUs still
// `auto`, the name still a pattern), its resolution into a RunSpec (a free name, GPUs picked and
// checked), and the start: mount sources checked, GPUs looked at once more, create, start — and a
// container that could not start removed again (it never ran).
import { existsSync, mkdirSync } from 'node:fs';
import { RunError, type Created } from '../engine/create.js';
import type { Engine } from '../engine/engine.js';
import type { EngineKind } from '../engine/models.js';
import { parseImageRef } from '../engine/reference.js';
import { checkSpec, type RunSpec } from '../engine/runSpec.js';
import { autoPick, gpuList, holderText, type GpuChoice } from './gpuPick.js';
import type { GpuRequest, Template } from './templates.js';

/** What the run form edits: a RunSpec whose name may be a pattern and whose GPUs may be `auto`. */
export interface RunDraft extends Omit<RunSpec, 'gpus' | 'name'> {
  template: string;
  /** A name, or a pattern with {user}, {template}, {image}, {n}. */
  name: string;
  gpus: GpuRequest;
}

export function draftFromTemplate(t: Template): RunDraft {
  const d: RunDraft = {
    template: t.name,
    image: t.image ?? '',
    name: t.namePattern,
    command: [...t.command],
    interactive: t.interactive,
    gpus: t.gpus,
    ulimits: t.ulimits.map((u) => ({ ...u })),
    env: { ...t.env },
    mounts: t.mounts.map((m) => ({ ...m })),
    ports: t.ports.map((p) => ({ ...p })),
    restart: { ...t.restart },
    remove: t.remove,
    labels: { ...t.labels },
  };
  if (t.ipc) d.ipc = t.ipc;
  if (t.shmSize !== undefined) d.shmSize = t.shmSize;
  if (t.workdir) d.workdir = t.workdir;
  if (t.network) d.network = t.network;
  return d;
}

/** A name part from free text: what a container name allows, lowercase. */
function namePart(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^[^a-z0-9]+|[-.]+$/g, '') || 'x';
}

/** The image's last path part without tag: nvcr.io/nvidia/pytorch:25.06-py3 → pytorch. */
function imageWord(image: string): string {
  const r = parseImageRef(image);
  return namePart(typeof r === 'string' ? image : (r.path.split('/').pop() ?? image));
}

/** The name a pattern makes: {n} is the first number from 1 that no container uses. */
export function nameFromPattern(pattern: string, v: { user: string; template: string; image: string }, taken: ReadonlySet<string>): string {
  const fill = (n: number) =>
    pattern.replace(/\{(\w+)\}/g, (_, k: string) => (k === 'user' ? namePart(v.user) : k === 'template' ? namePart(v.template) : k === 'image' ? imageWord(v.image) : String(n)));
  if (!pattern.includes('{n}')) return fill(1);
  for (let n = 1; ; n++) if (!taken.has(fill(n))) return fill(n);
}

/** The next free name after one that is taken: NAME-2, NAME-3, … (a name's own digits are left alone). */
export function nextFreeName(name: string, taken: ReadonlySet<string>): string {
  for (let n = 2; ; n++) if (!taken.has(`${name}-${n}`)) return `${name}-${n}`;
}

export interface GpuResolution {
  /** Device ids for the RunSpec: indices (UUIDs of known GPUs become their index), or ["all"]. */
  ids: string[];
  /** Why these (auto), in words; empty for an explicit choice. */
  reason: string;
  /** Chosen GPUs that are busy now, with who holds them: the caller asks before going on. */
  busy: GpuChoice[];
  /** Things to say, e.g. that the GPUs could not be checked. */
  warnings: string[];
}

/**
 * Resolves a GPU request against the ranked GPUs (undefined: nvidia-smi gave nothing). Throws a
 * RunError for a GPU that does not exist or an `auto` that cannot be met.
 */
export function resolveGpus(req: GpuRequest, ranked: readonly GpuChoice[] | undefined): GpuResolution {
  if (req.mode === 'none') return { ids: [], reason: '', busy: [], warnings: [] };
  if (req.mode === 'all') return { ids: ['all'], reason: '', busy: ranked?.filter((g) => !g.idle) ?? [], warnings: [] };
  if (req.mode === 'auto') {
    const pick = autoPick(ranked ?? [], req.count);
    if ('error' in pick) throw new RunError('gpu-busy', pick.error);
    return { ids: pick.indices.map(String), reason: pick.reason, busy: [], warnings: [] };
  }
  if (!ranked || ranked.length === 0) return { ids: [...req.ids], reason: '', busy: [], warnings: [`cannot check ${gpuList(req.ids)}: nvidia-smi reported no GPU`] };
  const ids: string[] = [];
  const busy: GpuChoice[] = [];
  for (const id of req.ids) {
    const g = /^\d+$/.test(id) ? ranked.find((x) => x.index === Number(id)) : ranked.find((x) => x.uuid.toLowerCase() === id.toLowerCase());
    if (!g) {
      const have = [...ranked].sort((a, b) => a.index - b.index).map((x) => x.index);
      throw new RunError('gpu-unknown', `GPU ${id} does not exist: this server has ${have.length === 1 ? 'GPU 0' : `GPUs ${have[0]}–${have[have.length - 1]}`} (nvidia-smi)`);
    }
    if (!ids.includes(String(g.index))) ids.push(String(g.index));
    if (!g.idle) busy.push(g);
  }
  return { ids, reason: '', busy, warnings: [] };
}

/** The RunSpec a draft makes with a chosen name and resolved GPUs. */
export function specFromDraft(d: RunDraft, name: string, gpus: readonly string[]): RunSpec {
  const { template: _t, name: _n, gpus: _g, ...rest } = d;
  return { ...rest, name, gpus: [...gpus] };
}

/** What startRun needs of an engine (an Engine does all of it; tests may wrap one). */
export interface RunTarget {
  kind: EngineKind;
  /** The engine runs on this machine: mount sources can be checked, and created when asked. */
  local: boolean;
  create(spec: RunSpec): Promise<Created>;
  start(id: string, spec: RunSpec): Promise<void>;
  remove(id: string): Promise<void>;
  /** Names of every container on the engine (for the next free name). */
  names(): Promise<string[]>;
}

export interface StartOptions {
  /** A fresh look at the GPUs just before the start: one may have become busy since the choice. */
  gpus?: () => Promise<GpuChoice[] | undefined>;
  /** GPUs the user chose knowing they were busy. */
  acceptBusy?: readonly number[];
  /** Create missing mount sources (as this user) instead of refusing. */
  createMounts?: boolean;
}

/** An engine as a RunTarget. */
export function engineTarget(e: Engine): RunTarget {
  return {
    kind: e.kind,
    local: e.local,
    create: (s) => e.createContainer(s),
    start: (id, s) => e.startContainer(id, s),
    remove: (id) => e.containerAction(id, 'remove', { force: true }),
    names: async () => (await e.listContainers()).map((c) => c.name),
  };
}

/** Mount sources missing on this machine. */
export function missingMounts(spec: RunSpec): string[] {
  return spec.mounts.map((m) => m.source).filter((s) => !existsSync(s));
}

async function checkGpusStillFree(spec: RunSpec, o: StartOptions): Promise<void> {
  if (!o.gpus || spec.gpus.length === 0 || spec.gpus.includes('all')) return;
  const fresh = await o.gpus();
  if (!fresh || fresh.length === 0) return;
  for (const id of spec.gpus) {
    const g = fresh.find((x) => String(x.index) === id);
    if (!g) throw new RunError('gpu-unknown', `GPU ${id} is no longer reported by nvidia-smi: choose again`);
    if (!g.idle && !(o.acceptBusy ?? []).includes(g.index))
      throw new RunError('gpu-busy', `GPU ${id} became busy since it was chosen: ${g.holders.map(holderText).join(', ')} now on it. Choose again.`);
  }
}

/** Creates and starts the container. Throws a RunError in words; nothing is left behind on failure. */
export async function startRun(t: RunTarget, spec: RunSpec, o: StartOptions = {}): Promise<Created> {
  const bad = checkSpec(spec);
  if (bad.length > 0) throw new RunError('invalid', bad.join('; '));
  if (t.local) {
    const missing = missingMounts(spec);
    if (missing.length > 0 && !o.createMounts)
      throw new RunError('mount-missing', `mount source${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'do' : 'does'} not exist: create ${missing.length > 1 ? 'them' : 'it'} (gantry can, as your user), or change the mount`);
    for (const m of missing) mkdirSync(m, { recursive: true, mode: 0o755 });
  }
  await checkGpusStillFree(spec, o);
  let created: Created;
  try {
    created = await t.create(spec);
  } catch (e) {
    if (e instanceof RunError && e.problem === 'name-in-use') {
      const free = nextFreeName(spec.name, new Set(await t.names().catch(() => [])));
      throw new RunError('name-in-use', `${e.message}: the next free one is ${free}`, e.detail, free);
    }
    throw e;
  }
  try {
    await t.start(created.id, spec);
  } catch (e) {
    await t.remove(created.id).catch(() => undefined);
    if (e instanceof RunError) throw new RunError(e.problem, `${e.message} (${spec.name} was created, could not start, and was removed again)`, e.detail);
    throw e;
  }
  return created;
}
