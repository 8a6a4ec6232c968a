// Width-exact cells and cutting (src/text/width.ts).
import { describe, expect, it } from 'vitest';
import { cell, cutMarker, printable, textWidth, truncate } from '../../src/text/width.js';

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

describe('widths of what engines print', () => {
  it('counts wide CJK, emoji and zero-width combining marks, and no columns for SGR', () => {
    expect(textWidth('train-01')).toBe(8);
    expect(textWidth('训练')).toBe(4);
    expect(textWidth('e\u0301')).toBe(1);
    expect(textWidth('👍')).toBe(2);
    expect(textWidth('👨‍👩‍👧')).toBe(2);
    expect(textWidth('\x1b[31mred\x1b[0m')).toBe(3);
    expect(textWidth('')).toBe(0);
  });
  it('cuts emoji and combining marks whole, with room for the ellipsis', () => {
    expect(truncate('👍👍👍', 4)).toBe('👍…');
    expect(textWidth(truncate('👍👍👍', 4))).toBe(3);
    expect(truncate('e\u0301e\u0301e\u0301', 2)).toBe('e\u0301…');
    expect(cell('👍', 3)).toBe('👍 ');
    expect(cell('训练', 5, 'right')).toBe(' 训练');
  });
  it('handles the smallest widths', () => {
    expect(truncate('abc', 0)).toBe('');
    expect(truncate('abc', -1)).toBe('');
    expect(truncate('abcd', 1)).toBe('…');
    expect(truncate('abc', 3)).toBe('abc');
    expect(cell('', 2)).toBe('  ');
  });
});

describe('printable', () => {
  it('shows C0, C1 and bidirectional controls visibly, keeps the rest', () => {
    expect(printable('a\x07b\x9bc\x7fd')).toBe('a^Gb<U+009B>c^?d');
    expect(printable('\x1b[31mred')).toBe('^[[31mred');
    expect(printable('evil\u202eexe.txt')).toBe('evil<U+202E>exe.txt');
    expect(printable('训练 ✓ e\u0301')).toBe('训练 ✓ e\u0301');
  });
});

describe('cut marker', () => {
  it('says how many characters a cut line lost', () => {
    expect(cutMarker(12)).toBe(' … [cut 12 characters]');
  });
});
