// One container's log as gantry holds it: the bounded buffer, the search index kept up to date
// as lines arrive, and the pure arithmetic of which lines a panel shows. No I/O here.
import { LogBuffer, type LogBufferOptions, type LogLine } from '../engine/logs/buffer.js';
import type { FollowedLine } from '../engine/logs/follow.js';
import { matches, type FilterMode } from '../engine/logs/search.js';
import { widerThan } from '../text/clusters.js';
import { plainText, wrapRows } from './lineView.js';

/** An ascending list of seqs that drops from the front cheaply. */
export class SeqList {
  private a: number[] = [];
  private h = 0;

  push(seq: number): void {
    this.a.push(seq);
  }

  get length(): number {
    return this.a.length - this.h;
  }

  at(i: number): number | undefined {
    return i < 0 || i >= this.length ? undefined : this.a[this.h + i];
  }

  /** Drops every seq below `seq`. */
  trimBelow(seq: number): void {
    while (this.h < this.a.length && this.a[this.h]! < seq) this.h++;
    if (this.h > 4096 && this.h * 2 > this.a.length) {
      this.a = this.a.slice(this.h);
      this.h = 0;
    }
  }

  /** Index of the last seq ≤ `seq`, or -1. */
  floorIndex(seq: number): number {
    let lo = 0;
    let hi = this.length - 1;
    let ans = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.at(mid)! <= seq) {
        ans = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return ans;
  }

  clear(): void {
    this.a = [];
    this.h = 0;
  }

  toArray(): number[] {
    return this.a.slice(this.h);
  }
}

export type SessionState = 'loading' | 'live' | 'ended' | 'error';

export class LogSession {
  readonly buffer: LogBuffer;
  /** Bumped on every change: the screen redraws when it moves. */
  version = 0;
  state: SessionState = 'loading';
  stateText = 'loading…';
  /** The last engine timestamp seen: where to resume after a restart. */
  lastTs?: string;
  private re: RegExp | undefined;
  readonly hits = new SeqList();
  readonly misses = new SeqList();

  constructor(
    readonly key: string,
    readonly title: string,
    opts: LogBufferOptions = {},
  ) {
    this.buffer = new LogBuffer(opts);
  }

  append(lines: readonly FollowedLine[]): void {
    for (const l of lines) {
      const line = this.buffer.push(l.stream, l.text, l.ts);
      if (l.ts) this.lastTs = l.ts;
      this.index(line);
    }
    this.hits.trimBelow(this.buffer.firstSeq);
    this.misses.trimBelow(this.buffer.firstSeq);
    this.version++;
  }

  /** A line of gantry's own in the log: "stream ended", "restarted". */
  note(text: string): void {
    this.append([{ stream: 'meta', text }]);
  }

  setState(state: SessionState, text: string): void {
    this.state = state;
    this.stateText = text;
    this.version++;
  }

  get query(): RegExp | undefined {
    return this.re;
  }

  /** Sets the search and re-indexes the buffer (typed live: a few ms for 10,000 lines). */
  setQuery(re: RegExp | undefined): void {
    if (re === this.re) return;
    this.re = re;
    this.hits.clear();
    this.misses.clear();
    for (let i = 0; i < this.buffer.length; i++) this.index(this.buffer.at(i)!);
    this.version++;
  }

  private index(line: LogLine): void {
    if (!this.re || line.stream === 'meta') return;
    if (matches(this.re, plainText(line))) this.hits.push(line.seq);
    else this.misses.push(line.seq);
  }

  /** The lines a filter mode shows, as an indexable list of seqs. */
  visible(mode: FilterMode): VisibleLines {
    if (!this.re || mode === 'none') {
      const b = this.buffer;
      return {
        length: b.length,
        seqAt: (i) => (i < 0 || i >= b.length ? undefined : b.firstSeq + i),
        floorIndex: (seq) => Math.min(b.length - 1, seq - b.firstSeq),
      };
    }
    const list = mode === 'only' ? this.hits : this.misses;
    return { length: list.length, seqAt: (i) => list.at(i), floorIndex: (seq) => list.floorIndex(seq) };
  }
}

export interface VisibleLines {
  length: number;
  seqAt(i: number): number | undefined;
  /** Index of the last visible line with seq ≤ `seq` (-1 when none). */
  floorIndex(seq: number): number;
}

