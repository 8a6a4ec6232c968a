// Columns of text with wide characters, combining marks, emoji and SGR colour inside: cutting,
// scrolling sideways and wrapping (src/text/ansi.ts).
import { describe, expect, it } from 'vitest';
import { colRange, hasEsc, sgrText, sliceSgr, stripSgr, wrapStarts, WrapRows } from '../../src/text/ansi.js';

describe('columns', () => {
  it('cuts by display width and never splits a wide character', () => {
    expect(colRange('abcdef', 2, 3)).toEqual({ si: 2, ei: 5 });
    const cjk = '日本語のログ';
    // Column 1 is the right half of 日 and column 4 the left half of 語: neither is split.
    const r = colRange(cjk, 1, 4);
    expect(cjk.slice(r.si, r.ei)).toBe('本');
    const r2 = colRange(cjk, 2, 4);
    expect(cjk.slice(r2.si, r2.ei)).toBe('本語');
    expect(wrapStarts('日本語のログ', 5)).toEqual([0, 4, 8]);
  });

  it('keeps colour codes across a sideways cut and resets at the end', () => {
    const t = '\x1b[31mred text\x1b[0m and plain';
    const out = sliceSgr(t, 4, 8);
    expect(stripSgr(out)).toBe('text and');
    expect(out.startsWith('\x1b[31m')).toBe(true);
    expect(out.endsWith('\x1b[0m')).toBe(true);
  });
});

describe('SGR', () => {
  it('finds escapes and strips colour sequences only', () => {
    expect(hasEsc('plain text')).toBe(false);
    expect(hasEsc('ok \x1b[0m')).toBe(true);
    expect(stripSgr('\x1b[1;31mERR\x1b[0m disk full')).toBe('ERR disk full');
    // 256-colour with colons, and an empty reset.
    expect(stripSgr('\x1b[38:5:196mhot\x1b[m')).toBe('hot');
    // Not colour: left alone (the sanitiser decides about those).
    expect(stripSgr('a\x1b[2Jb')).toBe('a\x1b[2Jb');
    expect(stripSgr('训练\x1b[32m完成\x1b[0m')).toBe('训练完成');
  });
});

describe('wide, combining and emoji', () => {
  it('never splits an emoji or a letter from its combining mark', () => {
    const thumbs = '👍ok';
    const r = colRange(thumbs, 1, 2);
    // Column 1 is the right half of the emoji: it is left out, 'o' (column 2) shows.
    expect(thumbs.slice(r.si, r.ei)).toBe('o');
    const whole = colRange(thumbs, 0, 2);
    expect(thumbs.slice(whole.si, whole.ei)).toBe('👍');
    const accent = 'e\u0301a';
    const a = colRange(accent, 0, 1);
    expect(accent.slice(a.si, a.ei)).toBe('e\u0301');
  });
  it('starts a new row before a wide character that would cross the edge', () => {
    expect(wrapStarts('abcdefg', 3)).toEqual([0, 3, 6]);
    expect(wrapStarts('abcdefg', 3, 2)).toEqual([0, 3]);
    expect(wrapStarts('a日本', 2)).toEqual([0, 1, 3]);
    expect(wrapStarts('', 10)).toEqual([0]);
  });
  it('keeps the colour of wide text cut sideways, and adds no reset to plain text', () => {
    const out = sliceSgr('\x1b[32m日本語\x1b[0m', 2, 2);
    expect(stripSgr(out)).toBe('本');
    expect(out.startsWith('\x1b[32m')).toBe(true);
    expect(out.endsWith('\x1b[0m')).toBe(true);
    expect(sliceSgr('日本語', 2, 4)).toBe('本語');
    expect(sliceSgr('👍👍👍', 1, 4)).toBe('👍');
  });
});

describe('what a log line keeps', () => {
  // Each line in the buffer (10,000 by default) keeps its colour positions and wrapped rows once drawn.
  it('one-row lines share their rows and lines without colour share empty lists, so a buffer of them costs little', () => {
    const rows = ['step 1 loss 0.42', 'step 2 loss 0.41', ''].map((t) => {
      const w = new WrapRows(t, 80);
      w.step();
      return w;
    });
    expect(rows.every((w) => w.done)).toBe(true);
    expect(rows[0]!.cols).toEqual([0]);
    expect(rows[1]!.cols).toBe(rows[0]!.cols);
    expect(rows[2]!.idx).toBe(rows[0]!.idx);
    expect(sgrText('plain a').at).toBe(sgrText('plain b').at);
    expect(sgrText('plain a').seqs).toBe(sgrText('plain b').seqs);
    // Lines that wrap or carry colour keep their own, right.
    const long = new WrapRows('x'.repeat(200), 80);
    long.step();
    expect(long.cols).toEqual([0, 80, 160]);
    expect(long.idx).toEqual([0, 80, 160]);
    expect(long.step()).toBe(true);
    const red = sgrText('\x1b[31mred\x1b[0m ok');
    expect(red).toEqual({ plain: 'red ok', at: [0, 3], seqs: ['\x1b[31m', '\x1b[0m'] });
  });
});
