// The old generation's collector: a full collection once the old space has grown by the given
// bytes since the last one (gantry's own or V8's), nothing without a `gc`.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compactEveryFullGc, OLD_GC_EVERY_MS, OLD_GC_GROWTH_BYTES, oldSpaceUsed, startOldGc } from '../../src/app/oldGc.js';

const MiB = 1024 * 1024;

/** An old space whose size the test sets, and a gc that counts and leaves `after` in it. */
function fakeHeap(start: number) {
  const h = { used: start, after: start, calls: 0 };
  const gc = () => {
    h.calls++;
    h.used = h.after;
  };
  return { h, gc, oldUsed: () => h.used };
}

afterEach(() => vi.useRealTimers());

describe('startOldGc', () => {
  it('does nothing where node has no gc (run without bin/gantry, as vitest runs this file)', () => {
    expect(typeof (globalThis as { gc?: unknown }).gc).toBe('undefined');
    expect(startOldGc()).toBeUndefined();
    expect(startOldGc({ gc: undefined })).toBeUndefined();
  });

  it('collects once the old space has grown by the threshold, then counts from what the collection left', () => {
    const { h, gc, oldUsed } = fakeHeap(10 * MiB);
    const c = startOldGc({ gc, oldUsed, everyMs: 3_600_000 })!;
    try {
      h.used = 10 * MiB + OLD_GC_GROWTH_BYTES - 1;
      expect(c.check()).toBe(false);
      expect(h.calls).toBe(0);
      h.used = 10 * MiB + OLD_GC_GROWTH_BYTES;
      h.after = 10.5 * MiB;
      expect(c.check()).toBe(true);
      expect(h.calls).toBe(1);
      // Counted from 10.5 MiB now: 12 MiB is not yet 2 MiB more.
      h.used = 12 * MiB;
      expect(c.check()).toBe(false);
      h.used = 12.5 * MiB;
      expect(c.check()).toBe(true);
      expect(h.calls).toBe(2);
    } finally {
      c.stop();
    }
  });

  it("counts from what V8's own collection left when the old space shrank meanwhile", () => {
    const { h, gc, oldUsed } = fakeHeap(10 * MiB);
    const c = startOldGc({ gc, oldUsed, everyMs: 3_600_000 })!;
    try {
      h.used = 8 * MiB;
      expect(c.check()).toBe(false);
      h.used = 8 * MiB + OLD_GC_GROWTH_BYTES;
      expect(c.check()).toBe(true);
    } finally {
      c.stop();
    }
  });

  it('looks every 30 s, and not after stop()', () => {
    vi.useFakeTimers();
    const { h, gc, oldUsed } = fakeHeap(10 * MiB);
    const c = startOldGc({ gc, oldUsed })!;
    h.used = 20 * MiB;
    vi.advanceTimersByTime(OLD_GC_EVERY_MS - 1);
    expect(h.calls).toBe(0);
    vi.advanceTimersByTime(1);
    expect(h.calls).toBe(1);
    h.used = 30 * MiB;
    c.stop();
    vi.advanceTimersByTime(10 * OLD_GC_EVERY_MS);
    expect(h.calls).toBe(1);
  });

  it('compacts its own collections only: compaction on just before, off just after, even when the collection throws', () => {
    const { h, gc, oldUsed } = fakeHeap(10 * MiB);
    const steps: string[] = [];
    const compact = (on: boolean) => steps.push(on ? 'compact on' : 'compact off');
    const c = startOldGc({ gc: () => (steps.push('gc'), gc()), oldUsed, compact, everyMs: 3_600_000 })!;
    try {
      h.used = 11 * MiB;
      expect(c.check()).toBe(false);
      expect(steps).toEqual([]);
      h.used = 10 * MiB + OLD_GC_GROWTH_BYTES;
      expect(c.check()).toBe(true);
      expect(steps).toEqual(['compact on', 'gc', 'compact off']);
    } finally {
      c.stop();
    }
    steps.length = 0;
    const failing = startOldGc({ gc: () => { throw new Error('collection failed'); }, oldUsed: () => 100 * MiB, compact, growthBytes: 0, everyMs: 3_600_000 })!;
    try {
      expect(() => failing.check()).toThrow('collection failed');
      expect(steps).toEqual(['compact on', 'compact off']);
    } finally {
      failing.stop();
    }
  });

  it("reads V8's real old space and runs V8's real gc", () => {
    // Some of the heap, and not all of it.
    expect(oldSpaceUsed()).toBeGreaterThan(100 * 1024);
    expect(oldSpaceUsed()).toBeLessThan(process.memoryUsage().heapUsed);
    setFlagsFromString('--expose-gc');
    const real = runInNewContext('gc') as () => void;
    let calls = 0;
    // With V8's real compaction flag around it (this file runs on Node 20 in CI, where the default sets it).
    const c = startOldGc({ gc: () => (calls++, real()), compact: compactEveryFullGc, growthBytes: 0, everyMs: 3_600_000 })!;
    try {
      expect(c.check()).toBe(true);
      expect(calls).toBe(1);
    } finally {
      c.stop();
    }
  });
});
