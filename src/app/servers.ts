// What the app does with servers: resolve the configured ones and --server into this machine plus
// remote servers, run `gantry gpus` across them, and wire them into the TUI's store, engines and
// watchers. With no server configured or asked for, none of this runs and gantry is as it was.
import { homedir, hostname } from 'node:os';
import type { Args } from '../cli/args.js';
import type { Config } from '../config.js';
import type { DiscoveryResult } from '../engine/discovery.js';
import type { Engine } from '../engine/engine.js';
import { ServerSet, sshSettings } from '../remote/servers.js';
import { chooseServers, type ServerChoice } from '../remote/spec.js';
import { initialServers, ServerSource } from '../store/serverSource.js';
import { EngineWatcher, type WatchOptions } from '../store/sources.js';
import type { Action, AppState } from '../store/state.js';
import type { Store } from '../store/store.js';
import { fail } from './bootstrap.js';

/** A remote server runs its own nvidia-smi (--nvidia-smi and nvidiaSmi: name this machine's); its entry may say another. */
const REMOTE_NVIDIA_SMI = 'nvidia-smi';

export interface Servers {
  choice: ServerChoice;
  set: ServerSet;
}

/** The servers of this run (undefined: none configured or asked for), or exit 2 saying what is wrong with --server. */
export function serversFor(args: Args, config: Config, gpuLoops: boolean): Servers | undefined {
  try {
    return resolveServers(config, args.servers ?? [], { gpuLoops, home: homedir() });
  } catch (e) {
    fail(`gantry: ${(e as Error).message}`, 2);
  }
}

/** This machine's engines: discovered, or none when it is not among the servers asked for. */
export async function localEngines(s: Servers | undefined, discover: () => Promise<DiscoveryResult>): Promise<DiscoveryResult> {
  if (s && !s.choice.local) return { engines: [], attempts: [], shutdown: () => undefined };
  return discover();
}

/** Undefined when no server is configured or asked for (then gantry is exactly as before). Throws on a bad --server. */
export function resolveServers(
  config: Config,
  flags: readonly string[],
  opts: { gpuLoops: boolean; env?: Record<string, string | undefined>; home: string; backoffMs?: [number, number] },
): Servers | undefined {
  const choice = chooseServers(config.servers, flags, hostname());
  if (!choice.multi) return undefined;
  const setOpts = { ssh: sshSettings(opts.env ?? process.env, config.sshConfig, opts.home), gpuLoops: opts.gpuLoops, gpuIntervalMs: config.gpuIntervalMs, nvidiaSmi: REMOTE_NVIDIA_SMI };
  const set = new ServerSet(choice.remote, opts.backoffMs ? { ...setOpts, backoffMs: opts.backoffMs } : setOpts);
  return { choice, set };
}

/** `gantry gpus` over every chosen server; the exit code: 0 when all answered, 1 when none did, 3 when some did. */
export async function gpusAcrossServers(s: Servers, local: readonly Engine[], nvidiaSmi: string, json: boolean): Promise<number> {
  // The report's code (and execa's, for nvidia-smi) is loaded only by `gantry gpus`, not by the TUI.
  const { buildServersReport, formatServersReport } = await import('../serversReport.js');
  s.set.start();
  const report = await buildServersReport({
    ...(s.choice.local ? { local: { name: s.choice.localName, nvidiaSmi, engines: local } } : {}),
    remote: s.set.servers,
    timeoutMs: 30_000,
  });
  s.set.stop();
  process.stdout.write(json ? JSON.stringify(report, null, 2) + '\n' : formatServersReport(report) + '\n');
  for (const srv of report.servers) if (srv.status === 'unreachable' || srv.status === 'error') process.stderr.write(`gantry: ${srv.message ?? srv.name}\n`);
  return report.status === 'ok' ? 0 : report.status === 'error' ? 1 : 3;
}

/**
 * Puts the servers in the store and starts them: each remote engine is added to `engines` and
 * watched (into `watchers`) the moment its server answers.
 */
export function wireServers(
  s: Servers,
  store: Store<AppState, Action>,
  engines: Map<string, Engine>,
  watchers: Map<string, EngineWatcher>,
  watch: WatchOptions,
): ServerSource {
  const localIds = s.choice.local ? [...engines.keys()] : [];
  store.dispatch({ type: 'servers/set', servers: initialServers(s.choice.local ? { name: s.choice.localName, engineIds: localIds } : undefined, s.set.servers) });
  const source = new ServerSource(s.set.servers, {
    store,
    engines,
    watch: (e, explain) => {
      const w = new EngineWatcher(e, store, { ...watch, explain });
      watchers.set(e.id, w);
      w.start();
    },
  });
  source.start();
  return source;
}
