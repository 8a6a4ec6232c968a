// gantry's own collections compact by default on Node 20 (src/app/oldGc.ts): V8's flag set just
// before the collection and unset just after. V8's flag setter is watched here, not the heap.
import { afterEach, describe, expect, it, vi } from 'vitest';

const flags: string[] = [];
vi.mock('node:v8', async (original) => ({
  ...(await original<typeof import('node:v8')>()),
  setFlagsFromString: (f: string) => void flags.push(f),
}));
const { startOldGc } = await import('../../src/app/oldGc.js');

afterEach(() => void (flags.length = 0));

describe("startOldGc's default compaction", () => {
  it('sets V8 compaction around its own collection on Node 20 and nowhere else, and leaves it off', () => {
    const steps: string[] = [];
    let used = 10 * 1024 * 1024;
    const c = startOldGc({ gc: () => void steps.push(`gc with [${flags.join(' ')}]`), oldUsed: () => used, everyMs: 3_600_000 })!;
    try {
      expect(c.check()).toBe(false);
      expect(flags).toEqual([]);
      used += 4 * 1024 * 1024;
      expect(c.check()).toBe(true);
      if (process.versions.node.split('.')[0] === '20') {
        expect(steps).toEqual(['gc with [--compact-on-every-full-gc]']);
        expect(flags).toEqual(['--compact-on-every-full-gc', '--no-compact-on-every-full-gc']);
      } else {
        // Elsewhere V8 may not know the flag (it would print over the TUI): never set.
        expect(steps).toEqual(['gc with []']);
        expect(flags).toEqual([]);
      }
    } finally {
      c.stop();
    }
  });
});
