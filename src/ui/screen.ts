// Gantry's own frame writer. Ink renders each frame to a string (its debug mode hands us whole
// frames); we compare it with the frame on screen and rewrite only the rows that changed, each at
// an absolute position, inside a synchronized update. Nothing ever clears the whole screen except
// a resize, so there is no flicker over SSH, and no drift: Ink 6.8's incremental writer moves the
// cursor one row short when the frame ends with a newline, which shifts every frame by a row.
//
// Regions: rectangles that Ink lays out empty and this writer fills itself (the log panel's
// lines). Their rows come from a function called at each flush, so new log lines cost a region
// redraw — the rows that changed, cut to the rectangle — and no React, Yoga or Ink work at all.
import { Writable } from 'node:stream';
import { fitRow } from '../text/ansi.js';
import { traceKey } from '../trace.js';

const BSU = '\x1b[?2026h';
const ESU = '\x1b[?2026l';

/** The regions' ids: a log line redraws the log's, a GPU sample that changes only figures the strip's. */
export const LOG_REGION = 'logs';
export const GPU_STRIP = 'gpu-strip';

/** What FrameStdout emits when the terminal's size changed (the App draws for the new size). */
export const RESIZED = 'gantry:resize';

export interface FrameTarget {
  write(s: string): unknown;
  columns?: number;
  rows?: number;
  on(event: 'resize', l: () => void): unknown;
  off(event: 'resize', l: () => void): unknown;
}

export interface FrameStats {
  frames: number;
  bytes: number;
}

