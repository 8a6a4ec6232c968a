// The frame costs `npm run bench` prints (part "frames"): the real App, store, log session and
// frame writer in this process, drawing a 160×45 screen of 30 containers with the GPU strip and
// the log panel following, into a terminal that only counts bytes. Each figure is the CPU time
// (and wall time) from the change to the frame written: a new log line, a GPU sample, moving the
// selection, a full redraw (a resize, every row drawn cold). No engine is needed.
import { EventEmitter } from 'node:events';
import { createStore } from '../src/store/store.js';
import { initialState, reducer, type Action, type AppState } from '../src/store/state.js';
import { LogSession } from '../src/store/logs.js';
import type { Container } from '../src/engine/models.js';
import type { Controller } from '../src/ui/controller.js';
import { FrameStdout, LOG_REGION } from '../src/ui/screen.js';
import { mount, ready } from '../src/ui/mount.js';
import { forgetFrames } from '../src/ui/ink/output.js';
import { tickClocks } from '../src/ui/clock.js';

export interface FrameCost {
  /** Mean CPU time of the process per frame (user + system), ms. */
  cpuMs: number;
  wallP50Ms: number;
  wallP95Ms: number;
  /** Bytes written to the terminal per frame. */
  bytes: number;
}

export interface FrameCosts {
  cols: number;
  rows: number;
  logLine: FrameCost;
  /** A GPU sample whose values changed (nvidia-smi's loop, once a second). */
  gpu: FrameCost;
  move: FrameCost;
  /** A read of the clock: the ages of the two containers started seconds ago change. */
  tick: FrameCost;
  full: FrameCost;
}

class FakeTerminal extends EventEmitter {
  bytes = 0;
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write(s: string): boolean {
    this.bytes += s.length;
    return true;
  }
}

