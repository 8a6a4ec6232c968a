// Gantry's own frame writer. Ink renders each frame to a string (its debug mode hands us whole
// frames); we compare it with the frame on screen and rewrite only the rows that changed, each at
// an absolute position, inside a synchronized update. Nothing ever clears the whole screen except
// a resize, so there is no flicker over SSH, and no drift: Ink 6.8's incremental writer moves the
// cursor one row short when the frame ends with a newline, which shifts every frame by a row.
import { Writable } from 'node:stream';

const BSU = '\x1b[?2026h';
const ESU = '\x1b[?2026l';

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

/**
 * A stand-in stdout for Ink: reports the real terminal's size and forwards its resizes, and turns
 * each frame Ink writes into the minimal update of the real terminal.
 */
export class FrameStdout extends Writable {
  isTTY = true;
  private previous: string[] = [];
  private pending: string | undefined;
  private scheduled = false;
  private full = true;
  private paused = false;
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
    this.full = true;
    this.emit('resize');
  };

  override _write(chunk: unknown, _enc: BufferEncoding, cb: (error?: Error | null) => void): void {
    this.pending = typeof chunk === 'string' ? chunk : String(chunk);
    if (!this.scheduled) {
      this.scheduled = true;
      // Frames committed in the same turn of the event loop reach the terminal once.
      setImmediate(() => this.flush());
    }
    cb();
  }

  /** Stops writing (an interactive child owns the terminal); `resume` redraws everything. */
  pause(): this {
    this.paused = true;
    return this;
  }

  resume(): this {
    this.paused = false;
    this.full = true;
    if (this.previous.length > 0 && this.pending === undefined) this.pending = this.previous.join('\n');
    this.flush();
    return this;
  }

  /** Forgets what is on screen: the next frame is drawn whole. */
  invalidate(): void {
    this.full = true;
  }

  flush(): void {
    this.scheduled = false;
    if (this.paused || this.pending === undefined) return;
    const frame = this.pending;
    this.pending = undefined;
    const lines = frame.split('\n');
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    const height = this.rows;
    let out = '';
    if (this.full) {
      out += '\x1b[H\x1b[2J';
      this.previous = [];
      this.full = false;
    }
    const n = Math.min(Math.max(lines.length, this.previous.length), height);
    for (let i = 0; i < n; i++) {
      const line = lines[i] ?? '';
      if (line === this.previous[i]) continue;
      out += `\x1b[${i + 1};1H${line}\x1b[0m\x1b[K`;
    }
    this.previous = lines.slice(0, height);
    if (!out) return;
    const payload = BSU + out + ESU;
    this.stats.frames++;
    this.stats.bytes += payload.length;
    this.target.write(payload);
    this.onFlush?.();
  }

  dispose(): void {
    this.target.off('resize', this.handleResize);
  }
}
