// Prune items and previews made by hand, for the unit tests of prune and of its wording.
import { sumBytes, type PruneItem, type PrunePreview } from '../../src/engine/resources/prune.js';

export function item(kind: PruneItem['kind'], id: string, bytes: number, extra: Partial<PruneItem> = {}): PruneItem {
  const category = kind === 'container' ? 'stoppedContainers' : kind === 'image' ? 'danglingImages' : kind === 'volume' ? 'unusedVolumes' : kind === 'network' ? 'unusedNetworks' : 'buildCache';
  return { key: `docker/${kind}/${id}`, kind, category, id, name: id, bytes, bytesKnown: true, ...extra };
}

export function preview(items: PruneItem[], extra: Partial<PrunePreview> = {}): PrunePreview {
  return { engineId: 'docker', kind: 'docker', choice: ['stoppedContainers'], items, bytes: sumBytes(items), refused: [], at: 0, ...extra };
}
