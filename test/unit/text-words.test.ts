// Lists as a sentence (src/text/words.ts).
import { describe, expect, it } from 'vitest';
import { listWords } from '../../src/text/words.js';

describe('words', () => {
  it('lists things as a sentence', () => {
    expect(listWords([])).toBe('');
    expect(listWords(['a'])).toBe('a');
    expect(listWords(['a', 'b'])).toBe('a and b');
    expect(listWords(['a', 'b', 'c'])).toBe('a, b and c');
  });
});
