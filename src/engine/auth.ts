// Registry credentials, read where each engine's own CLI reads them, for the X-Registry-Auth
// header of a pull. Docker: $DOCKER_CONFIG/config.json (else ~/.docker/config.json), its `auths`
// (base64 user:password), `credHelpers` and `credsStore`. Podman: $REGISTRY_AUTH_FILE, else
// $XDG_RUNTIME_DIR/containers/auth.json; then $XDG_CONFIG_HOME/containers/auth.json; then
// Docker's file, as podman does. Credentials never reach a message, a log or the screen: only the
// path of the file they came from does.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DiscoveryEnv } from './endpoints.js';
import type { EngineKind } from './models.js';
import { DOCKER_HUB, DOCKER_HUB_ALIASES, type ImageRef } from './reference.js';

/** What the engines take in X-Registry-Auth. */
export interface RegistryAuth {
  username?: string;
  password?: string;
  identitytoken?: string;
  serveraddress: string;
}

export interface FoundAuth {
  auth: RegistryAuth;
  /** Where it came from: a file path, or `docker-credential-NAME`. */
  source: string;
}

/** The environment, home and (for tests) a file reader, as discovery takes them. */
export interface AuthEnv extends Omit<DiscoveryEnv, 'listDir'> {
  /** Asks a Docker credential helper; default runs `docker-credential-NAME get`. */
  helper?: (name: string, server: string) => Promise<{ Username?: string; Secret?: string } | undefined>;
}

interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
}

interface AuthFileJson {
  auths?: Record<string, AuthEntry>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

const readDisk = (p: string): string | undefined => {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
};

function dockerConfigFile(e: AuthEnv): string {
  return join(e.env.DOCKER_CONFIG || join(e.home, '.docker'), 'config.json');
}

/** The credential files an engine's CLI would read, in order. */
export function authFiles(kind: EngineKind, e: AuthEnv): string[] {
  if (kind === 'docker') return [dockerConfigFile(e)];
  const out: string[] = [];
  if (e.env.REGISTRY_AUTH_FILE) out.push(e.env.REGISTRY_AUTH_FILE);
  else if (e.env.XDG_RUNTIME_DIR) out.push(join(e.env.XDG_RUNTIME_DIR, 'containers', 'auth.json'));
  const xdgConfig = e.env.XDG_CONFIG_HOME && e.env.XDG_CONFIG_HOME.startsWith('/') ? e.env.XDG_CONFIG_HOME : join(e.home, '.config');
  out.push(join(xdgConfig, 'containers', 'auth.json'));
  out.push(dockerConfigFile(e));
  return [...new Set(out)];
}

/** A key of `auths` as a bare host[/path]: scheme and Docker's /v1/ or /v2/ suffix dropped. */
export function normaliseAuthKey(key: string): string {
  let k = key.trim().toLowerCase().replace(/^https?:\/\//, '');
  k = k.replace(/\/v[12]\/?$/, '').replace(/\/+$/, '');
  return DOCKER_HUB_ALIASES.some((a) => a.replace(/^https?:\/\//, '').replace(/\/v1\/$/, '') === k) ? DOCKER_HUB : k;
}

/** Keys to try for a reference, most specific first: host/ns/repo, host/ns, host. */
function candidates(ref: ImageRef): string[] {
  const parts = ref.path.split('/');
  const out: string[] = [];
  for (let i = parts.length; i >= 1; i--) out.push(`${ref.registry}/${parts.slice(0, i).join('/')}`);
  out.push(ref.registry);
  return out;
}

function decodeEntry(entry: AuthEntry, server: string): RegistryAuth | undefined {
  const out: RegistryAuth = { serveraddress: server };
  if (entry.auth) {
    const plain = Buffer.from(entry.auth, 'base64').toString('utf8');
    const i = plain.indexOf(':');
    if (i <= 0) return undefined;
    out.username = plain.slice(0, i);
    out.password = plain.slice(i + 1);
  } else if (entry.username) {
    out.username = entry.username;
    if (entry.password !== undefined) out.password = entry.password;
  }
  if (entry.identitytoken) out.identitytoken = entry.identitytoken;
  return out.username || out.identitytoken ? out : undefined;
}

function serverFor(ref: ImageRef, kind: EngineKind): string {
  // Docker Hub is "https://index.docker.io/v1/" to dockerd; others go by host[:port].
  return ref.registry === DOCKER_HUB && kind === 'docker' ? 'https://index.docker.io/v1/' : ref.registry;
}

function runHelper(name: string, server: string): Promise<{ Username?: string; Secret?: string } | undefined> {
  if (!/^[\w.-]+$/.test(name)) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const child = execFile(`docker-credential-${name}`, ['get'], { timeout: 10_000, maxBuffer: 1 << 20 }, (err, stdout) => {
      if (err) return resolve(undefined);
      try {
        resolve(JSON.parse(stdout) as { Username?: string; Secret?: string });
      } catch {
        resolve(undefined);
      }
    });
    child.stdin?.end(server);
  });
}

async function fromHelper(helper: string, ref: ImageRef, kind: EngineKind, e: AuthEnv): Promise<FoundAuth | undefined> {
  const server = serverFor(ref, kind);
  // Helpers key Docker Hub by its v1 URL, others by host[:port]: what `docker login` stored.
  const got = await (e.helper ?? runHelper)(helper, serverFor(ref, 'docker'));
  if (!got?.Secret) return undefined;
  const auth: RegistryAuth = { serveraddress: server };
  if (got.Username === '<token>') auth.identitytoken = got.Secret;
  else {
    auth.username = got.Username ?? '';
    auth.password = got.Secret;
  }
  return { auth, source: `docker-credential-${helper}` };
}

/** The credentials for a reference, or undefined when none is stored for its registry. */
export async function findAuth(kind: EngineKind, ref: ImageRef, e: AuthEnv): Promise<FoundAuth | undefined> {
  const read = e.readFile ?? readDisk;
  const wanted = candidates(ref);
  for (const file of authFiles(kind, e)) {
    const text = read(file);
    if (!text) continue;
    let json: AuthFileJson;
    try {
      json = JSON.parse(text) as AuthFileJson;
    } catch {
      continue; // a broken file is skipped, as the engines' CLIs do
    }
    const isDockerFile = file === dockerConfigFile(e);
    if (isDockerFile) {
      const helper = Object.entries(json.credHelpers ?? {}).find(([k]) => normaliseAuthKey(k) === ref.registry)?.[1];
      if (helper) return fromHelper(helper, ref, kind, e);
    }
    const entries = Object.entries(json.auths ?? {}).map(([k, v]) => [normaliseAuthKey(k), v] as const);
    for (const key of wanted) {
      const hit = entries.find(([k]) => k === key);
      const auth = hit ? decodeEntry(hit[1], serverFor(ref, kind)) : undefined;
      if (auth) return { auth, source: file };
    }
    if (isDockerFile && json.credsStore) {
      const found = await fromHelper(json.credsStore, ref, kind, e);
      if (found) return found;
    }
  }
  return undefined;
}
