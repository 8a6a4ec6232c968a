import { describe, expect, it } from 'vitest';
import { LogBuffer } from '../../src/engine/logs/buffer.js';
import { LineSplitter, timestampLength } from '../../src/engine/logs/lines.js';
import { Demuxer } from '../../src/engine/logs/demux.js';
import { LogDecoder } from '../../src/engine/logs/follow.js';
import { compileQuery, matches, matchRanges, step, type FilterMode } from '../../src/engine/logs/search.js';
import { LogSession } from '../../src/store/logs.js';
import { logFrame } from '../helpers/logFrame.js';

describe('LogBuffer', () => {
  it('keeps at most maxLines, evicting the oldest, with seqs that keep counting', () => {
    const b = new LogBuffer({ maxLines: 3 });
    for (let i = 0; i < 5; i++) b.push('stdout', `line ${i}`);
    expect(b.length).toBe(3);
    expect(b.slice(0, 3).map((l) => [l.seq, l.text])).toEqual([
      [2, 'line 2'],
      [3, 'line 3'],
      [4, 'line 4'],
    ]);
    expect(b.dropped).toBe(2);
    expect(b.firstSeq).toBe(2);
    expect(b.lastSeq).toBe(4);
    expect(b.bySeq(3)?.text).toBe('line 3');
    expect(b.bySeq(1)).toBeUndefined();
  });

  it('keeps at most maxBytes', () => {
    const b = new LogBuffer({ maxLines: 1000, maxBytes: 4096, maxLineBytes: 1000 });
    for (let i = 0; i < 100; i++) b.push('stderr', 'x'.repeat(500));
    expect(b.byteSize).toBeLessThanOrEqual(4096);
    expect(b.length).toBeGreaterThan(0);
    expect(b.length).toBeLessThan(10);
    expect(b.at(b.length - 1)!.seq).toBe(99);
  });

  it('cuts one line over the limit with a marker', () => {
    const b = new LogBuffer({ maxLineBytes: 100 });
    const l = b.push('stdout', 'y'.repeat(1_000_000));
    expect(l.text.startsWith('y'.repeat(100))).toBe(true);
    expect(l.text).toMatch(/^y{100} … \[cut 999900 characters\]$/);
    expect(l.text.length).toBeLessThan(130);
  });

  it('stays bounded whatever is pushed', () => {
    const b = new LogBuffer({ maxLines: 50, maxBytes: 10_000 });
    for (let i = 0; i < 100_000; i++) b.push(i % 2 ? 'stdout' : 'stderr', `${i} ${'z'.repeat(i % 300)}`);
    expect(b.length).toBeLessThanOrEqual(50);
    expect(b.byteSize).toBeLessThanOrEqual(10_000);
    expect(b.lastSeq).toBe(99_999);
  });
});

describe('LineSplitter', () => {
  it('splits on newlines across any chunk boundaries, CRLF included', () => {
    const s = new LineSplitter();
    const text = 'alpha\r\nbeta\ngamma\n';
    for (let cut = 0; cut <= text.length; cut++) {
      const sp = new LineSplitter();
      const lines = [...sp.write(text.slice(0, cut)), ...sp.write(text.slice(cut)), ...sp.flush()].map((l) => l.text);
      expect(lines).toEqual(['alpha', 'beta', 'gamma']);
    }
    expect(s.write('no newline yet')).toEqual([]);
    expect(s.flush().map((l) => l.text)).toEqual(['no newline yet']);
  });

  it('holds at most maxLineBytes of a line that never ends, counting the rest', () => {
    const s = new LineSplitter(1000);
    for (let i = 0; i < 1000; i++) expect(s.write('q'.repeat(1024))).toEqual([]);
    const [line] = s.write('\n');
    expect(line!.text.length).toBe(1000);
    expect(line!.cut).toBe(1024 * 1000 - 1000);
  });

  it('takes the engine timestamp off the front of each line', () => {
    const s = new LineSplitter(1000, true);
    expect(s.write('2026-11-22T10:00:00.123456789Z epoch 3\n')).toEqual([{ text: 'epoch 3', ts: '2026-11-22T10:00:00.123456789Z', cut: 0 }]);
    expect(s.write('not a timestamp\n')[0]).toEqual({ text: 'not a timestamp', cut: 0 });
  });
});