/** A rectangle on screen, in cells, from the top left (0, 0). */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A rectangle the writer fills: where it is now (from the frame's layout), and its rows. */
export interface Region {
  rect(): Rect | undefined;
  /** Its rows, top to bottom, as text with SGR colours; they are cut and padded to the width. */
  rows(width: number, height: number): readonly string[];
}

interface RegionState {
  region: Region;
  /** Where it was last drawn, and what. */
  drawn?: Rect;
  rows: string[];
  /**
   * The rows it was given last time, each with what fitRow made of it at `fitWidth`: a following
   * log's rows move up a row at each new line, and only the new one is fitted again.
   */
  fitted?: Map<string, string>;
  fitWidth?: number;
}

const sameRect = (a: Rect | undefined, b: Rect | undefined) => !!a && !!b && a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;

/**
 * A stand-in stdout for Ink: reports the real terminal's size and forwards its resizes, and turns
 * each frame Ink writes into the minimal update of the real terminal.
 */
export class FrameStdout extends Writable {
  isTTY = true;
  /** The rows on screen as Ink drew them (a region's part of a row is blank there). */
  private previous: (string | undefined)[] = [];
  /** The last frame Ink wrote, by row. */
  private ink: string[] = [];
  private pending: string | undefined;
  private scheduled = false;
  private full = true;
  /** After a resize: nothing is drawn until Ink's frame for the new size comes. */
  private stale = false;
  private paused = false;
  private readonly regions = new Map<string, RegionState>();
  /** Places of regions that went away: Ink's rows there are drawn again. */
  private lost: Rect[] = [];
  /**
   * Regions whose rows are asked for at the next flush that brings no Ink frame: those said to
   * have changed (a log line redraws the log, a GPU sample the strip, not each other), or all.
   */
  private dirty = new Set<string>();
  private allDirty = true;
  readonly stats: FrameStats = { frames: 0, bytes: 0 };
  /** Called after each frame reaches the terminal (for measurements). */
  onFlush: (() => void) | undefined;

  constructor(private readonly target: FrameTarget) {
    super({ decodeStrings: false });
    target.on('resize', this.handleResize);
  }

  get columns(): number {
    return this.target.columns || 80;
  }

  get rows(): number {
    return this.target.rows || 24;
  }

  private readonly handleResize = () => {
    // A frame Ink made before this moment was laid out for the old size: it never reaches the
    // terminal. The App draws again for the new size, and that frame is drawn whole.
    this.full = true;
    this.stale = true;
    this.pending = undefined;
    this.emit(RESIZED);
  };

  override _write(chunk: unknown, _enc: BufferEncoding, cb: (error?: Error | null) => void): void {
    this.pending = typeof chunk === 'string' ? chunk : String(chunk);
    traceKey('frame');
    this.schedule();
    cb();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // Frames committed in the same turn of the event loop reach the terminal once.
    setImmediate(() => this.flush());
  }

  /** Adds, replaces (same id) or removes (undefined) a region. */
  setRegion(id: string, region: Region | undefined): void {
    const old = this.regions.get(id);
    if (old?.region === region) return;
    if (old?.drawn) this.lost.push(old.drawn);
    if (region) this.regions.set(id, { region, rows: [] });
    else this.regions.delete(id);
    this.dirty.add(id);
    this.schedule();
  }

  /**
   * What regions show changed: their rows (`ids`, or every region's) are asked for again at the
   * next flush. A frame from Ink asks every region again (a render may have changed what they show).
   */
  redrawRegions(ids?: readonly string[]): void {
    if (this.regions.size === 0) return;
    if (ids) for (const id of ids) this.dirty.add(id);
    else this.allDirty = true;
    this.schedule();
  }

  /** Stops writing (an interactive child owns the terminal); `resume` redraws everything. */
  pause(): this {
    this.paused = true;
    return this;
  }

  resume(): this {
    this.paused = false;
    this.full = true;
    this.flush();
    return this;
  }

  /** Forgets what is on screen: the next frame is drawn whole. */
  invalidate(): void {
    this.full = true;
  }

  flush(): void {
    this.scheduled = false;
    if (this.paused || (this.stale && this.pending === undefined)) return;
    this.stale = false;
    const height = this.rows;
    const width = this.columns;
    let out = '';
    // Without an Ink frame, nothing moved or was drawn over: only the regions said to have changed are asked.
    const every = this.allDirty || this.pending !== undefined || this.full || this.lost.length > 0;
    if (this.pending !== undefined) {
      const lines = this.pending.split('\n');
      if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
      this.ink = lines;
      this.pending = undefined;
    }
    if (this.full) {
      out += '\x1b[H\x1b[2J';
      this.previous = [];
      this.lost = [];
      for (const st of this.regions.values()) delete st.drawn;
      this.full = false;
    }
    // Where each region is now; the rows a region left are Ink's again.
    const rects = new Map<RegionState, Rect>();
    for (const [id, st] of this.regions) {
      if (!every && !this.dirty.has(id)) continue;
      const r = clip(st.region.rect(), width, height);
      if (r) rects.set(st, r);
      if (st.drawn && !sameRect(r, st.drawn)) this.lost.push(st.drawn);
    }
    for (const r of this.lost) for (let y = r.y; y < r.y + r.height; y++) this.previous[y] = undefined;
    this.lost = [];
    const rewritten = new Set<number>();
    const n = Math.min(Math.max(this.ink.length, this.previous.length), height);
    for (let i = 0; i < n; i++) {
      const line = this.ink[i] ?? '';
      if (line === this.previous[i]) continue;
      out += `\x1b[${i + 1};1H${line}\x1b[0m\x1b[K`;
      rewritten.add(i);
    }
    this.previous = this.ink.slice(0, height);
    for (const [st, r] of rects) out += this.drawRegion(st, r, rewritten);
    this.dirty.clear();
    this.allDirty = false;
    if (!out) return;
    const payload = BSU + out + ESU;
    this.stats.frames++;
    this.stats.bytes += payload.length;
    this.target.write(payload);
    traceKey('write', String(payload.length));
    this.onFlush?.();
  }

  /** A region's rows that differ from what is on screen (all of them where Ink just drew the row). */
  private drawRegion(st: RegionState, r: Rect, rewritten: ReadonlySet<number>): string {
    const moved = !sameRect(r, st.drawn);
    const rows = st.region.rows(r.width, r.height);
    const next: string[] = [];
    const before = st.fitWidth === r.width ? st.fitted : undefined;
    const fitted = new Map<string, string>();
    let out = '';
    for (let y = 0; y < r.height; y++) {
      const row = rows[y] ?? '';
      let text = fitted.get(row) ?? before?.get(row);
      if (text === undefined) text = fitRow(row, r.width);
      fitted.set(row, text);
      next.push(text);
      if (!moved && !rewritten.has(r.y + y) && st.rows[y] === text) continue;
      out += `\x1b[${r.y + y + 1};${r.x + 1}H${text}\x1b[0m`;
    }
    st.rows = next;
    st.fitted = fitted;
    st.fitWidth = r.width;
    st.drawn = r;
    return out;
  }

  dispose(): void {
    this.target.off('resize', this.handleResize);
  }
}

/** The part of a rectangle that is on a screen `width` × `height`; undefined when none is. */
function clip(r: Rect | undefined, width: number, height: number): Rect | undefined {
  if (!r) return undefined;
  const x = Math.max(0, Math.round(r.x));
  const y = Math.max(0, Math.round(r.y));
  const w = Math.min(width - x, Math.round(r.width));
  const h = Math.min(height - y, Math.round(r.height));
  return w > 0 && h > 0 ? { x, y, width: w, height: h } : undefined;
}
