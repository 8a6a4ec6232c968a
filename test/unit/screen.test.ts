// The frame writer (src/ui/screen.ts): rows rewritten only where they changed, a resize drawn
// whole for the new size, and regions — rectangles it fills itself, read back through a terminal.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import xterm from '@xterm/headless';
import { FrameStdout, RESIZED, type Rect, type Region } from '../../src/ui/screen.js';

const { Terminal } = xterm;

class FakeTty extends EventEmitter {
  columns = 40;
  rows = 6;
  out: string[] = [];
  write(s: string) {
    this.out.push(s);
    return true;
  }
}

const flushNow = () => new Promise((r) => setImmediate(r));

describe('FrameStdout', () => {
  it('draws the first frame whole, then rewrites only the rows that changed, at absolute positions', async () => {
    const tty = new FakeTty();
    const f = new FrameStdout(tty);
    f.write('a\nb\nc');
    await flushNow();
    expect(tty.out).toHaveLength(1);
    expect(tty.out[0]).toContain('\x1b[2J');
    expect(tty.out[0]).toContain('\x1b[1;1Ha');
    expect(tty.out[0]).toContain('\x1b[3;1Hc');
    f.write('a\nB\nc');
    await flushNow();
    expect(tty.out).toHaveLength(2);
    expect(tty.out[1]).toContain('\x1b[2;1HB');
    expect(tty.out[1]).not.toContain('\x1b[1;1H');
    expect(tty.out[1]).not.toContain('\x1b[3;1H');
    expect(tty.out[1]).not.toContain('\x1b[2J');
  });

  it('writes nothing for an identical frame and coalesces frames of one turn', async () => {
    const tty = new FakeTty();
    const f = new FrameStdout(tty);
    f.write('x\ny');
    await flushNow();
    f.write('x\ny');
    await flushNow();
    expect(tty.out).toHaveLength(1);
    f.write('1\ny');
    f.write('2\ny');
    await flushNow();
    expect(tty.out).toHaveLength(2);
    expect(tty.out[1]).toContain('\x1b[1;1H2');
    expect(tty.out[1]).not.toContain('\x1b[1;1H1');
  });

  it('clears rows a shorter frame no longer uses, and never writes below the terminal', async () => {
    const tty = new FakeTty();
    const f = new FrameStdout(tty);
    f.write('1\n2\n3\n4\n5\n6\n7\n8');
    await flushNow();
    expect(tty.out[0]).not.toContain('\x1b[7;1H');
    f.write('1\n2');
    await flushNow();
    expect(tty.out[1]).toContain('\x1b[3;1H\x1b[0m\x1b[K');
  });

  it('redraws whole after a resize and forwards the new size', async () => {
    const tty = new FakeTty();
    const f = new FrameStdout(tty);
    let resized = 0;
    f.on(RESIZED, () => resized++);
    f.write('a\nb');
    await flushNow();
    tty.columns = 100;
    tty.emit('resize');
    expect(resized).toBe(1);
    expect(f.columns).toBe(100);
    f.write('a\nb');
    await flushNow();
    expect(tty.out).toHaveLength(2);
    expect(tty.out[1]).toContain('\x1b[2J');
  });

  it('writes nothing while paused and redraws everything on resume', async () => {
    const tty = new FakeTty();
    const f = new FrameStdout(tty);
    f.write('a\nb');
    await flushNow();
    f.pause();
    f.write('c\nd');
    await flushNow();
    expect(tty.out).toHaveLength(1);
    f.resume();
    expect(tty.out).toHaveLength(2);
    expect(tty.out[1]).toContain('\x1b[2J');
    expect(tty.out[1]).toContain('\x1b[1;1Hc');
  });
});

/** What a terminal shows after the writer's output: rows of characters and the colour of a cell. */
async function showOn(out: string[], cols = 40, rows = 6) {
  const term = new Terminal({ cols, rows, allowProposedApi: true });
  await new Promise<void>((r) => term.write(out.join(''), r));
  const buf = term.buffer.active;
  return {
    rows: Array.from({ length: rows }, (_, i) => buf.getLine(i)!.translateToString(false)),
    fg: (x: number, y: number) => buf.getLine(y)!.getCell(x)!.getFgColor(),
    dispose: () => term.dispose(),
  };
}

const region = (rect: Rect, rows: () => readonly string[]): Region => ({ rect: () => rect, rows: () => rows() });

