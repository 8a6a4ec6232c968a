// Natural widths are measured once per rows array and kept: a column with its own measure key (an
// age, read from the clock) is measured again when that key changes, the others only when the rows
// or the list's key do.
import { describe, expect, it } from 'vitest';
import { fitColumns, type Column } from '../../src/ui/list/columns.js';

interface Row {
  name: string;
  age: string;
}

function table(ageKey: string, reads: { name: number; age: number }) {
  const cols: Column<Row>[] = [
    { title: 'NAME', text: (r) => (reads.name++, r.name) },
    { title: 'AGE', text: (r) => (reads.age++, r.age), measure: ageKey },
  ];
  return cols;
}

describe('fitColumns measuring', () => {
  it('measures an age column again when its key changes, and leaves the others', () => {
    const rows: Row[] = [
      { name: 'train-a', age: 'up 9s' },
      { name: 'train-bb', age: 'up 9s' },
    ];
    const reads = { name: 0, age: 0 };
    const a = fitColumns(table('t1', reads), rows, 200, 'k');
    expect(a.widths.slice(0, 2)).toEqual([8, 5]);
    expect(reads).toEqual({ name: 2, age: 2 });
    // The clock moved: the ages are longer now.
    rows[0]!.age = 'up 10s';
    rows[1]!.age = 'up 10s';
    const b = fitColumns(table('t2', reads), rows, 200, 'k');
    expect(b.widths[1]).toBe(6);
    expect(reads).toEqual({ name: 2, age: 4 });
    // Same keys: nothing is read again.
    fitColumns(table('t2', reads), rows, 200, 'k');
    expect(reads).toEqual({ name: 2, age: 4 });
    // The list's key changed: the columns without their own key are measured again.
    rows[1]!.name = 'train-bbbbbbbb';
    const c = fitColumns(table('t2', reads), rows, 200, 'k2');
    expect(c.widths[0]).toBe(14);
    expect(reads).toEqual({ name: 4, age: 4 });
  });

  it('a new rows array is measured whole', () => {
    const reads = { name: 0, age: 0 };
    fitColumns(table('t', reads), [{ name: 'a', age: '1s' }], 100, 'k');
    fitColumns(table('t', reads), [{ name: 'b', age: '2s' }], 100, 'k');
    expect(reads).toEqual({ name: 2, age: 2 });
  });
});
