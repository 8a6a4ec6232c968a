// The fast row composer (src/ui/ink/row.ts) against Ink's own Output: thousands of rows of
// generated writes — SGR codes of every kind, one-column characters of many blocks, overlapping
// and off-row writes — must come out byte for byte as Ink draws them, and text it cannot read
// (wide, combining, emoji, links, other escapes, tabs) must be left to Ink.
import { describe, expect, it } from 'vitest';
import { composeRow } from '../../src/ui/ink/row.js';
import { inkRow, sliceColumns } from '../../src/ui/ink/output.js';
import sliceAnsi from 'slice-ansi';

const SGR = ['\x1b[31m', '\x1b[39m', '\x1b[1m', '\x1b[22m', '\x1b[2m', '\x1b[0m', '\x1b[m', '\x1b[1;31m', '\x1b[38;5;208m', '\x1b[38;2;1;2;3m', '\x1b[48;5;4m', '\x1b[49m', '\x1b[7m', '\x1b[27m', '\x1b[4m', '\x1b[24m', '\x1b[9m', '\x1b[3m', '\x1b[23m', '\x1b[91m', '\x1b[1;2;3m', '\x1b[38;5m', '\x1b[42;1m', '\x1b[5m', '\x1b[8m'];
const TEXT = ['abc', ' ', 'x', 'docker/vla-train', '│', '─', '┌', '…', '▌', '█', '▁▂▃', '·', 'é', '→', '✓', '°', '±', '½', '©', '™', '‼', '\u00a0', '  '];
const OTHER = ['e\u0301', '训练', '👍', '\t', '\x1b]8;;http://x\x07link\x1b]8;;\x07', '\x1b[A', '\u00ad', '\u200d', '☀\ufe0f', '\x1b[', '\x9b31m'];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function line(r: () => number, other: boolean): string {
  let out = '';
  const parts = 1 + Math.floor(r() * 8);
  for (let i = 0; i < parts; i++) {
    const pick = r();
    if (pick < 0.4) out += SGR[Math.floor(r() * SGR.length)];
    else if (other && pick > 0.93) out += OTHER[Math.floor(r() * OTHER.length)];
    else out += TEXT[Math.floor(r() * TEXT.length)];
  }
  return out;
}

describe('the fast row composer', () => {
  it("draws every row it takes exactly as Ink's Output does", () => {
    const r = rng(12345);
    let fast = 0;
    for (let n = 0; n < 4000; n++) {
      const width = 1 + Math.floor(r() * 40);
      const writes: [number, string][] = [];
      const count = Math.floor(r() * 5);
      for (let i = 0; i < count; i++) writes.push([Math.floor(r() * (width + 6)) - 3, line(r, n % 2 === 0)]);
      const mine = composeRow(width, writes);
      if (mine === undefined) continue;
      fast++;
      expect(mine, JSON.stringify({ width, writes })).toBe(inkRow(width, writes));
    }
    // Most rows are within what it reads (the odd ones carry text it leaves to Ink).
    expect(fast).toBeGreaterThan(2500);
  });

  it('leaves wide, combining, emoji, linked, tabbed and other escaped text to Ink', () => {
    for (const text of OTHER) expect(composeRow(20, [[0, `ab${text}cd`]]), JSON.stringify(text)).toBeUndefined();
    expect(composeRow(20, [[0, '\x1b[31mok\x1b[39m │ …']])).toBe(inkRow(20, [[0, '\x1b[31mok\x1b[39m │ …']]));
  });
});

describe('cutting a clipped line', () => {
  it('cuts plain one-column text as slice-ansi does, and leaves any other text to slice-ansi', () => {
    const r = rng(777);
    for (let n = 0; n < 3000; n++) {
      let text = '';
      const parts = Math.floor(r() * 6);
      for (let i = 0; i < parts; i++) text += TEXT[Math.floor(r() * TEXT.length)];
      if (n % 3 === 0) text += OTHER[Math.floor(r() * OTHER.length)]! + SGR[Math.floor(r() * SGR.length)]!;
      const from = Math.floor(r() * 12);
      const to = Math.floor(r() * 30);
      expect(sliceColumns(text, from, to), JSON.stringify({ text, from, to })).toBe(sliceAnsi(text, from, to));
    }
  });
});
