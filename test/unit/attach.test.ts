// Attach, the pure parts: reading detach keys and the filter that catches them.
import { describe, expect, it } from 'vitest';
import { DetachFilter, parseDetachKeys } from '../../src/engine/attach.js';

describe('detach keys', () => {
  it('reads ctrl-x names', () => {
    expect([...parseDetachKeys('ctrl-p,ctrl-q')]).toEqual([0x10, 0x11]);
    expect([...parseDetachKeys('ctrl-a,x')]).toEqual([0x01, 0x78]);
    expect(() => parseDetachKeys('meta-x')).toThrow(/cannot read the detach key "meta-x"/);
  });
  it('passes keys on, holds a possible start, detaches on the whole sequence', () => {
    const f = new DetachFilter(parseDetachKeys('ctrl-p,ctrl-q'));
    expect([...f.write(Buffer.from('ls\n'))]).toEqual([...Buffer.from('ls\n')]);
    // A lone Ctrl-P (shell history) is held, then passed on with the next key.
    expect([...f.write(Buffer.from([0x10]))]).toEqual([]);
    expect([...f.write(Buffer.from('a'))]).toEqual([0x10, 0x61]);
    expect([...f.write(Buffer.from([0x10, 0x10]))]).toEqual([0x10]);
    expect(f.detached).toBe(false);
    expect([...f.write(Buffer.from([0x11, 0x61]))]).toEqual([]);
    expect(f.detached).toBe(true);
  });
  it('detaches on a sequence split across writes, dropping what follows', () => {
    const f = new DetachFilter(parseDetachKeys('ctrl-p,ctrl-q'));
    expect([...f.write(Buffer.from([0x61, 0x10]))]).toEqual([0x61]);
    expect([...f.write(Buffer.from([0x11, 0x62]))]).toEqual([]);
    expect(f.detached).toBe(true);
  });
});
