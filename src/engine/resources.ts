// Images, volumes, networks, disk usage and prune: engine-neutral rows and actions over a dockerode
// client, the same on Docker and on Podman's compatible API. Knows nothing about Ink.
//
// Differences between the engines that are normalised here (all seen on dockerd 20.10 and
// Podman 4.3.1):
// - `/images/json`: Docker reports `Containers: -1` and `SharedSize: -1` and names an untagged
//   image `<none>:<none>`; Podman gives counts and `RepoTags: null`. Usage is therefore computed
//   from the container list (`ImageID`), and shared sizes come from `/system/df`.
// - `/system/df`: Podman's image entries lack the `sha256:` prefix and carry mangled tags
//   (`["latest"]`), its `LayersSize` is 0, and its volume entries have no driver or mountpoint;
//   so df is used only for sizes, and names/tags come from the list endpoints.
// - Podman's `DELETE /networks/{id}` removes a network even while a running container uses it,
//   where Docker refuses only while an endpoint is active (and lets a network used by a stopped
//   container go, leaving that container unable to start). Gantry checks every container that
//   names the network, running or not, before asking either engine.
// - Podman's `DELETE /images/{id}?force=true` also deletes the containers that use the image
//   (Docker keeps them); gantry never sends `force` and removes such containers itself, by name.
// - Podman answers some refusals with HTTP 500 where Docker says 409 (removing a running
//   container; an image ID with several tags), so refusals are recognised by what they say.
// - Podman has no build cache and no `/build/prune` (404).
import type Docker from 'dockerode';
import { kindFromVersion } from './engine.js';
import { explainActionError, rawReason } from './errors.js';
import type { EngineKind } from './models.js';
import { normaliseState } from './status.js';

// ───────────────────────────── rows ─────────────────────────────

export interface ImageRow {
  /** `<engineId>/<image id>`. */
  key: string;
  engineId: string;
  /** The full id, `sha256:<64 hex>`. */
  id: string;
  /** `repo:tag` names; empty for an untagged (dangling) image. */
  repoTags: string[];
  dangling: boolean;
  /** Bytes, layers shared with other images included (what `docker images` shows). */
  size: number;
  /** Seconds since the epoch. */
  created: number;
  /** How many containers (any state) were created from it. */
  containers: number;
  containerNames: string[];
  labels: Record<string, string>;
  parentId?: string;
}

export interface VolumeRow {
  /** `<engineId>/<volume name>`. */
  key: string;
  engineId: string;
  name: string;
  driver: string;
  /** Bytes, from `/system/df`; undefined when the engine did not report it. */
  size?: number;
  /** A volume made for a container's anonymous mount (a 64-hex name). */
  anonymous: boolean;
  /** Names of the containers (any state) that mount it. */
  containers: string[];
  mountpoint: string;
  /** Seconds since the epoch. */
  created?: number;
  labels: Record<string, string>;
}

export interface NetworkRow {
  /** `<engineId>/<network id>`. */
  key: string;
  engineId: string;
  id: string;
  name: string;
  driver: string;
  scope: string;
  /** Made by the engine itself (bridge, host, none, podman): it cannot be removed. */
  builtin: boolean;
  /** Names of the containers (any state) attached to it. */
  containers: string[];
  internal: boolean;
  /** Seconds since the epoch. */
  created?: number;
  labels: Record<string, string>;
}

// ───────────────────────────── what the engines return (the parts used) ─────────────────────────────

interface RawContainer {
  Id: string;
  Names?: string[] | null;
  Image?: string;
  ImageID?: string;
  State?: string;
  Status?: string;
  SizeRw?: number | null;
  Mounts?: { Type?: string; Name?: string }[] | null;
  NetworkSettings?: { Networks?: Record<string, { NetworkID?: string } | null> | null } | null;
}

interface RawImage {
  Id: string;
  ParentId?: string;
  RepoTags?: string[] | null;
  Created?: number;
  Size?: number;
  SharedSize?: number;
  Labels?: Record<string, string> | null;
}

interface RawVolume {
  Name: string;
  Driver?: string;
  Mountpoint?: string;
  CreatedAt?: string;
  Labels?: Record<string, string> | null;
  UsageData?: { Size?: number; RefCount?: number } | null;
}

interface RawNetwork {
  Id: string;
  Name: string;
  Driver?: string;
  Scope?: string;
  Internal?: boolean;
  Ingress?: boolean;
  Created?: string;
  Labels?: Record<string, string> | null;
  Containers?: Record<string, { Name?: string } | null> | null;
}

interface RawBuildCache {
  ID: string;
  Size?: number;
  InUse?: boolean;
  Shared?: boolean;
}

interface RawDf {
  LayersSize?: number;
  Images?: RawImage[] | null;
  Containers?: RawContainer[] | null;
  Volumes?: RawVolume[] | null;
  BuildCache?: RawBuildCache[] | null;
}

const LIST_TIMEOUT_MS = 10_000;
/** `/system/df` walks every volume's files: on a big data volume it takes a while. */
const DF_TIMEOUT_MS = 120_000;

function signal(ms: number): AbortSignal {
  return AbortSignal.timeout(ms);
}

