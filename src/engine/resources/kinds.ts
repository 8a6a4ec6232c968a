// One shape for every resource kind on the engine side: how to list its rows and how to remove one
// row (refusals are `ResourceError`s with a reason: in-use, builtin, not-found, several-tags,
// engine). `Engine.listResources` / `Engine.removeResource` call these; the UI's registry of kinds
// adds columns, words and keys on top.
import type Docker from 'dockerode';
import type { ResourceKindId, ResourceRowOf } from '../models.js';
import { listImages, removeImage } from './images.js';
import { listNetworks, removeNetwork } from './networks.js';
import { listVolumes, removeVolume } from './volumes.js';

export interface RemoveOptions {
  /** Images: remove it even when stopped containers were created from it (they go first). */
  force?: boolean;
}

export interface RemoveOutcome {
  /** Stopped containers removed along with it (an image removed with force). */
  removedContainers: string[];
}

export interface EngineResourceKind<K extends ResourceKindId> {
  id: K;
  list(docker: Docker, engineId: string): Promise<ResourceRowOf[K][]>;
  remove(docker: Docker, row: ResourceRowOf[K], opts: RemoveOptions): Promise<RemoveOutcome>;
}

const NOTHING_ELSE: RemoveOutcome = { removedContainers: [] };

export const RESOURCE_KINDS: { readonly [K in ResourceKindId]: EngineResourceKind<K> } = {
  images: {
    id: 'images',
    list: (docker, engineId) => listImages(docker, engineId),
    async remove(docker, row, opts) {
      // Removed by id: every tag goes (the engine needs force for several; the row shows them all).
      const r = await removeImage(docker, row.id, { force: opts.force === true || row.repoTags.length > 1 });
      return { removedContainers: r.removedContainers };
    },
  },
  volumes: {
    id: 'volumes',
    list: (docker, engineId) => listVolumes(docker, engineId),
    async remove(docker, row) {
      await removeVolume(docker, row.name);
      return NOTHING_ELSE;
    },
  },
  networks: {
    id: 'networks',
    list: (docker, engineId) => listNetworks(docker, engineId),
    async remove(docker, row) {
      await removeNetwork(docker, row.id);
      return NOTHING_ELSE;
    },
  },
};
