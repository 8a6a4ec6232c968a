// Ages come from the engine's timestamps, not the list's rounded words: the watcher's rows count
// from inspect's StartedAt whatever the status says between lists, so an age shown on one clock
// never runs backwards; an event that restarts the container makes it ask again.
import { describe, expect, it } from 'vitest';
import { EngineWatcher } from '../../src/store/sources.js';
import { createStore } from '../../src/store/store.js';
import { initialState, reducer, type Action, type AppState } from '../../src/store/state.js';
import { stateText } from '../../src/present/container.js';
import type { Engine, EngineEvent } from '../../src/engine/engine.js';
import type { Container } from '../../src/engine/models.js';

const T0 = Date.parse('2026-11-22T12:00:00Z');

function row(status: string, state: Container['state'] = 'running'): Container {
  return { key: 'docker/x', engineId: 'docker', id: 'x', name: 'walk-llama', image: 'i', state, status, created: 0, ports: [], command: '', labels: {}, ...(state === 'exited' ? { exitCode: 137 } : {}) };
}

async function until(cond: () => boolean): Promise<void> {
  const end = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

function rig() {
  const state = { status: 'Up About a minute', kind: 'running' as Container['state'], startedAt: T0, finishedAt: undefined as number | undefined, inspects: 0, lists: 0, fail: [] as Error[] };
  let onEvent: (e: EngineEvent) => void = () => undefined;
  const engine = {
    id: 'docker',
    label: 'd',
    ping: async () => undefined,
    watchEvents: (cb: (e: EngineEvent) => void) => {
      onEvent = cb;
      return () => undefined;
    },
    listContainers: async () => (state.lists++, [row(state.status, state.kind)]),
    details: async () => {
      state.inspects++;
      const f = state.fail.shift();
      if (f) throw f;
      return { grant: {}, startedAt: state.startedAt, ...(state.finishedAt ? { finishedAt: state.finishedAt } : {}) };
    },
  } as unknown as Engine;
  const store = createStore<AppState, Action>(reducer, initialState());
  store.dispatch({ type: 'engines/set', engines: [{ id: 'docker', kind: 'docker', label: 'd', endpoint: 'unix:///d', status: 'connecting' }] });
  const w = new EngineWatcher(engine, store, { resyncMs: 600_000, debounceMs: 1 });
  const get = () => store.getState().containers.docker?.[0];
  return { state, store, w, get, event: (action: string) => onEvent({ type: 'container', action, id: 'x', attributes: {} }) };
}

describe('ages by the engine clock', () => {
  it('count from StartedAt whatever the status words say between lists, and never run backwards', async () => {
    const r = rig();
    r.w.start();
    try {
      await until(() => r.get()?.since === T0);
      const seen: string[] = [];
      // The words change (Docker rounds: "About a minute", then "2 minutes"); the row's time does not.
      for (const [status, at] of [['Up About a minute', 90_000], ['Up About a minute', 95_000], ['Up 2 minutes', 125_000], ['Up 59 seconds', 126_000]] as const) {
        r.state.status = status;
        r.w.refresh();
        await until(() => r.get()?.status === status);
        expect(r.get()!.since).toBe(T0);
        seen.push(stateText(r.get()!, T0 + at));
      }
      expect(seen).toEqual(['up 1m', 'up 1m', 'up 2m', 'up 2m']);
      expect(r.state.inspects).toBe(1);
    } finally {
      r.w.stop();
    }
  });

  it('a resync where only the age words moved ("Up 45 seconds" → "Up 55 seconds") costs no store update; health words do', async () => {
    const r = rig();
    r.w.start();
    try {
      r.state.status = 'Up 45 seconds';
      r.w.refresh();
      await until(() => r.get()?.since === T0 && r.get()?.status === 'Up 45 seconds');
      const rows = r.store.getState().containers.docker;
      const listed = r.state.lists;
      r.state.status = 'Up 55 seconds';
      r.w.refresh();
      await until(() => r.state.lists > listed);
      // The list's answer is handled in the microtasks after it: let them run.
      await new Promise((res) => setImmediate(res));
      expect(r.store.getState().containers.docker).toBe(rows);
      r.state.status = 'Up 58 seconds (unhealthy)';
      r.w.refresh();
      await until(() => r.get()?.status === 'Up 58 seconds (unhealthy)');
    } finally {
      r.w.stop();
    }
  });

  it('asks again after a die or start event: the exited row counts from FinishedAt, the restarted one from the new StartedAt', async () => {
    const r = rig();
    r.w.start();
    try {
      await until(() => r.get()?.since === T0);
      Object.assign(r.state, { kind: 'exited', status: 'Exited (137) 2 seconds ago', finishedAt: T0 + 88_000 });
      r.event('die');
      await until(() => r.get()?.state === 'exited' && r.get()?.since === T0 + 88_000);
      expect(stateText(r.get()!, T0 + 88_000 + 49_000)).toBe('exited (137) 49s ago');
      Object.assign(r.state, { kind: 'running', status: 'Up Less than a second', startedAt: T0 + 200_000 });
      r.event('start');
      await until(() => r.get()?.state === 'running' && r.get()?.since === T0 + 200_000);
      expect(r.state.inspects).toBe(3);
    } finally {
      r.w.stop();
    }
  });

  it('an inspect that failed for a passing reason (a timeout, a 500) is asked again: the row gets its age without a new event', async () => {
    const r = rig();
    r.state.fail.push(Object.assign(new Error('(HTTP code 500) server error'), { statusCode: 500 }), new Error('The operation was aborted due to timeout'));
    r.w.start();
    try {
      await until(() => r.get() !== undefined);
      expect(r.get()!.since).toBeUndefined();
      // Asked again after 1 s, then 2 s: the third inspect answers.
      await until(() => r.get()?.since === T0);
      expect(r.state.inspects).toBe(3);
    } finally {
      r.w.stop();
    }
  });

  it('a container the engine no longer knows (404) is not asked again until its state changes', async () => {
    const r = rig();
    r.state.fail.push(Object.assign(new Error('(HTTP code 404) no such container'), { statusCode: 404 }));
    r.w.start();
    try {
      await until(() => r.state.inspects === 1 && r.get() !== undefined);
      const lists = r.state.lists;
      r.w.refresh();
      await until(() => r.state.lists > lists);
      await new Promise((res) => setTimeout(res, 1500));
      expect(r.state.inspects).toBe(1);
      expect(r.get()!.since).toBeUndefined();
      Object.assign(r.state, { kind: 'exited', status: 'Exited (0) 1 second ago', finishedAt: T0 + 5000 });
      r.event('die');
      await until(() => r.get()?.since === T0 + 5000);
      expect(r.state.inspects).toBe(2);
    } finally {
      r.w.stop();
    }
  });
});
