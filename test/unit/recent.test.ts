// The text caches' two generations (src/ui/ink/recent.ts): what every frame uses stays, what the
// frames stopped using goes, and no more than twice the size is ever held.
import { describe, expect, it } from 'vitest';
import { Recent } from '../../src/ui/ink/recent.js';

describe('Recent', () => {
  it('keeps what each frame uses while a changing number makes new texts, and holds at most twice its size', () => {
    const r = new Recent<string>(64);
    let made = 0;
    const get = (k: string) => r.get(k, () => (made++, `v:${k}`));
    const steady = Array.from({ length: 40 }, (_, i) => `row ${i}`);
    for (const k of steady) get(k);
    expect(made).toBe(40);
    // 2,000 frames: the same 40 rows, and one row whose figure changes every frame.
    for (let f = 0; f < 2000; f++) {
      for (const k of steady) expect(get(k)).toBe(`v:${k}`);
      get(`cpu ${f} %`);
      expect(r.held).toBeLessThanOrEqual(128);
    }
    // The steady rows were never made again; each changing one was made once.
    expect(made).toBe(40 + 2000);
    // What no frame asked for any more is gone: asked again, it is made again.
    get('cpu 0 %');
    expect(made).toBe(40 + 2001);
  });

  it('gives the same value for a key until it is forgotten, and clear forgets everything', () => {
    const r = new Recent<number>(2);
    let n = 0;
    const get = (k: string) => r.get(k, () => ++n);
    expect([get('a'), get('b'), get('a')]).toEqual([1, 2, 1]);
    get('c'); // the newer generation was full: a and b are now the older one
    expect(get('a')).toBe(1);
    r.clear();
    expect(r.held).toBe(0);
    expect(get('a')).toBe(4);
  });
});
