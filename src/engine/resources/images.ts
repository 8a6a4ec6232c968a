// Images: the list, with the containers created from each, and removal with its refusals.
//
// - `/images/json`: Docker reports `Containers: -1` and `SharedSize: -1` and names an untagged
//   image `<none>:<none>`; Podman gives counts and `RepoTags: null`. Usage is therefore computed
//   from the container list (`ImageID`).
// - Podman's `DELETE /images/{id}?force=true` also deletes the containers that use the image
//   (Docker keeps them); gantry never sends `force` and removes such containers itself, by name.
import type Docker from 'dockerode';
import { explainActionError, isNotFound } from '../errors.js';
import { shortImageId, type ImageRow } from '../models.js';
import { listWords } from '../../text/words.js';
import { api, type Api, type RawContainer } from './raw.js';
import {
  cleanRepoTags,
  containerName,
  describeUsers,
  engineRefusal,
  imageIdOf,
  isStopped,
  normaliseImageId,
  plural,
  ResourceError,
  uniqSorted,
} from './shared.js';

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

/** What a reference names: the image's id and tags, whether it was given by id, and what to call it. */
interface ImageTarget {
  id: string;
  tags: string[];
  byId: boolean;
  label: string;
}

async function resolveImage(a: Api, ref: string): Promise<ImageTarget> {
  let image: { Id: string; RepoTags?: string[] | null };
  try {
    image = await a.inspectImage(ref);
  } catch (err) {
    throw engineRefusal(`image ${ref}`, err, []);
  }
  const id = normaliseImageId(image.Id);
  const tags = cleanRepoTags(image.RepoTags);
  const byId = looksLikeId(ref) && !tags.includes(ref);
  const label = byId ? (tags.length ? listWords(tags) : shortImageId(id)) : ref;
  return { id, tags, byId, label };
}

/** Throws the refusal when containers use the image, or it has several tags and no force. */
function refuseImageRemoval(t: ImageTarget, running: RawContainer[], stopped: RawContainer[], force: boolean): void {
  if (running.length) {
    throw new ResourceError(
      `image ${t.label} is used by running ${plural(running.length, 'container')} ${describeUsers(running)}: stop and remove ${running.length > 1 ? 'them' : 'it'} first.`,
      'in-use',
      running.map(containerName),
    );
  }
  if (stopped.length && !force) {
    throw new ResourceError(
      `image ${t.label} is used by stopped ${plural(stopped.length, 'container')} ${describeUsers(stopped)}: remove ${stopped.length > 1 ? 'them' : 'it'} first, or remove the image with force (which removes ${stopped.length > 1 ? 'those containers' : 'that container'} too).`,
      'in-use',
      stopped.map(containerName),
    );
  }
  if (t.byId && t.tags.length > 1 && !force) {
    throw new ResourceError(`image ${shortImageId(t.id)} has ${t.tags.length} tags (${listWords(t.tags)}): remove one tag, or remove the image with force to delete all of them.`, 'several-tags');
  }
}

/** Removes the stopped containers created from the image (force); returns their names. */
async function removeUsers(a: Api, t: ImageTarget, stopped: RawContainer[]): Promise<string[]> {
  const removed: string[] = [];
  for (const c of stopped) {
    try {
      await a.removeContainer(c.Id);
      removed.push(containerName(c));
    } catch (err) {
      if (isNotFound(err)) continue;
      throw new ResourceError(`cannot remove image ${t.label}: removing its container ${containerName(c)} failed: ${explainActionError(err)}`, 'engine');
    }
  }
  return removed;
}

/** True when the image is gone; deletes it when it was given by id and is left untagged. */
async function deleteIfLeft(a: Api, t: ImageTarget): Promise<boolean> {
  try {
    const left = await a.inspectImage(t.id);
    // Untagged but still there: other images are built on it, or it was never tagged.
    if (t.byId && cleanRepoTags(left.RepoTags).length === 0 && t.tags.length) {
      try {
        await a.removeImage(t.id);
        return true;
      } catch {
        // Its layers are the base of other images: the engine keeps it, untagged.
      }
    }
    return false;
  } catch (err) {
    if (isNotFound(err)) return true;
    throw err;
  }
}

/**
 * Removes an image given by id (all its tags, which needs `force` when it has several) or by one
 * of its tags (that tag only; the image goes with its last tag).
 */
export async function removeImage(docker: Docker, ref: string, opts: RemoveImageOptions = {}): Promise<RemoveImageResult> {
  const a = api(docker);
  const t = await resolveImage(a, ref);
  const containers = await a.containers();
  const users = containers.filter((c) => imageIdOf(c) === t.id);
  const stopped = users.filter(isStopped);
  // Untagging one of several tags leaves the image, and its containers, as they are.
  const untagOnly = !t.byId && t.tags.length > 1;
  if (!untagOnly) refuseImageRemoval(t, users.filter((c) => !isStopped(c)), stopped, opts.force === true);
  const result: RemoveImageResult = { untagged: [], deleted: false, removedContainers: [] };
  if (!untagOnly && opts.force) result.removedContainers = await removeUsers(a, t, stopped);
  // Never `force` on the engine: Podman's force also deletes containers, running ones included.
  const refs = t.byId ? (t.tags.length ? t.tags : [t.id]) : [ref];
  for (const r of refs) {
    try {
      await a.removeImage(r);
      if (r !== t.id) result.untagged.push(r);
    } catch (err) {
      if (isNotFound(err)) continue;
      throw engineRefusal(`image ${t.label}`, err, containers);
    }
  }
  if (await deleteIfLeft(a, t)) result.deleted = true;
  return result;
}
