// The first frame's wait for the first list: over when an engine's containers are listed, when
// discovery ends without an engine, or at its deadline — never before the list when an engine did answer.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { firstList } from '../../src/app/firstList.js';
import { createStore } from '../../src/store/store.js';
import { initialState, reducer, type Action, type AppState } from '../../src/store/state.js';

const store = () => {
  const s = createStore<AppState, Action>(reducer, initialState({}));
  s.dispatch({ type: 'engines/set', engines: [{ id: 'docker', kind: 'docker', label: 'd', endpoint: 'unix:///d', status: 'up' }] });
  return s;
};
const list = (s: ReturnType<typeof store>) => s.dispatch({ type: 'containers/set', engineId: 'docker', containers: [] });

/** Whether the promise has settled after the microtasks now queued. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(() => (done = true));
  await Promise.resolve();
  await Promise.resolve();
  return done;
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('firstList', () => {
  it('waits for the first list, and ends when it comes', async () => {
    const s = store();
    const wait = firstList(s, new Promise(() => undefined), 60);
    vi.advanceTimersByTime(30);
    expect(await settled(wait)).toBe(false);
    list(s);
    expect(await settled(wait)).toBe(true);
  });

  it('does not wait when a list is already there', async () => {
    const s = store();
    list(s);
    expect(await settled(firstList(s, undefined, 60))).toBe(true);
  });

  it('ends at its deadline when no list comes', async () => {
    const wait = firstList(store(), new Promise(() => undefined), 60);
    vi.advanceTimersByTime(59);
    expect(await settled(wait)).toBe(false);
    vi.advanceTimersByTime(1);
    expect(await settled(wait)).toBe(true);
  });

  it('ends when discovery ends with no engine, and not when it ends with one whose list is still coming', async () => {
    const none = firstList(store(), Promise.resolve({ engines: [] }), 60_000);
    expect(await settled(none)).toBe(true);
    const s = store();
    const one = firstList(s, Promise.resolve({ engines: [{}] }), 60_000);
    expect(await settled(one)).toBe(false);
    list(s);
    expect(await settled(one)).toBe(true);
  });
});
