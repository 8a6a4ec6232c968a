// Finds every engine that answers, connects to each once, and starts a session Podman service
// when Podman is installed but no Podman socket answers.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { Engine, type Probe } from './engine.js';
import { candidateEndpoints, checkHostUrl, socketPathOf, type DiscoveryEnv, type Endpoint } from './endpoints.js';
import { explainConnectError } from './errors.js';
import { openTransport, type Transport } from './transport.js';
import type { EngineKind } from './models.js';

export interface Attempt {
  endpoint: Endpoint;
  ok: boolean;
  /** Plain words for a failure, or what answered. */
  detail: string;
}

export interface DiscoveryResult {
  engines: Engine[];
  attempts: Attempt[];
  /** Stops what discovery started (the session Podman service, ssh tunnels). */
  shutdown(): void;
}

export interface DiscoveryOptions extends DiscoveryEnv {
  hosts?: readonly string[];
  /** Start `podman system service` when podman is installed and no Podman socket answers. */
  podmanService?: boolean;
  probeTimeoutMs?: number;
}

export function findOnPath(bin: string, pathVar: string | undefined): string | undefined {
  for (const dir of (pathVar ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, bin);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

export function labelFor(endpoint: Endpoint, kind: EngineKind, env: Record<string, string | undefined>): string {
  const sock = socketPathOf(endpoint.url);
  if (endpoint.source === 'podman-session') return 'rootless (session)';
  if (kind === 'podman' && sock) {
    if (env.XDG_RUNTIME_DIR && sock.startsWith(env.XDG_RUNTIME_DIR)) return 'rootless';
    if (sock === '/run/podman/podman.sock') return 'rootful';
  }
  return sock ?? endpoint.url;
}

/** True when two probes reach the same engine by two paths. */
export function sameEngine(a: Probe, b: Probe): boolean {
  if (a.realSocket && b.realSocket && a.realSocket === b.realSocket) return true;
  return a.kind === b.kind && !!a.rootDir && a.rootDir === b.rootDir && !!a.realSocket && !!b.realSocket;
}

export interface Connected {
  endpoint: Endpoint;
  transport: Transport;
  probe: Probe;
}

/** Connects to one place and asks what answers there (no /info: see Engine.rootDir); a string says why not. */
export async function tryEndpoint(ep: Endpoint, env: Record<string, string | undefined>, timeoutMs: number): Promise<Connected | string> {
  const bad = checkHostUrl(ep.url);
  if (bad) return bad;
  const sock = socketPathOf(ep.url);
  if (sock && !existsSync(sock)) return explainConnectError({ code: 'ENOENT' }, sock);
  let transport: Transport;
  try {
    transport = await openTransport(ep.url, env, timeoutMs);
  } catch (e) {
    return explainConnectError(e, ep.url);
  }
  try {
    const probe = await Engine.probe(transport.docker, ep.url, timeoutMs, false);
    return { endpoint: ep, transport, probe };
  } catch (e) {
    transport.close();
    return explainConnectError(e, sock ?? ep.url);
  }
}

/**
 * Starts `podman system service` on a socket of its own and waits (up to timeoutMs) for the socket.
 * `own` is given the way to stop it the moment it is spawned, so a signal while it starts stops it.
 */
export async function startPodmanService(podman: string, timeoutMs: number, own: (stop: () => void) => void): Promise<Endpoint | string> {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-podman-'));
  const sock = join(dir, 'podman.sock');
  const url = `unix://${sock}`;
  const child = spawn(podman, ['system', 'service', '--time=0', url], { stdio: ['ignore', 'ignore', 'pipe'], detached: false });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < 4000) stderr += d.toString();
  });
  let exited = false;
  child.once('exit', () => (exited = true));
  child.once('error', () => (exited = true));
  const stop = () => {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  own(stop);
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(sock)) {
    if (exited || Date.now() > deadline) {
      stop();
      const msg = stderr.trim().split('\n').slice(-2).join(' ') || 'no socket appeared';
      return `podman system service could not start: ${msg}`;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url, source: 'podman-session', why: 'Podman service started by gantry for this session' };
}

export { discoverEngines, streamEngines, type EngineStream, type StreamListener } from './discoveryStream.js';

/** An attempt's detail without the place it begins with (its URL, or a socket's path), which the line names already. */
function withoutPlace(detail: string, url: string): string {
  for (const place of [url, socketPathOf(url)]) if (place && detail.startsWith(`${place}: `)) return detail.slice(place.length + 2);
  return detail;
}

/** The message printed when no engine answers: every place tried, and how to start one. */
export function noEngineMessage(attempts: readonly Attempt[]): string {
  const lines = ['gantry: no container engine is reachable. Tried:'];
  for (const a of attempts) lines.push(`  - ${a.endpoint.url} (${a.endpoint.why}): ${withoutPlace(a.detail, a.endpoint.url)}`);
  if (attempts.length === 0) lines.push('  (nothing: no --host given and no default places)');
  lines.push(
    '',
    'Start one of them, then run gantry again:',
    '  Docker:          sudo systemctl start docker   (or: sudo dockerd &)',
    '  rootless Podman: systemctl --user start podman.socket   (or install podman: gantry starts its service itself)',
    '  rootful Podman:  sudo systemctl start podman.socket',
    'Or point gantry at an engine: gantry --host unix:///path/to.sock | tcp://host:2375 | ssh://user@host',
    '`gantry doctor` shows what gantry finds on this machine (engines, Podman service, GPUs, toolkit), one line each.',
  );
  return lines.join('\n');
}

export interface MetEngine {
  probe: Probe;
  /** The Engine for it, under the caller's id, label and shown address. */
  engine(id: string, label: string, shownUrl: string): Engine;
  close(): void;
}

/**
 * Meets the one engine at `url` (a remote server's socket forwarded by ssh, say): what it is, and
 * an Engine for it. Throws in words, naming `where`, when it does not answer.
 */
export async function meetEngine(url: string, where: string, timeoutMs: number): Promise<MetEngine> {
  const transport = await openTransport(url);
  try {
    const probe = await Engine.probe(transport.docker, url, timeoutMs);
    const engine = (id: string, label: string, shownUrl: string) => {
      const e = new Engine(id, probe.kind, label, shownUrl, transport);
      e.version = probe.version;
      return e;
    };
    return { probe, engine, close: () => transport.close() };
  } catch (e) {
    transport.close();
    throw new Error(explainConnectError(e, where), { cause: e });
  }
}
