// Two containers on one GPU are flagged: both rows (the GPU column says "shared"), the GPU's line
// in the GPUs pane (naming them), and the strip (GPU1*, with what the mark means). A GPU one
// container has alone, and a stopped container given the same GPU, flag nothing.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Controller } from '../../src/ui/App.js';
import { createStore } from '../../src/store/store.js';
import { initialState, reducer, type Action, type AppState } from '../../src/store/state.js';
import { sharedGpus } from '../../src/store/gpu.js';
import { renderApp } from '../helpers/inkApp.js';
import { gpuUpdate, ID, NOW, running } from '../helpers/gpuState.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function setup(size = { cols: 160, rows: 45 }) {
  const store = createStore<AppState, Action>(reducer, initialState({ gpu: true }));
  store.dispatch({ type: 'engines/set', engines: [{ id: 'docker', kind: 'docker', label: 'd', endpoint: 'unix:///d', status: 'up' }] });
  store.dispatch({
    type: 'containers/set',
    engineId: 'docker',
    containers: [running('docker', 'alice-train', ID('a')), running('docker', 'bob-eval', ID('b')), running('docker', 'carol-solo', ID('c')), { ...running('docker', 'dave-stopped', ID('d')), state: 'exited' }],
  });
  store.dispatch({ type: 'grants/set', grants: { [`docker/${ID('d')}`]: { deviceRequests: [{ Driver: 'nvidia', DeviceIDs: ['0'] }] } as never } });
  store.dispatch(gpuUpdate([[21, 1, 3000, ID('a')], [22, 1, 1500, ID('b')], [23, 0, 9000, ID('c')]]));
  const controller: Controller = { containerKey: vi.fn(), confirmed: vi.fn(), quit: vi.fn() };
  const r = renderApp(store, controller, size);
  cleanup = r.unmount;
  return { ...r, store };
}

const row = (frame: string, name: string) => frame.split('\n').find((l) => l.includes(name)) ?? '';

describe('a GPU two containers share', () => {
  it('is flagged on both rows and on the strip, and only that GPU', async () => {
    const { lastFrame, store } = setup();
    await new Promise((r) => setTimeout(r, 20));
    const f = lastFrame()!;
    expect(row(f, 'alice-train')).toMatch(/ 1 shared /);
    expect(row(f, 'bob-eval')).toMatch(/ 1 shared /);
    expect(row(f, 'carol-solo')).not.toContain('shared');
    expect(f).toMatch(/GPU1\* /);
    expect(f).not.toMatch(/GPU0\*/);
    expect(f).toContain('* shared by 2+ containers');
    expect([...sharedGpus(store.getState()).keys()]).toEqual([1]);
  });

  it('follows a container moving to another GPU, and is not worked out again for a sample that only changes figures', async () => {
    const { store } = setup();
    const first = sharedGpus(store.getState());
    expect([...first.keys()]).toEqual([1]);
    // The next second's sample: new arrays, other memory figures, the same holders.
    store.dispatch(gpuUpdate([[21, 1, 3100, ID('a')], [22, 1, 1400, ID('b')], [23, 0, 9100, ID('c')]]));
    expect(sharedGpus(store.getState())).toBe(first);
    // bob's process is on GPU 0 now, with carol's: GPU 0 is the shared one.
    store.dispatch(gpuUpdate([[21, 1, 3100, ID('a')], [22, 0, 1400, ID('b')], [23, 0, 9100, ID('c')]]));
    expect([...sharedGpus(store.getState()).entries()].map(([i, cs]) => [i, cs.map((c) => c.name)])).toEqual([[0, ['bob-eval', 'carol-solo']]]);
  });

  it("names them on the GPU's line in the GPUs pane", async () => {
    const { lastFrame, press } = setup();
    await press('5');
    const gpu1 = lastFrame()!.split('\n').find((l) => l.includes('GPU 1* '))!;
    expect(gpu1).toContain('shared by 2 containers: docker/alice-train, docker/bob-eval');
    expect(lastFrame()!.split('\n').find((l) => l.includes('GPU 0 '))).not.toContain('shared');
  });

  it('keeps the mark in the compact strip at 80 columns', async () => {
    const { lastFrame } = setup({ cols: 80, rows: 24 });
    await new Promise((r) => setTimeout(r, 20));
    expect(lastFrame()).toMatch(/GPU1\* \S+\/48G/);
    expect(lastFrame()).not.toMatch(/GPU0\*/);
  });
});
