// Width-exact cells and cutting (src/text/width.ts).
import { describe, expect, it } from 'vitest';
import { cell, textWidth, truncate } from '../../src/text/width.js';

describe('cells', () => {
  it('pads and cuts to an exact width', () => {
    expect(cell('web', 6)).toBe('web   ');
    expect(cell('abcdefgh', 5)).toBe('abcd…');
    expect(cell('7', 3, 'right')).toBe('  7');
  });
  it('keeps wide and combining characters aligned', () => {
    expect(textWidth(cell('训练任务-vla', 8))).toBe(8);
    expect(textWidth(cell('e\u0301e\u0301', 5))).toBe(5);
    expect(truncate('训练任务', 5)).toBe('训练…');
  });
});
