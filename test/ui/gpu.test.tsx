// The GPU strip, the GPU and VRAM columns and the GPUs pane, rendered from a store.
import React from 'react';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App, type Controller } from '../../src/ui/App.js';
import { createStore } from '../../src/store/store.js';
import { initialState, reducer, type Action, type AppState } from '../../src/store/state.js';
import { selectedRow } from '../../src/store/select.js';
import { helpLines } from '../../src/ui/keys/resolve.js';
import { fourGpus, ID, NOW, running } from '../helpers/gpuState.js';
import { HIDDEN_MESSAGE } from '../../src/gpu/monitor.js';

const c = running;
const gpus = fourGpus();

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());
const tick = async () => {
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 0));
};

function setup(opts: { at?: number; idleMinutes?: number; cols?: number; rows?: number } = {}) {
  const store = createStore<AppState, Action>(reducer, initialState({ gpu: true, gpuIdleMinutes: opts.idleMinutes ?? 30 }));
  store.dispatch({ type: 'engines/set', engines: [{ id: 'docker', kind: 'docker', label: 'd', endpoint: 'unix:///d', status: 'up' }, { id: 'podman', kind: 'podman', label: 'p', endpoint: 'unix:///p', status: 'up' }] });
  store.dispatch({ type: 'containers/set', engineId: 'docker', containers: [c('docker', 'vla-train', ID('a')), c('docker', 'web', ID('b'))] });
  store.dispatch({ type: 'containers/set', engineId: 'podman', containers: [c('podman', 'ppo-train', ID('c'))] });
  store.dispatch({ type: 'grants/set', grants: { [`docker/${ID('a')}`]: { deviceRequests: [{ Driver: 'nvidia', Count: 0, DeviceIDs: ['0', '1'], Capabilities: [['gpu']] }] }, [`docker/${ID('b')}`]: null } });
  store.dispatch({
    type: 'gpu/update',
    status: { state: 'ok' },
    gpus,
    at: opts.at ?? NOW,
    processes: [
      { pid: 424, gpuUuid: 'GPU-0', gpuIndex: 0, usedMemoryMiB: 9000, processName: 'python3', containerId: ID('a') },
      { pid: 500, gpuUuid: 'GPU-1', gpuIndex: 1, usedMemoryMiB: 4400, processName: 'python3 train.py', containerId: ID('c') },
      { pid: 77, gpuUuid: 'GPU-0', gpuIndex: 0, usedMemoryMiB: 512, processName: 'jupyter', hostUser: 'alice' },
    ],
  });
  const controller: Controller = { containerKey: vi.fn(), confirmed: vi.fn(), quit: vi.fn() };
  const r = render(<App store={store} controller={controller} color={false} size={{ cols: opts.cols ?? 140, rows: opts.rows ?? 30 }} />);
  cleanup = r.unmount;
  return { ...r, store };
}

