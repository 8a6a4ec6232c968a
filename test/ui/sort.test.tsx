// o sorts the container list by its next column (state, name, VRAM, created) and O turns it the
// other way; the header marks the column and the direction; the selection stays on its
// container; each pane keeps its own order.
import React from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Controller } from '../../src/ui/App.js';
import { renderApp } from '../helpers/inkApp.js';
import { createStore } from '../../src/store/store.js';
import { initialState, reducer, type Action, type AppState } from '../../src/store/state.js';
import { selectedContainer, visibleContainers } from '../../src/store/select.js';
import { gpuUpdate, ID, NOW, running } from '../helpers/gpuState.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function setup() {
  const store = createStore<AppState, Action>(reducer, initialState({ gpu: true }));
  store.dispatch({ type: 'engines/set', engines: [{ id: 'docker', kind: 'docker', label: 'd', endpoint: 'unix:///d', status: 'up' }] });
  const age = (name: string, hours: number) => ({ ...running('docker', name, ID(name)), created: Math.floor(NOW / 1000) - hours * 3600 });
  store.dispatch({
    type: 'containers/set',
    engineId: 'docker',
    containers: [age('carol-eval', 1), age('alice-train', 30), { ...age('bob-old', 5), state: 'exited' as const }, age('dave-infer', 10)],
  });
  store.dispatch(gpuUpdate([[11, 0, 9000, ID('dave-infer')], [12, 1, 4000, ID('carol-eval')]]));
  const controller: Controller = { containerKey: vi.fn(), confirmed: vi.fn(), quit: vi.fn() };
  const r = renderApp(store, controller, { cols: 160, rows: 30 }, 10);
  cleanup = r.unmount;
  const press = r.press;
  const names = () => visibleContainers(store.getState()).map((c) => c.name);
  const header = () => r.lastFrame()!.split('\n').find((l) => l.includes('ENGINE'))!;
  return { ...r, store, press, names, header };
}

describe('o and O on the container list', () => {
  it('steps through name, VRAM and created, marking the column and the direction', async () => {
    const { press, names, header, lastFrame } = setup();
    expect(names()).toEqual(['alice-train', 'carol-eval', 'dave-infer', 'bob-old']);
    expect(header()).not.toMatch(/[▲▼]/);
    await press('o');
    expect(names()).toEqual(['alice-train', 'bob-old', 'carol-eval', 'dave-infer']);
    expect(header()).toMatch(/NAME ▲/);
    expect(lastFrame()).toContain('containers sorted by NAME ▲ (ascending)');
    await press('o');
    expect(names().slice(0, 2)).toEqual(['dave-infer', 'carol-eval']);
    expect(header()).toMatch(/VRAM ▼/);
    await press('o');
    expect(names()).toEqual(['carol-eval', 'bob-old', 'dave-infer', 'alice-train']);
    expect(header()).toMatch(/CREATED ▼/);
    await press('O');
    expect(names()).toEqual(['alice-train', 'dave-infer', 'bob-old', 'carol-eval']);
    expect(header()).toMatch(/CREATED ▲/);
    await press('o');
    expect(header()).toMatch(/STATE ▲/);
    expect(names()).toEqual(['alice-train', 'carol-eval', 'dave-infer', 'bob-old']);
  });

  it('keeps the selected container selected through a new order', async () => {
    const { press, store } = setup();
    await press('j', 'j');
    expect(selectedContainer(store.getState())?.name).toBe('dave-infer');
    await press('o', 'o');
    expect(selectedContainer(store.getState())?.name).toBe('dave-infer');
  });

  it('is kept per pane: the images keep their own order, the containers theirs', async () => {
    const { press, store } = setup();
    await press('o');
    const imageSort = store.getState().ui.imageSort;
    await press('2', 'o', '1');
    expect(store.getState().ui.imageSort).not.toBe(imageSort);
    expect(store.getState().ui.sorts.containers).toEqual({ by: 'name', desc: false });
  });
});

describe('the CPU % and MEM columns', () => {
  it('show each running container reading once there are readings, and o sorts by them', async () => {
    const { press, names, header, store, lastFrame } = setup();
    expect(header()).not.toContain('CPU%');
    store.dispatch({
      type: 'usage/set',
      usage: { [`docker/${ID('carol-eval')}`]: { cpuPct: 97.25, memBytes: 856_064 }, [`docker/${ID('alice-train')}`]: { cpuPct: 0.5, memBytes: 3 * 1024 ** 3 }, [`docker/${ID('dave-infer')}`]: { memBytes: 20 * 1024 ** 2 } },
    });
    await press('j', 'k');
    expect(header()).toMatch(/CPU%\s+MEM/);
    const row = (n: string) => lastFrame()!.split('\n').find((l) => l.includes(n))!;
    expect(row('carol-eval')).toMatch(/97\.3\s+836K/);
    expect(row('alice-train')).toMatch(/0\.5\s+3\.0G/);
    expect(row('dave-infer')).toMatch(/-\s+20M/);
    await press('o', 'o', 'o');
    expect(header()).toMatch(/CPU% ▼/);
    expect(names().slice(0, 2)).toEqual(['carol-eval', 'alice-train']);
    await press('o');
    expect(header()).toMatch(/MEM ▼/);
    expect(names().slice(0, 3)).toEqual(['alice-train', 'dave-infer', 'carol-eval']);
  });
});
