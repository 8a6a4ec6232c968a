// Chunks of a log stream (any boundaries) → lines. A line that never ends cannot grow memory:
// past maxLineBytes the rest of it is counted and dropped until its newline.

export interface SplitLine {
  text: string;
  ts?: string;
  /** Characters dropped from this line for being over the limit. */
  cut: number;
}

export const TS = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})) /;

export class LineSplitter {
  private pending = '';
  private cut = 0;

  constructor(
    private readonly maxLineBytes = 64 * 1024,
    /** The stream was asked for with timestamps: each line starts with one. */
    private readonly timestamps = false,
  ) {}

  write(chunk: string): SplitLine[] {
    const out: SplitLine[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf('\n', start);
      const piece = nl < 0 ? chunk.slice(start) : chunk.slice(start, nl);
      this.append(piece);
      if (nl < 0) break;
      out.push(this.take());
      start = nl + 1;
    }
    return out;
  }

  /** True when a line has begun and not ended yet. */
  get midLine(): boolean {
    return this.pending.length > 0 || this.cut > 0;
  }

  /** The partial last line, if any (at the end of the stream). */
  flush(): SplitLine[] {
    return this.pending || this.cut ? [this.take()] : [];
  }

  private append(piece: string): void {
    const room = this.maxLineBytes - this.pending.length;
    if (piece.length <= room) this.pending += piece;
    else {
      this.pending += piece.slice(0, Math.max(0, room));
      this.cut += piece.length - Math.max(0, room);
    }
  }

  private take(): SplitLine {
    let text = this.pending.endsWith('\r') ? this.pending.slice(0, -1) : this.pending;
    const line: SplitLine = { text, cut: this.cut };
    if (this.timestamps) {
      const m = TS.exec(text);
      if (m) {
        line.ts = m[1]!;
        text = text.slice(m[0].length);
        line.text = text;
      }
    }
    this.pending = '';
    this.cut = 0;
    return line;
  }
}