describe('GPUs on screen', () => {
  it('shows a strip with every GPU: memory bar, used/total, utilisation, temperature', async () => {
    const { lastFrame } = setup();
    await tick();
    expect(lastFrame()).toMatch(/GPU0 ██░░░░░░ 9\.4G\/48G {2}97% 30C {2}GPU1\* █░░░░░░░ 4\.5G\/48G {3}0% 31C/);
  });

  it('shows what each container was given and holds', async () => {
    const { lastFrame } = setup();
    await tick();
    const f = lastFrame()!;
    expect(f).toMatch(/GPU\s+VRAM/);
    // Both hold GPU 1: both rows say it is shared.
    expect(f).toMatch(/vla-train\s+pytorch:24\S*\s+0,1 shared\s+8\.8G\s+up 3h/);
    expect(f).toMatch(/ppo-train\s+pytorch:24\S*\s+1 shared\s+4\.3G\s+up 3h/);
    expect(f).toMatch(/web\s+pytorch:24\S*\s+-\s+-\s+up 3h/);
  });

  it('lists each GPU with its processes and who holds them; Enter jumps to the container', async () => {
    const { lastFrame, stdin, store } = setup();
    await tick();
    stdin.write('5');
    await tick();
    const f = lastFrame()!;
    expect(f).toMatch(/GPU 0 {2}NVIDIA RTX 6000 Ada Generation.*9\.4G\/48\.0G {2}97% {2}30C {2}100\/300 W/);
    expect(f).toMatch(/424 {2}docker\/vla-train\s+8\.8G {2}python3/);
    expect(f).toMatch(/77 {2}host: alice\s+0\.5G {2}jupyter/);
    expect(f).toMatch(/500 {2}podman\/ppo-train\s+4\.3G {2}python3 train\.py/);
    // The cursor stops on processes only: it starts on the first (pid 424), not on GPU 0's line.
    expect(selectedRow(store.getState(), 'gpus')).toMatchObject({ kind: 'proc', proc: { pid: 424 } });
    stdin.write('k');
    await tick();
    expect(selectedRow(store.getState(), 'gpus')).toMatchObject({ kind: 'proc', proc: { pid: 424 } });
    // Rows: GPU 0, 424, 77, GPU 1, 500 …: j twice goes 424 → 77 → 500 (over GPU 1's line).
    for (const k of ['j', 'j']) {
      stdin.write(k);
      await tick();
    }
    stdin.write('\r');
    await tick();
    expect(store.getState().ui.pane).toBe('containers');
    expect(store.getState().ui.cursors.containers.key).toBe(`podman/${ID('c')}`);
    expect(lastFrame()).toContain('GPU 1 pid 500: podman/ppo-train');
  });

  it('K on a process asks the controller to kill that process; the hints name it, read-only leaves it out', async () => {
    const { store } = setup();
    const killGpuProcess = vi.fn();
    cleanup?.();
    const r = render(<App store={store} controller={{ containerKey: vi.fn(), confirmed: vi.fn(), quit: vi.fn(), killGpuProcess }} color={false} size={{ cols: 140, rows: 30 }} />);
    cleanup = r.unmount;
    r.stdin.write('5');
    await tick();
    r.stdin.write('j');
    await tick();
    r.stdin.write('K');
    await tick();
    expect(killGpuProcess).toHaveBeenCalledWith(expect.objectContaining({ kind: 'proc', proc: expect.objectContaining({ pid: 77 }) }));
    expect(r.lastFrame()).toContain('K kill');
    const ro = createStore<AppState, Action>(reducer, initialState({ gpu: true, readOnly: true }));
    ro.dispatch({ type: 'gpu/update', status: { state: 'ok' }, gpus, at: NOW, processes: store.getState().gpu.processes });
    ro.dispatch({ type: 'pane', pane: 'gpus' });
    const kill2 = vi.fn();
    cleanup?.();
    const r2 = render(<App store={ro} controller={{ containerKey: vi.fn(), confirmed: vi.fn(), quit: vi.fn(), killGpuProcess: kill2 }} color={false} size={{ cols: 140, rows: 30 }} />);
    cleanup = r2.unmount;
    await tick();
    expect(r2.lastFrame()).not.toContain('K kill');
    r2.stdin.write('K');
    await tick();
    expect(kill2).not.toHaveBeenCalled();
    expect(r2.lastFrame()).toContain('read-only mode: kill is disabled (started with --read-only)');
  });

  it('marks a container idle when it holds memory at 0 % for longer than the limit', async () => {
    // GPU 1 turned 0 % only now: ppo-train, on GPU 1, is not idle yet.
    const first = setup({ idleMinutes: 30 });
    await tick();
    expect(first.lastFrame()).not.toMatch(/idle/);
    const procs = first.store.getState().gpu.processes;
    cleanup?.();
    // A store whose samples show GPU 1 at 0 % for 40 minutes.
    const s2 = createStore<AppState, Action>(reducer, initialState({ gpu: true, gpuIdleMinutes: 30 }));
    s2.dispatch({ type: 'engines/set', engines: first.store.getState().engines });
    s2.dispatch({ type: 'containers/set', engineId: 'podman', containers: first.store.getState().containers.podman! });
    s2.dispatch({ type: 'gpu/update', status: { state: 'ok' }, gpus, at: NOW - 40 * 60_000, processes: procs });
    s2.dispatch({ type: 'gpu/update', status: { state: 'ok' }, gpus, at: NOW, processes: procs });
    expect(s2.getState().gpu.zeroSince[1]).toBe(NOW - 40 * 60_000);
    // GPU 0 is busy (97 %): it has no zero-since.
    expect(s2.getState().gpu.zeroSince[0]).toBeUndefined();
    const r = render(<App store={s2} controller={{ containerKey: vi.fn(), confirmed: vi.fn(), quit: vi.fn() }} color={false} size={{ cols: 130, rows: 30 }} />);
    cleanup = r.unmount;
    await tick();
    expect(r.lastFrame()).toMatch(/ppo-train\s+pytorch:24\S*\s+1\s+4\.3G idle/);
  });

  it('says exactly what is wrong when nvidia-smi is missing, and everything else works', async () => {
    const { store, lastFrame } = setup();
    store.dispatch({ type: 'gpu/update', status: { state: 'missing', message: 'nvidia-smi not found: GPUs are not shown.' }, gpus: [], processes: [], at: NOW });
    await tick();
    expect(lastFrame()).toContain('GPUs: nvidia-smi not found: GPUs are not shown.');
    expect(lastFrame()).toContain('vla-train');
    // No GPU, no GPU columns: the room goes back to the names.
    expect(lastFrame()).not.toMatch(/VRAM/);
  });

  it('says when processes are hidden (gantry inside a container)', async () => {
    const { store, lastFrame, stdin } = setup();
    store.dispatch({ type: 'gpu/update', status: { state: 'no-processes-visible', message: 'GPU memory is in use but nvidia-smi lists no processes: gantry is probably running inside a container' }, gpus, processes: [], at: NOW });
    await tick();
    expect(lastFrame()).toContain('(processes hidden: inside a container?)');
    stdin.write('5');
    await tick();
    expect(lastFrame()).toContain('gantry is probably running inside a container');
  });

  it('at 80 columns the hidden-processes warning wraps onto rows of its own, its fix included, and the GPUs stay listed', async () => {
    const { store, lastFrame, stdin } = setup({ cols: 80, rows: 24 });
    store.dispatch({ type: 'gpu/update', status: { state: 'no-processes-visible', message: HIDDEN_MESSAGE }, gpus, processes: [], at: NOW });
    stdin.write('5');
    await tick();
    const lines = lastFrame()!.split('\n');
    expect(lines).toHaveLength(23);
    const text = lines.map((l) => l.trim()).join(' ');
    expect(text).toContain('(its PID namespace hides them). Run gantry on the host.');
    // The warning's rows are whole (other rows, a GPU's power figure, may be cut at 80 columns).
    expect(lines.filter((l) => /namespace|nvidia-smi lists|Run gantry/.test(l)).every((l) => !l.includes('…'))).toBe(true);
    for (const g of [0, 1, 2, 3]) expect(lastFrame()).toMatch(new RegExp(`GPU ${g} `));
  });

  it("at 80 columns a GPU's line keeps its figures whole (power last): the name gives up 'NVIDIA ' first", async () => {
    const { lastFrame, stdin } = setup({ cols: 80, rows: 24 });
    stdin.write('5');
    await tick();
    const lines = lastFrame()!.split('\n').filter((l) => /^ ?GPU \d/.test(l.trimStart()) && l.includes('/48.0G'));
    expect(lines).toHaveLength(4);
    for (const l of lines) {
      // A GPU shared by containers (GPU 1*) says so after the figures, cut at the edge.
      // (The name may lose its end too: these figures, 97 % and 100/300 W, are wide.)
      expect(l).toMatch(/RTX 6000 Ada \S+ +[█░]{16} \d+\.\dG\/48\.0G .*\d+\/300 W(.*…)?$/);
      expect(l).not.toContain('NVIDIA');
      expect(l.length).toBeLessThanOrEqual(80);
    }
    // The bars line up, whatever each GPU's figures are.
    expect(new Set(lines.map((l) => l.search(/[█░]/))).size).toBe(1);
  });

  it('at 80 columns a GPU numbered 10 or more keeps its figures whole too', async () => {
    const { store, lastFrame, stdin } = setup({ cols: 80, rows: 24 });
    const twelve = Array.from({ length: 12 }, (_, i) => ({ ...gpus[i % 4]!, index: i, uuid: `GPU-${i}`, utilizationPct: 100, temperatureC: 70, powerW: 700, powerLimitW: 700 }));
    store.dispatch({ type: 'gpu/update', status: { state: 'ok' }, gpus: twelve, processes: [], at: NOW });
    stdin.write('5');
    await tick();
    const last = lastFrame()!.split('\n').find((l) => l.trimStart().startsWith('GPU 11'));
    expect(last).toMatch(/ 700\/700 W$/);
  });

  it('fits help at 80×24 with the GPU strip on', async () => {
    const store = createStore<AppState, Action>(reducer, initialState({ gpu: true }));
    const r = render(<App store={store} controller={{ containerKey: vi.fn(), confirmed: vi.fn(), quit: vi.fn() }} color={false} size={{ cols: 80, rows: 24 }} />);
    cleanup = r.unmount;
    r.stdin.write('?');
    await tick();
    expect(r.lastFrame()).toContain('Keys — Esc or ? closes');
    r.stdin.write('G');
    await tick();
    // G shows the end of help: its last line is on screen, and the frame still fits.
    expect(r.lastFrame()).toContain(helpLines().at(-1)!.text.trim());
    expect(r.lastFrame()!.split('\n')).toHaveLength(23);
  });
});