/** Enough of a TTY stdin for Ink: raw mode, readable events, and keys typed into it. */
class FakeStdin extends EventEmitter {
  isTTY = true;
  private queued: string[] = [];
  setRawMode(): this {
    return this;
  }
  setEncoding(): this {
    return this;
  }
  read(): string | null {
    return this.queued.shift() ?? null;
  }
  /** A key as the terminal sends it: Ink reads it and hands it to gantry's key handling. */
  type(s: string): void {
    this.queued.push(s);
    this.emit('readable');
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
  resume(): this {
    return this;
  }
  pause(): this {
    return this;
  }
}

const NOW = Date.now();

function containers(): Container[] {
  return Array.from({ length: 30 }, (_, i) => {
    const running = i < 20;
    const name = `bench-${running ? 'run' : 'exit'}-${String(i).padStart(2, '0')}`;
    return {
      key: `docker/${name}-id`,
      engineId: 'docker',
      id: `${name}-id`,
      name,
      image: 'busybox:latest',
      state: running ? 'running' : 'exited',
      status: running ? 'Up 5 minutes' : 'Exited (0) 4 minutes ago',
      ...(running ? {} : { exitCode: 0 }),
      created: Math.floor(NOW / 1000) - 600,
      // Two were started seconds ago: their ages count up each second.
      since: i < 2 ? NOW - 5_000 : NOW - 300_000,
      ports: [],
      command: 'sh -c …',
      labels: {},
    };
  });
}

function gpus(tick = 0): Action {
  return {
    type: 'gpu/update',
    status: { state: 'ok' },
    gpus: [0, 1, 2, 3].map((index) => ({
      index,
      uuid: `GPU-${index}`,
      name: 'NVIDIA RTX 6000 Ada Generation',
      memoryTotalMiB: 49140,
      memoryUsedMiB: 1000 * (index + 1) + (tick % 7) * 64,
      utilizationPct: (index * 10 + tick) % 100,
      temperatureC: 30 + index,
      powerW: 60,
      powerLimitW: 300,
      migEnabled: false,
    })),
    processes: [],
    at: NOW,
  } as Action;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pct(xs: number[], p: number): number {
  const a = [...xs].sort((x, y) => x - y);
  return a[Math.min(a.length - 1, Math.floor((p / 100) * a.length))] ?? NaN;
}

export async function frameCosts(cols = 160, rows = 45, n = Number(process.env.BENCH_FRAMES ?? 200)): Promise<FrameCosts> {
  const store = createStore<AppState, Action>(reducer, initialState({ gpu: true, logColor: true }));
  store.dispatch({ type: 'engines/set', engines: [{ id: 'docker', kind: 'docker', label: '/var/run/docker.sock', endpoint: 'unix:///var/run/docker.sock', status: 'up' }] });
  store.dispatch({ type: 'containers/set', engineId: 'docker', containers: containers() });
  store.dispatch(gpus());
  const session = new LogSession('docker/bench-run-00-id', 'docker/bench-run-00');
  session.setState('live', 'following');
  let step = 1_700_000_000;
  const line = () => ({ stream: 'stdout' as const, text: `step ${step++} loss 0.42`, ts: new Date().toISOString() });
  for (let i = 0; i < 200; i++) session.append([line()]);
  const controller: Controller = { containerKey() {}, confirmed() {}, quit() {}, logSession: () => session };
  const term = new FakeTerminal(cols, rows);
  const frames = new FrameStdout(term);
  let flushed: (() => void) | undefined;
  frames.onFlush = () => flushed?.();
  const nextFlush = () => new Promise<void>((r) => (flushed = r));
  const first = nextFlush();
  const stdin = new FakeStdin();
  // Yoga's WebAssembly (the bundle loads it without a top-level await, as dist/ does).
  await ready;
  const app = mount(store, controller, frames, true, stdin as unknown as NodeJS.ReadStream);
  await first;
  await sleep(50);

  const measure = async (change: () => void): Promise<FrameCost> => {
    const wall: number[] = [];
    let cpu = 0;
    const b0 = term.bytes;
    for (let i = 0; i < n; i++) {
      const done = nextFlush();
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      change();
      await done;
      const t1 = performance.now();
      const c = process.cpuUsage(c0);
      wall.push(t1 - t0);
      cpu += (c.user + c.system) / 1000;
      // Let timers and GC run between frames, as between a person's keys.
      await sleep(2);
    }
    return { cpuMs: cpu / n, wallP50Ms: pct(wall, 50), wallP95Ms: pct(wall, 95), bytes: (term.bytes - b0) / n };
  };

  const logLine = await measure(() => {
    session.append([line()]);
    // What LogsController does when lines arrive with the panel on screen (its redraw option: the log region alone).
    frames.redrawRegions([LOG_REGION]);
  });
  let tick = 0;
  // As the GPU loop's sample lands: the strip's values change. Not a key, so it is paced (drawn at
  // the end of a 50 ms window, by a timer that does not keep the process alive: this one does).
  const alive = setInterval(() => undefined, 1000);
  const gpu = await measure(() => store.dispatch(gpus(++tick)));
  clearInterval(alive);
  let k = 0;
  // Typed, as a person's key: through Ink's input and gantry's key handling (drawn at once, not paced).
  const move = await measure(() => stdin.type(k++ % 20 < 10 ? 'j' : 'k'));
  let second = 0;
  // Their ages stay under a minute (`up 6s` … `up 54s`, then again), so each second changes them.
  const clock = await measure(() => tickClocks(NOW + (1 + (second++ % 50)) * 1000));
  // A resize: every row drawn again, none of them kept from an earlier frame.
  const full = await measure(() => {
    forgetFrames();
    term.emit('resize');
  });
  app.unmount();
  frames.dispose();
  return { cols, rows, logLine, gpu, move, tick: clock, full };
}

/** The table of frame costs, beside the goal. */
export function frameTable(f: FrameCosts): string[] {
  const row = (name: string, c: FrameCost, goal: string) =>
    `| ${name} | ${c.cpuMs.toFixed(2)} ms | ${c.wallP50Ms.toFixed(2)} / ${c.wallP95Ms.toFixed(2)} ms | ${Math.round(c.bytes)} B | ${goal} |`;
  return [
    `Frame cost at ${f.cols}×${f.rows} (30 containers, GPU strip, log panel following; no engine; mean CPU per frame):`,
    '| frame | CPU | wall p50 / p95 | bytes out | goal |',
    '| --- | --- | --- | --- | --- |',
    row('a new log line', f.logLine, '≤ 3 ms'),
    row('a GPU sample (values changed)', f.gpu, '—'),
    row('moving the selection', f.move, '≤ 8 ms'),
    row('a clock read (two ages under a minute change)', f.tick, '—'),
    row(`a full redraw`, f.full, '≤ 15 ms'),
  ];
}

// Run alone: node scripts/run-ts.mjs bench-frames (prints the table).
if (process.argv[2] === 'bench-frames' && !process.env.BENCH_NO_MAIN) {
  const f = await frameCosts();
  console.log(frameTable(f).join('\n'));
  process.exit(0);
}
