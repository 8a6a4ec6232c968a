// The log ring buffer: bounded by lines and by bytes, O(1) append and eviction. Nothing grows
// over days of chatty logs.
import { cutMarker } from '../../text/width.js';

/** `meta`: gantry's own lines in the log (stream ended, container restarted). */
export type LogStream = 'stdout' | 'stderr' | 'meta';

export interface LogLine {
  /** Monotonic across the buffer's life: survives eviction, so positions stay meaningful. */
  seq: number;
  stream: LogStream;
  /** RFC 3339 time from the engine, when timestamps were asked for. */
  ts?: string | undefined;
  text: string;
}

export interface LogBufferOptions {
  maxLines?: number;
  maxBytes?: number;
  /** One line longer than this is cut with a marker. */
  maxLineBytes?: number;
}

/** Room for the marker of a line the splitter already cut: it is not cut again. */
const MARKER_ROOM = 64;

export function cutLine(text: string, maxBytes: number): string {
  if (text.length <= maxBytes + MARKER_ROOM) return text;
  // The same marker as a line the splitter cut: lengths here are characters, not bytes.
  return `${text.slice(0, maxBytes)}${cutMarker(text.length - maxBytes)}`;
}

export class LogBuffer {
  readonly maxLines: number;
  readonly maxBytes: number;
  readonly maxLineBytes: number;
  private ring: (LogLine | undefined)[];
  private head = 0; // index of the oldest line
  private count = 0;
  private bytes = 0;
  private nextSeq = 0;
  /** Lines evicted so far. */
  dropped = 0;

  constructor(opts: LogBufferOptions = {}) {
    this.maxLines = Math.max(1, opts.maxLines ?? 10_000);
    this.maxBytes = Math.max(1024, opts.maxBytes ?? 16 * 1024 * 1024);
    this.maxLineBytes = Math.max(16, opts.maxLineBytes ?? 64 * 1024);
    this.ring = new Array(this.maxLines);
  }

  get length(): number {
    return this.count;
  }

  get byteSize(): number {
    return this.bytes;
  }

  /** The seq of the oldest line held (or of the next line when empty). */
  get firstSeq(): number {
    return this.nextSeq - this.count;
  }

  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  push(stream: LogStream, text: string, ts?: string): LogLine {
    // Every field set at once: one object shape (a field added later costs a property array per line).
    const line: LogLine = { seq: this.nextSeq++, stream, text: cutLine(text, this.maxLineBytes), ts };
    const size = line.text.length + 32;
    while (this.count > 0 && (this.count >= this.maxLines || this.bytes + size > this.maxBytes)) this.evict();
    this.ring[(this.head + this.count) % this.maxLines] = line;
    this.count++;
    this.bytes += size;
    return line;
  }

  private evict(): void {
    const old = this.ring[this.head];
    this.ring[this.head] = undefined;
    this.head = (this.head + 1) % this.maxLines;
    this.count--;
    this.dropped++;
    if (old) this.bytes -= old.text.length + 32;
  }

  /** The i-th line held (0 = oldest). */
  at(i: number): LogLine | undefined {
    if (i < 0 || i >= this.count) return undefined;
    return this.ring[(this.head + i) % this.maxLines];
  }

  bySeq(seq: number): LogLine | undefined {
    return this.at(seq - this.firstSeq);
  }

  slice(from: number, count: number): LogLine[] {
    const out: LogLine[] = [];
    for (let i = Math.max(0, from); i < Math.min(this.count, from + count); i++) out.push(this.at(i)!);
    return out;
  }

  clear(): void {
    this.ring = new Array(this.maxLines);
    this.head = 0;
    this.count = 0;
    this.bytes = 0;
  }
}
