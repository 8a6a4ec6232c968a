// The first frame waits (a bounded while) for an engine's first list, so that it is drawn with the
// list rather than empty and then again (src/app/session.ts firstList): it goes on as the list
// comes in, as discovery ends with no engine, or when the wait runs out.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { firstList } from '../../src/app/session.js';
import { createStore } from '../../src/store/store.js';
import { initialState, reducer, type Action, type AppState } from '../../src/store/state.js';

const store = () => createStore<AppState, Action>(reducer, initialState());
const listed = (s: ReturnType<typeof store>) => s.dispatch({ type: 'containers/set', engineId: 'docker', containers: [] });

describe('firstList', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const settled = (p: Promise<void>) => {
    const state = { done: false };
    void p.then(() => (state.done = true));
    return state;
  };

  it('goes on the moment an engine has listed, not before', async () => {
    const s = store();
    const w = settled(firstList(s, new Promise(() => undefined), 150));
    s.dispatch({ type: 'engines/trying', places: ['/x.sock'] });
    await vi.advanceTimersByTimeAsync(100);
    expect(w.done).toBe(false);
    listed(s);
    await vi.advanceTimersByTimeAsync(0);
    expect(w.done).toBe(true);
  });

  it('goes on at once when a list is already in', async () => {
    const s = store();
    listed(s);
    const w = settled(firstList(s, undefined, 150));
    await vi.advanceTimersByTimeAsync(0);
    expect(w.done).toBe(true);
  });

  it('waits no longer than it is given (an engine slow to list: the frame says "loading containers…")', async () => {
    const w = settled(firstList(store(), new Promise(() => undefined), 150));
    await vi.advanceTimersByTimeAsync(149);
    expect(w.done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(w.done).toBe(true);
  });

  it('goes on when discovery ends with no engine here, and keeps waiting when one answered but has not listed', async () => {
    const none = settled(firstList(store(), Promise.resolve({ engines: [] }), 150));
    const one = settled(firstList(store(), Promise.resolve({ engines: [{}] }), 150));
    await vi.advanceTimersByTimeAsync(0);
    expect(none.done).toBe(true);
    expect(one.done).toBe(false);
    await vi.advanceTimersByTimeAsync(150);
    expect(one.done).toBe(true);
  });
});
