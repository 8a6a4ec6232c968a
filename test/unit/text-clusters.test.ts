// Grapheme clusters and widths without Intl.Segmenter on long text (src/text/clusters.ts): the
// same boundaries as Intl.Segmenter and the same widths as string-width on every kind of text,
// and a 64 KiB line of any script measured, cut and wrapped without ever handing the segmenter
// more than a short window (it took 16 s and more on such a line).
import stringWidth from 'string-width';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Clusters, plainWidth, prefix, widerThan } from '../../src/text/clusters.js';
import { colRange, sliceSgr, WrapRows } from '../../src/text/ansi.js';
import { textWidth, truncate } from '../../src/text/width.js';

// Letters, CJK, Hangul syllables and jamo, emoji with skin tones, ZWJ and variation selectors,
// keycaps, flags, tags, combining marks of many scripts, Indic conjuncts, Thai and Lao AM,
// prepended marks, format and bidi controls, fullwidth and halfwidth forms, lone surrogates.
const PALETTE = [
  'a', 'Z', ' ', '~', '漢', '字', '한', '\u1100', '\u1161', '\u11a8', '\uac00', '\ud7a3', '\ua960', '\ud7b0', '\ud7cb',
  '😀', '👍', '👨', '👩', '👧', '\u{1F3FD}', '\u200d', '\u200d', '\ufe0f', '\ufe0e', '\u20e3', '#', '1', '\u{1F1EF}', '\u{1F1F5}',
  '\u0301', '\u0300', '\u0483', '\u05b0', '\u0600', '\u0627', '\u064b', '\u0e01', '\u0e33', '\u0e31', '\u0eb3', '\u0915', '\u094d', '\u0937', '\u093f',
  '\u0995', '\u09cd', '\u0b95', '\u0bcd', '\u1000', '\u1039', '\u103a', '\u102b', '\u1780', '\u17d2', '\u17b6', '\u{E0061}', '\u{E007F}', '\u{1F3F4}',
  '\u200b', '\u200c', '\u202e', '\u2066', '\u2028', '\ufeff', '\uff21', '\uff9e', '\uff76', '\u3099', '\u0f40', '\u0f71', '\u180b', '\ud800', '\udc00',
  '\u2764', '\u263a', '\u00e9', '\u0345', '\u{11013}', '\u{11046}', '\u{110bd}', '\u0903', '\u0d4e', '\u0d15', '\u0d4d', '\u0a95', '\u0acd',
];