describe('timestampLength', () => {
  // The rule it implements by hand (a regular expression per line was a third of the garbage a log flood made).
  const TS = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})) /;
  const byRegex = (s: string) => TS.exec(s)?.[0].length ?? 0;

  it('reads the engines\' timestamps, with and without a fraction or an offset', () => {
    expect(timestampLength('2026-12-02T09:13:28.123456789Z step 3')).toBe(31);
    expect(timestampLength('2026-12-02T09:13:28Z x')).toBe(21);
    expect(timestampLength('2026-12-02T09:13:28.5+01:00 x')).toBe(28);
    expect(timestampLength('2026-12-02T09:13:28Z')).toBe(0); // no space after it
    expect(timestampLength('2026-12-02 09:13:28Z x')).toBe(0);
    expect(timestampLength('xx 2026-12-02T09:13:28Z x', 3)).toBe(21);
    expect(timestampLength('2026-12-02T09:13:28Z x', 0, 20)).toBe(0); // the space is past the end
  });

  it('agrees with the regular expression on 20,000 mutated timestamps', () => {
    const seeds = ['2026-12-02T09:13:28.123456789Z a', '2026-12-02T09:13:28Z b', '2026-12-02T09:13:28.5-07:30 c', '2026-12-02T09:13:28+00:00 d'];
    const alphabet = '0123456789-T:.Z+ xa';
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let i = 0; i < 20_000; i++) {
      const chars = [...seeds[i % seeds.length]!];
      for (let k = rnd(3); k >= 0; k--) {
        const at = rnd(chars.length + 1);
        const op = rnd(3);
        if (op === 0) chars.splice(at, 1);
        else if (op === 1) chars.splice(at, 0, alphabet[rnd(alphabet.length)]!);
        else chars[Math.min(at, chars.length - 1)] = alphabet[rnd(alphabet.length)]!;
      }
      const s = chars.join('');
      expect([s, timestampLength(s)]).toEqual([s, byRegex(s)]);
    }
  });
});

describe('Demuxer', () => {
  const frame = logFrame;

  it('splits stdout and stderr frames, split at every byte offset', () => {
    const all = Buffer.concat([frame(1, 'out one\n'), frame(2, 'err two\n'), frame(1, 'out three\n')]);
    for (let cut = 0; cut <= all.length; cut++) {
      const d = new Demuxer();
      const frames = [...d.write(all.subarray(0, cut)), ...d.write(all.subarray(cut))];
      expect(frames.map((f) => [f.stream, f.data.toString()])).toEqual([
        ['stdout', 'out one\n'],
        ['stderr', 'err two\n'],
        ['stdout', 'out three\n'],
      ]);
    }
  });

  it('hands frames of one stream that each end a line over as one, at any chunk boundary', () => {
    const all = Buffer.concat([frame(1, 'a 1\n'), frame(1, 'a 2\n'), frame(1, 'a 3'), frame(1, ' rest\n'), frame(2, 'e 1\n'), frame(2, 'e 2\n'), frame(1, 'b 1\n')]);
    const whole = new Demuxer().write(all);
    // A frame that starts mid-line (after 'a 3') starts a piece of its own; so does another stream.
    expect(whole.map((f) => [f.stream, f.data.toString()])).toEqual([
      ['stdout', 'a 1\na 2\na 3'],
      ['stdout', ' rest\n'],
      ['stderr', 'e 1\ne 2\n'],
      ['stdout', 'b 1\n'],
    ]);
    for (let cut = 0; cut <= all.length; cut++) {
      const d = new Demuxer();
      const frames = [...d.write(all.subarray(0, cut)), ...d.write(all.subarray(cut))];
      const text = (stream: string) =>
        frames
          .filter((f) => f.stream === stream)
          .map((f) => f.data.toString())
          .join('');
      expect(text('stdout')).toBe('a 1\na 2\na 3 rest\nb 1\n');
      expect(text('stderr')).toBe('e 1\ne 2\n');
    }
  });

  it('does not keep the chunk a partial frame came in', () => {
    const chunk = Buffer.concat([frame(1, 'one\n'), frame(1, 'two\n').subarray(0, 6)]);
    const d = new Demuxer();
    d.write(chunk);
    chunk.fill(0);
    expect(d.write(frame(1, 'two\n').subarray(6)).map((f) => f.data.toString())).toEqual(['two\n']);
  });

  it('passes a big frame on in pieces as its bytes arrive, never gathering it, and small frames after it whole', () => {
    const big = `2026-12-02T09:13:28Z ${'y'.repeat(300_000)}\n`;
    const all = Buffer.concat([frame(1, big), frame(2, 'err after\n'), frame(1, 'out after\n')]);
    for (const size of [1000, 65_536, 70_001]) {
      const d = new Demuxer();
      const frames = [];
      for (let i = 0; i < all.length; i += size) frames.push(...d.write(all.subarray(i, i + size)));
      const pieces = frames.filter((f) => f.data.toString().includes('y'));
      expect(pieces.length).toBeGreaterThan(1);
      expect(pieces.map((f) => f.continued === true)).toEqual(pieces.map((_, i) => i > 0));
      expect(Buffer.concat(pieces.map((f) => f.data)).toString()).toBe(big);
      // No piece is bigger than what arrived with it.
      for (const f of pieces) expect(f.data.length).toBeLessThanOrEqual(size);
      expect(frames.slice(-2).map((f) => [f.stream, f.data.toString(), f.continued])).toEqual([
        ['stderr', 'err after\n', undefined],
        ['stdout', 'out after\n', undefined],
      ]);
    }
  });

  it('keeps text that looks like a timestamp at the start of a later piece of a big frame', () => {
    const text = `2026-12-02T09:13:28Z ${'a'.repeat(70_000)}2026-12-02T09:13:29Z kept\n`;
    const all = frame(1, text);
    const dec = new LogDecoder(false, false, 200_000);
    const lines = [];
    // Cut just before the second timestamp, so that a piece starts with it.
    const at = all.indexOf('2026-12-02T09:13:29Z');
    lines.push(...dec.write(all.subarray(0, at)), ...dec.write(all.subarray(at)));
    expect(lines).toHaveLength(1);
    expect(lines[0]!.ts).toBe('2026-12-02T09:13:28Z');
    expect(lines[0]!.text).toBe(`${'a'.repeat(70_000)}2026-12-02T09:13:29Z kept`);
  });
});

