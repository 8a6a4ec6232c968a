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

interface Connected {
  endpoint: Endpoint;
  transport: Transport;
  probe: Probe;
}

async function tryEndpoint(ep: Endpoint, env: Record<string, string | undefined>, timeoutMs: number): Promise<Connected | string> {
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
    const probe = await Engine.probe(transport.docker, ep.url, timeoutMs);
    return { endpoint: ep, transport, probe };
  } catch (e) {
    transport.close();
    return explainConnectError(e, sock ?? ep.url);
  }
}

async function startPodmanService(podman: string, timeoutMs: number): Promise<{ endpoint: Endpoint; child: ChildProcess; dir: string } | string> {
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
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(sock)) {
    if (exited || Date.now() > deadline) {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
      const msg = stderr.trim().split('\n').slice(-2).join(' ') || 'no socket appeared';
      return `podman system service could not start: ${msg}`;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { endpoint: { url, source: 'podman-session', why: 'Podman service started by gantry for this session' }, child, dir };
}

export async function discoverEngines(opts: DiscoveryOptions): Promise<DiscoveryResult> {
  const env = opts.env;
  const timeoutMs = opts.probeTimeoutMs ?? 3000;
  const candidates = candidateEndpoints(opts, opts.hosts ?? []);
  const attempts: Attempt[] = [];
  const connected: Connected[] = [];
  const cleanups: (() => void)[] = [];

  const results = await Promise.all(candidates.map((ep) => tryEndpoint(ep, env, timeoutMs)));
  results.forEach((r, i) => {
    const endpoint = candidates[i]!;
    if (typeof r === 'string') {
      attempts.push({ endpoint, ok: false, detail: r });
      return;
    }
    const dup = connected.find((c) => sameEngine(c.probe, r.probe));
    if (dup) {
      r.transport.close();
      attempts.push({ endpoint, ok: true, detail: `same engine as ${dup.endpoint.url}` });
      return;
    }
    connected.push(r);
    attempts.push({ endpoint, ok: true, detail: `${r.probe.kind} ${r.probe.version}` });
  });

  const wantService = opts.podmanService !== false && (opts.hosts ?? []).length === 0;
  if (wantService && !connected.some((c) => c.probe.kind === 'podman')) {
    const podman = findOnPath('podman', env.PATH);
    if (podman) {
      const started = await startPodmanService(podman, Math.max(timeoutMs, 8000));
      if (typeof started === 'string') {
        attempts.push({ endpoint: { url: 'podman system service', source: 'podman-session', why: 'session service' }, ok: false, detail: explainConnectError(new Error(started), 'podman') });
      } else {
        const stop = () => {
          started.child.kill('SIGTERM');
          rmSync(started.dir, { recursive: true, force: true });
        };
        const r = await tryEndpoint(started.endpoint, env, timeoutMs);
        if (typeof r === 'string') {
          stop();
          attempts.push({ endpoint: started.endpoint, ok: false, detail: r });
        } else {
          cleanups.push(stop);
          connected.push(r);
          attempts.push({ endpoint: started.endpoint, ok: true, detail: `${r.probe.kind} ${r.probe.version}` });
        }
      }
    }
  }

  const counts: Record<string, number> = {};
  const engines = connected.map((c) => {
    const n = (counts[c.probe.kind] = (counts[c.probe.kind] ?? 0) + 1);
    const id = n === 1 ? c.probe.kind : `${c.probe.kind}${n}`;
    const e = new Engine(id, c.probe.kind, labelFor(c.endpoint, c.probe.kind, env), c.endpoint.url, c.transport);
    e.version = c.probe.version;
    e.sessionService = c.endpoint.source === 'podman-session';
    return e;
  });
  for (const e of engines) cleanups.unshift(() => e.close());
  return {
    engines,
    attempts,
    shutdown() {
      for (const f of cleanups.splice(0)) {
        try {
          f();
        } catch {
          // best effort at exit
        }
      }
    },
  };
}

/** The message printed when no engine answers: every place tried, and how to start one. */
export function noEngineMessage(attempts: readonly Attempt[]): string {
  const lines = ['gantry: no container engine is reachable. Tried:'];
  for (const a of attempts) lines.push(`  - ${a.endpoint.url} (${a.endpoint.why}): ${a.detail}`);
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
