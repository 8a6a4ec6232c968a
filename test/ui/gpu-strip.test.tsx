// The GPU strip is a region the frame writer fills from the store's latest state: a sample that
// changes only its figures is drawn without a React render; any change another view shows (a
// process's memory, a GPU idle, the GPUs pane on screen) renders the App as before. Read back
// through a terminal emulator, with the real App, store and frame writer.
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import xterm from '@xterm/headless';
import { createStore } from '../../src/store/store.js';
import { initialState, reducer, type Action, type AppState } from '../../src/store/state.js';
import { FrameStdout } from '../../src/ui/screen.js';
import { mount } from '../../src/ui/mount.js';
import { stripOnly } from '../../src/ui/gpu.js';
import type { Controller } from '../../src/ui/controller.js';
import { fourGpus, ID, NOW, running } from '../helpers/gpuState.js';

const { Terminal } = xterm;

class Tty extends EventEmitter {
  readonly term = new Terminal({ cols: 140, rows: 30, allowProposedApi: true });
  columns = 140;
  rows = 30;
  private writes = Promise.resolve();
  write(s: string): boolean {
    this.writes = this.writes.then(() => new Promise<void>((r) => this.term.write(s, r)));
    return true;
  }
  async screen(): Promise<string[]> {
    await this.writes;
    const buf = this.term.buffer.active;
    return Array.from({ length: this.rows }, (_, i) => buf.getLine(i)!.translateToString(true));
  }
}

/** Enough of a TTY stdin for Ink's raw mode (no keys are typed here). */
class Stdin extends EventEmitter {
  isTTY = true;
  setRawMode = () => this;
  setEncoding = () => this;
  read = () => null;
  ref = () => this;
  unref = () => this;
  resume = () => this;
  pause = () => this;
}

