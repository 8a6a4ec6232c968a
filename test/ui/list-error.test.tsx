// The engine watcher's answer to an engine that is up but answers a list with an error (a
// transient HTTP 500): the rows stay, the engine stays up, a banner says what failed and since
// when the rows are, and the next good list clears it. A connection error is still "down".
import React from 'react';
import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { EngineWatcher } from '../../src/store/sources.js';
import { createStore } from '../../src/store/store.js';
import { initialState, reducer, type Action, type AppState } from '../../src/store/state.js';
import type { Engine } from '../../src/engine/engine.js';
import type { Container } from '../../src/engine/models.js';
import { App } from '../../src/ui/App.js';

const row = (name: string): Container => ({ key: `podman/${name}`, engineId: 'podman', id: name, name, image: 'busybox', state: 'running', status: 'Up 2 minutes', created: 0, ports: [], command: '', labels: {} });

/** An engine whose list answers come from a queue: rows, or an error to throw. */
function scripted(answers: (Container[] | Error)[]) {
  const listContainers = vi.fn(async () => {
    const a = answers.length > 1 ? answers.shift()! : answers[0]!;
    if (a instanceof Error) throw a;
    return a;
  });
  const engine = { id: 'podman', label: '/run/podman/podman.sock', ping: async () => undefined, watchEvents: () => () => undefined, listContainers, gpuSettings: async () => ({}), details: async () => ({ grant: {} }) };
  return { engine: engine as unknown as Engine, listContainers };
}

function http500(): Error {
  return Object.assign(new Error('(HTTP code 500) server error - container list: database is locked'), { statusCode: 500, json: { message: 'container list: database is locked' } });
}

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('EngineWatcher and an error answer while listing', () => {
  it('keeps the rows and the engine up, says what failed, retries, and clears it on the next good list', async () => {
    const store = createStore<AppState, Action>(reducer, initialState());
    store.dispatch({ type: 'engines/set', engines: [{ id: 'podman', kind: 'podman', label: 'p', endpoint: 'unix:///p', status: 'connecting' }] });
    const { engine, listContainers } = scripted([[row('llama')], http500(), [row('llama'), row('qwen')]]);
    const w = new EngineWatcher(engine, store, { resyncMs: 60_000, backoffMs: [1000, 2000] });
    w.start();
    try {
      await until(() => store.getState().loaded.podman === true);
      w.refresh();
      await until(() => store.getState().engines[0]!.listError !== undefined);
      const e = store.getState().engines[0]!;
      expect(e.status).toBe('up');
      expect(e.listError).toMatch(/^listing containers failed: the engine answered HTTP 500 \(container list: database is locked\); the list shown is from \d\d:\d\d:\d\d, trying again$/);
      expect(store.getState().containers.podman!.map((c) => c.name)).toEqual(['llama']);

      // What the screen says: not "connection lost".
      const r = render(<App store={store} controller={{ containerKey: vi.fn(), confirmed: vi.fn(), quit: vi.fn() }} color={false} size={{ cols: 160, rows: 30 }} />);
      await new Promise((res) => setTimeout(res, 20));
      expect(r.lastFrame()).toContain('podman: listing containers failed: the engine answered HTTP 500 (container list: database is locked)');
      expect(r.lastFrame()).not.toContain('connection lost');
      expect(r.lastFrame()).toContain('llama');
      r.unmount();

      // The retry lists again by itself and clears the banner.
      await until(() => store.getState().containers.podman!.length === 2);
      expect(store.getState().engines[0]!.listError).toBeUndefined();
      expect(listContainers.mock.calls.length).toBeGreaterThanOrEqual(3);
    } finally {
      w.stop();
    }
  });

  it('still calls a refused connection lost', async () => {
    const store = createStore<AppState, Action>(reducer, initialState());
    store.dispatch({ type: 'engines/set', engines: [{ id: 'podman', kind: 'podman', label: 'p', endpoint: 'unix:///p', status: 'connecting' }] });
    const { engine } = scripted([[row('llama')], Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })]);
    const w = new EngineWatcher(engine, store, { resyncMs: 60_000, backoffMs: [5_000, 5_000] });
    w.start();
    try {
      await until(() => store.getState().loaded.podman === true);
      w.refresh();
      await until(() => store.getState().engines[0]!.status === 'down');
      expect(store.getState().engines[0]!.error).toMatch(/connection refused/);
      expect(store.getState().engines[0]!.listError).toBeUndefined();
    } finally {
      w.stop();
    }
  });
});
