// Old-generation garbage collected before V8 lets it pile up.
//
// What a gantry at rest promotes to V8's old generation dies there: row strings that lived in the
// bounded text caches until newer rows pushed them out, log lines past the panel's bound, usage
// readings. V8 collects the old generation only when it reaches a limit of live size plus at
// least 8 MiB, so a gantry left open grew by ~6 MiB of garbage in its first minutes and kept the
// pages (the soak part: 58.6 MiB at the start, 66.6 at 5 minutes, 68.5 at 15; a full collection at
// 6 minutes took the heap from 17.4 to 11.2 MiB used, what it held at 30 s). So every 30 s gantry
// looks at the old space, and once it has grown by 2 MiB since its last collection it asks V8 for
// a full one (9-14 ms of the main thread, about once every two minutes at rest). Measured side by
// side (tmux, 20 loggers, the panel following one, GPU polling; 2026-12-04): 58.8 -> 61.7 MiB from
// 30 s to 6 minutes, flat from the fourth, against 58.7 -> 67.3 MiB and still rising without it.
// bin/gantry gives node --expose-gc; run any other way there is no `gc` and nothing is done.
//
// These collections compact (on Node 20, where it was measured): V8 compacts a full collection's
// fragmented pages only by its own heuristics, and keeps the pages it does not compact, so
// resident memory still crept while what the heap held stayed the same (the old generation ~9 MiB
// after each collection for 16 minutes, its committed pages 9.5 -> 12.7 MiB). V8's flag for it is
// set for gantry's collection alone, so V8's own (a log flood's) are as before. Side by side
// (tmux, the bench's scene, 2026-12-04 21:51-22:07): 57-61 MiB from 10 to 16 minutes against
// 61-63 without; a collection 12-19 ms of the main thread instead of 8-9, one every ~2 minutes.
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { trace } from '../trace.js';

export const OLD_GC_EVERY_MS = 30_000;
export const OLD_GC_GROWTH_BYTES = 2 * 1024 * 1024;

export interface OldGcOptions {
  /** A full collection (default: the `gc` --expose-gc puts on globalThis). */
  gc?: (() => void) | undefined;
  /** Bytes in use in the old generation (default: V8's old space). */
  oldUsed?: () => number;
  everyMs?: number;
  growthBytes?: number;
  /** Turns compaction of every full collection on (before gantry's) and off (after); default: V8's flag, on Node 20 only. */
  compact?: ((on: boolean) => void) | undefined;
}

export interface OldGc {
  /** One look: collects when the old space grew by `growthBytes` since the last collection; says whether it did. */
  check(): boolean;
  stop(): void;
}

/** V8's `--compact-on-every-full-gc`, on or off (a V8 flag is read at each collection). */
export function compactEveryFullGc(on: boolean): void {
  setFlagsFromString(on ? '--compact-on-every-full-gc' : '--no-compact-on-every-full-gc');
}

// V8 prints to stderr (over the TUI) a flag it does not know: only on the Node it was measured on.
const NODE_20 = process.versions.node.split('.')[0] === '20';

/** Bytes in use in V8's old space. */
export function oldSpaceUsed(): number {
  for (const s of getHeapSpaceStatistics()) if (s.space_name === 'old_space') return s.space_used_size;
  return 0;
}

/** Starts the looks every `everyMs` (the timer keeps no process alive); undefined when there is no `gc`. */
export function startOldGc(o: OldGcOptions = {}): OldGc | undefined {
  const gc = 'gc' in o ? o.gc : (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== 'function') return undefined;
  const used = o.oldUsed ?? oldSpaceUsed;
  const growth = o.growthBytes ?? OLD_GC_GROWTH_BYTES;
  const compact = 'compact' in o ? o.compact : NODE_20 ? compactEveryFullGc : undefined;
  let base = used();
  const check = (): boolean => {
    const now = used();
    // V8 collected by itself meanwhile: count from what it left.
    if (now < base) base = now;
    if (now - base < growth) return false;
    const t0 = performance.now();
    compact?.(true);
    try {
      gc();
    } finally {
      compact?.(false);
    }
    base = used();
    trace(`old generation collected: ${(now / 1048576).toFixed(1)} -> ${(base / 1048576).toFixed(1)} MiB in ${(performance.now() - t0).toFixed(1)} ms`);
    return true;
  };
  const timer = setInterval(check, o.everyMs ?? OLD_GC_EVERY_MS);
  timer.unref();
  return { check, stop: () => clearInterval(timer) };
}
