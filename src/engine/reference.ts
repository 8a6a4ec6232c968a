// Image references as `docker pull` reads them: [registry/]path[:tag][@digest], with Docker Hub
// (docker.io, library/ for one-word names) when no registry is named. Pure.

export interface ImageRef {
  /** The registry host[:port]; `docker.io` when none was named. */
  registry: string;
  /** The path inside the registry, e.g. `library/busybox`, `nvidia/pytorch`. */
  path: string;
  tag?: string;
  digest?: string;
  /** What was typed, trimmed. */
  raw: string;
  /** The name without tag or digest, as typed (what Docker's `fromImage` takes). */
  name: string;
}

export const DOCKER_HUB = 'docker.io';
/** The names Docker Hub goes by in credential files. */
export const DOCKER_HUB_ALIASES = ['docker.io', 'index.docker.io', 'registry-1.docker.io', 'https://index.docker.io/v1/'];

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** Parses a reference; a string saying what is wrong when it is not one. */
export function parseImageRef(input: string): ImageRef | string {
  const raw = input.trim();
  if (!raw) return 'no image named: give one such as busybox:latest or nvcr.io/nvidia/pytorch:25.06-py3';
  if (/\s/.test(raw)) return `"${raw}" is not an image reference: it holds a space`;
  let rest = raw;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return `"${raw}": "${digest}" is not a digest (sha256:<64 hex digits>)`;
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return `"${raw}": "${tag}" is not a tag (letters, digits, _ . -, at most 128, not starting with . or -)`;
  }
  const parts = rest.split('/');
  let registry = DOCKER_HUB;
  const first = parts[0] ?? '';
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('['))) {
    if (!HOST.test(first)) return `"${raw}": "${first}" is not a registry address (host or host:port)`;
    registry = first;
    parts.shift();
  }
  if (parts.length === 0 || parts.some((p) => p === '')) return `"${raw}" is not an image reference (an empty path part)`;
  for (const p of parts) {
    if (p !== p.toLowerCase()) return `"${raw}": repository names must be lowercase ("${p}")`;
    if (!COMPONENT.test(p)) return `"${raw}": "${p}" is not a valid repository name part (lowercase letters, digits, . _ -)`;
  }
  if (registry === DOCKER_HUB && parts.length === 1) parts.unshift('library');
  const out: ImageRef = { registry, path: parts.join('/'), raw, name: rest };
  if (tag !== undefined) out.tag = tag;
  if (digest !== undefined) out.digest = digest;
  return out;
}

/** The full reference: registry/path:tag[@digest], `latest` when no tag or digest was given. */
export function fullRef(r: ImageRef): string {
  const tag = r.tag ?? (r.digest ? undefined : 'latest');
  return `${r.registry}/${r.path}${tag ? `:${tag}` : ''}${r.digest ? `@${r.digest}` : ''}`;
}

/** A registry host is loopback (127.0.0.0/8, ::1, localhost): Docker pulls from those over HTTP. */
export function isLoopbackRegistry(registry: string): boolean {
  const host = registry.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Whether `registry` is named in a list of registries (host or host:port; a bare host matches any port). */
export function registryListed(registry: string, list: readonly string[]): boolean {
  const r = registry.toLowerCase();
  return list.some((e) => {
    const x = e.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/+$/, '');
    return x === r || (!/:\d+$/.test(x) && r.replace(/:\d+$/, '') === x);
  });
}