/** dockerode's calls, typed by what the engines really send (nullable fields included). */
function api(docker: Docker) {
  const d = docker as unknown as {
    listContainers(o: object): Promise<RawContainer[]>;
    listImages(o: object): Promise<RawImage[]>;
    listVolumes(o: object): Promise<{ Volumes?: RawVolume[] | null }>;
    listNetworks(o: object): Promise<RawNetwork[]>;
    df(o: object): Promise<RawDf>;
    info(o: object): Promise<Record<string, unknown>>;
    version(o: object): Promise<Record<string, unknown>>;
    pruneBuilder(): Promise<{ SpaceReclaimed?: number; CachesDeleted?: string[] | null }>;
  };
  return {
    containers: (size = false) => d.listContainers({ all: true, size, abortSignal: signal(size ? DF_TIMEOUT_MS : LIST_TIMEOUT_MS) }),
    images: () => d.listImages({ abortSignal: signal(LIST_TIMEOUT_MS) }),
    volumes: async () => (await d.listVolumes({ abortSignal: signal(LIST_TIMEOUT_MS) })).Volumes ?? [],
    networks: () => d.listNetworks({ abortSignal: signal(LIST_TIMEOUT_MS) }),
    df: (ms = DF_TIMEOUT_MS) => d.df({ abortSignal: signal(ms) }),
    info: () => d.info({ abortSignal: signal(LIST_TIMEOUT_MS) }),
    version: () => d.version({ abortSignal: signal(LIST_TIMEOUT_MS) }),
    pruneBuilder: () => d.pruneBuilder(),
    inspectImage: (ref: string) => docker.getImage(ref).inspect() as Promise<{ Id: string; RepoTags?: string[] | null; Size?: number }>,
    inspectNetwork: (id: string) => docker.getNetwork(id).inspect() as Promise<RawNetwork>,
  };
}

// ───────────────────────────── pure helpers ─────────────────────────────

const HEX64 = /^[0-9a-f]{64}$/;

/** `sha256:<hex>` for a bare 64-hex id (Podman's df drops the prefix); anything else as it is. */
export function normaliseImageId(id: string): string {
  return HEX64.test(id) ? `sha256:${id}` : id;
}

/** The tags of an image, without Docker's `<none>:<none>` placeholder (Podman sends null). */
export function cleanRepoTags(tags: readonly string[] | null | undefined): string[] {
  return (tags ?? []).filter((t) => t && !t.startsWith('<none>') && !t.endsWith(':<none>') && !t.endsWith('@<none>'));
}

/** An anonymous volume: the engine named it with 64 hex digits (Docker and Podman alike). */
export function isAnonymousVolume(name: string, labels?: Record<string, string> | null): boolean {
  return HEX64.test(name) || labels?.['com.docker.volume.anonymous'] !== undefined;
}

const BUILTIN_NETWORKS: ReadonlySet<string> = new Set(['bridge', 'host', 'none', 'podman']);

/** Networks the engine makes itself and refuses to remove (Podman's "podman" is shown as "bridge"). */
export function isBuiltinNetwork(name: string): boolean {
  return BUILTIN_NETWORKS.has(name);
}

function containerName(c: RawContainer): string {
  const n = c.Names?.[0] ?? c.Id.slice(0, 12);
  return n.startsWith('/') ? n.slice(1) : n;
}

function isStopped(c: RawContainer): boolean {
  const s = normaliseState(c.State, c.Status);
  return s === 'exited' || s === 'created' || s === 'dead';
}

function isUp(c: RawContainer): boolean {
  const s = normaliseState(c.State, c.Status);
  return s === 'running' || s === 'paused' || s === 'restarting';
}

function seconds(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isFinite(t) && t > 0 ? Math.floor(t / 1000) : undefined;
}

function uniqSorted(list: Iterable<string>): string[] {
  return [...new Set(list)].sort();
}

/** `a`, `a and b`, `a, b and c`. */
export function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Bytes for people: 0 B, 512 B, 1.5 kB, 20.1 MB, 3.2 GB (decimal, as docker system df does). */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB', 'PB'];
  let v = n;
  let u = -1;
  do {
    v /= 1000;
    u++;
  } while (v >= 1000 && u < units.length - 1);
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

function imageIdOf(c: RawContainer): string | undefined {
  return c.ImageID ? normaliseImageId(c.ImageID) : undefined;
}

/** Container names by (normalised) image id. */
function usersByImage(containers: readonly RawContainer[]): Map<string, RawContainer[]> {
  const m = new Map<string, RawContainer[]>();
  for (const c of containers) {
    const id = imageIdOf(c);
    if (!id) continue;
    const l = m.get(id) ?? [];
    l.push(c);
    m.set(id, l);
  }
  return m;
}

function volumeUsers(containers: readonly RawContainer[], name: string): RawContainer[] {
  return containers.filter((c) => (c.Mounts ?? []).some((m) => m.Type === 'volume' && m.Name === name));
}

function networkUsers(containers: readonly RawContainer[], net: { Id: string; Name: string }): RawContainer[] {
  return containers.filter((c) =>
    Object.entries(c.NetworkSettings?.Networks ?? {}).some(([key, v]) => key === net.Name || (!!v?.NetworkID && (v.NetworkID === net.Id || v.NetworkID === net.Name))),
  );
}

