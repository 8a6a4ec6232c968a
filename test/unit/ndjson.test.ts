import { describe, expect, it } from 'vitest';
import { jsonLines } from '../../src/engine/ndjson.js';

describe('jsonLines', () => {
  it('parses one value per line across any chunk boundary, characters split included, skipping a bad line', () => {
    const got: unknown[] = [];
    const feed = jsonLines((v) => got.push(v));
    const text = '{"a":1}\n\nnot json\n{"name":"日本"}\r\n{"b":[2]}\n';
    const bytes = Buffer.from(text, 'utf8');
    for (let i = 0; i < bytes.length; i++) feed(bytes.subarray(i, i + 1));
    expect(got).toEqual([{ a: 1 }, { name: '日本' }, { b: [2] }]);
  });
});
