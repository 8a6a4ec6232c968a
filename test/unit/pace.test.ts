// The pacer between the store and the screen: updates that are not a key's reach the screen at
// most once a window (the first at once, the rest together at the window's end); a key's own
// update, and whatever was held, at once. A hand-driven clock: behaviour, not timing.
import { describe, expect, it } from 'vitest';
import { Pacer, type PaceTimers } from '../../src/ui/pace.js';
import { createStore } from '../../src/store/store.js';

function clock() {
  let t = 0;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let ids = 0;
  const api: PaceTimers = {
    now: () => t,
    setTimeout: (fn, ms) => {
      const id = ++ids;
      timers.push({ at: t + ms, fn, id });
      return id;
    },
    clearTimeout: (id) => {
      timers = timers.filter((x) => x.id !== id);
    },
  };
  const advance = (ms: number) => {
    const end = t + ms;
    for (;;) {
      const next = timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      timers = timers.filter((x) => x !== next);
      t = next.at;
      next.fn();
    }
    t = end;
  };
  return { api, advance, pending: () => timers.length };
}

function rig(windowMs = 50) {
  const store = createStore<number, number>((s, a) => s + a, 0);
  const c = clock();
  const pacer = new Pacer(store.subscribe, windowMs, c.api);
  const seen: number[] = [];
  const unsubscribe = pacer.subscribe(() => seen.push(store.getState()));
  return { store, pacer, seen, unsubscribe, ...c };
}

describe('the pacer', () => {
  it('passes the first update after a quiet window on at once, and the ones in the window after it as one, at its end', () => {
    const r = rig();
    r.store.dispatch(1);
    expect(r.seen).toEqual([1]);
    for (let i = 0; i < 10; i++) {
      r.advance(4);
      r.store.dispatch(1);
    }
    // Ten updates inside the window: none drawn yet, one drawing due.
    expect(r.seen).toEqual([1]);
    r.advance(50);
    expect(r.seen).toEqual([1, 11]);
    // Quiet again: the next update is drawn at once.
    r.advance(100);
    r.store.dispatch(1);
    expect(r.seen).toEqual([1, 11, 12]);
  });

  it('under a steady stream of updates passes on one per window', () => {
    const r = rig();
    for (let i = 0; i < 1000; i++) {
      r.store.dispatch(1);
      r.advance(1);
    }
    // 1,000 updates over 1,000 ms of clock: drawings at 0, 50, …, 1,000 ms — 21, not 1,000.
    expect(r.seen.length).toBe(21);
    r.advance(50);
    expect(r.seen.at(-1)).toBe(1000);
  });

  it("draws a key's update at once, with whatever was held, and does not draw the held ones again", () => {
    const r = rig();
    r.store.dispatch(1);
    r.advance(10);
    r.store.dispatch(1);
    expect(r.seen).toEqual([1]);
    r.pacer.urgent(() => r.store.batch(() => r.store.dispatch(5)));
    expect(r.seen).toEqual([1, 7]);
    // The held drawing was the key's: nothing more is due.
    expect(r.pending()).toBe(0);
    r.advance(100);
    expect(r.seen).toEqual([1, 7]);
  });

  it('passes every update on at once with a window of 0, and lets go of the store when the last listener leaves', () => {
    const r = rig(0);
    r.store.dispatch(1);
    r.store.dispatch(1);
    expect(r.seen).toEqual([1, 2]);
    const r2 = rig();
    r2.store.dispatch(1);
    r2.store.dispatch(1);
    expect(r2.pending()).toBe(1);
    r2.unsubscribe();
    expect(r2.pending()).toBe(0);
    r2.store.dispatch(1);
    r2.advance(100);
    expect(r2.seen).toEqual([1]);
  });
});
