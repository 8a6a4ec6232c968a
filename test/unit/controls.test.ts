// The one definition of a dangerous character, and the visible forms the screen, the CLI and the logs use.
import { describe, expect, it } from 'vitest';
import { CONTROL, inertJson, isControl, quoteForMessage, showControls, visibleControl } from '../../src/text/controls.js';
import { sanitizeLine } from '../../src/engine/logs/sanitize.js';
import { printable } from '../../src/text/width.js';

const BIDI = [0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069];

describe('what a control is', () => {
  it('is C0, DEL, C1 and every bidirectional control, and nothing else', () => {
    const expected = new Set<number>([...Array.from({ length: 0x20 }, (_, i) => i), ...Array.from({ length: 0x21 }, (_, i) => 0x7f + i), ...BIDI]);
    const wrong: string[] = [];
    for (let c = 0; c < 0x10000; c++) {
      if (isControl(c) !== expected.has(c) || CONTROL.test(String.fromCharCode(c)) !== expected.has(c)) wrong.push(`U+${c.toString(16)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('is shown as ^X for C0 and DEL, as the code point for the rest', () => {
    expect(visibleControl(0x1b)).toBe('^[');
    expect(visibleControl(0x07)).toBe('^G');
    expect(visibleControl(0x00)).toBe('^@');
    expect(visibleControl(0x7f)).toBe('^?');
    expect(visibleControl(0x9b)).toBe('<U+009B>');
    expect(visibleControl(0x202e)).toBe('<U+202E>');
  });
});

describe('showing controls', () => {
  const hostile = '\x1b]0;pwned\x07\x1b[2J\u009b2J\u202eevil\u2066\n';
  const shown = '^[]0;pwned^G^[[2J<U+009B>2J<U+202E>evil<U+2066>^J';

  it('the single-line helper and showControls show every control, and leave other text as it is', () => {
    expect(showControls(hostile)).toBe(shown);
    expect(printable(hostile)).toBe(shown);
    const plain = 'train-训练-🚀-é\u0301-👩\u200d💻';
    expect(printable(plain)).toBe(plain);
  });

  it('the log sanitiser agrees on bidi and C1 controls (it removes whole escape sequences, as logs use them for colour)', () => {
    expect(sanitizeLine('a\u202eb\u0085c\u2069', { keepColor: false })).toBe(printable('a\u202eb\u0085c\u2069'));
  });

  it('quotes text for a message: shown and cut', () => {
    expect(quoteForMessage('a\x1bb')).toBe('"a^[b"');
    expect(quoteForMessage('x'.repeat(500), 10)).toBe(`"${'x'.repeat(10)}…"`);
  });

  it('JSON: the same data once parsed, with no control written raw', () => {
    const data = { name: hostile, del: '\x7f', bidi: String.fromCharCode(...BIDI) };
    const text = inertJson(JSON.stringify(data, null, 2));
    expect(JSON.parse(text)).toEqual(data);
    expect(text.replace(/\n/g, '')).not.toMatch(CONTROL);
    expect(text).toContain('\\u202e');
  });
});
