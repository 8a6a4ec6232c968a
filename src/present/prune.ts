// A prune in words: the categories' names, the confirmation's one-line summary of a preview and
// the status line after it ran.
import { KIND_ORDER, type PruneCategory, type PruneItem, type PruneItemKind, type PrunePreview, type PruneResult } from '../engine/resources/prune.js';
import { listWords } from '../text/words.js';
import { decimalBytes } from './bytes.js';

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
  return [`Would remove ${countWords(p.items)}, freeing${unknown} ${decimalBytes(p.bytes)}.`, ...notes].join(' ');
}

/** One line for the status bar after a prune. */
export function describeResult(r: PruneResult): string {
  if (r.removed.length === 0 && r.refused.length === 0 && r.gone.length === 0) return 'Nothing to remove: nothing was pruned.';
  const parts: string[] = [];
  if (r.removed.length) parts.push(`Removed ${countWords(r.removed)}, freeing ${decimalBytes(r.bytes)}.`);
  else parts.push('Nothing was removed.');
  if (r.gone.length) parts.push(`${countWords(r.gone)} had already been removed.`.replace(/^./, (c) => c.toUpperCase()));
  for (const f of r.refused) parts.push(`Not removed: ${f.item.name}: ${f.reason}.`);
  return parts.join(' ');
}
