import { describe, expect, it } from 'vitest';
import { compareNames, PUNCTUATION } from '../../src/text/compare.js';

const icu = (a: string, b: string) => a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' });

describe('compareNames', () => {
  it('orders names as people read them: numbers by value, case ignored', () => {
    const names = ['train-10', 'train-2', 'Train-1', 'eval', 'train-02b', 'train-2a', 'data_prep', 'data-prep', 'data.prep'];
    expect([...names].sort(compareNames)).toEqual(['data_prep', 'data-prep', 'data.prep', 'eval', 'Train-1', 'train-2', 'train-2a', 'train-02b', 'train-10']);
  });

  it('holds ASCII punctuation in the collator\'s order', () => {
    expect([...PUNCTUATION].sort(icu).join('')).toBe(PUNCTUATION);
    const printable = Array.from({ length: 0x5f }, (_, i) => String.fromCharCode(0x20 + i)).filter((c) => !/[0-9A-Za-z]/.test(c));
    expect([...PUNCTUATION].sort()).toEqual(printable.sort());
  });

  it('agrees with localeCompare (numeric, base) wherever the collator tells two names apart', () => {
    const alphabet = 'aAbBzZ0019 _-./:@';
    let seed = 11;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const word = () => Array.from({ length: 1 + rnd(7) }, () => alphabet[rnd(alphabet.length)]).join('');
    for (let i = 0; i < 20_000; i++) {
      const a = word();
      const b = word();
      const want = Math.sign(icu(a, b));
      const got = Math.sign(compareNames(a, b));
      if (want !== 0) expect([a, b, got]).toEqual([a, b, want]);
      // A total order: equal only when the same string, and antisymmetric.
      expect(got === 0).toBe(a === b);
      expect(Math.sign(compareNames(b, a)) + got).toBe(0);
    }
  });

  it('hands text beyond ASCII to the collator', () => {
    expect(Math.sign(compareNames('é', 'f'))).toBe(-1);
    expect(Math.sign(compareNames('Ärger', 'apfel'))).toBe(Math.sign(icu('Ärger', 'apfel')));
  });
});
