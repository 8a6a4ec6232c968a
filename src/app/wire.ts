// Wiring: the store, one watcher per engine, the controllers behind the UI's Controller, and the
// GPU monitor — built in dependency order, started by `start`, stopped by `stop`.
import { homedir, userInfo } from 'node:os';
import type { Config } from '../config.js';
import type { Attempt } from '../engine/discovery.js';
import { namedByUser } from '../engine/endpoints.js';
import type { Engine } from '../engine/engine.js';
import { requestContainerAction, runContainerCommand, type ActionContext } from '../actions/containers.js';
import { EngineWatcher } from '../store/sources.js';
import { engineInfo } from '../store/serverSource.js';
import { createStore, type Store } from '../store/store.js';
import { initialState, reducer, type Action, type AppState } from '../store/state.js';
import { selectedContainer } from '../store/select.js';
import { GpuMonitor, gpuSignature } from '../gpu/monitor.js';
import { attribute } from '../gpu/attribute.js';
import { LogsController } from '../actions/logs.js';
import { logsDir } from '../actions/logSave.js';
import { ResourcesController } from '../actions/resources.js';
import { PruneController } from '../actions/prune.js';
import { InsideController, type Stage } from '../actions/inside.js';
import { PanelController } from '../actions/panel.js';
import { ExecOutputController } from '../actions/execOutput.js';
import { OpenPortController } from '../actions/openPort.js';
import { UsageController } from '../actions/usage.js';
import { GpuController } from '../actions/gpu.js';
import { PullController } from '../actions/pull.js';
import { RunController } from '../actions/run.js';
import type { Controller } from '../ui/controller.js';
import type { Args } from '../cli/args.js';
import { wireServers, type Servers } from './servers.js';

export interface Wired {
  store: Store<AppState, Action>;
  controller: Controller;
  /** An engine of this machine answered: it joins the store, the engines actions use, and is watched at once. `rank` orders this machine's engines in the header and lists (the order their places were tried in), whichever answered first. */
  join(engine: Engine, rank?: number): void;
  /** Starts the GPU monitor, the usage readings and the inspects behind each list (after the first frame with a list). */
  start(): void;
  stop(): void;
}

export interface WireOptions {
  args: Args;
  config: Config;
  color: boolean;
  stage: Stage;
  quit(): void;
  /** Remote servers (undefined: none configured or asked for). */
  servers?: Servers | undefined;
  /** Draws the log panel's lines again without a render (the frame writer's region). */
  redraw?: () => void;
}

/** The store, before any engine has answered (they join as they do: Wired.join). */
export function makeStore(o: Pick<WireOptions, 'args' | 'config' | 'color'>): Store<AppState, Action> {
  const { args, config } = o;
  return createStore(
    reducer,
    initialState({
      readOnly: args.readOnly || config.readOnly,
      showStopped: config.showStopped,
      gpu: !args.noGpu && config.gpu,
      gpuIdleMinutes: config.gpuIdleMinutes,
      logColor: config.logColor && o.color,
    }),
  );
}

/**
 * Places that refused us (permission, UID/GID), and every place the user named that did not work
 * (a stale DOCKER_HOST, a --host typo, a docker context whose engine is stopped) — said with the
 * setting that named it — are worth a line even when other engines answered: that line. A
 * default place with nothing there is normal and says nothing.
 */
export function refusedMessage(attempts: readonly Attempt[]): string | undefined {
  const lines: string[] = [];
  for (const a of attempts) {
    if (a.ok) continue;
    const missing = /no socket there/.test(a.detail);
    if (namedByUser(a.endpoint)) lines.push(missing ? `${a.endpoint.why} names ${a.detail}` : `${a.endpoint.why}: ${a.detail}`);
    else if (!missing) lines.push(a.detail);
  }
  return lines.length > 0 ? lines.join(' · ') : undefined;
}

function gpuMonitor(store: Store<AppState, Action>, args: Args, config: Config): GpuMonitor | undefined {
  if (args.noGpu || !config.gpu) return undefined;
  let last = '';
  return new GpuMonitor({
    binary: args.nvidiaSmi ?? config.nvidiaSmi,
    intervalMs: config.gpuIntervalMs,
    onUpdate: (snap) => {
      // An unchanged sample (an idle server) costs no render: a frame costs far more than a sample.
      const sig = gpuSignature(snap);
      if (sig === last) return;
      last = sig;
      store.dispatch({ type: 'gpu/update', status: snap.status, gpus: snap.gpus, processes: attribute(snap.processes, snap.gpus), at: snap.at || Date.now() });
    },
  });
}

/** The user's name for templates' {user} and $USER (no passwd entry: $USER, else "user"). */
function userName(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER || 'user';
  }
}