/** A small deterministic PRNG (mulberry32), so a failure names a string that fails again. */
function rng(seed: number): (n: number) => number {
  let a = seed;
  return (n) => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

function clusters(s: string): { ends: number[]; width: number } {
  const c = new Clusters(s);
  const ends: number[] = [];
  let width = 0;
  while (c.next()) {
    ends.push(c.end);
    width += c.width;
  }
  return { ends, width };
}

const segmenter = new Intl.Segmenter();

describe('clusters', () => {
  it('finds the boundaries Intl.Segmenter finds and the widths string-width gives, on every kind of text', () => {
    const r = rng(12345);
    for (let t = 0; t < 6000; t++) {
      let s = '';
      const n = 1 + r(10);
      for (let i = 0; i < n; i++) s += r(3) ? PALETTE[r(PALETTE.length)] : String.fromCodePoint(r(2) ? r(0x3400) : 0x10000 + r(0x20000));
      const want = [...segmenter.segment(s)].map((x) => x.index + x.segment.length);
      const got = clusters(s);
      expect({ s, ends: got.ends, width: got.width }).toEqual({ s, ends: want, width: stringWidth(s) });
    }
  });

  it('joins emoji sequences, flags and marks, and breaks where Unicode does', () => {
    expect(clusters('👨‍👩‍👧x').ends).toEqual([8, 9]);
    expect(clusters('🇯🇵🇺').ends).toEqual([4, 6]);
    expect(clusters('e\u0301\u0302a').ends).toEqual([3, 4]);
    // A ZWJ after a ZWJ does not join the next emoji.
    expect(clusters('😀\u200d\u200d😀').ends).toEqual([4, 6]);
    expect(plainWidth('👍🏽 ok')).toBe(5);
  });

  it('steps over runs of ASCII, leaving a letter that carries marks to next()', () => {
    const c = new Clusters('abcde\u0301f');
    expect(c.asciiRun(100)).toBe(4);
    c.skip(4);
    expect(c.next()).toBe(true);
    expect([c.start, c.end, c.width]).toEqual([4, 6, 1]);
    expect(prefix('ab日本', 3)).toEqual({ end: 2, width: 2 });
    expect(prefix('ab日本', 4)).toEqual({ end: 3, width: 4 });
    expect(widerThan('日本語', 5)).toBe(true);
    expect(widerThan('日本語', 6)).toBe(false);
  });
});

describe('a 64 KiB line of any script', () => {
  const lines: Record<string, string> = {
    'ASCII with the cut marker': `${'x'.repeat(65_536)} … [cut 4464 characters]`,
    CJK: '漢字'.repeat(32_768),
    'emoji ZWJ sequences': '👨‍👩‍👧'.repeat(8192),
    'Devanagari conjuncts': 'क्षत्रिय '.repeat(7281),
    'stacked combining marks': `a${'\u0301\u0302\u0303\u0304'.repeat(10)}`.repeat(1598),
    flags: '🇯🇵'.repeat(16_384),
  };
  let longest = 0;
  afterEach(() => vi.restoreAllMocks());
  const watchSegmenter = () => {
    longest = 0;
    const real = Intl.Segmenter.prototype.segment;
    vi.spyOn(Intl.Segmenter.prototype, 'segment').mockImplementation(function (this: Intl.Segmenter, s: string) {
      longest = Math.max(longest, s.length);
      return real.call(this, s);
    });
  };

  it.each(Object.entries(lines))('%s: measured, cut, scrolled and wrapped without segmenting more than a short window', (_name, line) => {
    watchSegmenter();
    const first = colRange(line, 0, 80);
    expect(textWidth(line.slice(first.si, first.ei))).toBeLessThanOrEqual(80);
    expect(widerThan(line, 200)).toBe(true);
    expect(textWidth(truncate(line, 100))).toBeLessThanOrEqual(100);
    expect(sliceSgr(`\x1b[31m${line}\x1b[0m`, 40, 40).startsWith('\x1b[31m')).toBe(true);
    const wrap = new WrapRows(line, 120);
    wrap.step();
    expect(wrap.done).toBe(true);
    expect(wrap.cols.length).toBeGreaterThan(10);
    // The last row starts where the whole width says it should.
    const total = plainWidth(line);
    expect(wrap.cols[wrap.cols.length - 1]!).toBeLessThanOrEqual(total);
    expect(total - wrap.cols[wrap.cols.length - 1]!).toBeLessThanOrEqual(120);
    expect(longest).toBeLessThanOrEqual(256);
  });

  it('agrees with string-width on the width of the whole line, measured in one pass', () => {
    for (const line of Object.values(lines)) {
      const piece = line.slice(0, 2000);
      expect(plainWidth(piece)).toBe(stringWidth(piece));
    }
  });

  it('lays out a long line a slice at a time when asked to stop early, and ends where a whole pass does', () => {
    const line = lines['Devanagari conjuncts']!;
    const whole = new WrapRows(line, 80);
    whole.step();
    const sliced = new WrapRows(line, 80);
    let passes = 0;
    while (!sliced.step(performance.now() - 1)) passes++;
    expect(passes).toBeGreaterThan(5);
    expect(sliced.cols).toEqual(whole.cols);
    expect(sliced.idx).toEqual(whole.idx);
  });
});
