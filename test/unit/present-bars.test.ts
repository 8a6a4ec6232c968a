// Block-character drawings: the sparkline of the Stats tab and the used/total bar of the GPU strip
// and the System pane (src/present/bars.ts).
import { describe, expect, it } from 'vitest';
import { bar, sparkline } from '../../src/present/bars.js';

describe('sparkline', () => {
  it('scales from 0 to the largest value, one bar per value', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8)).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([0, 7], 2)).toBe('▁█');
  });
  it('keeps the last values that fit and pads short input on the left', () => {
    expect(sparkline([7, 0, 7], 2)).toBe('▁█');
    expect(sparkline([7], 3)).toBe('  █');
    expect(sparkline([], 4)).toBe('    ');
    expect(sparkline([1, 2], 0)).toBe('');
  });
  it('takes a fixed top (100 for %), clamps above it, draws gaps as spaces', () => {
    expect(sparkline([0, 50, 100, 250], 4, 100)).toBe('▁▅██');
    expect(sparkline([0, Number.NaN, 100], 3, 100)).toBe('▁ █');
    expect(sparkline([5, 5, 5], 3)).toBe('███');
    expect(sparkline([0, 0], 2)).toBe('▁▁');
  });
});

describe('bar', () => {
  it('fills the used share of the width, rounded to the nearest cell', () => {
    expect(bar(0, 100, 8)).toBe('░░░░░░░░');
    expect(bar(50, 100, 8)).toBe('████░░░░');
    expect(bar(100, 100, 8)).toBe('████████');
    // 1/3 of 8 cells is 2.67: three cells.
    expect(bar(1, 3, 8)).toBe('███░░░░░');
    // 81559 of 81559 MiB, as nvidia-smi reports a full H100.
    expect(bar(81559, 81559, 16)).toBe('█'.repeat(16));
  });
  it('clamps what is over the total or below zero', () => {
    expect(bar(150, 100, 4)).toBe('████');
    expect(bar(-5, 100, 4)).toBe('░░░░');
  });
  it('draws an empty bar without a total or without a reading', () => {
    expect(bar(5, 0, 4)).toBe('░░░░');
    expect(bar(5, undefined, 4)).toBe('░░░░');
    expect(bar(undefined, 100, 4)).toBe('░░░░');
    expect(bar(5, -1, 4)).toBe('░░░░');
    expect(bar(5, Number.NaN, 4)).toBe('░░░░');
    expect(bar(5, 10, 0)).toBe('');
  });
});
