// The CPU % and MEM columns' rounds: a container's first reading is taken as its files are found,
// so the next round has its CPU %, and that round comes FIRST_CPU_MS later rather than a whole
// round; a reading that moved enough to notice is drawn at once, a small drift waits (DRIFT_MS) so
// idle containers do not cost a frame every round, and nothing is read while the columns are off
// screen; coming back reads at once. Rounds are driven by hand on a clock set here, against
// cgroup files laid out here (or by the controller's timers, faked).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { DRIFT_MS, UsageController, usageChange, usageOnScreen } from '../../src/actions/usage.js';
import { createStore } from '../../src/store/store.js';
import { initialState, reducer, type Action, type AppState } from '../../src/store/state.js';
import type { Engine } from '../../src/engine/engine.js';
import type { Container } from '../../src/engine/models.js';

const root = mkdtempSync(join(tmpdir(), 'gantry-usage-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const MiB = 1024 * 1024;

describe('usageChange', () => {
  const u = (cpuPct: number | undefined, memMiB: number) => ({ ...(cpuPct === undefined ? {} : { cpuPct }), memBytes: memMiB * MiB });
  it('none when the columns read the same', () => {
    expect(usageChange({ a: u(0.12, 10) }, { a: u(0.14, 10) })).toBe('none');
  });
  it('drift for moves under a point of CPU and a tenth of memory', () => {
    expect(usageChange({ a: u(0.1, 10) }, { a: u(0.3, 10) })).toBe('drift');
    expect(usageChange({ a: u(0.1, 10) }, { a: u(0.1, 10.5) })).toBe('drift');
    // A small container's memory jumps by a third as a short-lived process comes and goes.
    expect(usageChange({ a: u(0.1, 0.7) }, { a: u(0.1, 0.47) })).toBe('drift');
  });
  it('change for a point of CPU, a tenth and 8 MiB of memory, a reading gained or lost', () => {
    expect(usageChange({ a: u(0.1, 10) }, { a: u(1.2, 10) })).toBe('change');
    expect(usageChange({ a: u(50, 10) }, { a: u(3, 10) })).toBe('change');
    expect(usageChange({ a: u(0.1, 100) }, { a: u(0.1, 120) })).toBe('change');
    expect(usageChange({ a: u(0.1, 10) }, { a: u(0.1, 0.5) })).toBe('change');
    expect(usageChange({ a: u(undefined, 10) }, { a: u(0.1, 10) })).toBe('change');
    expect(usageChange({ a: u(0.1, 10) }, { a: u(0.1, 10), b: u(0.1, 10) })).toBe('change');
    expect(usageChange({ a: u(0.1, 10), b: u(0.1, 10) }, { a: u(0.1, 10) })).toBe('change');
    expect(usageChange({ a: u(0.1, 10) }, { b: u(0.1, 10) })).toBe('change');
  });
});

describe('usageOnScreen', () => {
  it('the container list with nothing over it', () => {
    const s = initialState();
    expect(usageOnScreen(s)).toBe(true);
    expect(usageOnScreen({ ...s, ui: { ...s.ui, pane: 'images' } })).toBe(false);
    expect(usageOnScreen({ ...s, ui: { ...s.ui, help: true } })).toBe(false);
    expect(usageOnScreen({ ...s, ui: { ...s.ui, logs: { ...s.ui.logs, full: true } } })).toBe(false);
  });
});

/** `clock`: the controller's clock (undefined: Date.now, as when faked timers move it). */
function rig(clock?: { now: number }) {
  const proc = join(root, 'proc');
  const cg = join(root, 'cgroup');
  mkdirSync(join(proc, '42'), { recursive: true });
  mkdirSync(join(cg, 'docker', 'abc'), { recursive: true });
  writeFileSync(join(proc, '42', 'cgroup'), '0::/docker/abc\n');
  const files = { cpuUsec: 0, memBytes: 10 * MiB };
  const write = () => {
    writeFileSync(join(cg, 'docker', 'abc', 'cpu.stat'), `usage_usec ${files.cpuUsec}\n`);
    writeFileSync(join(cg, 'docker', 'abc', 'memory.current'), `${files.memBytes}\n`);
  };
  write();
  const engine = { id: 'docker', inspect: async () => ({ State: { Pid: 42, Running: true } }) } as unknown as Engine;
  const store = createStore<AppState, Action>(reducer, initialState());
  store.dispatch({ type: 'engines/set', engines: [{ id: 'docker', kind: 'docker', label: 'd', endpoint: 'unix:///d', status: 'up' }] });
  const c: Container = { key: 'docker/abc', engineId: 'docker', id: 'abc', name: 'walk-llama', image: 'i', state: 'running', status: 'Up', created: 0, ports: [], command: '', labels: {} };
  store.dispatch({ type: 'containers/set', engineId: 'docker', containers: [c] });
  const usage = new UsageController(store, new Map([['docker', engine]]), proc, cg, clock ? () => clock.now : Date.now);
  const sets = { n: 0 };
  store.subscribe(() => sets.n++);
  /** One round at `t` s after `files` moved by CPU time (ms of one core) and memory (MiB). */
  const step = async (t: number, cpuMs: number, memMiB = 0) => {
    files.cpuUsec += cpuMs * 1000;
    files.memBytes += memMiB * MiB;
    write();
    if (clock) clock.now = t * 1000;
    await usage.round();
    // The first round finds the files (an inspect): let it land.
    await new Promise((r) => setImmediate(r));
  };
  const cpu = () => store.getState().usage['docker/abc']?.cpuPct;
  const mem = () => store.getState().usage['docker/abc']?.memBytes;
  return { store, usage, step, cpu, mem, sets };
}

describe('UsageController rounds', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('takes the first reading as the files are found: the next round has CPU % and memory', async () => {
    const r = rig({ now: 0 });
    await r.step(0, 0); // finds the files, reads them once
    expect(r.mem()).toBeUndefined();
    await r.step(1, 3); // 3 ms of CPU in the 1 s since
    expect(r.cpu()).toBeCloseTo(0.3, 5);
    expect(r.mem()).toBe(10 * MiB);
  });

  it('after start(), the round with the first CPU % comes FIRST_CPU_MS after the files are found, not a whole round later', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const r = rig();
    r.usage.start(); // a round at once: it finds the files
    await vi.advanceTimersByTimeAsync(0);
    expect(r.mem()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(999);
    expect(r.cpu()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1); // FIRST_CPU_MS after the find: before the 2 s interval's round
    expect(r.cpu()).toBe(0);
    expect(r.mem()).toBe(10 * MiB);
    r.usage.stop();
  });

  it('draws a move worth noticing at once and a small drift only after DRIFT_MS', async () => {
    const r = rig({ now: 0 });
    await r.step(0, 0); // finds the files
    await r.step(2, 0); // memory, and 0 % CPU: drawn (readings gained)
    expect(r.mem()).toBe(10 * MiB);
    expect(r.cpu()).toBe(0);
    const drawn = r.sets.n;
    await r.step(4, 2); // 2 ms in 2 s: 0.1 %, a drift, not drawn yet
    await r.step(6, 4); // 0.2 %
    await r.step(8, 6); // 0.3 %
    expect(r.sets.n).toBe(drawn);
    expect(r.cpu()).toBe(0);
    const t = 2 + DRIFT_MS / 1000; // the drift drawn once DRIFT_MS has passed since the last drawing
    await r.step(t, 0.005 * (t - 8) * 1000); // 0.5 % since the last reading
    expect(r.sets.n).toBe(drawn + 1);
    expect(r.cpu()).toBeCloseTo(0.5, 5);
    await r.step(t + 2, 1000); // 50 %: at once
    expect(r.cpu()).toBeCloseTo(50, 5);
    await r.step(t + 4, 0, 20); // memory up by 20 MiB: at once
    expect(r.cpu()).toBe(0);
    expect(r.mem()).toBe(30 * MiB);
  });

  it('sends an engine that does not answer its inspects no more than 16 at a time, however many rounds pass', async () => {
    let asked = 0;
    const hung = { id: 'docker', inspect: () => (asked++, new Promise(() => undefined)) } as unknown as Engine;
    const store = createStore<AppState, Action>(reducer, initialState());
    store.dispatch({ type: 'engines/set', engines: [{ id: 'docker', kind: 'docker', label: 'd', endpoint: 'unix:///d', status: 'up' }] });
    const rows: Container[] = Array.from({ length: 40 }, (_, i) => ({ key: `docker/c${i}`, engineId: 'docker', id: `c${i}`, name: `c${i}`, image: 'i', state: 'running', status: 'Up', created: 0, ports: [], command: '', labels: {} }));
    store.dispatch({ type: 'containers/set', engineId: 'docker', containers: rows });
    const usage = new UsageController(store, new Map([['docker', hung]]), join(root, 'proc'), join(root, 'cgroup'), () => 0);
    for (let i = 0; i < 5; i++) await usage.round();
    expect(asked).toBe(16);
  });

  it('reads nothing while the columns are off screen, and reads at once when they come back', async () => {
    const r = rig({ now: 0 });
    r.usage.start();
    try {
      await r.step(0, 0);
      await r.step(2, 0);
      expect(r.mem()).toBe(10 * MiB);
      r.store.dispatch({ type: 'pane', pane: 'images' });
      await r.step(4, 1000, 20);
      expect(r.mem()).toBe(10 * MiB);
      r.store.dispatch({ type: 'pane', pane: 'containers' });
      const end = Date.now() + 5000;
      while (r.mem() !== 30 * MiB && Date.now() < end) await new Promise((res) => setTimeout(res, 5));
      expect(r.mem()).toBe(30 * MiB);
    } finally {
      r.usage.stop();
    }
  });
});
