// The registry of resource kinds, on the actions side: for each kind (images, volumes, networks)
// its words, how a row is named, which rows can never be removed, what the question before a
// removal says and whether it offers force, and the prune categories that cover it. Listing and
// removing are the engine's (src/engine/resources/kinds.ts); columns are the UI's
// (src/ui/panes/resources.tsx). A new kind is one entry in each.
import { displayName, shortImageId, type ImageRow, type NetworkRow, type ResourceKindId, type ResourceRowOf, type VolumeRow } from '../engine/models.js';
import type { PruneCategory } from '../engine/resources/prune.js';
import { decimalBytes } from '../present/bytes.js';

export interface ResourceKind<K extends ResourceKindId> {
  id: K;
  singular: string;
  /** How a person names the row. */
  name(row: ResourceRowOf[K]): string;
  /** Why a row can never be removed (built into the engine), else undefined. */
  refuse?(row: ResourceRowOf[K]): string | undefined;
  /** What the question before removing `rows` says, before the list of names. */
  warn(rows: readonly ResourceRowOf[K][]): string[];
  /** Offer a forced removal (images in use or with several tags). */
  offerForce(rows: readonly ResourceRowOf[K][]): boolean;
  /** The prune categories that remove rows of this kind. */
  prune: readonly PruneCategory[];
}

/** A short list of names: four, then how many more. */
export function someNames(names: readonly string[]): string {
  if (names.length <= 4) return names.join(', ');
  return `${names.slice(0, 4).join(', ')} and ${names.length - 4} more`;
}

const images: ResourceKind<'images'> = {
  id: 'images',
  singular: 'image',
  name: (i: ImageRow) => i.repoTags[0] ?? `<none> ${shortImageId(i.id)}`,
  warn(rows) {
    const out = [`${decimalBytes(rows.reduce((n, r) => n + r.size, 0))} of images (layers shared with other images stay).`];
    const used = rows.filter((r) => r.containers > 0);
    if (used.length) out.push(`In use by ${someNames(used.flatMap((r) => r.containerNames))}: force also removes those containers if they are stopped.`);
    return out;
  },
  offerForce: (rows) => rows.some((r) => r.containers > 0 || r.repoTags.length > 1),
  prune: ['danglingImages', 'allUnusedImages'],
};

const volumes: ResourceKind<'volumes'> = {
  id: 'volumes',
  singular: 'volume',
  name: (v: VolumeRow) => v.name,
  warn(rows) {
    const out = ['The data in them is lost for good.'];
    const used = rows.filter((r) => r.containers.length > 0);
    if (used.length) out.push(`In use by ${someNames(used.flatMap((r) => r.containers))}: the engine refuses those.`);
    return out;
  },
  offerForce: () => false,
  prune: ['unusedVolumes'],
};

const networks: ResourceKind<'networks'> = {
  id: 'networks',
  singular: 'network',
  name: (n: NetworkRow) => n.name,
  refuse: (n) => (n.builtin ? 'built into the engine, cannot be removed' : undefined),
  warn(rows) {
    const used = rows.filter((r) => r.containers.length > 0);
    return used.length ? [`Containers attached: ${someNames(used.flatMap((r) => r.containers))}: those are refused.`] : [];
  },
  offerForce: () => false,
  prune: ['unusedNetworks'],
};

export const KINDS: { readonly [K in ResourceKindId]: ResourceKind<K> } = { images, volumes, networks };

/** A row's name as the status line and the questions say it: engine/name. */
export function rowDisplayName<K extends ResourceKindId>(kind: K, row: ResourceRowOf[K]): string {
  return displayName({ engineId: row.engineId, name: (KINDS[kind] as ResourceKind<K>).name(row) });
}