function sample(util: number[], procMiB = 9000, at = NOW): Action {
  return {
    type: 'gpu/update',
    status: { state: 'ok' },
    gpus: fourGpus(util),
    processes: [{ pid: 424, gpuUuid: 'GPU-0', gpuIndex: 0, usedMemoryMiB: procMiB, processName: 'python3', containerId: ID('a') }],
    at,
  };
}

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function setup() {
  const store = createStore<AppState, Action>(reducer, initialState({ gpu: true }));
  store.dispatch({ type: 'engines/set', engines: [{ id: 'docker', kind: 'docker', label: 'd', endpoint: 'unix:///d', status: 'up' }] });
  store.dispatch({ type: 'containers/set', engineId: 'docker', containers: [running('docker', 'vla-train', ID('a')), running('docker', 'web', ID('b'))] });
  store.dispatch(sample([97, 5, 5, 5]));
  const tty = new Tty();
  const frames = new FrameStdout(tty);
  const controller: Controller = { containerKey: vi.fn(), confirmed: vi.fn(), quit: vi.fn() };
  const app = mount(store, controller, frames, false, new Stdin() as unknown as NodeJS.ReadStream);
  cleanup = () => {
    app.unmount();
    frames.dispose();
    tty.term.dispose();
  };
  /** Waits (up to 2 s) for a screen that `ok` accepts. */
  const until = async (ok: (rows: string[]) => boolean): Promise<string[]> => {
    const end = Date.now() + 2000;
    for (;;) {
      const rows = await tty.screen();
      if (ok(rows)) return rows;
      if (Date.now() > end) throw new Error(`screen never matched:\n${rows.join('\n')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  await until((rows) => rows.some((r) => r.includes('vla-train')) && rows.some((r) => r.includes('GPU0 ')));
  return { store, frames, until };
}

const stripOf = (rows: string[]) => rows.find((r) => r.startsWith(' GPU0 ')) ?? '';
const rowOf = (rows: string[], name: string) => rows.find((r) => r.includes(name)) ?? '';

describe('the GPU strip as a region', () => {
  it('shows a new sample at once, with no Ink frame when only its figures changed', async () => {
    const { store, frames, until } = await setup();
    expect(stripOf(await until((r) => stripOf(r).includes('97%')))).toMatch(/^ GPU0 ██░░░░░░ 9\.4G\/48G {2}97% 30C {2}GPU1 /);
    // Ink hands each of its frames to the writer's write(); the writer's own region draws do not pass there.
    const inkFrames = vi.spyOn(frames, 'write');
    const written = frames.stats.frames;
    store.dispatch(sample([42, 6, 7, 8]));
    const rows = await until((r) => stripOf(r).includes('42%'));
    expect(stripOf(rows)).toMatch(/^ GPU0 ██░░░░░░ 9\.4G\/48G {2}42% 30C {2}GPU1 .* 6% .* 7% .* 8% /);
    // The list is still there, untouched: the strip alone was written.
    expect(rowOf(rows, 'vla-train')).toMatch(/vla-train.*0\s+8\.8G/);
    expect(inkFrames).not.toHaveBeenCalled();
    expect(frames.stats.frames).toBeGreaterThan(written);
  });

  it("renders the App when a process's memory changes: the VRAM column follows", async () => {
    const { store, until } = await setup();
    store.dispatch(sample([97, 5, 5, 5], 20480));
    const rows = await until((r) => /vla-train.*20\.0G/.test(rowOf(r, 'vla-train')));
    expect(stripOf(rows)).toContain('97%');
  });

  it('renders the App when the GPUs pane is on screen: its figures follow', async () => {
    const { store, until } = await setup();
    store.dispatch({ type: 'pane', pane: 'gpus' });
    await until((r) => r.some((l) => l.startsWith(' GPU 0 ')));
    store.dispatch(sample([33, 5, 5, 5]));
    const rows = await until((r) => stripOf(r).includes('33%'));
    expect(rows.find((l) => l.startsWith(' GPU 0 '))).toContain('33%');
  });
});

describe('stripOnly', () => {
  const base = () => {
    const s = createStore<AppState, Action>(reducer, initialState({ gpu: true }));
    s.dispatch({ type: 'containers/set', engineId: 'docker', containers: [running('docker', 'vla-train', ID('a'))] });
    s.dispatch(sample([97, 5, 5, 5]));
    return s;
  };
  const after = (a: Action, setup?: (s: ReturnType<typeof base>) => void) => {
    const s = base();
    setup?.(s);
    const shown = s.getState();
    s.dispatch(a);
    return stripOnly(shown, s.getState());
  };

  it('holds for figures and the sample time only', () => {
    expect(after(sample([50, 6, 7, 8], 9000, NOW + 1000))).toBe(true);
    const more = fourGpus([97, 5, 5, 5]).map((g) => ({ ...g, memoryUsedMiB: (g.memoryUsedMiB ?? 0) + 512, temperatureC: 70, powerW: 250 }));
    expect(after({ ...sample([97, 5, 5, 5]), gpus: more } as Action)).toBe(true);
  });

  it('does not hold when anything else a view draws changed', () => {
    // A process's memory (the VRAM column), a GPU going idle (its idle clock), the status.
    expect(after(sample([97, 5, 5, 5], 9001))).toBe(false);
    expect(after(sample([97, 0, 5, 5]))).toBe(false);
    expect(after({ ...sample([97, 5, 5, 5]), status: { state: 'failed', message: 'x' } } as Action)).toBe(false);
    // A GPU gone, or another in its place.
    expect(after({ ...sample([97, 5, 5, 5]), gpus: fourGpus([97, 5, 5, 5]).slice(0, 3) } as Action)).toBe(false);
    expect(after({ ...sample([97, 5, 5, 5]), gpus: fourGpus([97, 5, 5, 5]).map((g) => (g.index === 2 ? { ...g, uuid: 'GPU-x' } : g)) } as Action)).toBe(false);
    // Views that read the figures themselves.
    for (const pane of ['gpus', 'servers'] as const) expect(after(sample([50, 5, 5, 5]), (s) => s.dispatch({ type: 'pane', pane }))).toBe(false);
    // Something else in the same update.
    const s = base();
    const shown = s.getState();
    s.dispatch(sample([50, 5, 5, 5]));
    s.dispatch({ type: 'containers/set', engineId: 'docker', containers: [running('docker', 'other', ID('b'))] });
    expect(stripOnly(shown, s.getState())).toBe(false);
    expect(stripOnly(shown, shown)).toBe(false);
  });
});
