// The screen in ASCII for a non-UTF-8 locale: look-alikes for gantry's own glyphs, '?' per column
// for anything else, escape sequences and columns kept.
import { describe, expect, it } from 'vitest';
import { toAscii } from '../../src/text/ascii.js';
import { textWidth } from '../../src/text/width.js';
import { bar, sparkline } from '../../src/present/bars.js';

const ALL_ASCII = /^[\x00-\x7f]*$/;

describe('toAscii', () => {
  it('leaves ASCII alone, escape sequences included', () => {
    const s = '\x1b[1;32mdocker\x1b[0m \x1b[12;1Hup 3m';
    expect(toAscii(s)).toBe(s);
  });

  it("gives gantry's own marks, bars and borders ASCII look-alikes", () => {
    expect(toAscii('docker ● podman ○')).toBe('docker * podman o');
    expect(toAscii('╭──╮\n│ok│\n╰──╯')).toBe('+--+\n|ok|\n+--+');
    expect(toAscii('walk-lla…')).toBe('walk-lla~');
    expect(toAscii('▁▂▃▄▅▆▇█')).toBe('__.--==#');
  });

  it('keeps every row its columns: the bars and sparklines gantry draws, wide and combining text', () => {
    for (const s of [bar(37, 100, 20), sparkline([0, 10, 20, 90, 100, 40, 5], 7), '训练-🚀-é-नमस्ते', 'e\u0301x', '│ 9.4G/48G ▕███▌ ▏']) {
      const out = toAscii(s);
      expect(out, s).toMatch(ALL_ASCII);
      expect(out.length, s).toBe(textWidth(s));
    }
  });

  it('shows text it has no look-alike for as ? per column', () => {
    expect(toAscii('训练')).toBe('????');
    expect(toAscii('a🚀b')).toBe('a??b');
  });
});
