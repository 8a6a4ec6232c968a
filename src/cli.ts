// gantry's entry point: arguments, config, engine discovery, then the TUI.
import { parseArgs } from 'node:util';
import { appendFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { ConfigError, configPath, loadConfig, type Config } from './config.js';
import { discoverEngines, noEngineMessage, type DiscoveryResult } from './engine/discovery.js';
import { checkHostUrl, normaliseHostUrl } from './engine/endpoints.js';
import type { Engine } from './engine/engine.js';
import { requestContainerAction, runContainerCommand, type ActionContext } from './actions/containers.js';
import { EngineWatcher } from './store/sources.js';
import { createStore } from './store/store.js';
import { initialState, reducer } from './store/state.js';
import { noColor } from './ui/theme.js';
import { guardTerminal, writeCrashLog } from './terminal.js';
import { FrameStdout } from './ui/screen.js';
import { GpuMonitor, gpuSignature } from './gpu/monitor.js';
import { attribute } from './gpu/attribute.js';
import { buildReport, formatReport } from './gpuReport.js';
import { LogsController, logsDir } from './actions/logs.js';
import { ResourcesController } from './actions/resources.js';
import { InsideController } from './actions/inside.js';
import { PanelController } from './actions/panel.js';
import { selectedContainer } from './store/state.js';

declare const GANTRY_VERSION: string | undefined;
export const VERSION = typeof GANTRY_VERSION === 'string' ? GANTRY_VERSION : '0.0.0-dev';

export const USAGE = `gantry ${VERSION}: a terminal UI for Docker and Podman on GPU servers

Usage: gantry [options]          the TUI
       gantry gpus [--json]     which container holds which GPU, then exit

Options:
  -H, --host URL        use this engine (unix:///path.sock, tcp://host:port, ssh://user@host);
                        repeat for several. When given, only these are used.
  --read-only           disable every action that changes anything
  --no-podman-service   do not start a Podman API service for the session
  --nvidia-smi PATH     the nvidia-smi to run (default: nvidia-smi on PATH)
  --no-gpu              do not watch GPUs
  --tail N              log lines shown when a log opens (default 200)
  --shell PATH          the shell E runs in a container (default: bash if it has one, else sh)
  --json                with \`gpus\`: print JSON
  --config PATH         read this config file instead of the default
  -h, --help            show this help
  -v, --version         print the version

Engines, when no --host is given: DOCKER_HOST, the current Docker context,
/var/run/docker.sock, $XDG_RUNTIME_DIR/podman/podman.sock, /run/podman/podman.sock;
every one that answers is shown. If podman is installed and no Podman socket answers,
gantry starts \`podman system service\` on a private socket and stops it on exit.

Config: $XDG_CONFIG_HOME/gantry/config.yaml (else ~/.config/gantry/config.yaml), optional:
  hosts: [unix:///run/user/1000/podman/podman.sock]
  readOnly: false
  showStopped: true
  podmanService: true
  resyncSeconds: 10
  gpu: true
  nvidiaSmi: nvidia-smi
  gpuIntervalMs: 1000
  gpuIdleMinutes: 30
  logTail: 200          # lines shown when a log opens
  logLines: 10000       # lines a log panel keeps (the oldest go first)
  logLineMax: 65536     # longer lines are cut with a marker
  logColor: true        # keep the containers' colours (c toggles)
  logDir: ~/.local/state/gantry/logs   # where s / S save logs
  shell: /bin/zsh       # what E runs (default: bash if the container has it, else sh)

Keys: press ? inside gantry. Quit with q or Ctrl-C.`;

interface Args {
  command: 'tui' | 'gpus';
  json: boolean;
  nvidiaSmi?: string;
  tail?: number;
  shell?: string;
  noGpu: boolean;
  hosts: string[];
  readOnly: boolean;
  podmanService: boolean;
  config?: string;
  help: boolean;
  version: boolean;
}

export class UsageError extends Error {}

/** GANTRY_TRACE=FILE appends start-up phase times (ms since the process began) to FILE. */
const traceFile = process.env.GANTRY_TRACE;
export function trace(phase: string): void {
  if (!traceFile) return;
  try {
    appendFileSync(traceFile, `${performance.now().toFixed(1)} ${phase}\n`);
  } catch {
    // tracing must never break gantry
  }
}

export function parseCli(argv: string[]): Args {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        host: { type: 'string', short: 'H', multiple: true },
        'read-only': { type: 'boolean' },
        'no-podman-service': { type: 'boolean' },
        'nvidia-smi': { type: 'string' },
        'no-gpu': { type: 'boolean' },
        tail: { type: 'string' },
        shell: { type: 'string' },
        json: { type: 'boolean' },
        config: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw new UsageError(`${(e as Error).message.replace(/\. To specify.*$/s, '')}\nRun gantry --help for the options.`);
  }
  const v = parsed.values;
  const pos = parsed.positionals;
  if (pos.length > 1 || (pos.length === 1 && pos[0] !== 'gpus'))
    throw new UsageError(`unknown command "${pos.join(' ')}" (the only command is \`gantry gpus\`)\nRun gantry --help for the options.`);
  if (v.json && pos[0] !== 'gpus') throw new UsageError('--json goes with `gantry gpus`');
  const hosts = (v.host ?? []).map(normaliseHostUrl);
  for (const h of hosts) {
    const bad = checkHostUrl(h);
    if (bad) throw new UsageError(`--host ${bad}`);
  }
  const out: Args = {
    command: pos[0] === 'gpus' ? 'gpus' : 'tui',
    json: v.json === true,
    noGpu: v['no-gpu'] === true,
    hosts,
    readOnly: v['read-only'] === true,
    podmanService: v['no-podman-service'] !== true,
    help: v.help === true,
    version: v.version === true,
  };
  if (v.config !== undefined) out.config = v.config;
  if (v['nvidia-smi'] !== undefined) out.nvidiaSmi = v['nvidia-smi'];
  if (v.shell !== undefined) {
    if (!v.shell.trim()) throw new UsageError('--shell needs a program, e.g. --shell /bin/zsh');
    out.shell = v.shell;
  }
  if (v.tail !== undefined) {
    if (!/^\d+$/.test(v.tail) || Number(v.tail) > 1_000_000) throw new UsageError(`--tail takes a number of lines from 0 to 1000000, not "${v.tail}"`);
    out.tail = Number(v.tail);
  }
  return out;
}

