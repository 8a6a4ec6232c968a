// The App paced (paceMs): updates that are not a key's are drawn at most once a window — the
// first at once, the ones after it held — and a key's update is drawn without waiting for the
// window, with what was held. The window here is a minute: nothing held is drawn by the clock
// during the test, so what is on screen shows what the pacing did (frames counted, no timing).
import React from 'react';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App, type Controller } from '../../src/ui/App.js';
import { createStore } from '../../src/store/store.js';
import { initialState, reducer, type AppState, type Action } from '../../src/store/state.js';
import type { Container } from '../../src/engine/models.js';
import { selectedContainer } from '../../src/store/select.js';

const box = (name: string): Container => ({ key: `docker/${name}-id`, engineId: 'docker', id: `${name}-id`, name, image: 'busybox', state: 'running', status: 'Up', created: 0, since: 0, ports: [], command: 'sh', labels: {} });

const tick = async () => {
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 0));
};

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('the paced App', () => {
  it("holds the updates that follow one within the window, and draws them with the next key's update at once", async () => {
    const store = createStore<AppState, Action>(reducer, initialState({}));
    store.dispatch({ type: 'engines/set', engines: [{ id: 'docker', kind: 'docker', label: 'docker.sock', endpoint: 'unix:///d.sock', status: 'up' }] });
    const names = ['alpha', 'bravo'];
    const list = () => store.dispatch({ type: 'containers/set', engineId: 'docker', containers: names.map(box) });
    list();
    const controller: Controller = { containerKey: vi.fn(), confirmed: vi.fn(), quit: vi.fn(), logSession: () => undefined };
    const r = render(<App store={store} controller={controller} color={false} size={{ cols: 100, rows: 30 }} paceMs={60_000} />);
    cleanup = r.unmount;
    await tick();
    expect(r.lastFrame()).toContain('bravo');

    // The first update after a quiet window: drawn at once.
    names.push('charlie');
    list();
    await tick();
    expect(r.lastFrame()).toContain('charlie');
    const drawn = r.frames.length;

    // Two more inside the window: held, not a frame between them.
    names.push('delta');
    list();
    await tick();
    names.push('echo');
    list();
    await tick();
    expect(r.frames.length).toBe(drawn);
    expect(r.lastFrame()).not.toContain('delta');

    // A key: its update is drawn at once, and what was held with it.
    r.stdin.write('j');
    await tick();
    expect(r.frames.length).toBeGreaterThan(drawn);
    expect(r.lastFrame()).toContain('delta');
    expect(r.lastFrame()).toContain('echo');
    expect(selectedContainer(store.getState())?.name).toBe('bravo');
  });
  it("draws an engine's first list at once, inside a window an earlier update opened", async () => {
    const store = createStore<AppState, Action>(reducer, initialState({}));
    store.dispatch({
      type: 'engines/set',
      engines: [
        { id: 'docker', kind: 'docker', label: 'docker.sock', endpoint: 'unix:///d.sock', status: 'up' },
        { id: 'podman', kind: 'podman', label: 'podman.sock', endpoint: 'unix:///p.sock', status: 'up' },
      ],
    });
    store.dispatch({ type: 'containers/set', engineId: 'docker', containers: [box('alpha')] });
    const controller: Controller = { containerKey: vi.fn(), confirmed: vi.fn(), quit: vi.fn(), logSession: () => undefined };
    const r = render(<App store={store} controller={controller} color={false} size={{ cols: 100, rows: 30 }} paceMs={60_000} />);
    cleanup = r.unmount;
    await tick();
    // An update opens the window (drawn at once)…
    store.dispatch({ type: 'containers/set', engineId: 'docker', containers: [box('alpha'), box('bravo')] });
    await tick();
    expect(r.lastFrame()).toContain('bravo');
    // …and one inside it is held…
    store.dispatch({ type: 'containers/set', engineId: 'docker', containers: [box('alpha'), box('bravo'), box('charlie')] });
    await tick();
    expect(r.lastFrame()).not.toContain('charlie');
    // …but the second engine's first list is not: it is drawn now, with what was held.
    store.dispatch({ type: 'containers/set', engineId: 'podman', containers: [{ ...box('pod-delta'), key: 'podman/pod-delta-id', engineId: 'podman' }] });
    await tick();
    expect(r.lastFrame()).toContain('pod-delta');
    expect(r.lastFrame()).toContain('charlie');
  });
});
