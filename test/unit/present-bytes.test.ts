// Byte counts in words: binary units for memory and rates (as docker stats), decimal for disk
// (as docker images and docker system df) — src/present/bytes.ts.
import { describe, expect, it } from 'vitest';
import { binaryBytes, decimalBytes } from '../../src/present/bytes.js';

describe('decimal bytes', () => {
  it('formats bytes in decimal units as docker system df does', () => {
    expect(decimalBytes(0)).toBe('0 B');
    expect(decimalBytes(999)).toBe('999 B');
    expect(decimalBytes(1000)).toBe('1.0 kB');
    expect(decimalBytes(1_982_488)).toBe('2.0 MB');
    expect(decimalBytes(20_100_000)).toBe('20 MB');
    expect(decimalBytes(31_500_000_000)).toBe('32 GB');
    expect(decimalBytes(2e15)).toBe('2.0 PB');
  });
});

describe('binary bytes', () => {
  it('counts in 1024s, as docker stats shows memory', () => {
    expect(binaryBytes(0)).toBe('0 B');
    expect(binaryBytes(1023)).toBe('1023 B');
    expect(binaryBytes(1024)).toBe('1 KiB');
    expect(binaryBytes(1536)).toBe('1.5 KiB');
    // Podman's default shm (65536000 bytes) against Docker's 64 MiB.
    expect(binaryBytes(65_536_000)).toBe('62.5 MiB');
    expect(binaryBytes(64 * 1024 ** 2)).toBe('64 MiB');
    expect(binaryBytes(2 * 1024 ** 3)).toBe('2 GiB');
  });
  it('keeps two decimals below 10 and one above, without trailing zeros', () => {
    expect(binaryBytes(1234)).toBe('1.21 KiB');
    expect(binaryBytes(10.5 * 1024 ** 2)).toBe('10.5 MiB');
    expect(binaryBytes(675_840)).toBe('660 KiB');
  });
  it('stops at TiB', () => {
    expect(binaryBytes(5 * 1024 ** 5)).toBe('5120 TiB');
  });
});