describe('search', () => {
  it('is case-insensitive unless the query has a capital', () => {
    expect(matches(compileQuery('error').re!, 'ERROR: disk full')).toBe(true);
    expect(matches(compileQuery('Error').re!, 'ERROR: disk full')).toBe(false);
    expect(matches(compileQuery('Error').re!, 'Error: disk full')).toBe(true);
  });
  it('takes regular expressions and says when one is invalid', () => {
    expect(matchRanges(compileQuery('loss \\d+\\.\\d+').re!, 'step 3 loss 0.42 loss 1.5')).toEqual([
      [7, 16],
      [17, 25],
    ]);
    const bad = compileQuery('(unclosed');
    expect(bad.re).toBeUndefined();
    expect(bad.error).toMatch(/^invalid regular expression: .*Unterminated group/);
  });
  it('filters with & (only matching) and !& (only not matching)', () => {
    const lines = ['ok', 'WARN low memory', 'ok again'];
    const session = new LogSession('docker/x', 'docker/x');
    session.append(lines.map((text) => ({ stream: 'stdout' as const, text })));
    session.setQuery(compileQuery('warn').re);
    const shown = (mode: FilterMode) => {
      const v = session.visible(mode);
      return Array.from({ length: v.length }, (_, i) => session.buffer.bySeq(v.seqAt(i)!)!.text);
    };
    expect(shown('only')).toEqual(['WARN low memory']);
    expect(shown('except')).toEqual(['ok', 'ok again']);
    expect(shown('none')).toEqual(lines);
  });
  it('steps through matches with n and N, wrapping, with a counter', () => {
    const hits = [3, 10, 41];
    expect(step(hits, undefined, 1)).toEqual({ seq: 3, index: 1, total: 3 });
    expect(step(hits, 3, 1)).toEqual({ seq: 10, index: 2, total: 3 });
    expect(step(hits, 41, 1)).toEqual({ seq: 3, index: 1, total: 3 });
    expect(step(hits, 3, -1)).toEqual({ seq: 41, index: 3, total: 3 });
    expect(step(hits, 20, -1)).toEqual({ seq: 10, index: 2, total: 3 });
    expect(step([], 0, 1)).toBeUndefined();
  });
  it('survives empty matches without looping', () => {
    expect(matchRanges(compileQuery('x*').re!, 'abc')).toEqual([]);
  });
});
