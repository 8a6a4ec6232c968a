// A list that lags the engine's own events (Docker answers "running" for a moment after "die") is
// asked again until it agrees, a bounded number of times, with no further event needed.
import { describe, expect, it } from 'vitest';
import { Settling } from '../../src/store/settle.js';
import { EngineWatcher } from '../../src/store/sources.js';
import { createStore } from '../../src/store/store.js';
import { initialState, reducer, type Action, type AppState } from '../../src/store/state.js';
import type { Engine, EngineEvent } from '../../src/engine/engine.js';
import type { Container } from '../../src/engine/models.js';

const ID = 'a'.repeat(64);

function row(state: Container['state'], id = ID): Container {
  return { key: `docker/${id}`, engineId: 'docker', id, name: 'walk-llama', image: 'i', state, status: state, created: 0, ports: [], command: '', labels: {} };
}

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('Settling', () => {
  it('wants the state an event implies, forgets it once a list shows it, and gives up after six tries', () => {
    const s = new Settling();
    expect(s.check([row('running')])).toBeUndefined();
    s.note(ID, 'die');
    expect(s.check([row('running')])).toBe(100);
    expect(s.check([row('running')])).toBe(200);
    expect(s.check([row('exited')])).toBeUndefined();
    expect(s.check([row('running')])).toBeUndefined();

    s.note(ID.slice(0, 12), 'start');
    expect(s.check([row('exited')])).toBe(100);
    expect(s.check([row('running')])).toBeUndefined();

    s.note(ID, 'destroy');
    const delays = Array.from({ length: 8 }, () => s.check([row('exited')]));
    expect(delays).toEqual([100, 200, 400, 800, 1600, 3200, undefined, undefined]);

    s.note(ID, 'pause');
    s.note(ID, 'unpause');
    expect(s.check([row('paused')])).toBe(100);
    expect(s.check([row('running')])).toBeUndefined();
    // Events that say nothing of the state (rename, health) want nothing.
    s.note(ID, 'rename');
    s.note(ID, 'health_status: healthy');
    s.note(ID, 'exec_die');
    // An engine's odd action names are only names (not Object.prototype's members).
    s.note(ID, 'constructor');
    s.note(ID, '__proto__');
    expect(s.check([])).toBeUndefined();
  });

  it('the watcher asks again until the list shows the container stopped, with no event after "die"', async () => {
    const answers: Container['state'][] = [];
    let lists = 0;
    let onEvent: (e: EngineEvent) => void = () => undefined;
    const engine = {
      id: 'docker',
      label: 'd',
      ping: async () => undefined,
      watchEvents: (cb: (e: EngineEvent) => void) => ((onEvent = cb), () => undefined),
      listContainers: async () => (lists++, [row(answers.shift() ?? 'running')]),
      details: async () => ({ grant: {} }),
    } as unknown as Engine;
    const store = createStore<AppState, Action>(reducer, initialState());
    store.dispatch({ type: 'engines/set', engines: [{ id: 'docker', kind: 'docker', label: 'd', endpoint: 'unix:///d', status: 'connecting' }] });
    const w = new EngineWatcher(engine, store, { resyncMs: 600_000, debounceMs: 1 });
    const state = () => store.getState().containers.docker?.[0]?.state;
    w.start();
    try {
      await until(() => state() === 'running');
      const before = lists;
      // The engine's list says "running" three more times after "die", then "exited".
      answers.push('running', 'running', 'running', 'exited');
      onEvent({ type: 'container', action: 'die', id: ID, attributes: {} });
      await until(() => state() === 'exited');
      expect(lists - before).toBe(4);
      // Once it agrees, nothing more is asked.
      await new Promise((r) => setTimeout(r, 500));
      expect(lists - before).toBe(4);
    } finally {
      w.stop();
    }
  });
});