/** "a (running)", "b (exited)". */
function describeUsers(users: readonly RawContainer[]): string {
  return listWords(users.map((c) => `${containerName(c)} (${normaliseState(c.State, c.Status)})`));
}

/** Replaces container ids (full or 12-hex short) in an engine message with the containers' names. */
export function nameContainerIds(message: string, containers: readonly { Id: string; Names?: string[] | null }[]): string {
  return message.replace(/\b[0-9a-f]{12,64}\b/g, (hex) => {
    const c = containers.find((x) => x.Id.startsWith(hex));
    return c ? containerName(c as RawContainer) : hex;
  });
}

// ───────────────────────────── errors ─────────────────────────────

export type ResourceErrorReason = 'in-use' | 'builtin' | 'not-found' | 'several-tags' | 'engine';

/** A refusal or failure, in plain words: what is wrong and what to do. */
export class ResourceError extends Error {
  override readonly name = 'ResourceError';
  constructor(
    message: string,
    readonly reason: ResourceErrorReason,
    /** Names of the containers in the way, when that is the reason. */
    readonly containers: string[] = [],
  ) {
    super(message);
  }
}

function statusOf(err: unknown): number | undefined {
  return err && typeof err === 'object' ? (err as { statusCode?: number }).statusCode : undefined;
}

function isNotFound(err: unknown): boolean {
  return statusOf(err) === 404;
}

// ───────────────────────────── lists ─────────────────────────────

export async function listImages(docker: Docker, engineId: string): Promise<ImageRow[]> {
  const a = api(docker);
  const [images, containers] = await Promise.all([a.images(), a.containers()]);
  const users = usersByImage(containers);
  return images.map((i) => {
    const id = normaliseImageId(i.Id);
    const repoTags = cleanRepoTags(i.RepoTags);
    const names = uniqSorted((users.get(id) ?? []).map(containerName));
    const row: ImageRow = {
      key: `${engineId}/${id}`,
      engineId,
      id,
      repoTags,
      dangling: repoTags.length === 0,
      size: Math.max(0, i.Size ?? 0),
      created: i.Created ?? 0,
      containers: (users.get(id) ?? []).length,
      containerNames: names,
      labels: i.Labels ?? {},
    };
    if (i.ParentId) row.parentId = normaliseImageId(i.ParentId);
    return row;
  });
}

export interface ListVolumesOptions {
  /** Ask `/system/df` for sizes (it walks every volume; default true). */
  sizes?: boolean;
  /** How long to wait for the sizes before listing without them. */
  sizeTimeoutMs?: number;
}

export async function listVolumes(docker: Docker, engineId: string, opts: ListVolumesOptions = {}): Promise<VolumeRow[]> {
  const a = api(docker);
  const sizes = opts.sizes !== false ? a.df(opts.sizeTimeoutMs).catch(() => undefined) : Promise.resolve(undefined);
  const [volumes, containers, df] = await Promise.all([a.volumes(), a.containers(), sizes]);
  const usage = new Map((df?.Volumes ?? []).map((v) => [v.Name, v.UsageData]));
  return volumes.map((v) => {
    const row: VolumeRow = {
      key: `${engineId}/${v.Name}`,
      engineId,
      name: v.Name,
      driver: v.Driver ?? '',
      anonymous: isAnonymousVolume(v.Name, v.Labels),
      containers: uniqSorted(volumeUsers(containers, v.Name).map(containerName)),
      mountpoint: v.Mountpoint ?? '',
      labels: v.Labels ?? {},
    };
    const size = usage.get(v.Name)?.Size;
    if (typeof size === 'number' && size >= 0) row.size = size;
    const created = seconds(v.CreatedAt);
    if (created !== undefined) row.created = created;
    return row;
  });
}

export async function listNetworks(docker: Docker, engineId: string): Promise<NetworkRow[]> {
  const a = api(docker);
  const [networks, containers] = await Promise.all([a.networks(), a.containers()]);
  return networks.map((n) => {
    const names = [
      ...Object.values(n.Containers ?? {}).map((c) => c?.Name ?? ''),
      ...networkUsers(containers, n).map(containerName),
    ].filter(Boolean);
    const row: NetworkRow = {
      key: `${engineId}/${n.Id}`,
      engineId,
      id: n.Id,
      name: n.Name,
      driver: n.Driver ?? '',
      scope: n.Scope ?? 'local',
      builtin: isBuiltinNetwork(n.Name),
      containers: uniqSorted(names),
      internal: n.Internal === true,
      labels: n.Labels ?? {},
    };
    const created = seconds(n.Created);
    if (created !== undefined) row.created = created;
    return row;
  });
}

// ───────────────────────────── disk usage ─────────────────────────────

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

function uniqueSize(i: RawImage): number {
  const size = Math.max(0, i.Size ?? 0);
  const shared = i.SharedSize ?? 0;
  return shared > 0 ? Math.max(0, size - shared) : size;
}