function fail(message: string, code: number): never {
  process.stderr.write(message.endsWith('\n') ? message : message + '\n');
  process.exit(code);
}

export async function main(argv: string[]): Promise<void> {
  trace('main');
  let args: Args;
  try {
    args = parseCli(argv);
  } catch (e) {
    fail(`gantry: ${(e as Error).message}`, 2);
  }
  if (args.help) {
    process.stdout.write(USAGE + '\n');
    return;
  }
  if (args.version) {
    process.stdout.write(`gantry ${VERSION}\n`);
    return;
  }
  let config: Config;
  try {
    config = loadConfig(args.config ?? configPath()).config;
  } catch (e) {
    if (e instanceof ConfigError) fail(`gantry: bad config: ${e.message}\nFix or remove that line; gantry does not start on a half-read config.`, 2);
    throw e;
  }
  const gpuOn = !args.noGpu && config.gpu;
  const nvidiaSmi = args.nvidiaSmi ?? config.nvidiaSmi;
  if (args.command === 'tui' && (!process.stdout.isTTY || !process.stdin.isTTY)) {
    fail('gantry: needs an interactive terminal (stdin and stdout must be a TTY). For scripts, use the docker or podman CLI.', 2);
  }
  for (const h of config.hosts) {
    const bad = checkHostUrl(normaliseHostUrl(h));
    if (bad) fail(`gantry: bad config: hosts: ${bad}`, 2);
  }
  const hosts = args.hosts.length > 0 ? args.hosts : config.hosts.map(normaliseHostUrl);

  let discovery: DiscoveryResult | undefined;
  const cleanupDiscovery = () => discovery?.shutdown();
  // Signals during discovery still stop a session Podman service.
  const earlySignal = (sig: NodeJS.Signals) => {
    cleanupDiscovery();
    process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGHUP' ? 1 : 15));
  };
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(s, earlySignal);

  trace('discovery start');
  // Ink, React and Yoga load while discovery talks to the engines.
  const ui = import('./ui/mount.js');
  ui.catch(() => undefined);
  discovery = await discoverEngines({
    env: process.env,
    home: homedir(),
    hosts,
    podmanService: args.podmanService && config.podmanService,
  });
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(s, earlySignal);
  trace('discovery done');

  if (args.command === 'gpus') {
    // Without an engine the report still names GPUs and host processes.
    const report = await buildReport(nvidiaSmi, discovery.engines);
    cleanupDiscovery();
    if (args.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    if (report.status === 'error') {
      process.stderr.write(`gantry: ${report.message}\n`);
      process.exit(1);
    }
    if (!args.json) process.stdout.write(formatReport(report) + '\n');
    if (discovery.engines.length === 0) process.stderr.write('gantry: no container engine answered: processes are shown with their host users only.\n');
    process.exit(0);
  }

  if (discovery.engines.length === 0) {
    cleanupDiscovery();
    fail(noEngineMessage(discovery.attempts), 1);
  }

  const store = createStore(
    reducer,
    initialState({
      readOnly: args.readOnly || config.readOnly,
      showStopped: config.showStopped,
      gpu: gpuOn,
      gpuIdleMinutes: config.gpuIdleMinutes,
      logColor: config.logColor && !noColor(),
    }),
  );
  const engines = new Map<string, Engine>(discovery.engines.map((e) => [e.id, e]));
  store.dispatch({
    type: 'engines/set',
    engines: discovery.engines.map((e) => ({
      id: e.id,
      kind: e.kind,
      label: e.label,
      endpoint: e.url,
      status: 'connecting',
      version: e.version,
      sessionService: e.sessionService,
    })),
  });
  // Places that exist but refused us (permission, UID/GID) are worth a line even when others work.
  const refused = discovery.attempts.filter((a) => !a.ok && !/no socket there/.test(a.detail));
  if (refused.length > 0) store.dispatch({ type: 'message', level: 'error', text: refused.map((a) => a.detail).join(' · ') });

  // The first frame shows the list: fetch it now, while the UI code finishes loading.
  const first = await Promise.race([
    Promise.all(discovery.engines.map((e) => e.listContainers().then((list) => ({ id: e.id, list }), () => undefined))),
    new Promise<undefined>((r) => setTimeout(() => r(undefined), 1500).unref()),
  ]);
  for (const r of first ?? []) {
    if (!r) continue;
    store.dispatch({ type: 'containers/set', engineId: r.id, containers: r.list });
    store.dispatch({ type: 'engine/status', id: r.id, status: 'up' });
  }
  const { mount } = await ui;
  trace('list fetched, ui loaded');

  const watchers = new Map<string, EngineWatcher>();
  for (const e of discovery.engines) {
    const w = new EngineWatcher(e, store, { resyncMs: config.resyncSeconds * 1000, gpuGrants: gpuOn });
    watchers.set(e.id, w);
  }
  const ctx: ActionContext = { store, engines, refresh: (id) => watchers.get(id)?.refresh() };
  const resources = new ResourcesController(store, engines, ctx);
  const panelCtl = new PanelController(store, engines);
  const logs = new LogsController(store, engines, {
    tail: args.tail ?? config.logTail,
    maxLines: config.logLines,
    maxLineBytes: config.logLineMax,
    dir: config.logDir ? logsDir(config.logDir.replace(/^~(?=\/|$)/, homedir())) : '',
  });

  let lastGpuSignature = '';
  const gpuMonitor = gpuOn
    ? new GpuMonitor({
        binary: nvidiaSmi,
        intervalMs: config.gpuIntervalMs,
        onUpdate: (snap) => {
          // An unchanged sample (an idle server) costs no render: a frame costs far more than a sample.
          const sig = gpuSignature(snap);
          if (sig === lastGpuSignature) return;
          lastGpuSignature = sig;
          store.dispatch({ type: 'gpu/update', status: snap.status, gpus: snap.gpus, processes: attribute(snap.processes, snap.gpus), at: snap.at || Date.now() });
        },
      })
    : undefined;

  const term = guardTerminal(process.stdout, process.stdin);
  let exiting = false;
  let instance: { unmount(): void } | undefined;
  const shutdown = (code: number) => {
    if (exiting) return;
    exiting = true;
    gpuMonitor?.stop();
    logs.stop();
    resources.stop();
    panelCtl.stop();
    for (const w of watchers.values()) w.stop();
    try {
      instance?.unmount();
    } catch {
      // unmounting a broken tree must not stop the restore
    }
    term.restore();
    cleanupDiscovery();
    process.exit(code);
  };
  process.on('SIGTERM', () => shutdown(143));
  process.on('SIGHUP', () => shutdown(129));
  process.on('SIGINT', () => shutdown(130));
  const crash = (err: unknown) => {
    gpuMonitor?.stop();
    for (const w of watchers.values()) w.stop();
    term.restore();
    cleanupDiscovery();
    const path = writeCrashLog(err);
    process.stderr.write(`gantry crashed: ${err instanceof Error ? err.message : String(err)}\nThe details are in ${path}\nPlease report it with that file.\n`);
    process.exit(70);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);

  const ui2 = { mount };
  let frames: FrameStdout;
  const appController = () => controller;
  const inside = new InsideController(
    store,
    engines,
    {
      stdin: process.stdin,
      stdout: process.stdout,
      stepAside: () => {
        frames.pause();
        instance?.unmount();
        instance = undefined;
        term.restore();
      },
      comeBack: () => {
        term.enter();
        instance = ui2.mount(store, appController(), frames, !noColor());
        frames.resume();
      },
    },
    { ...(args.shell ?? config.shell ? { shell: args.shell ?? config.shell } : {}), readOnly: args.readOnly || config.readOnly },
  );
  term.enter();
  // Before the UI subscribes: a typed search is applied before the frame that shows it.
  logs.start();
  resources.start();
  panelCtl.start();
  frames = new FrameStdout(process.stdout);
  const controller: Parameters<typeof mount>[1] = {
      containerKey: (c, action) => requestContainerAction(ctx, c, action),
      confirmed: (key, command) => void (key.startsWith('res:') ? resources.confirmed(command) : runContainerCommand(ctx, key, command)),
      quit: () => shutdown(0),
      logSession: () => logs.session,
      saveLogs: (whole) => void logs.save(whole),
      resources: {
        remove: (pane) => resources.requestRemove(pane),
        removeMarkedContainers: () => resources.requestRemoveMarkedContainers(),
        openPrune: () => resources.openPrune(),
        bulk: () => resources.requestBulk(),
        previewPrune: () => void resources.preview(),
        executePrune: () => void resources.execute(),
      },
      panelData: () => panelCtl.data,
      exec: (cmd) => void inside.exec(selectedContainer(store.getState()), cmd),
      attach: () => void inside.attach(selectedContainer(store.getState())),
  };
  instance = mount(store, controller, frames, !noColor());
  trace('first render');
  frames.onFlush = () => {
    const s = store.getState();
    if (Object.keys(s.loaded).length > 0) {
      trace('list painted');
      frames.onFlush = undefined;
    }
  };
  for (const w of watchers.values()) w.start();
  gpuMonitor?.start();

  // A hook for the end-to-end tests of the crash path: GANTRY_TEST_CRASH_MS=N throws after N ms.
  const crashMs = Number(process.env.GANTRY_TEST_CRASH_MS);
  if (Number.isFinite(crashMs) && crashMs > 0) {
    setTimeout(() => {
      throw new Error('deliberate crash for testing (GANTRY_TEST_CRASH_MS)');
    }, crashMs);
  }
}
