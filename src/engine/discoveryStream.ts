// Discovery as a stream: every place is tried at once and each engine is handed over the moment it
// answers, so the first engine's list need not wait for the slowest place, for /info, or for the
// session Podman service (started only once every Podman place has failed, and joining when up).
import { realpathSync } from 'node:fs';
import { Engine } from './engine.js';
import { candidateEndpoints, socketPathOf, type Endpoint } from './endpoints.js';
import { placeLabel, worthTrying } from './discoveryPlaces.js';
import { explainConnectError } from './errors.js';
import {
  findOnPath,
  labelFor,
  sameEngine,
  startPodmanService,
  tryEndpoint,
  type Attempt,
  type Connected,
  type DiscoveryOptions,
  type DiscoveryResult,
} from './discovery.js';

export interface StreamListener {
  /** An engine answered and is not one already handed over: it is the caller's to use from now. `rank`: its place's order among those tried. */
  engine?(engine: Engine, rank: number): void;
  /** The places still being tried (how a person knows them), each time that changes. */
  trying?(places: string[]): void;
  /** A place answered or failed, the engine handed over or not (another path to one that was). */
  settled?(attempt: Attempt): void;
}

export interface EngineStream {
  /** Resolves when every place has answered or failed (the session service included). */
  done: Promise<DiscoveryResult>;
  /** Stops what discovery started (the session Podman service, even one still starting; the engines). */
  shutdown(): void;
}

function realSocket(ep: Endpoint): string | undefined {
  const sock = socketPathOf(ep.url);
  try {
    return sock && realpathSync(sock);
  } catch {
    return undefined;
  }
}

/** Tries every place at once; see StreamListener for what is handed over, and when. */
export function streamEngines(opts: DiscoveryOptions, on: StreamListener = {}): EngineStream {
  const env = opts.env;
  const timeoutMs = opts.probeTimeoutMs ?? 3000;
  const candidates = candidateEndpoints(opts, opts.hosts ?? []);
  // By candidate, in their order (the session service's last), whatever order they settle in.
  const attempts: (Attempt | undefined)[] = candidates.map(() => undefined);
  const joined: { c: Connected; engine: Engine; rank: number; rootDir?: Promise<string | undefined> }[] = [];
  const cleanups: (() => void)[] = [];
  const trying = new Map<number, string>();
  let stopped = false;

  const tell = () => on.trying?.([...trying.values()]);
  const settle = (i: number, a: Attempt) => {
    attempts[i] = a;
    on.settled?.(a);
    if (trying.delete(i)) tell();
  };
  const rootDirOf = (j: (typeof joined)[number]) => (j.rootDir ??= Engine.rootDir(j.c.transport.docker, timeoutMs));
  const ids: Record<string, number> = {};

  // Joins are decided one at a time: two paths to one engine must not both join.
  let joins = Promise.resolve();
  const join = (i: number, c: Connected) =>
    (joins = joins.then(async () => {
      const dup = await duplicateOf(c);
      if (stopped || dup) {
        c.transport.close();
        settle(i, { endpoint: c.endpoint, ok: !!dup, detail: dup ? `same engine as ${dup.endpoint.url}` : 'discovery stopped' });
        return;
      }
      const n = (ids[c.probe.kind] = (ids[c.probe.kind] ?? 0) + 1);
      const e = new Engine(n === 1 ? c.probe.kind : `${c.probe.kind}${n}`, c.probe.kind, labelFor(c.endpoint, c.probe.kind, env), c.endpoint.url, c.transport);
      e.version = c.probe.version;
      e.sessionService = c.endpoint.source === 'podman-session';
      joined.push({ c, engine: e, rank: i });
      cleanups.unshift(() => e.close());
      settle(i, { endpoint: c.endpoint, ok: true, detail: `${c.probe.kind} ${c.probe.version}` });
      on.engine?.(e, i);
    }));

  /** The joined engine this one is, by real socket; by root dir (/info) only when one of its kind has joined. */
  async function duplicateOf(c: Connected): Promise<Connected | undefined> {
    const bySocket = joined.find((j) => sameEngine(j.c.probe, c.probe));
    if (bySocket) return bySocket.c;
    const kin = joined.filter((j) => j.c.probe.kind === c.probe.kind && j.c.probe.realSocket);
    if (kin.length === 0 || !c.probe.realSocket) return undefined;
    const mine = await Engine.rootDir(c.transport.docker, timeoutMs);
    if (!mine) return undefined;
    for (const j of kin) if ((await rootDirOf(j)) === mine) return j.c;
    return undefined;
  }

  // Two places that are one socket (a symlink, /var/run and /run): the first given is tried, the
  // other takes its outcome — whichever answered first, the same one joins every time.
  const real = candidates.map((ep) => realSocket(ep));
  const outcomes: Promise<Attempt>[] = [];
  const tryAt = async (i: number, ep: Endpoint): Promise<Attempt> => {
    const first = real[i] === undefined ? i : real.indexOf(real[i]);
    if (first !== i) {
      const a = await outcomes[first]!;
      settle(i, a.ok ? { endpoint: ep, ok: true, detail: `same engine as ${a.endpoint.url}` } : { endpoint: ep, ok: false, detail: a.detail });
      return attempts[i]!;
    }
    const r = await tryEndpoint(ep, env, timeoutMs);
    if (typeof r === 'string') settle(i, { endpoint: ep, ok: false, detail: r });
    else await join(i, r);
    return attempts[i]!;
  };

  const run = async (): Promise<void> => {
    // A place with no socket fails at once: only the others are shown as being tried.
    candidates.forEach((ep, i) => worthTrying(ep) && trying.set(i, placeLabel(ep)));
    candidates.forEach((ep, i) => outcomes.push(tryAt(i, ep)));
    await Promise.all(outcomes);
    await joins;
    const wantService = opts.podmanService !== false && (opts.hosts ?? []).length === 0;
    if (stopped || !wantService || joined.some((j) => j.c.probe.kind === 'podman')) return;
    const podman = findOnPath('podman', env.PATH);
    if (!podman) return;
    const i = attempts.length;
    const place: Endpoint = { url: 'podman system service', source: 'podman-session', why: 'session service' };
    attempts.push(undefined);
    trying.set(i, placeLabel(place));
    tell();
    let stop: (() => void) | undefined;
    const started = await startPodmanService(podman, Math.max(timeoutMs, 8000), (s) => {
      stop = s;
      if (stopped) s();
      else cleanups.push(s);
    });
    if (typeof started === 'string') return settle(i, { endpoint: place, ok: false, detail: explainConnectError(new Error(started), 'podman') });
    if (stopped) return;
    const r = await tryEndpoint(started, env, timeoutMs);
    if (typeof r !== 'string') return join(i, r);
    stop?.();
    settle(i, { endpoint: started, ok: false, detail: r });
  };

  const shutdown = () => {
    stopped = true;
    for (const f of cleanups.splice(0)) {
      try {
        f();
      } catch {
        // best effort at exit
      }
    }
  };
  const done = run().then(() => ({
    // In the order the places were tried, whichever answered first (as the TUI shows them).
    engines: [...joined].sort((a, b) => a.rank - b.rank).map((j) => j.engine),
    attempts: attempts.filter((a): a is Attempt => a !== undefined),
    shutdown,
  }));
  tell();
  return { done, shutdown };
}

/** Every engine that answers, once all places have answered or failed. */
export async function discoverEngines(opts: DiscoveryOptions): Promise<DiscoveryResult> {
  return streamEngines(opts).done;
}
