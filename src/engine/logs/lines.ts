// Chunks of a log stream (any boundaries) → lines. A line that never ends cannot grow memory:
// past maxLineBytes the rest of it is counted and dropped until its newline.
//
// Under a log flood this runs for every line (40,000+ a second): a line that lies whole in its
// chunk is one slice of it (no copy into `pending`), and the timestamp is read by hand, not by a
// regular expression (whose match arrays were a third of the garbage made per line).

export interface SplitLine {
  text: string;
  ts?: string | undefined;
  /** Characters dropped from this line for being over the limit. */
  cut: number;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

function digitsAt(s: string, at: number, n: number): boolean {
  for (let i = at; i < at + n; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return true;
}

/**
 * The length of the RFC 3339 timestamp and the space after it that start `s` at `from` (0 when
 * there is none): `2026-12-02T09:13:28.123456789Z ` or with an offset, `…+01:00 `.
 */
export function timestampLength(s: string, from = 0, to = s.length): number {
  if (to - from < 21) return 0;
  const f = from;
  if (!(digitsAt(s, f, 4) && s.charCodeAt(f + 4) === 45 && digitsAt(s, f + 5, 2) && s.charCodeAt(f + 7) === 45 && digitsAt(s, f + 8, 2))) return 0;
  if (!(s.charCodeAt(f + 10) === 84 && digitsAt(s, f + 11, 2) && s.charCodeAt(f + 13) === 58 && digitsAt(s, f + 14, 2))) return 0;
  if (!(s.charCodeAt(f + 16) === 58 && digitsAt(s, f + 17, 2))) return 0;
  let i = f + 19;
  if (s.charCodeAt(i) === 46 && isDigit(s.charCodeAt(i + 1))) {
    i += 2;
    while (i < to && isDigit(s.charCodeAt(i))) i++;
  }
  const z = s.charCodeAt(i);
  if (z === 90) i++;
  else if ((z === 43 || z === 45) && i + 6 <= to && digitsAt(s, i + 1, 2) && s.charCodeAt(i + 3) === 58 && digitsAt(s, i + 4, 2)) i += 6;
  else return 0;
  return i < to && s.charCodeAt(i) === 32 ? i + 1 - f : 0;
}

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
      if (nl < 0) {
        if (start < chunk.length) this.append(start === 0 ? chunk : chunk.slice(start));
        break;
      }
      if (this.pending.length === 0 && this.cut === 0 && nl - start <= this.maxLineBytes) out.push(this.line(chunk, start, nl, 0));
      else {
        this.append(chunk.slice(start, nl));
        out.push(this.take());
      }
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
    const line = this.line(this.pending, 0, this.pending.length, this.cut);
    this.pending = '';
    this.cut = 0;
    return line;
  }

  /** The line s[from, to) (a `\r` before its newline dropped), its timestamp taken off. */
  private line(s: string, from: number, to: number, cut: number): SplitLine {
    if (to > from && s.charCodeAt(to - 1) === 13) to--;
    const n = this.timestamps ? timestampLength(s, from, to) : 0;
    return n > 0 ? { text: s.slice(from + n, to), ts: s.slice(from, from + n - 1), cut } : { text: s.slice(from, to), ts: undefined, cut };
  }
}
