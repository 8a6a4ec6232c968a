// Lists as a sentence (src/text/words.ts).
import { describe, expect, it } from 'vitest';
import { listWords, wrapWithin } from '../../src/text/words.js';

describe('words', () => {
  it('lists things as a sentence', () => {
    expect(listWords([])).toBe('');
    expect(listWords(['a'])).toBe('a');
    expect(listWords(['a', 'b'])).toBe('a and b');
    expect(listWords(['a', 'b', 'c'])).toBe('a, b and c');
  });

  it('wraps within a width and a number of lines: one line when it fits, the rest cut with …', () => {
    expect(wrapWithin('fits in ten', 11, 3)).toEqual(['fits in ten']);
    expect(wrapWithin('one two three four', 9, 3)).toEqual(['one two', 'three', 'four']);
    expect(wrapWithin('one two three four five six', 9, 2)).toEqual(['one two', 'three fo…']);
    // A word wider than the line is cut, not left to run past it.
    expect(wrapWithin('a /very/long/path/name b', 8, 3)).toEqual(['a', '/very/l…', 'b']);
  });
});
