// src/text/stringWidth.ts answers as string-width does, only faster for common text: every code
// point of its narrow table is checked against string-width on its own, and random strings made of
// the table, ASCII, escape sequences, wide, combining and emoji characters are checked whole.
import { describe, expect, it, vi } from 'vitest';
import realStringWidth from 'string-width';
import stringWidth, { NARROW } from '../../src/text/stringWidth.js';

// string-width itself, counted: the fast path must not reach it.
vi.mock('string-width', async (original) => {
  const m = await original<typeof import('string-width')>();
  return { default: vi.fn(m.default) };
});

/** A small seeded generator, so that a failure can be run again. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('stringWidth (string-width with a fast path)', () => {
  it('every code point in the narrow table is one column wide to string-width, and no mark, format character or emoji', () => {
    let checked = 0;
    for (const [a, b] of NARROW) {
      for (let cp = a; cp <= b; cp++) {
        const ch = String.fromCodePoint(cp);
        expect(realStringWidth(ch), `U+${cp.toString(16)}`).toBe(1);
        expect(/[\p{M}\p{Cf}\p{Cc}\p{Emoji}\p{Extended_Pictographic}\p{Default_Ignorable_Code_Point}]/u.test(ch), `U+${cp.toString(16)}`).toBe(false);
        expect(stringWidth(ch)).toBe(1);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1500);
  });

  it('random strings of ASCII, table characters, escape sequences, wide, combining and emoji characters measure as string-width measures them', () => {
    const next = rng(20261202);
    const table = NARROW.flatMap(([a, b]) => [a, b, Math.floor((a + b) / 2)]).map((cp) => String.fromCodePoint(cp));
    const pools: string[][] = [
      ['a', 'Z', ' ', '~', '0', '#', '*'],
      table,
      ['\x1b[31m', '\x1b[0m', '\x1b[1;38;5;208m', '\x1b[?25l', '\x1b]0;title\x07', '\x1b]8;;http://x\x1b\\', '\x1b[', '\x1bM', '\x9b1m'],
      ['漢', 'ｶ', '한', '\u1100\u1161', '😀', '👍🏽', '👩‍💻', '🇩🇪', '✔', '✔\ufe0f', '⚠', '☁\ufe0f', '1\ufe0f\u20e3'],
      ['\u0301', '\u200d', '\ufe0f', '\u200b', '\u00ad', '\t', '\n', '\x7f', '\u0e33', '\u0915\u094d\u0937'],
    ];
    let fast = 0;
    for (let n = 0; n < 5000; n++) {
      const mix = next() < 0.5 ? [0, 1, 2] : [0, 1, 2, 3, 4];
      let s = '';
      const len = Math.floor(next() * 12);
      for (let i = 0; i < len; i++) {
        const pool = pools[mix[Math.floor(next() * mix.length)]!]!;
        s += pool[Math.floor(next() * pool.length)];
      }
      expect(stringWidth(s), JSON.stringify(s)).toBe(realStringWidth(s));
      expect(stringWidth(s, { ambiguousIsNarrow: false }), JSON.stringify(s)).toBe(realStringWidth(s, { ambiguousIsNarrow: false }));
      expect(stringWidth(s, { countAnsiEscapeCodes: true }), JSON.stringify(s)).toBe(realStringWidth(s, { countAnsiEscapeCodes: true }));
      if (/^[\x20-\x7e\u00a0-\u28ff]*$/.test(s.replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, ''))) fast++;
    }
    // Most of the strings took the fast path (the test is about it).
    expect(fast).toBeGreaterThan(1500);
  });

  it("gantry's chrome is measured without string-width's segmenter: header dots, borders, ellipsis, arrows", () => {
    const chrome = ['docker \x1b[32m●\x1b[39m /var/run/docker.sock', '│ Logs ', 'loading…', '◌ connecting…', '↑ 3 more', '▏▕', '· 2m ago'];
    const real = vi.mocked(realStringWidth);
    real.mockClear();
    const widths = chrome.map((s) => stringWidth(s));
    expect(real).not.toHaveBeenCalled();
    expect(widths).toEqual(chrome.map((s) => realStringWidth(s)));
    expect(widths).toEqual([29, 7, 8, 13, 8, 2, 8]);
    // Anything else is string-width's to answer.
    expect(stringWidth('漢字 ok')).toBe(7);
    expect(real).toHaveBeenCalledWith('漢字 ok', undefined);
  });
});
