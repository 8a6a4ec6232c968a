// The TUI from start to exit: config, discovery and the first lists, then the screen and the
// wiring, then signals and crashes — every way out restores the terminal and stops a session
// Podman service.
import { noEngineMessage } from '../engine/discovery.js';
import { noColor } from '../ui/theme.js';
import { reportCrash } from '../crash.js';
import type { Args } from '../cli/args.js';
import { trace } from '../trace.js';
import { discover, fail, readConfig } from './bootstrap.js';
import { firstLists, makeStore, wire, type Wired } from './wire.js';
import { Screen } from './screen.js';
import { localEngines, serversFor } from './servers.js';

export async function runTui(args: Args): Promise<void> {
  const config = readConfig(args);
  if (process.env.TERM === 'dumb') {
    fail(
      'gantry: TERM=dumb: this terminal cannot move the cursor or draw in place, which the TUI needs. Run gantry in a terminal that can (xterm, tmux, screen: TERM=xterm-256color), or use `gantry gpus` and the docker or podman CLI in scripts.',
      2,
    );
  }
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    fail('gantry: needs an interactive terminal (stdin and stdout must be a TTY). For scripts, use the docker or podman CLI.', 2);
  }
  // Ink, React and Yoga load while discovery talks to the engines.
  const ui = import('../ui/mount.js');
  ui.catch(() => undefined);
  // Remote servers connect while this machine's engines are discovered.
  const servers = serversFor(args, config, !args.noGpu && config.gpu);
  servers?.set.start();
  const found = await localEngines(servers, () => discover(args, config));
  const discovery = {
    ...found,
    shutdown() {
      found.shutdown();
      servers?.set.stop();
    },
  };
  if (discovery.engines.length === 0 && !servers) {
    discovery.shutdown();
    fail(noEngineMessage(discovery.attempts), 1);
  }
  const color = !noColor();
  const store = makeStore({ args, config, discovery, color });
  await firstLists(store, discovery.engines);
  const { mount } = await ui;
  trace('list fetched, ui loaded');

  const screen = new Screen(color);
  let wired: Wired | undefined;
  let exiting = false;
  const shutdown = (code: number) => {
    if (exiting) return;
    exiting = true;
    wired?.stop();
    screen.restore();
    discovery.shutdown();
    process.exit(code);
  };
  process.on('SIGTERM', () => shutdown(143));
  process.on('SIGHUP', () => shutdown(129));
  process.on('SIGINT', () => shutdown(130));
  const crash = (err: unknown) => {
    wired?.stop();
    screen.restore();
    discovery.shutdown();
    reportCrash(err);
    process.exit(70);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);

  wired = wire(store, { args, config, discovery, color, stage: screen, quit: () => shutdown(0), servers, redraw: () => screen.frames.redrawRegions() });
  screen.show(mount, store, wired.controller);
  trace('first render');
  screen.frames.onFlush = () => {
    if (Object.keys(store.getState().loaded).length > 0) {
      trace('list painted');
      screen.frames.onFlush = undefined;
    }
  };
  wired.start();

  // A hook for the end-to-end tests of the crash path: GANTRY_TEST_CRASH_MS=N throws after N ms.
  const crashMs = Number(process.env.GANTRY_TEST_CRASH_MS);
  if (Number.isFinite(crashMs) && crashMs > 0) {
    setTimeout(() => {
      throw new Error('deliberate crash for testing (GANTRY_TEST_CRASH_MS)');
    }, crashMs);
  }
}