export async function diskUsage(docker: Docker, kind: EngineKind): Promise<DiskUsage> {
  const a = api(docker);
  const [df, facts] = await Promise.all([a.df(), engineFacts(docker)]);
  const containers = df.Containers ?? [];
  const usedImages = new Set(containers.map(imageIdOf).filter((x): x is string => !!x));
  const images = df.Images ?? [];
  const imageUsed = (i: RawImage) => usedImages.has(normaliseImageId(i.Id));
  // Docker gives the layers' total; Podman gives 0: add each image's own layers, plus the largest
  // shared part once (the common base most images share).
  const layers = df.LayersSize ?? 0;
  const estimated = !(layers > 0) && images.length > 0;
  const imagesSize = layers > 0 ? layers : images.reduce((s, i) => s + uniqueSize(i), 0) + Math.max(0, ...images.map((i) => i.SharedSize ?? 0));
  const volumes = df.Volumes ?? [];
  const volSize = (v: RawVolume) => Math.max(0, v.UsageData?.Size ?? 0);
  const volUsed = (v: RawVolume) => (v.UsageData?.RefCount ?? 0) > 0 || volumeUsers(containers, v.Name).length > 0;
  const rw = (c: RawContainer) => Math.max(0, c.SizeRw ?? 0);
  const out: DiskUsage = {
    images: {
      count: images.length,
      active: images.filter(imageUsed).length,
      size: imagesSize,
      reclaimable: images.filter((i) => !imageUsed(i)).reduce((s, i) => s + uniqueSize(i), 0),
    },
    containers: {
      count: containers.length,
      active: containers.filter(isUp).length,
      size: containers.reduce((s, c) => s + rw(c), 0),
      reclaimable: containers.filter((c) => !isUp(c)).reduce((s, c) => s + rw(c), 0),
    },
    volumes: {
      count: volumes.length,
      active: volumes.filter(volUsed).length,
      size: volumes.reduce((s, v) => s + volSize(v), 0),
      reclaimable: volumes.filter((v) => !volUsed(v)).reduce((s, v) => s + volSize(v), 0),
    },
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

// ───────────────────────────── removal of one thing ─────────────────────────────

export interface RemoveImageOptions {
  /**
   * Remove it even when it has several tags or stopped containers were created from it: those
   * containers are removed first (both engines alike). A running container always blocks.
   */
  force?: boolean;
}

export interface RemoveImageResult {
  untagged: string[];
  /** True when the image itself was deleted (not only untagged). */
  deleted: boolean;
  /** Stopped containers removed because `force` was given. */
  removedContainers: string[];
}

function looksLikeId(ref: string): boolean {
  return /^(sha256:)?[0-9a-f]{12,64}$/.test(ref);
}

/** A removal the engine refused, in plain words, naming containers where it names their ids. */
function engineRefusal(what: string, err: unknown, containers: readonly RawContainer[]): ResourceError {
  if (isNotFound(err)) return new ResourceError(`${what} no longer exists (removed by someone else?)`, 'not-found');
  const reason = nameContainerIds(rawReason(err).replace(/\s+/g, ' ').trim(), containers);
  if (/in use|being used|is using|used by|active endpoints/i.test(reason)) {
    return new ResourceError(`cannot remove ${what}: it is in use (${reason}). Remove what uses it first.`, 'in-use');
  }
  return new ResourceError(`cannot remove ${what}: ${statusOf(err) ? reason : explainActionError(err)}`, 'engine');
}

/**
 * Removes an image given by id (all its tags, which needs `force` when it has several) or by one
 * of its tags (that tag only; the image goes with its last tag).
 */
export async function removeImage(docker: Docker, ref: string, opts: RemoveImageOptions = {}): Promise<RemoveImageResult> {
  const a = api(docker);
  let image: { Id: string; RepoTags?: string[] | null };
  try {
    image = await a.inspectImage(ref);
  } catch (err) {
    throw engineRefusal(`image ${ref}`, err, []);
  }
  const id = normaliseImageId(image.Id);
  const tags = cleanRepoTags(image.RepoTags);
  const byId = looksLikeId(ref) && !tags.includes(ref);
  const label = byId ? (tags.length ? listWords(tags) : id.replace(/^sha256:/, '').slice(0, 12)) : ref;
  const containers = await a.containers();
  const users = containers.filter((c) => imageIdOf(c) === id);
  const running = users.filter((c) => !isStopped(c));
  const stopped = users.filter(isStopped);
  // Untagging one of several tags leaves the image, and its containers, as they are.
  const untagOnly = !byId && tags.length > 1;
  if (!untagOnly) {
    if (running.length) {
      throw new ResourceError(
        `image ${label} is used by running container${running.length > 1 ? 's' : ''} ${describeUsers(running)}: stop and remove ${running.length > 1 ? 'them' : 'it'} first.`,
        'in-use',
        running.map(containerName),
      );
    }
    if (stopped.length && !opts.force) {
      throw new ResourceError(
        `image ${label} is used by stopped container${stopped.length > 1 ? 's' : ''} ${describeUsers(stopped)}: remove ${stopped.length > 1 ? 'them' : 'it'} first, or remove the image with force (which removes ${stopped.length > 1 ? 'those containers' : 'that container'} too).`,
        'in-use',
        stopped.map(containerName),
      );
    }
    if (byId && tags.length > 1 && !opts.force) {
      throw new ResourceError(`image ${id.replace(/^sha256:/, '').slice(0, 12)} has ${tags.length} tags (${listWords(tags)}): remove one tag, or remove the image with force to delete all of them.`, 'several-tags');
    }
  }
  const result: RemoveImageResult = { untagged: [], deleted: false, removedContainers: [] };
  if (!untagOnly && opts.force) {
    for (const c of stopped) {
      try {
        await docker.getContainer(c.Id).remove();
        result.removedContainers.push(containerName(c));
      } catch (err) {
        if (isNotFound(err)) continue;
        throw new ResourceError(`cannot remove image ${label}: removing its container ${containerName(c)} failed: ${explainActionError(err)}`, 'engine');
      }
    }
  }
  // Never `force` on the engine: Podman's force also deletes containers, running ones included.
  const refs = byId ? (tags.length ? tags : [id]) : [ref];
  for (const r of refs) {
    try {
      await docker.getImage(r).remove();
      if (r !== id) result.untagged.push(r);
    } catch (err) {
      if (isNotFound(err)) continue;
      throw engineRefusal(`image ${label}`, err, containers);
    }
  }
  try {
    const left = await a.inspectImage(id);
    // Untagged but still there: other images are built on it, or it was never tagged.
    if (byId && cleanRepoTags(left.RepoTags).length === 0 && tags.length) {
      try {
        await docker.getImage(id).remove();
        result.deleted = true;
      } catch {
        // Its layers are the base of other images: the engine keeps it, untagged.
      }
    }
  } catch (err) {
    if (isNotFound(err)) result.deleted = true;
    else throw err;
  }
  return result;
}

export async function removeVolume(docker: Docker, name: string): Promise<void> {
  const a = api(docker);
  const containers = await a.containers();
  const users = volumeUsers(containers, name);
  if (users.length) {
    throw new ResourceError(
      `volume ${name} is used by container${users.length > 1 ? 's' : ''} ${describeUsers(users)}: remove ${users.length > 1 ? 'those containers' : 'that container'} first (a stopped container still holds its volumes).`,
      'in-use',
      users.map(containerName),
    );
  }
  try {
    await docker.getVolume(name).remove();
  } catch (err) {
    throw engineRefusal(`volume ${name}`, err, containers);
  }
}

function builtinRefusal(name: string): ResourceError {
  return new ResourceError(`network ${name} is built into the engine and cannot be removed.`, 'builtin');
}

export async function removeNetwork(docker: Docker, idOrName: string): Promise<void> {
  // The built-in networks are refused before asking the engine anything.
  if (isBuiltinNetwork(idOrName)) throw builtinRefusal(idOrName);
  const a = api(docker);
  let net: RawNetwork;
  try {
    net = await a.inspectNetwork(idOrName);
  } catch (err) {
    throw engineRefusal(`network ${idOrName}`, err, []);
  }
  if (isBuiltinNetwork(net.Name)) throw builtinRefusal(net.Name);
  const containers = await a.containers();
  const users = attachedTo(net, containers);
  if (users.length) {
    throw new ResourceError(
      `network ${net.Name} has container${users.length > 1 ? 's' : ''} ${listWords(users)} attached (stopped ones count: they need it to start again): remove ${users.length > 1 ? 'those containers' : 'that container'} or disconnect ${users.length > 1 ? 'them' : 'it'} first.`,
      'in-use',
      users,
    );
  }
  try {
    await docker.getNetwork(net.Id).remove();
  } catch (err) {
    throw engineRefusal(`network ${net.Name}`, err, containers);
  }
}

/** Every container that names the network, in any state (the network's own list and each container's). */
function attachedTo(net: RawNetwork, containers: readonly RawContainer[]): string[] {
  return uniqSorted(
    [...Object.values(net.Containers ?? {}).map((c) => c?.Name ?? ''), ...networkUsers(containers, net).map(containerName)].filter(Boolean),
  );
}

// ───────────────────────────── prune ─────────────────────────────

export type PruneCategory = 'stoppedContainers' | 'danglingImages' | 'allUnusedImages' | 'unusedNetworks' | 'buildCache' | 'unusedVolumes';

export const PRUNE_CATEGORIES: readonly PruneCategory[] = ['stoppedContainers', 'danglingImages', 'allUnusedImages', 'unusedNetworks', 'buildCache', 'unusedVolumes'];

export type PruneItemKind = 'container' | 'image' | 'network' | 'volume' | 'buildCache';

export interface PruneItem {
  /** `<engineId>/<kind>/<id>`. */
  key: string;
  kind: PruneItemKind;
  category: PruneCategory;
  /** Container id, image id, network id, volume name; `build-cache` for the build cache. */
  id: string;
  /** What a person recognises: a container's name, an image's first tag or short id, … */
  name: string;
  /** Bytes removing it frees (an image: its own layers, not those shared with other images). */
  bytes: number;
  /** False when the engine reported no size for it (counted as 0). */
  bytesKnown: boolean;
  /** An image's tags at the preview; the build cache's record ids. */
  refs?: string[];
}

export interface PruneRefusal {
  item: PruneItem;
  reason: string;
}

export interface PrunePreview {
  engineId: string;
  kind: EngineKind;
  choice: PruneCategory[];
  /** Exactly what executing it removes, in the order it is removed. */
  items: PruneItem[];
  /** The sum of the items' bytes. */
  bytes: number;
  /** What was chosen but cannot be pruned on this engine (Podman's build cache). */
  refused: PruneRefusal[];
  /** ms since the epoch. */
  at: number;
}

export interface PruneResult {
  removed: PruneItem[];
  /** Bytes freed by what was removed (for the build cache, the engine's own figure). */
  bytes: number;
  refused: PruneRefusal[];
  /** Removed by someone else between the preview and now: not an error. */
  gone: PruneItem[];
}

const KIND_ORDER: Record<PruneItemKind, number> = { container: 0, image: 1, network: 2, volume: 3, buildCache: 4 };

function item(engineId: string, kind: PruneItemKind, category: PruneCategory, id: string, name: string, bytes: number | undefined): PruneItem {
  const known = typeof bytes === 'number' && bytes >= 0;
  return { key: `${engineId}/${kind}/${id}`, kind, category, id, name, bytes: known ? bytes : 0, bytesKnown: known };
}

export function sumBytes(items: readonly { bytes: number }[]): number {
  return items.reduce((s, i) => s + i.bytes, 0);
}

/**
 * Orders images so that one built on another comes before it (removing the child first is what
 * lets the parent go), keeping the given order otherwise.
 */
export function orderChildrenFirst<T extends { id: string; parentId?: string }>(images: readonly T[]): T[] {
  const byId = new Map(images.map((i) => [i.id, i]));
  const out: T[] = [];
  const done = new Set<string>();
  const visit = (i: T, depth: number) => {
    if (done.has(i.id) || depth > images.length) return;
    // Children (in the set) first.
    for (const c of images) if (c.parentId === i.id && c.id !== i.id) visit(c, depth + 1);
    if (!done.has(i.id)) {
      done.add(i.id);
      out.push(i);
    }
  };
  for (const i of images) if (!i.parentId || !byId.has(i.parentId)) visit(i, 0);
  for (const i of images) visit(i, 0);
  return out;
}

/**
 * The images that removing would really free: unused ones, less those that other kept images are
 * built on (removing their tag would free nothing).
 */
export function prunableImages<T extends { id: string; parentId?: string }>(all: readonly T[], candidate: (i: T) => boolean): T[] {
  const set = new Set(all.filter(candidate).map((i) => i.id));
  for (let changed = true; changed; ) {
    changed = false;
    for (const i of all) {
      if (!set.has(i.id) && i.parentId && set.has(i.parentId)) {
        set.delete(i.parentId);
        changed = true;
      }
    }
  }
  return all.filter((i) => set.has(i.id));
}

function buildCacheItem(engineId: string, records: readonly RawBuildCache[] = []): PruneItem {
  const it = item(engineId, 'buildCache', 'buildCache', 'build-cache', records.length ? `build cache (${records.length} record${records.length > 1 ? 's' : ''})` : 'build cache', sumBytes(records.map((r) => ({ bytes: Math.max(0, r.Size ?? 0) }))));
  if (records.length) it.refs = records.map((r) => r.ID);
  return it;
}

/**
 * What pruning `choice` would remove now, item by item, with the bytes each frees. Containers
 * chosen for removal do not count as users: an image or volume that only stopped containers use
 * is listed when stopped containers are chosen too (they go first).
 */
export async function previewPrune(docker: Docker, engineId: string, kind: EngineKind, choice: readonly PruneCategory[]): Promise<PrunePreview> {
  for (const c of choice) {
    if (!PRUNE_CATEGORIES.includes(c)) throw new Error(`unknown prune choice "${c}": choose from ${PRUNE_CATEGORIES.join(', ')}`);
  }
  const want = new Set(choice);
  const preview: PrunePreview = { engineId, kind, choice: [...want], items: [], bytes: 0, refused: [], at: Date.now() };
  if (want.size === 0) return preview;
  const a = api(docker);
  const wantImages = want.has('danglingImages') || want.has('allUnusedImages');
  const wantDf = wantImages || want.has('unusedVolumes') || (want.has('buildCache') && kind === 'docker');
  const [containers, df] = await Promise.all([a.containers(want.has('stoppedContainers')), wantDf ? a.df() : Promise.resolve(undefined)]);

  const pruned = new Set<string>();
  if (want.has('stoppedContainers')) {
    for (const c of containers.filter(isStopped)) {
      pruned.add(c.Id);
      preview.items.push(item(engineId, 'container', 'stoppedContainers', c.Id, containerName(c), Math.max(0, c.SizeRw ?? 0)));
    }
  }
  const remaining = containers.filter((c) => !pruned.has(c.Id));

  if (wantImages) {
    const used = new Set(remaining.map(imageIdOf).filter((x): x is string => !!x));
    const dfImages = new Map((df?.Images ?? []).map((i) => [normaliseImageId(i.Id), i]));
    const images = (await a.images()).map((i) => {
      const id = normaliseImageId(i.Id);
      const row: { id: string; parentId?: string; tags: string[]; size: number; unique: number | undefined } = {
        id,
        tags: cleanRepoTags(i.RepoTags),
        size: Math.max(0, i.Size ?? 0),
        unique: dfImages.has(id) ? uniqueSize(dfImages.get(id)!) : undefined,
      };
      if (i.ParentId) row.parentId = normaliseImageId(i.ParentId);
      return row;
    });
    const all = want.has('allUnusedImages');
    const chosen = prunableImages(images, (i) => !used.has(i.id) && (all || i.tags.length === 0));
    for (const i of orderChildrenFirst(chosen)) {
      const category: PruneCategory = i.tags.length === 0 && want.has('danglingImages') ? 'danglingImages' : 'allUnusedImages';
      const it = item(engineId, 'image', category, i.id, i.tags[0] ?? i.id.replace(/^sha256:/, '').slice(0, 12), i.unique ?? i.size);
      // Without df's shared sizes the full size is an upper bound, not the bytes freed.
      if (i.unique === undefined) it.bytesKnown = false;
      it.refs = i.tags;
      preview.items.push(it);
    }
  }

  if (want.has('unusedNetworks')) {
    for (const n of await a.networks()) {
      if (isBuiltinNetwork(n.Name) || n.Ingress || (n.Scope && n.Scope !== 'local')) continue;
      // Podman's list names every container on it; Docker's names none: look at the containers too.
      const listed = Object.keys(n.Containers ?? {}).filter((id) => !pruned.has(id));
      if (listed.length || networkUsers(remaining, n).length) continue;
      preview.items.push(item(engineId, 'network', 'unusedNetworks', n.Id, n.Name, 0));
    }
  }

  if (want.has('unusedVolumes')) {
    const usage = new Map((df?.Volumes ?? []).map((v) => [v.Name, v.UsageData]));
    for (const v of await a.volumes()) {
      if (volumeUsers(remaining, v.Name).length) continue;
      // A reference count above what the list shows means users gantry cannot see: keep it.
      const refs = usage.get(v.Name)?.RefCount ?? 0;
      if (refs > volumeUsers(containers, v.Name).length) continue;
      preview.items.push(item(engineId, 'volume', 'unusedVolumes', v.Name, v.Name, usage.get(v.Name)?.Size));
    }
  }

  if (want.has('buildCache')) {
    if (kind === 'podman') {
      preview.refused.push({ item: buildCacheItem(engineId), reason: PODMAN_NO_BUILD_CACHE });
    } else {
      const records = (df?.BuildCache ?? []).filter((r) => !r.InUse && !r.Shared);
      if (records.length) preview.items.push(buildCacheItem(engineId, records));
    }
  }

  preview.items.sort((x, y) => KIND_ORDER[x.kind] - KIND_ORDER[y.kind]);
  preview.bytes = sumBytes(preview.items);
  return preview;
}

function plainRefusal(it: PruneItem, err: unknown, containers: readonly RawContainer[]): string {
  const reason = nameContainerIds(rawReason(err).replace(/\s+/g, ' ').trim(), containers);
  if (it.kind === 'container' && /running|paused|state improper/i.test(reason)) {
    return `${it.name} is running now (it was started after the preview): stop it first if it should go`;
  }
  if (/in use|being used|is using|used by|active endpoints|must force|must be forced/i.test(reason)) {
    return `${it.name} is in use now (${reason})`;
  }
  return statusOf(err) ? reason : explainActionError(err);
}

/**
 * Removes exactly the previewed items, one by one, in order (containers, images, networks,
 * volumes). Never calls the engines' prune endpoints, which would also take whatever became
 * unused after the preview; the build cache is the exception, as no engine removes it by record.
 */
export async function executePrune(docker: Docker, preview: PrunePreview): Promise<PruneResult> {
  const result: PruneResult = { removed: [], bytes: 0, refused: [...preview.refused], gone: [] };
  const items = [...preview.items].sort((x, y) => KIND_ORDER[x.kind] - KIND_ORDER[y.kind]);
  if (items.length === 0) return result;
  const a = api(docker);
  let containers: RawContainer[] = [];
  let listedFor: PruneItemKind | undefined;
  /** A fresh container list when the phase changes: who uses what now, with names for messages. */
  const fresh = async (kind: PruneItemKind) => {
    if (listedFor !== kind) {
      containers = await a.containers();
      listedFor = kind;
    }
    return containers;
  };
  const refuse = (it: PruneItem, reason: string) => result.refused.push({ item: it, reason });
  const removed = (it: PruneItem) => {
    result.removed.push(it);
    result.bytes += it.bytes;
  };

  for (const it of items) {
    try {
      switch (it.kind) {
        case 'container': {
          // Without force: a container started since the preview is refused by the engine.
          await docker.getContainer(it.id).remove();
          removed(it);
          break;
        }
        case 'image': {
          const now = await fresh('image');
          let img: { Id: string; RepoTags?: string[] | null };
          try {
            img = await a.inspectImage(it.id);
          } catch (err) {
            if (isNotFound(err)) {
              result.gone.push(it);
              break;
            }
            throw err;
          }
          const before = new Set(it.refs ?? []);
          const added = cleanRepoTags(img.RepoTags).filter((t) => !before.has(t));
          if (added.length) {
            refuse(it, `${it.name} was tagged ${listWords(added)} after the preview: not removed`);
            break;
          }
          const users = now.filter((c) => imageIdOf(c) === it.id);
          if (users.length) {
            refuse(it, `${it.name} is used by container${users.length > 1 ? 's' : ''} ${describeUsers(users)}, created after the preview: not removed`);
            break;
          }
          const tags = cleanRepoTags(img.RepoTags);
          let asked = 0;
          for (const r of tags.length ? tags : [it.id]) {
            try {
              await docker.getImage(r).remove();
              asked++;
            } catch (err) {
              if (!isNotFound(err)) throw err;
            }
          }
          try {
            await a.inspectImage(it.id);
            refuse(it, `${it.name} was untagged but stays: other images are built on it`);
          } catch (err) {
            if (!isNotFound(err)) throw err;
            if (asked) removed(it);
            else result.gone.push(it);
          }
          break;
        }
        case 'network': {
          const now = await fresh('network');
          let net: RawNetwork;
          try {
            net = await a.inspectNetwork(it.id);
          } catch (err) {
            if (isNotFound(err)) {
              result.gone.push(it);
              break;
            }
            throw err;
          }
          // Podman would remove it even with running containers on it: check first.
          const users = attachedTo(net, now);
          if (users.length) {
            refuse(it, `${it.name} has container${users.length > 1 ? 's' : ''} ${listWords(users)} attached now: not removed`);
            break;
          }
          await docker.getNetwork(it.id).remove();
          removed(it);
          break;
        }
        case 'volume': {
          await docker.getVolume(it.id).remove();
          removed(it);
          break;
        }
        case 'buildCache': {
          if (preview.kind === 'podman') {
            refuse(it, PODMAN_NO_BUILD_CACHE);
            break;
          }
          const r = await a.pruneBuilder();
          const freed = Math.max(0, r.SpaceReclaimed ?? 0);
          const done: PruneItem = { ...it, bytes: freed, bytesKnown: true };
          if (r.CachesDeleted) done.refs = r.CachesDeleted;
          removed(done);
          break;
        }
      }
    } catch (err) {
      if (isNotFound(err)) result.gone.push(it);
      else refuse(it, plainRefusal(it, err, it.kind === 'container' ? [] : containers));
    }
  }
  return result;
}

export const CATEGORY_WORDS: Record<PruneCategory, string> = {
  stoppedContainers: 'stopped containers',
  danglingImages: 'dangling images',
  allUnusedImages: 'unused images',
  unusedNetworks: 'unused networks',
  buildCache: 'build cache',
  unusedVolumes: 'unused volumes',
};

const KIND_WORDS: Record<PruneItemKind, [string, string]> = {
  container: ['container', 'containers'],
  image: ['image', 'images'],
  network: ['network', 'networks'],
  volume: ['volume', 'volumes'],
  buildCache: ['build cache', 'build cache'],
};

function countWords(items: readonly PruneItem[]): string {
  const parts: string[] = [];
  for (const k of Object.keys(KIND_ORDER) as PruneItemKind[]) {
    const n = items.filter((i) => i.kind === k).length;
    if (n) parts.push(k === 'buildCache' ? 'the build cache' : `${n} ${KIND_WORDS[k][n === 1 ? 0 : 1]}`);
  }
  return listWords(parts);
}

/** One line for the confirmation: what would go and what it frees, or that there is nothing to do. */
export function describePreview(p: PrunePreview): string {
  const notes = p.refused.map((r) => r.reason);
  if (p.items.length === 0) {
    if (p.choice.length === 0) return 'Nothing to remove: nothing was chosen to prune.';
    const what = p.choice.filter((c) => !p.refused.some((r) => r.item.category === c)).map((c) => CATEGORY_WORDS[c]);
    return [`Nothing to remove${what.length ? `: no ${listWords(what)} to prune` : ''}.`, ...notes].join(' ');
  }
  const unknown = p.items.some((i) => !i.bytesKnown) ? ' at least' : '';
  return [`Would remove ${countWords(p.items)}, freeing${unknown} ${formatBytes(p.bytes)}.`, ...notes].join(' ');
}

/** One line for the status bar after a prune. */
export function describeResult(r: PruneResult): string {
  if (r.removed.length === 0 && r.refused.length === 0 && r.gone.length === 0) return 'Nothing to remove: nothing was pruned.';
  const parts: string[] = [];
  if (r.removed.length) parts.push(`Removed ${countWords(r.removed)}, freeing ${formatBytes(r.bytes)}.`);
  else parts.push('Nothing was removed.');
  if (r.gone.length) parts.push(`${countWords(r.gone)} had already been removed.`.replace(/^./, (c) => c.toUpperCase()));
  for (const f of r.refused) parts.push(`Not removed: ${f.item.name}: ${f.reason}.`);
  return parts.join(' ');
}
