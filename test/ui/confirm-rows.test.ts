// The question box's rows (src/ui/modes/confirm.tsx): nothing cut at the box's edge, lists kept aligned.
import { describe, expect, it } from 'vitest';
import { confirmRows } from '../../src/ui/modes/confirm.js';

describe('confirmRows', () => {
  it('keeps a line that fits as it is, spacing and all', () => {
    expect(confirmRows(['http://gpu1:7860   (container port 7860)', ' ', '  • exp-7'], 40, 10)).toEqual(['http://gpu1:7860   (container port 7860)', ' ', '  • exp-7']);
  });
  it('breaks a longer line at spaces, its indent kept on every row', () => {
    expect(confirmRows(['It holds 9.3 GiB of GPU memory on GPU 0,1: its processes lose it.', '  • exp-7 and a note about it that goes on'], 30, 10)).toEqual([
      'It holds 9.3 GiB of GPU memory',
      'on GPU 0,1: its processes lose',
      'it.',
      '  • exp-7 and a note about it',
      '  that goes on',
    ]);
  });
  it('past the rows there are, says how many more there were', () => {
    const rows = confirmRows(Array.from({ length: 12 }, (_, i) => `  • c${i}`), 40, 5);
    expect(rows).toEqual(['  • c0', '  • c1', '  • c2', '  • c3', '… 8 more rows (a bigger window shows them)']);
  });
});
