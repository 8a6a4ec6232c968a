// The TUI's start: the config and the terminal checks, then the first frame at once (the places
// being tried, "connecting…"), while the engine code and the UI code load; src/app/session.ts does
// the rest. This module and what it imports are all that every start reads before that frame.
import { hostname } from 'node:os';
import { placesToTry } from '../engine/discoveryPlaces.js';
import { chooseServers } from '../remote/spec.js';
import { noColor } from '../ui/theme.js';
import type { Args } from '../cli/args.js';
import type { Config } from '../config.js';
import { trace } from '../trace.js';
import { beforeFail, discoveryOptions, fail, readConfig } from './bootstrap.js';
import { Screen } from './screen.js';
import { splashFrame } from './splash.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export async function runTui(args: Args): Promise<void> {
  const config = await readConfig(args);
  if (process.env.TERM === 'dumb') {
    fail(
      'gantry: TERM=dumb: this terminal cannot move the cursor or draw in place, which the TUI needs. Run gantry in a terminal that can (xterm, tmux, screen: TERM=xterm-256color), or use `gantry gpus` and the docker or podman CLI in scripts.',
      2,
    );
  }
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    fail('gantry: needs an interactive terminal (stdin and stdout must be a TTY). For scripts, use the docker or podman CLI.', 2);
  }
  // The engine side first (discovery waits for it); Ink, React and Yoga load while engines answer.
  const session = import('./session.js');
  const ui = import('../ui/mount.js');
  ui.catch(() => undefined);
  const color = !noColor();
  const screen = new Screen(color);
  const places = splashPlaces(args, config);
  // Until the session takes the signals over: leave the drawn screen, then go.
  const early = (sig: NodeJS.Signals) => {
    screen.restore();
    process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGHUP' ? 1 : 15));
  };
  for (const s of SIGNALS) process.on(s, early);
  if (places) {
    beforeFail(() => screen.restore());
    screen.enter();
    screen.frames.write(splashFrame(places, process.stdout.columns || 80, color));
    trace('splash');
  }
  const { runSession } = await session;
  trace('engine code loaded');
  // runSession registers its own handlers before it waits for anything.
  for (const s of SIGNALS) process.off(s, early);
  await runSession({ args, config, color, screen, ui });

  // A hook for the end-to-end tests of the crash path: GANTRY_TEST_CRASH_MS=N throws after N ms.
  const crashMs = Number(process.env.GANTRY_TEST_CRASH_MS);
  if (Number.isFinite(crashMs) && crashMs > 0) {
    setTimeout(() => {
      throw new Error('deliberate crash for testing (GANTRY_TEST_CRASH_MS)');
    }, crashMs);
  }
}

/** What the first frame lists (this machine's places, the servers asked for); undefined: draw none (a bad --server is reported first). */
function splashPlaces(args: Args, config: Config): string[] | undefined {
  try {
    const choice = chooseServers(config.servers, args.servers ?? [], hostname());
    const local = !choice.multi || choice.local ? placesToTry(discoveryOptions(args, config)) : [];
    return [...local, ...(choice.multi ? choice.remote.map((r) => r.name) : [])];
  } catch {
    return undefined;
  }
}
