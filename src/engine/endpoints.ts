// Where engines may listen, in the order DESIGN.md gives. Pure functions over an environment
// snapshot so the rules can be tested without touching the machine.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export type EndpointSource =
  | 'flag'
  | 'DOCKER_HOST'
  | 'context'
  | 'docker-default'
  | 'podman-rootless'
  | 'podman-rootful'
  | 'podman-session';

export interface Endpoint {
  /** unix:///path, tcp://host:port or ssh://user@host */
  url: string;
  source: EndpointSource;
  /** Why this place was tried, for the "tried" list. */
  why: string;
}

export interface DiscoveryEnv {
  env: Record<string, string | undefined>;
  home: string;
  /** Reads a file or returns undefined; injectable for tests. */
  readFile?: (path: string) => string | undefined;
  listDir?: (path: string) => string[];
}

const defaultRead = (p: string): string | undefined => {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
};

const defaultList = (p: string): string[] => {
  try {
    return readdirSync(p);
  } catch {
    return [];
  }
};

/** Normalises a host given by a user: a bare path becomes unix://, host:port becomes tcp://. */
export function normaliseHostUrl(raw: string): string {
  const s = raw.trim();
  if (s.startsWith('/')) return `unix://${s}`;
  if (/^(unix|tcp|ssh|http|https|npipe):\/\//i.test(s)) return s.replace(/^http:\/\//i, 'tcp://');
  if (/^[\w.-]+:\d+$/.test(s)) return `tcp://${s}`;
  return s;
}

/** Validates a host URL; returns a plain-words problem or undefined. */
export function checkHostUrl(url: string): string | undefined {
  const m = /^([a-z]+):\/\/(.*)$/i.exec(url);
  if (!m) return `"${url}" is not an engine address: use unix:///path/to.sock, tcp://host:port or ssh://user@host`;
  const scheme = m[1]!.toLowerCase();
  const rest = m[2] ?? '';
  if (scheme === 'unix') return rest.startsWith('/') ? undefined : `"${url}": a unix socket needs an absolute path, e.g. unix:///var/run/docker.sock`;
  if (scheme === 'tcp' || scheme === 'https') {
    try {
      const u = new URL(`http://${rest}`);
      if (!u.hostname) return `"${url}": no host name`;
      return undefined;
    } catch {
      return `"${url}" is not a valid tcp address: use tcp://host:port`;
    }
  }
  if (scheme === 'ssh') return rest ? undefined : `"${url}": use ssh://user@host`;
  return `"${url}": unsupported scheme "${scheme}" (use unix://, tcp:// or ssh://)`;
}

/** The Docker CLI's current context endpoint, if one other than "default" is selected. */
export function currentContextHost(de: DiscoveryEnv): { name: string; host: string } | undefined {
  const read = de.readFile ?? defaultRead;
  const list = de.listDir ?? defaultList;
  const configDir = de.env.DOCKER_CONFIG || join(de.home, '.docker');
  let name = de.env.DOCKER_CONTEXT;
  if (!name) {
    const raw = read(join(configDir, 'config.json'));
    if (!raw) return undefined;
    try {
      const cfg = JSON.parse(raw) as { currentContext?: unknown };
      if (typeof cfg.currentContext === 'string') name = cfg.currentContext;
    } catch {
      return undefined;
    }
  }
  if (!name || name === 'default') return undefined;
  const metaRoot = join(configDir, 'contexts', 'meta');
  for (const dir of list(metaRoot)) {
    const raw = read(join(metaRoot, dir, 'meta.json'));
    if (!raw) continue;
    try {
      const meta = JSON.parse(raw) as { Name?: string; Endpoints?: { docker?: { Host?: string } } };
      if (meta.Name === name && meta.Endpoints?.docker?.Host) return { name, host: meta.Endpoints.docker.Host };
    } catch {
      // A broken meta file is skipped like a missing one.
    }
  }
  return undefined;
}

/**
 * Every place to try, in order, without duplicates. With `hosts` given, only those.
 */
export function candidateEndpoints(de: DiscoveryEnv, hosts: readonly string[] = []): Endpoint[] {
  const out: Endpoint[] = [];
  const seen = new Set<string>();
  const add = (url: string, source: EndpointSource, why: string) => {
    const n = normaliseHostUrl(url);
    if (seen.has(n)) return;
    seen.add(n);
    out.push({ url: n, source, why });
  };
  if (hosts.length > 0) {
    for (const h of hosts) add(h, 'flag', '--host');
    return out;
  }
  const dh = de.env.DOCKER_HOST;
  if (dh && dh.trim()) add(dh, 'DOCKER_HOST', 'DOCKER_HOST');
  const ctx = currentContextHost(de);
  if (ctx) add(ctx.host, 'context', `docker context "${ctx.name}"`);
  add('unix:///var/run/docker.sock', 'docker-default', 'Docker default socket');
  const xdg = de.env.XDG_RUNTIME_DIR;
  if (xdg) add(`unix://${join(xdg, 'podman', 'podman.sock')}`, 'podman-rootless', 'rootless Podman socket');
  add('unix:///run/podman/podman.sock', 'podman-rootful', 'rootful Podman socket');
  return out;
}

/** A place the user named (--host, DOCKER_HOST, the docker context in use): nothing there is worth saying, unlike at a default place. */
export function namedByUser(ep: Pick<Endpoint, 'source'>): boolean {
  return ep.source === 'flag' || ep.source === 'DOCKER_HOST' || ep.source === 'context';
}

export function socketPathOf(url: string): string | undefined {
  return url.toLowerCase().startsWith('unix://') ? url.slice('unix://'.length) : undefined;
}