export interface WindowRequest {
  follow: boolean;
  /** When not following: the seq of the line at the bottom of the panel. */
  anchor?: number;
  mode: FilterMode;
  wrap: boolean;
  /** Text columns (without the gutter). */
  width: number;
  rows: number;
  /** Columns scrolled sideways (no wrap). */
  hscroll: number;
  /** Room taken by the timestamp column, when shown. */
  tsWidth: number;
  /** Wrapping long lines stops at this performance.now() time; the rest is done next time. */
  wrapUntil?: number;
}

export interface WindowRow {
  line: LogLine;
  /** The columns of the line's text this row shows. */
  startCol: number;
  width: number;
  /** First row of its line (the timestamp goes here). */
  first: boolean;
  cutLeft: boolean;
  cutRight: boolean;
  /** The code units of the plain text this row shows, when known (wrapped rows). */
  span?: { si: number; ei?: number };
}

export interface LogWindow {
  rows: WindowRow[];
  /** Seq of the bottom line shown (undefined when nothing is shown). */
  bottomSeq?: number;
  /** Visible lines below the window (new lines while paused). */
  below: number;
  total: number;
  /** A long line is not wrapped to its end yet: draw again to show the rest. */
  incomplete?: boolean;
}

/** The rows one line takes. Costs the columns shown, or the part of the line wrapped so far. */
function lineRows(line: LogLine, req: WindowRequest, state: { incomplete: boolean }): WindowRow[] {
  const w = Math.max(1, req.width - req.tsWidth);
  const plain = plainText(line);
  if (!req.wrap) {
    const cutLeft = req.hscroll > 0 && widerThan(plain, 0);
    return [{ line, startCol: req.hscroll, width: w, first: true, cutLeft, cutRight: widerThan(plain, req.hscroll + w) }];
  }
  const wr = wrapRows(line, w, req.wrapUntil ?? Infinity);
  if (!wr.done) state.incomplete = true;
  return wr.cols.map((startCol, i) => {
    const ei = wr.idx[i + 1] ?? (wr.done ? plain.length : undefined);
    return { line, startCol, width: w, first: i === 0, cutLeft: false, cutRight: false, span: ei === undefined ? { si: wr.idx[i]! } : { si: wr.idx[i]!, ei } };
  });
}

/** Which rows a panel `rows` high shows: the bottom line is the newest (following) or the anchor. */
export function logWindow(session: LogSession, req: WindowRequest): LogWindow {
  const vis = session.visible(req.mode);
  const total = vis.length;
  if (total === 0) return { rows: [], below: 0, total };
  let bottom = total - 1;
  if (!req.follow && req.anchor !== undefined) bottom = Math.max(0, vis.floorIndex(req.anchor));
  const rows: WindowRow[] = [];
  const state = { incomplete: false };
  for (let i = bottom; i >= 0 && rows.length < req.rows; i--) {
    const line = session.buffer.bySeq(vis.seqAt(i)!);
    if (!line) continue;
    const r = lineRows(line, req, state);
    // A line taller than the room left shows its last rows.
    rows.unshift(...r.slice(Math.max(0, r.length - (req.rows - rows.length))));
  }
  // At the top of the log with room to spare: fill downwards (g, or a short log while paused).
  for (let i = bottom + 1; i < total && rows.length < req.rows; i++) {
    const line = session.buffer.bySeq(vis.seqAt(i)!);
    if (!line) continue;
    const r = lineRows(line, req, state);
    rows.push(...r.slice(0, req.rows - rows.length));
    bottom = i;
  }
  const win: LogWindow = { rows, bottomSeq: vis.seqAt(bottom), below: total - 1 - bottom, total };
  if (state.incomplete) win.incomplete = true;
  return win;
}

/** The anchor after scrolling `delta` visible lines (negative: up) from where the window is. */
export function scrollAnchor(session: LogSession, mode: FilterMode, from: number | undefined, delta: number): number | undefined {
  const vis = session.visible(mode);
  if (vis.length === 0) return undefined;
  const at = from === undefined ? vis.length - 1 : Math.max(0, vis.floorIndex(from));
  return vis.seqAt(Math.min(vis.length - 1, Math.max(0, at + delta)));
}

/** The anchor that shows line `seq` about in the middle of a panel `rows` high. */
export function centreOn(session: LogSession, mode: FilterMode, seq: number, rows: number): number | undefined {
  const vis = session.visible(mode);
  const i = vis.floorIndex(seq);
  if (i < 0) return vis.seqAt(0);
  return vis.seqAt(Math.min(vis.length - 1, i + Math.floor(rows / 2)));
}
