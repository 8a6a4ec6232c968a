// Docker's and Podman's multiplexed log stream (containers without a TTY): frames of an 8-byte
// header — stream (1 stdout, 2 stderr), three zero bytes, a big-endian length — then the payload.
// Incremental: headers and payloads may be split across chunks anywhere. A frame is handed over
// whole, except a big one (Podman sends a 5 MB line as one frame): that comes in pieces as its
// bytes arrive, so it is never gathered in memory nor copied again with each chunk.
//
// The engines send a frame per line: frames of one stream that follow a frame ending a line are
// handed over as one (their payloads copied together), so a chunk of 600 lines is a few pieces to
// decode instead of 600 Buffers, Frames and decoder calls. A frame that starts mid-line (Podman
// cuts a long line into frames, each with its own timestamp) always starts a piece of its own.

export interface Frame {
  stream: 'stdout' | 'stderr';
  data: Buffer;
  /** A later piece of a big frame (the first piece and whole frames have none). */
  continued?: boolean;
}

/** Frames longer than this are passed on in pieces. */
const WHOLE_MAX = 64 * 1024;

const EMPTY = Buffer.alloc(0);

export class Demuxer {
  /** Bytes of headers and of small frames not complete yet (at most one small frame's worth). */
  private buf: Buffer = EMPTY;
  /** A big frame being passed through: its stream and the bytes still to come. */
  private big: { stream: Frame['stream']; left: number; started: boolean } | undefined;

  write(chunk: Buffer): Frame[] {
    const out: Frame[] = [];
    let rest = chunk;
    if (this.big) rest = this.pass(rest, out);
    if (rest.length === 0) return out;
    const b = this.buf.length ? Buffer.concat([this.buf, rest]) : rest;
    let pos = 0;
    // The whole frames of the current run: their payloads' [start, end) in b.
    let run: number[] = [];
    let runStream: Frame['stream'] = 'stdout';
    const endRun = () => {
      if (run.length === 0) return;
      out.push({ stream: runStream, data: joinPayloads(b, run) });
      run = [];
    };
    while (b.length - pos >= 8) {
      const stream = b[pos] === 2 ? 'stderr' : 'stdout';
      const len = b.readUInt32BE(pos + 4);
      if (len > WHOLE_MAX) {
        endRun();
        this.big = { stream, left: len, started: false };
        const after = this.pass(b.subarray(pos + 8), out);
        pos = b.length - after.length;
        continue;
      }
      if (b.length - pos < 8 + len) break;
      const start = pos + 8;
      const end = start + len;
      // Joined to the run when the run's last frame ended its line.
      if (run.length > 0 && (stream !== runStream || b[run[run.length - 1]! - 1] !== 0x0a)) endRun();
      if (len > 0) {
        if (run.length === 0) runStream = stream;
        run.push(start, end);
      }
      pos = end;
    }
    endRun();
    // What is left is less than a frame: copied, so the chunk it came in is not held.
    this.buf = pos >= b.length ? EMPTY : Buffer.from(b.subarray(pos));
    return out;
  }

  /** Hands on what `bytes` holds of the big frame; returns the bytes after it. */
  private pass(bytes: Buffer, out: Frame[]): Buffer {
    const big = this.big!;
    const piece = bytes.subarray(0, big.left);
    if (piece.length > 0) {
      out.push(big.started ? { stream: big.stream, data: piece, continued: true } : { stream: big.stream, data: piece });
      big.started = true;
      big.left -= piece.length;
    }
    if (big.left === 0) this.big = undefined;
    return bytes.subarray(piece.length);
  }
}

/** The payloads at `spans` ([start, end) pairs) of `b`, as one Buffer (no copy for one). */
function joinPayloads(b: Buffer, spans: number[]): Buffer {
  if (spans.length === 2) return b.subarray(spans[0], spans[1]);
  let size = 0;
  for (let i = 0; i < spans.length; i += 2) size += spans[i + 1]! - spans[i]!;
  const joined = Buffer.allocUnsafe(size);
  let at = 0;
  for (let i = 0; i < spans.length; i += 2) {
    const start = spans[i]!;
    const end = spans[i + 1]!;
    // A line's worth of bytes is copied by hand: Buffer#copy and a subarray cost more per call.
    if (end - start < 512) for (let k = start; k < end; k++) joined[at++] = b[k]!;
    else {
      joined.set(b.subarray(start, end), at);
      at += end - start;
    }
  }
  return joined;
}
