// What images, volumes, networks, disk usage and prune share: ids and names normalised, who uses
// what (from the container list, any state), and the plain-words refusal (`ResourceError`).
//
// Podman answers some refusals with HTTP 500 where Docker says 409 (removing a running container;
// an image ID with several tags), so refusals are recognised by what they say, not by the code.
import { explainActionError, httpStatus, isNotFound, rawReason } from '../errors.js';
import { bareName } from '../models.js';
import { normaliseState } from '../status.js';
import { listWords } from '../../text/words.js';
import type { RawContainer, RawImage, RawNetwork } from './raw.js';

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

export function containerName(c: RawContainer): string {
  return bareName(c.Names?.[0] ?? c.Id.slice(0, 12));
}

export function isStopped(c: RawContainer): boolean {
  const s = normaliseState(c.State, c.Status);
  return s === 'exited' || s === 'created' || s === 'dead';
}

export function isUp(c: RawContainer): boolean {
  const s = normaliseState(c.State, c.Status);
  return s === 'running' || s === 'paused' || s === 'restarting';
}

/** An RFC 3339 time as seconds since the epoch; undefined for none or an unreadable one. */
export function seconds(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isFinite(t) && t > 0 ? Math.floor(t / 1000) : undefined;
}

export function uniqSorted(list: Iterable<string>): string[] {
  return [...new Set(list)].sort();
}

export function imageIdOf(c: RawContainer): string | undefined {
  return c.ImageID ? normaliseImageId(c.ImageID) : undefined;
}

/** The bytes an image holds alone: its size less what it shares with other images. */
export function uniqueSize(i: RawImage): number {
  const size = Math.max(0, i.Size ?? 0);
  const shared = i.SharedSize ?? 0;
  return shared > 0 ? Math.max(0, size - shared) : size;
}

export function volumeUsers(containers: readonly RawContainer[], name: string): RawContainer[] {
  return containers.filter((c) => (c.Mounts ?? []).some((m) => m.Type === 'volume' && m.Name === name));
}

export function networkUsers(containers: readonly RawContainer[], net: { Id: string; Name: string }): RawContainer[] {
  return containers.filter((c) =>
    Object.entries(c.NetworkSettings?.Networks ?? {}).some(([key, v]) => key === net.Name || (!!v?.NetworkID && (v.NetworkID === net.Id || v.NetworkID === net.Name))),
  );
}

/** Every container that names the network, in any state (the network's own list and each container's). */
export function attachedTo(net: RawNetwork, containers: readonly RawContainer[]): string[] {
  return uniqSorted(
    [...Object.values(net.Containers ?? {}).map((c) => c?.Name ?? ''), ...networkUsers(containers, net).map(containerName)].filter(Boolean),
  );
}

/** "a (running)", "b (exited)". */
export function describeUsers(users: readonly RawContainer[]): string {
  return listWords(users.map((c) => `${containerName(c)} (${normaliseState(c.State, c.Status)})`));
}

/** `s` when there are several. */
export function plural(n: number, word: string): string {
  return n > 1 ? `${word}s` : word;
}

/** Replaces container ids (full or 12-hex short) in an engine message with the containers' names. */
export function nameContainerIds(message: string, containers: readonly { Id: string; Names?: string[] | null }[]): string {
  return message.replace(/\b[0-9a-f]{12,64}\b/g, (hex) => {
    const c = containers.find((x) => x.Id.startsWith(hex));
    return c ? containerName(c as RawContainer) : hex;
  });
}

/** The engine's reason for a refusal, on one line, with container names for their ids. */
export function engineReason(err: unknown, containers: readonly RawContainer[]): string {
  return nameContainerIds(rawReason(err).replace(/\s+/g, ' ').trim(), containers);
}

/** The engine's words when it answered, else the explained failure (a connection cut, …). */
export function reasonOrExplained(err: unknown, reason: string): string {
  return httpStatus(err) ? reason : explainActionError(err);
}

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

/** A removal the engine refused, in plain words, naming containers where it names their ids. */
export function engineRefusal(what: string, err: unknown, containers: readonly RawContainer[]): ResourceError {
  if (isNotFound(err)) return new ResourceError(`${what} no longer exists (removed by someone else?)`, 'not-found');
  const reason = engineReason(err, containers);
  if (/in use|being used|is using|used by|active endpoints/i.test(reason)) {
    return new ResourceError(`cannot remove ${what}: it is in use (${reason}). Remove what uses it first.`, 'in-use');
  }
  return new ResourceError(`cannot remove ${what}: ${reasonOrExplained(err, reason)}`, 'engine');
}
