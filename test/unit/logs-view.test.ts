// The log panel's model: the search index kept up to date as lines arrive and leave, the window
// of lines a panel shows (following, paused, filtered, wrapped), and column arithmetic.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { centreOn, LogSession, logWindow, scrollAnchor, type WindowRequest } from '../../src/store/logs.js';
import { compileQuery } from '../../src/engine/logs/search.js';
import { savedLine, tsKey } from '../../src/engine/logs/follow.js';
import { logFileName } from '../../src/actions/logSave.js';
import { rowText } from '../../src/ui/logs.js';
import { initialLogsUi } from '../../src/store/state.js';

const lines = (n: number, f = (i: number) => `line ${i}`) => Array.from({ length: n }, (_, i) => ({ stream: 'stdout' as const, text: f(i) }));
const req = (over: Partial<WindowRequest> = {}): WindowRequest => ({ follow: true, mode: 'none', wrap: false, width: 20, rows: 5, hscroll: 0, tsWidth: 0, ...over });
const texts = (s: LogSession, r: WindowRequest) => logWindow(s, r).rows.map((x) => x.line.text);

describe('LogSession', () => {
  it('indexes matches as lines arrive and forgets them when they leave the buffer', () => {
    const s = new LogSession('d/x', 'd/x', { maxLines: 10 });
    s.setQuery(compileQuery('err').re);
    s.append(lines(8, (i) => (i % 3 === 0 ? `err ${i}` : `ok ${i}`)));
    expect(s.hits.toArray()).toEqual([0, 3, 6]);
    s.append(lines(6, (i) => (i % 2 === 0 ? `ERR late ${i}` : 'fine')));
    // 14 lines pushed into 10: seqs 0-3 are gone, and so are their hits.
    expect(s.buffer.firstSeq).toBe(4);
    expect(s.hits.toArray()).toEqual([6, 8, 10, 12]);
    expect(s.misses.toArray()).toEqual([4, 5, 7, 9, 11, 13]);
  });

  it('re-indexes the whole buffer when the query changes, and ignores its own notes', () => {
    const s = new LogSession('d/x', 'd/x');
    s.append(lines(5));
    s.note('end of stream: line 99');
    s.setQuery(compileQuery('line [13]').re);
    expect(s.hits.toArray()).toEqual([1, 3]);
    s.setQuery(undefined);
    expect(s.hits.length).toBe(0);
  });

  it('searches the text without its colour codes', () => {
    const s = new LogSession('d/x', 'd/x');
    s.setQuery(compileQuery('green done').re);
    s.append([{ stream: 'stdout', text: '\x1b[32mgreen\x1b[0m done' }]);
    expect(s.hits.length).toBe(1);
  });
});

describe('logWindow', () => {
  it('shows the newest lines while following and says how many are below while paused', () => {
    const s = new LogSession('d/x', 'd/x');
    s.append(lines(50));
    expect(texts(s, req())).toEqual(['line 45', 'line 46', 'line 47', 'line 48', 'line 49']);
    const anchor = scrollAnchor(s, 'none', undefined, -10)!;
    const w = logWindow(s, req({ follow: false, anchor }));
    expect(w.rows.map((r) => r.line.text)).toEqual(['line 35', 'line 36', 'line 37', 'line 38', 'line 39']);
    expect(w.below).toBe(10);
    // New lines arrive while paused: the window stays, the count grows.
    s.append(lines(3, (i) => `new ${i}`));
    const w2 = logWindow(s, req({ follow: false, anchor }));
    expect(w2.rows[4]!.line.text).toBe('line 39');
    expect(w2.below).toBe(13);
  });

  it('fills downwards at the top of the log', () => {
    const s = new LogSession('d/x', 'd/x');
    s.append(lines(50));
    expect(texts(s, req({ follow: false, anchor: 0 }))).toEqual(['line 0', 'line 1', 'line 2', 'line 3', 'line 4']);
  });

  it('keeps a paused window on the oldest line left when its anchor was evicted', () => {
    const s = new LogSession('d/x', 'd/x', { maxLines: 20 });
    s.append(lines(20));
    const anchor = 3;
    s.append(lines(10, (i) => `more ${i}`));
    expect(texts(s, req({ follow: false, anchor }))[0]).toBe('line 10');
  });

  it('shows only matching lines with &, only the others with !&', () => {
    const s = new LogSession('d/x', 'd/x');
    s.setQuery(compileQuery('7').re);
    s.append(lines(30));
    expect(texts(s, req({ mode: 'only' }))).toEqual(['line 7', 'line 17', 'line 27']);
    expect(texts(s, req({ mode: 'except' }))).toEqual(['line 24', 'line 25', 'line 26', 'line 28', 'line 29']);
  });

  it('wraps long lines into rows and shows the last rows of a line taller than the room', () => {
    const s = new LogSession('d/x', 'd/x');
    s.append([{ stream: 'stdout', text: 'a'.repeat(45) }, { stream: 'stdout', text: 'short' }]);
    const w = logWindow(s, req({ wrap: true, width: 20, rows: 3 }));
    expect(w.rows.map((r) => [r.startCol, r.first])).toEqual([
      [20, false],
      [40, false],
      [0, true],
    ]);
  });

  it('marks lines cut on the right, and on the left once scrolled sideways', () => {
    const s = new LogSession('d/x', 'd/x');
    s.append([{ stream: 'stdout', text: 'x'.repeat(100) }, { stream: 'stdout', text: 'tiny' }]);
    const [long, tiny] = logWindow(s, req({ width: 20, hscroll: 8 })).rows;
    expect([long!.cutLeft, long!.cutRight, long!.startCol]).toEqual([true, true, 8]);
    expect([tiny!.cutLeft, tiny!.cutRight]).toEqual([true, false]);
  });

  it('centres a search hit', () => {
    const s = new LogSession('d/x', 'd/x');
    s.append(lines(100));
    expect(centreOn(s, 'none', 40, 10)).toBe(45);
    expect(centreOn(s, 'none', 98, 10)).toBe(99);
  });
});