export function wire(store: Store<AppState, Action>, o: WireOptions): Wired {
  const { args, config } = o;
  const readOnly = args.readOnly || config.readOnly;
  const engines = new Map<string, Engine>();
  const watchers = new Map<string, EngineWatcher>();
  const watch = { resyncMs: config.resyncSeconds * 1000, gpuGrants: !args.noGpu && config.gpu };
  // Each engine joins `engines` and `watchers` the moment it answers: this machine's (join) and each server's.
  const servers = o.servers && wireServers(o.servers, store, engines, watchers, watch);
  const local = new Map<string, number>();
  let started: () => void = () => undefined;
  const detailsAfter = new Promise<void>((r) => (started = r));
  const join = (e: Engine, rank = local.size) => {
    engines.set(e.id, e);
    local.set(e.id, rank);
    // This machine's engines first, in the order their places were tried; then the servers' (in the order they answered).
    const now = store.getState().engines.filter((x) => x.id !== e.id);
    const mine = [...now.filter((x) => local.has(x.id)), engineInfo(e)].sort((a, b) => local.get(a.id)! - local.get(b.id)!);
    store.dispatch({ type: 'engines/set', engines: [...mine, ...now.filter((x) => !local.has(x.id))] });
    if (o.servers?.choice.local) store.dispatch({ type: 'servers/engine', name: o.servers.choice.localName, engineId: e.id });
    // Discovery pinged it a moment ago: its list is the next request.
    const w = new EngineWatcher(e, store, { ...watch, pinged: true, detailsAfter });
    watchers.set(e.id, w);
    w.start();
  };
  const ctx: ActionContext = { store, engines, confirmStop: config.confirmStop, refresh: (id) => watchers.get(id)?.refresh() };
  const resources = new ResourcesController(store, engines, ctx);
  const prune = new PruneController(store, engines, () => {
    for (const id of engines.keys()) ctx.refresh(id);
    resources.refreshVisible();
  });
  const panel = new PanelController(store, engines);
  const usage = new UsageController(store, engines);
  const gpuActions = new GpuController(store, engines);
  const logs = new LogsController(store, engines, {
    tail: args.tail ?? config.logTail,
    maxLines: config.logLines,
    maxLineBytes: config.logLineMax,
    dir: config.logDir ? logsDir(config.logDir.replace(/^~(?=\/|$)/, homedir())) : '',
    ...(o.redraw ? { redraw: o.redraw } : {}),
  });
  const shell = args.shell ?? config.shell;
  const execOutput = new ExecOutputController(store, engines, { readOnly });
  const ports = new OpenPortController(store, { env: process.env, platform: process.platform, user: userName() });
  const inside = new InsideController(store, engines, o.stage, { ...(shell ? { shell } : {}), readOnly });
  const pull = new PullController(store, engines, { insecureRegistries: config.insecureRegistries, authEnv: { env: process.env, home: homedir() }, loadImages: () => resources.load('images') });
  const run = new RunController(store, engines, {
    templates: { env: process.env, home: homedir(), pwd: process.cwd(), user: userName() },
    attach: (c, o) => inside.attach(c, o),
    refresh: (id) => ctx.refresh(id),
    loadImages: () => void resources.load('images'),
  });
  const gpu = !o.servers || o.servers.choice.local ? gpuMonitor(store, args, config) : undefined;
  const selected = () => selectedContainer(store.getState());
  const controller: Controller = {
    containerKey: (c, action) => requestContainerAction(ctx, c, action),
    confirmed: (key, command) => void (key.startsWith('res:') ? resources.confirmed(command) : key.startsWith('gpu:') ? gpuActions.confirmed() : runContainerCommand(ctx, key, command)),
    quit: o.quit,
    logSession: () => logs.session,
    saveLogs: (whole) => void logs.save(whole),
    resources: {
      remove: (pane) => resources.requestRemove(pane),
      removeMarkedContainers: () => resources.requestRemoveMarkedContainers(),
      openPrune: () => prune.openPrune(),
      bulk: () => resources.requestBulk(),
      previewPrune: () => void prune.preview(),
      executePrune: () => void prune.execute(),
    },
    panelData: () => ({ ...panel.data, exec: execOutput.run(selected()?.key) }),
    exec: (cmd) => void inside.exec(selected(), cmd),
    execOutput: (cmd) => void execOutput.start(selected(), cmd),
    attach: () => void inside.attach(selected()),
    openPort: () => ports.open(selected()),
    killGpuProcess: (row) => gpuActions.requestKill(row),
    pull,
    run,
  };
  // Before the UI subscribes: a typed search is applied before the frame that shows it.
  logs.start();
  resources.start();
  panel.start();
  return {
    store,
    controller,
    join,
    start() {
      started();
      gpu?.start();
      usage.start();
    },
    stop() {
      servers?.stop();
      pull.stop();
      gpu?.stop();
      usage.stop();
      logs.stop();
      resources.stop();
      panel.stop();
      for (const w of watchers.values()) w.stop();
    },
  };
}
