import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { FrameStdout } from '../../src/ui/screen.js';

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
    f.on('resize', () => resized++);
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
