// Keeps the store in step with the servers: each server's state as it changes, its engines added
// (to the store, to the engines actions use, and watched) the moment it answers — no server waits
// for another — and its GPU samples, an unchanged one costing no render.
import type { Engine } from '../engine/engine.js';
import { explainConnectError } from '../engine/errors.js';
import type { EngineInfo } from '../engine/models.js';
import { gpuSignature } from '../gpu/monitor.js';
import type { RemoteServer, ServerGpu, ServerStatus } from '../remote/server.js';
import type { WatchOptions } from './sources.js';
import type { ServerEntry } from './servers.js';
import type { Action, AppState } from './state.js';
import type { Store } from './store.js';

export interface ServerSourceWiring {
  store: Store<AppState, Action>;
  /** The engines actions use, by id: a server's engines are added as they appear. */
  engines: Map<string, Engine>;
  /** Starts watching a new engine (an EngineWatcher, as for this machine's engines). */
  watch(engine: Engine, explain: NonNullable<WatchOptions['explain']>): void;
}

export function engineInfo(e: Engine): EngineInfo {
  const info: EngineInfo = { id: e.id, kind: e.kind, label: e.label, endpoint: e.url, status: 'connecting', version: e.version };
  if (e.sessionService) info.sessionService = true;
  return info;
}

/** The entries of the servers slice at start: this machine (connected, its engines known) and the remote ones. */
export function initialServers(local: { name: string; engineIds: string[] } | undefined, remote: readonly RemoteServer[]): ServerEntry[] {
  const now = Date.now();
  const out: ServerEntry[] = [];
  if (local) out.push({ name: local.name, local: true, destination: '', state: 'connected', notes: [], since: now, engineIds: local.engineIds });
  for (const r of remote) out.push({ name: r.name, local: false, destination: r.conn.sshCommand, state: 'connecting', notes: [], since: now, engineIds: [] });
  return out;
}

export class ServerSource {
  private readonly unsubscribe: (() => void)[] = [];
  private readonly gpuSignatures = new Map<string, string>();

  constructor(
    private readonly servers: readonly RemoteServer[],
    private readonly w: ServerSourceWiring,
  ) {}

  /**
   * Subscribes to every server, brings the store up to what each already knows (servers may be
   * started early, while this machine's engines are discovered), and starts those not started.
   * Call after `servers/set`.
   */
  start(): void {
    for (const server of this.servers) {
      const listener = {
        status: (status: ServerStatus) => this.w.store.dispatch({ type: 'servers/status', name: server.name, status }),
        engine: (e: Engine) => this.addEngine(server, e),
        gpu: (gpu: ServerGpu) => {
          const sig = gpu.status.state === 'off' ? 'off' : gpuSignature({ ...gpu, status: gpu.status });
          if (this.gpuSignatures.get(server.name) === sig) return;
          this.gpuSignatures.set(server.name, sig);
          this.w.store.dispatch({ type: 'servers/gpu', name: server.name, gpu });
        },
      };
      this.unsubscribe.push(server.subscribe(listener));
      listener.status(server.status);
      for (const e of server.engines) listener.engine(e);
      if (server.gpu.at > 0 || server.gpu.status.state !== 'starting') listener.gpu(server.gpu);
      server.start();
    }
  }

  stop(): void {
    for (const u of this.unsubscribe.splice(0)) u();
  }

  private addEngine(server: RemoteServer, e: Engine): void {
    const { store, engines } = this.w;
    engines.set(e.id, e);
    const list = store.getState().engines.filter((x) => x.id !== e.id);
    store.dispatch({ type: 'engines/set', engines: [...list, engineInfo(e)] });
    store.dispatch({ type: 'servers/engine', name: server.name, engineId: e.id });
    this.w.watch(e, (err) => {
      const s = server.status;
      if (s.state !== 'connected') return s.reason ?? `${server.name}: connecting…`;
      return `${server.name}: ${explainConnectError(err, e.label)}`;
    });
  }
}
