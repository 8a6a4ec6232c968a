// Prune, second step: removes exactly the previewed items, one by one, in order (containers,
// images, networks, volumes), refusing in plain words what changed since the preview. Never calls
// the engines' prune endpoints, which would also take whatever became unused after the preview;
// the build cache is the exception, as no engine removes it by record.
import type Docker from 'dockerode';
import { isNotFound } from '../errors.js';
import { listWords } from '../../text/words.js';
import { api, type Api, type RawContainer } from './raw.js';
import { PODMAN_NO_BUILD_CACHE } from './disk.js';
import { byKindOrder, type PruneItem, type PruneItemKind, type PrunePreview, type PruneResult } from './prune.js';
import { attachedTo, cleanRepoTags, describeUsers, engineReason, imageIdOf, plural, reasonOrExplained } from './shared.js';

/** One execution: the engine, what it did so far, and the container list of the current phase. */
interface Run {
  a: Api;
  preview: PrunePreview;
  result: PruneResult;
  containers: RawContainer[];
  listedFor?: PruneItemKind;
}

/** A fresh container list when the phase changes: who uses what now, with names for messages. */
async function fresh(run: Run, kind: PruneItemKind): Promise<RawContainer[]> {
  if (run.listedFor !== kind) {
    run.containers = await run.a.containers();
    run.listedFor = kind;
  }
  return run.containers;
}

function refuse(run: Run, it: PruneItem, reason: string): void {
  run.result.refused.push({ item: it, reason });
}

function removed(run: Run, it: PruneItem): void {
  run.result.removed.push(it);
  run.result.bytes += it.bytes;
}

/** `look()`'s answer, or undefined (and the item counted as gone) when it no longer exists. */
async function unlessGone<T>(run: Run, it: PruneItem, look: () => Promise<T>): Promise<T | undefined> {
  try {
    return await look();
  } catch (err) {
    if (!isNotFound(err)) throw err;
    run.result.gone.push(it);
    return undefined;
  }
}

async function pruneImage(run: Run, it: PruneItem): Promise<void> {
  const now = await fresh(run, 'image');
  const img = await unlessGone(run, it, () => run.a.inspectImage(it.id));
  if (!img) return;
  const before = new Set(it.refs ?? []);
  const added = cleanRepoTags(img.RepoTags).filter((t) => !before.has(t));
  if (added.length) return refuse(run, it, `${it.name} was tagged ${listWords(added)} after the preview: not removed`);
  const users = now.filter((c) => imageIdOf(c) === it.id);
  if (users.length) return refuse(run, it, `${it.name} is used by ${plural(users.length, 'container')} ${describeUsers(users)}, created after the preview: not removed`);
  const tags = cleanRepoTags(img.RepoTags);
  let asked = 0;
  for (const r of tags.length ? tags : [it.id]) {
    try {
      await run.a.removeImage(r);
      asked++;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  try {
    await run.a.inspectImage(it.id);
    refuse(run, it, `${it.name} was untagged but stays: other images are built on it`);
  } catch (err) {
    if (!isNotFound(err)) throw err;
    if (asked) removed(run, it);
    else run.result.gone.push(it);
  }
}

async function pruneNetwork(run: Run, it: PruneItem): Promise<void> {
  const now = await fresh(run, 'network');
  const net = await unlessGone(run, it, () => run.a.inspectNetwork(it.id));
  if (!net) return;
  // Podman would remove it even with running containers on it: check first.
  const users = attachedTo(net, now);
  if (users.length) return refuse(run, it, `${it.name} has ${plural(users.length, 'container')} ${listWords(users)} attached now: not removed`);
  await run.a.removeNetwork(it.id);
  removed(run, it);
}

async function pruneBuildCache(run: Run, it: PruneItem): Promise<void> {
  if (run.preview.kind === 'podman') return refuse(run, it, PODMAN_NO_BUILD_CACHE);
  const r = await run.a.pruneBuilder();
  const done: PruneItem = { ...it, bytes: Math.max(0, r.SpaceReclaimed ?? 0), bytesKnown: true };
  if (r.CachesDeleted) done.refs = r.CachesDeleted;
  removed(run, done);
}

async function pruneOne(run: Run, it: PruneItem): Promise<void> {
  switch (it.kind) {
    case 'container':
      // Without force: a container started since the preview is refused by the engine.
      await run.a.removeContainer(it.id);
      return removed(run, it);
    case 'image':
      return pruneImage(run, it);
    case 'network':
      return pruneNetwork(run, it);
    case 'volume':
      await run.a.removeVolume(it.id);
      return removed(run, it);
    case 'buildCache':
      return pruneBuildCache(run, it);
  }
}

function plainRefusal(it: PruneItem, err: unknown, containers: readonly RawContainer[]): string {
  const reason = engineReason(err, containers);
  if (it.kind === 'container' && /running|paused|state improper/i.test(reason)) {
    return `${it.name} is running now (it was started after the preview): stop it first if it should go`;
  }
  if (/in use|being used|is using|used by|active endpoints|must force|must be forced/i.test(reason)) {
    return `${it.name} is in use now (${reason})`;
  }
  return reasonOrExplained(err, reason);
}

/** Removes exactly the previewed items; what changed since is refused or counted as gone. */
export async function executePrune(docker: Docker, preview: PrunePreview): Promise<PruneResult> {
  const result: PruneResult = { removed: [], bytes: 0, refused: [...preview.refused], gone: [] };
  const items = [...preview.items].sort(byKindOrder);
  if (items.length === 0) return result;
  const run: Run = { a: api(docker), preview, result, containers: [] };
  for (const it of items) {
    try {
      await pruneOne(run, it);
    } catch (err) {
      if (isNotFound(err)) result.gone.push(it);
      else refuse(run, it, plainRefusal(it, err, it.kind === 'container' ? [] : run.containers));
    }
  }
  return result;
}