describe('FrameStdout regions', () => {
  const INK = ['header', 'left part │', 'left part │', 'left part │', 'left part │', 'footer'].join('\n');
  const rect: Rect = { x: 11, y: 1, width: 10, height: 3 };

  it('places the rows in the rectangle, cut to its width with wide characters and colours kept right, and writes nothing outside it', async () => {
    const tty = new FakeTty();
    const f = new FrameStdout(tty);
    f.setRegion('logs', region(rect, () => ['\x1b[31mred text that is far too long\x1b[0m', 'abcde日本語', 'x\ny\x1b[2Jz']));
    f.write(INK);
    await flushNow();
    const s = await showOn(tty.out);
    expect(s.rows[0]).toBe('header'.padEnd(40));
    expect(s.rows[1]).toBe('left part │red text t'.padEnd(40));
    // 日本語 does not fit whole: its last character becomes a space, never half of it.
    expect(s.rows[2]).toBe('left part │abcde日本 '.padEnd(38));
    // Line breaks and escapes other than colour are shown inert, not obeyed.
    expect(s.rows[3]).toBe('left part │x?y?[2Jz  '.padEnd(40));
    expect(s.rows[4]).toBe('left part │'.padEnd(40));
    expect(s.rows[5]).toBe('footer'.padEnd(40));
    // Red inside, the default colour after the cut (no colour left on).
    expect(s.fg(11, 1)).toBe(1);
    expect(s.fg(25, 1)).toBe(-1);
    expect(s.fg(11, 2)).toBe(-1);
    // Every region write is addressed inside the rectangle.
    const moves = [...tty.out.join('').matchAll(/\x1b\[(\d+);(\d+)H/g)].map((m) => [Number(m[1]), Number(m[2])] as const);
    for (const [row, col] of moves) if (col !== 1) expect([row >= 2 && row <= 4, col]).toEqual([true, 12]);
    s.dispose();
  });

  it('rewrites only the region rows that changed, without an Ink frame', async () => {
    const tty = new FakeTty();
    const f = new FrameStdout(tty);
    let rows = ['one', 'two', 'three'];
    f.setRegion('logs', region(rect, () => rows));
    f.write(INK);
    await flushNow();
    rows = ['one', 'TWO', 'three'];
    f.redrawRegions();
    await flushNow();
    expect(tty.out).toHaveLength(2);
    expect(tty.out[1]).toContain('\x1b[3;12HTWO');
    expect(tty.out[1]).not.toMatch(/\x1b\[(2|4);12H/);
    expect(tty.out[1]).not.toMatch(/\x1b\[\d+;1H/);
    f.redrawRegions();
    await flushNow();
    expect(tty.out).toHaveLength(2);
  });

  it('a redraw of one region asks only that region for its rows; an Ink frame, a resize or a plain redraw asks every region', async () => {
    const tty = new FakeTty();
    const f = new FrameStdout(tty);
    const asked = { logs: 0, strip: 0 };
    let log = ['one', 'two', 'three'];
    let strip = ['gpu 10%'];
    f.setRegion('logs', { rect: () => rect, rows: () => (asked.logs++, log) });
    f.setRegion('strip', { rect: () => ({ x: 0, y: 5, width: 20, height: 1 }), rows: () => (asked.strip++, strip) });
    f.write(INK);
    await flushNow();
    expect(asked).toEqual({ logs: 1, strip: 1 });
    // A new log line: the strip is not asked (nor drawn).
    log = ['two', 'three', 'four'];
    f.redrawRegions(['logs']);
    await flushNow();
    expect(asked).toEqual({ logs: 2, strip: 1 });
    expect(tty.out[1]).toContain('\x1b[4;12Hfour');
    expect(tty.out[1]).not.toContain('gpu');
    // A GPU sample: only the strip.
    strip = ['gpu 55%'];
    f.redrawRegions(['strip']);
    await flushNow();
    expect(asked).toEqual({ logs: 2, strip: 2 });
    expect(tty.out[2]).toContain('\x1b[6;1Hgpu 55%');
    expect(tty.out[2]).not.toContain('four');
    // Both in one turn: both, in one write.
    log = ['three', 'four', 'five'];
    strip = ['gpu 60%'];
    f.redrawRegions(['logs']);
    f.redrawRegions(['strip']);
    await flushNow();
    expect(asked).toEqual({ logs: 3, strip: 3 });
    expect(tty.out).toHaveLength(4);
    // A frame from Ink (a render may have changed what any region shows) asks every region.
    f.write(INK.replace('header', 'HEADER'));
    await flushNow();
    expect(asked).toEqual({ logs: 4, strip: 4 });
    f.redrawRegions();
    await flushNow();
    expect(asked).toEqual({ logs: 5, strip: 5 });
    tty.columns = 30;
    tty.emit('resize');
    f.write(INK);
    await flushNow();
    expect(asked).toEqual({ logs: 6, strip: 6 });
    const s = await showOn(tty.out, 30);
    expect(s.rows[3]).toBe('left part │five'.padEnd(30));
    expect(s.rows[5]).toBe('gpu 60%'.padEnd(30));
    s.dispose();
  });

  it('a following log: each new line moves the rows up, every row lands right, and a narrower region cuts them again', async () => {
    const tty = new FakeTty();
    const f = new FrameStdout(tty);
    let r = rect;
    let lines = ['\x1b[32mline 1 green\x1b[0m', 'line 2 日本語', 'line 3'];
    f.setRegion('logs', { rect: () => r, rows: () => lines });
    f.write(INK);
    await flushNow();
    lines = [lines[1]!, lines[2]!, 'line 4 is long'];
    f.redrawRegions();
    await flushNow();
    let s = await showOn(tty.out);
    // 本 would cross the edge: a space instead.
    expect(s.rows.slice(1, 4).map((x) => x.trimEnd())).toEqual(['left part │line 2 日', 'left part │line 3', 'left part │line 4 is']);
    s.dispose();
    // The same rows, a narrower rectangle: cut at its new width, not the old one.
    r = { ...rect, width: 6 };
    f.write(INK);
    await flushNow();
    s = await showOn(tty.out);
    expect(s.rows.slice(1, 4)).toEqual(['left part │line 2', 'left part │line 3', 'left part │line 4'].map((x) => x.padEnd(40)));
    s.dispose();
    // A row that was green, back again: its colour too.
    lines = ['\x1b[32mline 1 green\x1b[0m', 'line 3', 'line 4 is long'];
    f.redrawRegions();
    await flushNow();
    s = await showOn(tty.out);
    expect(s.rows[1]).toBe('left part │line 1'.padEnd(40));
    expect(s.fg(11, 1)).toBe(2);
    expect(s.fg(11, 2)).toBe(-1);
    s.dispose();
  });

  it('draws a region row again where Ink rewrote the row under it', async () => {
    const tty = new FakeTty();
    const f = new FrameStdout(tty);
    f.setRegion('logs', region(rect, () => ['one', 'two', 'three']));
    f.write(INK);
    await flushNow();
    f.write(INK.replace('left part │\nleft part │\nleft part │\nleft part │', 'left part │\nLEFT PART │\nleft part │\nleft part │'));
    await flushNow();
    expect(tty.out[1]).toMatch(/\x1b\[3;1HLEFT PART │[^]*\x1b\[3;12Htwo/);
    expect(tty.out[1]).not.toContain('\x1b[2;12H');
    const s = await showOn(tty.out);
    expect(s.rows[2]).toBe('LEFT PART │two'.padEnd(40));
    s.dispose();
  });

  it("gives rows back to Ink when the region shrinks or goes away", async () => {
    const tty = new FakeTty();
    const f = new FrameStdout(tty);
    let r = rect;
    f.setRegion('logs', { rect: () => r, rows: () => ['one', 'two', 'three'] });
    f.write(INK);
    await flushNow();
    r = { ...rect, height: 2 };
    f.write(INK);
    await flushNow();
    let s = await showOn(tty.out);
    expect(s.rows.slice(1, 4)).toEqual(['left part │one', 'left part │two', 'left part │'].map((x) => x.padEnd(40)));
    s.dispose();
    f.setRegion('logs', undefined);
    f.write(INK);
    await flushNow();
    s = await showOn(tty.out);
    expect(s.rows.slice(1, 4)).toEqual(['left part │', 'left part │', 'left part │'].map((x) => x.padEnd(40)));
    s.dispose();
  });

  it('draws the region whole again after a resize and after an interactive session', async () => {
    const tty = new FakeTty();
    const f = new FrameStdout(tty);
    f.setRegion('logs', region(rect, () => ['one', 'two', 'three']));
    f.write(INK);
    await flushNow();
    tty.emit('resize');
    f.write(INK);
    await flushNow();
    expect(tty.out[1]).toContain('\x1b[2J');
    for (const row of [2, 3, 4]) expect(tty.out[1]).toContain(`\x1b[${row};12H`);
    f.pause();
    f.resume();
    expect(tty.out[2]).toContain('\x1b[2J');
    for (const row of [2, 3, 4]) expect(tty.out[2]).toContain(`\x1b[${row};12H`);
  });

  it('never writes a frame made before a resize: the next one is drawn whole for the new size', async () => {
    const tty = new FakeTty();
    const f = new FrameStdout(tty);
    f.write('a\nb');
    await flushNow();
    f.write('old size frame');
    tty.columns = 30;
    tty.emit('resize');
    await flushNow();
    // Neither the frame made before the resize nor the one on screen is drawn again for the new size.
    expect(tty.out).toHaveLength(1);
    f.write('new\nsize');
    await flushNow();
    expect(tty.out[tty.out.length - 1]).toMatch(/\x1b\[2J[^]*new/);
  });
});
