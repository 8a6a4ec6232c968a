// Disk usage per category (`/system/df`, as `docker system df` counts it) and the engine's facts
// (`/version`, `/info`). Podman's df differs: its image entries lack the `sha256:` prefix and carry
// mangled tags (`["latest"]`), its `LayersSize` is 0, its volume entries have no driver or
// mountpoint, and it keeps no build cache (`/build/prune` is a 404).
import type Docker from 'dockerode';
import type { EngineKind } from '../models.js';
import { api, type RawContainer, type RawImage, type RawVolume } from './raw.js';
import { imageIdOf, isUp, normaliseImageId, uniqueSize, volumeUsers } from './shared.js';

export interface UsageFigures {
  count: number;
  /** Images used by a container; running containers; volumes mounted by a container; cache in use. */
  active: number;
  /** Bytes on disk. */
  size: number;
  /** Bytes that removing every unused one would free. */
  reclaimable: number;
}

export interface EngineFacts {
  kind: EngineKind;
  version: string;
  apiVersion?: string;
  storageDriver?: string;
  rootDir?: string;
  os?: string;
  kernel?: string;
  cgroupVersion?: string;
}

export interface DiskUsage {
  images: UsageFigures;
  containers: UsageFigures;
  volumes: UsageFigures;
  /** Undefined where the engine keeps no build cache (Podman); `buildCacheNote` says why. */
  buildCache?: UsageFigures;
  buildCacheNote?: string;
  /** True when the images' size was added up by gantry (Podman's df has no total). */
  imagesSizeEstimated: boolean;
  facts: EngineFacts;
}

export const PODMAN_NO_BUILD_CACHE =
  'Podman has no build cache to prune: its build steps are kept as ordinary images, so prune dangling or unused images instead';

/** Which engine answered `/version`: Podman names itself in its components or platform. */
export function kindFromVersion(v: { Components?: { Name?: string }[]; Platform?: { Name?: string } }): EngineKind {
  const names = [...(v.Components ?? []).map((c) => c.Name ?? ''), v.Platform?.Name ?? ''];
  return names.some((n) => /podman/i.test(n)) ? 'podman' : 'docker';
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : undefined;
}

/** Version, storage driver and root directory, from `/version` and `/info`. */
export async function engineFacts(docker: Docker): Promise<EngineFacts> {
  const a = api(docker);
  const [v, info] = await Promise.all([a.version(), a.info().catch(() => ({}) as Record<string, unknown>)]);
  const facts: EngineFacts = {
    kind: kindFromVersion(v as Parameters<typeof kindFromVersion>[0]),
    version: str(v.Version) ?? str(info.ServerVersion) ?? '?',
  };
  const set = <K extends keyof EngineFacts>(k: K, val: string | undefined) => {
    if (val) (facts as unknown as Record<string, string>)[k] = val;
  };
  set('apiVersion', str(v.ApiVersion));
  set('storageDriver', str(info.Driver));
  set('rootDir', str(info.DockerRootDir));
  set('os', str(info.OperatingSystem));
  set('kernel', str(info.KernelVersion) ?? str(v.KernelVersion));
  set('cgroupVersion', str(info.CgroupVersion));
  return facts;
}

function imageFigures(images: RawImage[], containers: RawContainer[], layersSize: number): UsageFigures & { estimated: boolean } {
  const usedImages = new Set(containers.map(imageIdOf).filter((x): x is string => !!x));
  const imageUsed = (i: RawImage) => usedImages.has(normaliseImageId(i.Id));
  // Docker gives the layers' total; Podman gives 0: add each image's own layers, plus the largest
  // shared part once (the common base most images share).
  const estimated = !(layersSize > 0) && images.length > 0;
  const size = layersSize > 0 ? layersSize : images.reduce((s, i) => s + uniqueSize(i), 0) + Math.max(0, ...images.map((i) => i.SharedSize ?? 0));
  return {
    count: images.length,
    active: images.filter(imageUsed).length,
    size,
    reclaimable: images.filter((i) => !imageUsed(i)).reduce((s, i) => s + uniqueSize(i), 0),
    estimated,
  };
}

function containerFigures(containers: RawContainer[]): UsageFigures {
  const rw = (c: RawContainer) => Math.max(0, c.SizeRw ?? 0);
  return {
    count: containers.length,
    active: containers.filter(isUp).length,
    size: containers.reduce((s, c) => s + rw(c), 0),
    reclaimable: containers.filter((c) => !isUp(c)).reduce((s, c) => s + rw(c), 0),
  };
}

function volumeFigures(volumes: RawVolume[], containers: RawContainer[]): UsageFigures {
  const volSize = (v: RawVolume) => Math.max(0, v.UsageData?.Size ?? 0);
  const volUsed = (v: RawVolume) => (v.UsageData?.RefCount ?? 0) > 0 || volumeUsers(containers, v.Name).length > 0;
  return {
    count: volumes.length,
    active: volumes.filter(volUsed).length,
    size: volumes.reduce((s, v) => s + volSize(v), 0),
    reclaimable: volumes.filter((v) => !volUsed(v)).reduce((s, v) => s + volSize(v), 0),
  };
}

export async function diskUsage(docker: Docker, kind: EngineKind): Promise<DiskUsage> {
  const a = api(docker);
  const [df, facts] = await Promise.all([a.df(), engineFacts(docker)]);
  const containers = df.Containers ?? [];
  const { estimated, ...images } = imageFigures(df.Images ?? [], containers, df.LayersSize ?? 0);
  const out: DiskUsage = {
    images,
    containers: containerFigures(containers),
    volumes: volumeFigures(df.Volumes ?? [], containers),
    imagesSizeEstimated: estimated,
    facts,
  };
  if (kind === 'podman') {
    out.buildCacheNote = PODMAN_NO_BUILD_CACHE;
  } else {
    const bc = df.BuildCache ?? [];
    // As `docker system df` counts it: shared records belong to images, in-use ones cannot go.
    const own = bc.filter((r) => !r.Shared);
    out.buildCache = {
      count: bc.length,
      active: bc.filter((r) => r.InUse).length,
      size: own.reduce((s, r) => s + Math.max(0, r.Size ?? 0), 0),
      reclaimable: own.filter((r) => !r.InUse).reduce((s, r) => s + Math.max(0, r.Size ?? 0), 0),
    };
  }
  return out;
}
