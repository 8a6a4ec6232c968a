// The TUI once its code is loaded: the store and the wiring, this machine's engines joining the
// moment each answers (the places still being tried say "connecting…"), remote servers, the screen
// as soon as the UI code is here, then signals and crashes — every way out restores the terminal
// and stops a session Podman service.
import { noEngineMessage, streamEngines, type Attempt, type EngineStream } from '../engine/discovery.js';
import { reportCrash } from '../crash.js';
import type { Args } from '../cli/args.js';
import type { Config } from '../config.js';
import type { Mount } from '../ui/mount.js';
import type { Store } from '../store/store.js';
import type { Action, AppState } from '../store/state.js';
import { trace } from '../trace.js';
import { discoveryOptions, fail } from './bootstrap.js';
import { makeStore, refusedMessage, wire, type Wired } from './wire.js';
import type { Screen } from './screen.js';
import { LOG_REGION } from '../ui/screen.js';
import { serversFor } from './servers.js';
import { startOldGc, type OldGc } from './oldGc.js';
import { whenPresent } from '../actions/whenPresent.js';

/** After the first list, when bin/gantry saves V8's compiled code (a moment of work, once per build). */
const SAVE_CODE_CACHE_MS = 3000;

/** How long the first frame waits, once the UI code is in, for an engine's first list (the splash shows "connecting…" meanwhile). */
const FIRST_LIST_WAIT_MS = 150;

/** Whether any engine (this machine's or a server's) has listed its containers. */
const listed = (s: AppState): boolean => Object.keys(s.loaded).length > 0;

/** Resolves when a list is in the store, when discovery ends with no engine, or after `ms`: one first render with the list rather than two. */
export function firstList(store: Store<AppState, Action>, done: Promise<{ engines: readonly unknown[] }> | undefined, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const cancel = whenPresent(store, listed, resolve, ms, resolve);
    // No engine here answered: nothing to wait for.
    void done?.then((d) => {
      if (d.engines.length > 0) return;
      cancel();
      resolve();
    });
  });
}

export interface SessionStart {
  args: Args;
  config: Config;
  color: boolean;
  /** The terminal: its alternate screen may already show the first frame (src/app/splash.ts). */
  screen: Screen;
  /** The UI code, loading. */
  ui: Promise<{ mount: Mount; ready: Promise<unknown> }>;
}

export async function runSession({ args, config, color, screen, ui }: SessionStart): Promise<void> {
  // Remote servers connect while this machine's engines are discovered.
  const servers = serversFor(args, config, !args.noGpu && config.gpu);
  servers?.set.start();
  const store = makeStore({ args, config, color });
  let wired: Wired | undefined;
  let local: EngineStream | undefined;
  let exiting = false;
  let oldGc: OldGc | undefined;
  const leave = () => {
    oldGc?.stop();
    wired?.stop();
    screen.restore();
    local?.shutdown();
    servers?.set.stop();
  };
  const shutdown = (code: number) => {
    if (exiting) return;
    exiting = true;
    leave();
    process.exit(code);
  };
  // From here on, a signal (during discovery too) stops what discovery started.
  process.on('SIGTERM', () => shutdown(143));
  process.on('SIGHUP', () => shutdown(129));
  process.on('SIGINT', () => shutdown(130));
  const crash = (err: unknown) => {
    leave();
    reportCrash(err);
    process.exit(70);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);

  wired = wire(store, { args, config, color, stage: screen, quit: () => shutdown(0), servers, redraw: () => screen.frames.redrawRegions([LOG_REGION]) });
  const w = wired;
  // This machine's engines (none when it is not among the servers asked for), joining as they answer.
  const failed: Attempt[] = [];
  trace('discovery start');
  local =
    servers && !servers.choice.local
      ? undefined
      : streamEngines(discoveryOptions(args, config), {
          engine: (e, rank) => {
            trace(`engine ${e.id} answered`);
            w.join(e, rank);
          },
          trying: (places) => store.dispatch({ type: 'engines/trying', places }),
          settled: (a) => {
            if (a.ok) return;
            failed.push(a);
            const text = refusedMessage(failed);
            if (text) store.dispatch({ type: 'message', level: 'error', text });
          },
        });
  void local?.done.then(() => trace('discovery done'));
  // No engine at all: the message, on the main screen, whether or not the TUI was drawn yet.
  const noEngine = local?.done.then((d) => (d.engines.length === 0 && !servers ? d.attempts : undefined));
  const giveUp = (attempts: readonly Attempt[]) => {
    if (exiting) return;
    exiting = true;
    leave();
    fail(noEngineMessage(attempts), 1);
  };
  // Places with no socket fail at once: when that is all there is, nothing is drawn.
  const first = await Promise.race([ui.then(() => undefined), noEngine ?? new Promise<undefined>(() => undefined)]);
  if (first) return giveUp(first);
  const { mount, ready } = await ui;
  await ready;
  trace('ui loaded');
  await firstList(store, local?.done, FIRST_LIST_WAIT_MS);
  trace('first list in');
  screen.show(mount, store, w.controller);
  trace('first render');
  // The GPU monitor and usage readings start once a list is on screen (spawning nvidia-smi costs
  // the event loop a moment), or a second after the first frame when no engine has answered yet.
  let started = false;
  const start = () => {
    if (started || exiting) return;
    started = true;
    w.start();
    oldGc = startOldGc();
  };
  setTimeout(start, 1000).unref();
  screen.frames.onFlush = () => {
    if (listed(store.getState())) {
      trace('list painted');
      screen.frames.onFlush = undefined;
      setImmediate(start);
      // By then V8 has compiled what a start runs: bin/gantry keeps it for the next start (once per build).
      const save = (globalThis as Record<symbol, (() => void) | undefined>)[Symbol.for('gantry.saveCodeCache')];
      if (typeof save === 'function') setTimeout(save, SAVE_CODE_CACHE_MS).unref();
    }
  };
  void noEngine?.then((attempts) => attempts && giveUp(attempts));

}