describe('a line of 70,000 characters', () => {
  afterEach(() => vi.restoreAllMocks());
  // Each is cut at 65,536 characters with the marker, whose '…' made string-width segment it whole.
  const kinds = { ascii: 'x', cjk: '日本', emoji: '👨‍👩‍👧 ', combining: 'e\u0301\u0302 ' };
  const long = (unit: string) => unit.repeat(Math.ceil(70_000 / unit.length)).slice(0, 70_000);
  const watch = () => {
    const seen = { longest: 0 };
    const real = Intl.Segmenter.prototype.segment;
    vi.spyOn(Intl.Segmenter.prototype, 'segment').mockImplementation(function (this: Intl.Segmenter, t: string) {
      seen.longest = Math.max(seen.longest, t.length);
      return real.call(this, t);
    });
    return seen;
  };

  it.each(Object.entries(kinds))('%s: a window and its rows cost what a short line does (never segmented whole), following, scrolled sideways, wrapped, searched', (_kind, unit) => {
    const s = new LogSession('d/x', 'd/x');
    s.append([{ stream: 'stdout', text: 'before' }, { stream: 'stdout', text: long(unit) }, { stream: 'stderr', text: `\x1b[31m${long(unit)}\x1b[0m` }]);
    s.setQuery(compileQuery('x|本|e').re);
    const seen = watch();
    const ui = { ...initialLogsUi(true), query: 'x|本|e' };
    for (const r of [req({ width: 80, rows: 10 }), req({ width: 80, rows: 10, hscroll: 60_000 }), req({ width: 80, rows: 10, wrap: true })]) {
      const w = logWindow(s, r);
      expect(w.rows.length).toBe(r.wrap ? 10 : 3);
      for (const row of w.rows) {
        const text = rowText(row, ui, s.query, false, true);
        expect(text.replace(/\x1b\[[\d;]*m/g, '').length).toBeGreaterThan(0);
      }
    }
    expect(seen.longest).toBeLessThanOrEqual(256);
    // The marker is on screen at the end of the wrapped line.
    const wrapped = logWindow(s, req({ width: 80, rows: 3, wrap: true, mode: 'none' }));
    const shown = wrapped.rows.map((r) => rowText(r, ui, undefined, false, false).slice(1)).join('');
    expect(shown).toMatch(/ … \[cut \d+ characters\]$/);
  });

  it('is wrapped a slice at a time when the frame has no time left, and the window says so until done', () => {
    const s = new LogSession('d/x', 'd/x');
    s.append([{ stream: 'stdout', text: long('क्षत्रिय ') }]);
    let passes = 0;
    let w = logWindow(s, req({ width: 80, rows: 5, wrap: true, wrapUntil: performance.now() - 1 }));
    while (w.incomplete) {
      passes++;
      w = logWindow(s, req({ width: 80, rows: 5, wrap: true, wrapUntil: performance.now() - 1 }));
    }
    expect(passes).toBeGreaterThan(3);
    const rows = w.rows.map((r) => rowText(r, initialLogsUi(false), undefined, false, false).slice(1)).join('');
    expect(rows).toMatch(/ … \[cut \d+ characters\]$/);
  });
});

describe('resuming and saving', () => {
  it('orders engine timestamps whatever their precision', () => {
    expect(tsKey('2026-11-22T13:40:06Z') < tsKey('2026-11-22T13:40:06.5Z')).toBe(true);
    expect(tsKey('2026-11-22T13:40:06.000000001Z') > tsKey('2026-11-22T13:40:06Z')).toBe(true);
    expect(tsKey('2026-11-22T13:40:06.1Z')).toBe(tsKey('2026-11-22T13:40:06.100000000Z'));
    expect(tsKey('2026-11-22T15:40:06.25+02:00')).toBe(tsKey('2026-11-22T13:40:06.25Z'));
  });

  it('saves lines with their time and stream, without colour codes', () => {
    expect(savedLine({ ts: '2026-11-22T13:40:06Z', stream: 'stderr', text: '\x1b[31mboom\x1b[0m' })).toBe('2026-11-22T13:40:06Z [stderr] boom\n');
    expect(savedLine({ stream: 'stdout', text: 'x' })).toBe('x\n');
  });

  it('names saved files safely after the container', () => {
    const at = new Date('2026-11-22T13:40:06.123Z');
    expect(logFileName('docker-vla/train', at)).toBe('docker-vla_train-20261122-134006');
    const evil = logFileName('../../etc/passwd', at);
    expect(evil).not.toContain('/');
    expect(evil.startsWith('.')).toBe(false);
    expect(evil).toMatch(/etc_passwd-20261122-134006$/);
  });
});
