// Prune, first step: what pruning the chosen categories would remove now, item by item, with the
// bytes each frees (`previewPrune`). Executing exactly that preview is prune-run.ts.
import type Docker from 'dockerode';
import { shortImageId, type EngineKind } from '../models.js';
import { api, type Api, type RawBuildCache, type RawContainer, type RawDf } from './raw.js';
import { PODMAN_NO_BUILD_CACHE } from './disk.js';
import { cleanRepoTags, containerName, imageIdOf, isBuiltinNetwork, isStopped, networkUsers, normaliseImageId, uniqueSize, volumeUsers } from './shared.js';

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
  /**
   * Keys of the items of the same preview that use it (a stopped container on an image, volume or
   * network; an image built on it): it can go only if they go too.
   */
  users?: string[];
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

/** The order items are removed in: containers free images, images free their parents, … */
export const KIND_ORDER: Record<PruneItemKind, number> = { container: 0, image: 1, network: 2, volume: 3, buildCache: 4 };

export function byKindOrder(x: PruneItem, y: PruneItem): number {
  return KIND_ORDER[x.kind] - KIND_ORDER[y.kind];
}

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

export function buildCacheItem(engineId: string, records: readonly RawBuildCache[] = []): PruneItem {
  const it = item(engineId, 'buildCache', 'buildCache', 'build-cache', records.length ? `build cache (${records.length} record${records.length > 1 ? 's' : ''})` : 'build cache', sumBytes(records.map((r) => ({ bytes: Math.max(0, r.Size ?? 0) }))));
  if (records.length) it.refs = records.map((r) => r.ID);
  return it;
}

/** What the preview looks at: the chosen categories, the containers, df, and who is pruned already. */
interface Scan {
  engineId: string;
  want: Set<PruneCategory>;
  containers: RawContainer[];
  /** Containers that stay (not pruned with this preview): they keep what they use. */
  remaining: RawContainer[];
  pruned: Set<string>;
  df: RawDf | undefined;
}

/** The keys of the pruned containers among `users`. */
function prunedUsers(s: Scan, users: readonly RawContainer[]): string[] {
  return users.filter((c) => s.pruned.has(c.Id)).map((c) => `${s.engineId}/container/${c.Id}`);
}

function withUsers(it: PruneItem, users: readonly string[]): PruneItem {
  if (users.length) it.users = [...new Set(users)];
  return it;
}

async function imageItems(a: Api, s: Scan): Promise<PruneItem[]> {
  const used = new Set(s.remaining.map(imageIdOf).filter((x): x is string => !!x));
  const dfImages = new Map((s.df?.Images ?? []).map((i) => [normaliseImageId(i.Id), i]));
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
  const all = s.want.has('allUnusedImages');
  const chosen = prunableImages(images, (i) => !used.has(i.id) && (all || i.tags.length === 0));
  return orderChildrenFirst(chosen).map((i) => {
    const children = chosen.filter((x) => x.parentId === i.id).map((x) => `${s.engineId}/image/${x.id}`);
    const category: PruneCategory = i.tags.length === 0 && s.want.has('danglingImages') ? 'danglingImages' : 'allUnusedImages';
    const it = item(s.engineId, 'image', category, i.id, i.tags[0] ?? shortImageId(i.id), i.unique ?? i.size);
    // Without df's shared sizes the full size is an upper bound, not the bytes freed.
    if (i.unique === undefined) it.bytesKnown = false;
    it.refs = i.tags;
    return withUsers(it, [...prunedUsers(s, s.containers.filter((c) => imageIdOf(c) === i.id)), ...children]);
  });
}

async function networkItems(a: Api, s: Scan): Promise<PruneItem[]> {
  const out: PruneItem[] = [];
  for (const n of await a.networks()) {
    if (isBuiltinNetwork(n.Name) || n.Ingress || (n.Scope && n.Scope !== 'local')) continue;
    // Podman's list names every container on it; Docker's names none: look at the containers too.
    const listed = Object.keys(n.Containers ?? {}).filter((id) => !s.pruned.has(id));
    if (listed.length || networkUsers(s.remaining, n).length) continue;
    const on = Object.keys(n.Containers ?? {}).map((id) => `${s.engineId}/container/${id}`);
    out.push(withUsers(item(s.engineId, 'network', 'unusedNetworks', n.Id, n.Name, 0), [...on, ...prunedUsers(s, networkUsers(s.containers, n))]));
  }
  return out;
}

async function volumeItems(a: Api, s: Scan): Promise<PruneItem[]> {
  const out: PruneItem[] = [];
  const usage = new Map((s.df?.Volumes ?? []).map((v) => [v.Name, v.UsageData]));
  for (const v of await a.volumes()) {
    if (volumeUsers(s.remaining, v.Name).length) continue;
    // A reference count above what the list shows means users gantry cannot see: keep it.
    const refs = usage.get(v.Name)?.RefCount ?? 0;
    if (refs > volumeUsers(s.containers, v.Name).length) continue;
    out.push(withUsers(item(s.engineId, 'volume', 'unusedVolumes', v.Name, v.Name, usage.get(v.Name)?.Size), prunedUsers(s, volumeUsers(s.containers, v.Name))));
  }
  return out;
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
  const scan: Scan = { engineId, want, containers, remaining: containers.filter((c) => !pruned.has(c.Id)), pruned, df };
  if (wantImages) preview.items.push(...(await imageItems(a, scan)));
  if (want.has('unusedNetworks')) preview.items.push(...(await networkItems(a, scan)));
  if (want.has('unusedVolumes')) preview.items.push(...(await volumeItems(a, scan)));
  if (want.has('buildCache')) {
    if (kind === 'podman') {
      preview.refused.push({ item: buildCacheItem(engineId), reason: PODMAN_NO_BUILD_CACHE });
    } else {
      const records = (df?.BuildCache ?? []).filter((r) => !r.InUse && !r.Shared);
      if (records.length) preview.items.push(buildCacheItem(engineId, records));
    }
  }
  preview.items.sort(byKindOrder);
  preview.bytes = sumBytes(preview.items);
  return preview;
}

export interface Narrowed {
  /** The preview with only the items kept: what executing it removes. */
  preview: PrunePreview;
  /** Items asked for but held back because an item that uses them stays. */
  held: { item: PruneItem; by: PruneItem[] }[];
}

/**
 * A preview with only the items `keep` chooses — and of those, only the ones whose users (in the
 * same preview) go too: an image stays with the stopped container that uses it. The engine
 * executes exactly what the narrowed preview lists.
 */
export function narrowPreview(pv: PrunePreview, keep: (it: PruneItem) => boolean): Narrowed {
  const byKey = new Map(pv.items.map((i) => [i.key, i]));
  const kept = new Set(pv.items.filter(keep).map((i) => i.key));
  const held = new Map<string, PruneItem[]>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const key of kept) {
      const it = byKey.get(key)!;
      const staying = (it.users ?? []).filter((u) => byKey.has(u) && !kept.has(u)).map((u) => byKey.get(u)!);
      if (staying.length === 0) continue;
      kept.delete(key);
      held.set(key, staying);
      changed = true;
    }
  }
  const items = pv.items.filter((i) => kept.has(i.key));
  return { preview: { ...pv, items, bytes: sumBytes(items) }, held: [...held].map(([k, by]) => ({ item: byKey.get(k)!, by })) };
}
