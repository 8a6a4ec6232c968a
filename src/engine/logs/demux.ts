// Docker's and Podman's multiplexed log stream (containers without a TTY): frames of an 8-byte
// header — stream (1 stdout, 2 stderr), three zero bytes, a big-endian length — then the payload.
// Incremental: headers and payloads may be split across chunks anywhere. A frame is handed over
// whole, except a big one (Podman sends a 5 MB line as one frame): that comes in pieces as its
// bytes arrive, so it is never gathered in memory nor copied again with each chunk.

export interface Frame {
  stream: 'stdout' | 'stderr';
  data: Buffer;
  /** A later piece of a big frame (the first piece and whole frames have none). */
  continued?: boolean;
}

/** Frames longer than this are passed on in pieces. */
const WHOLE_MAX = 64 * 1024;

export class Demuxer {
  /** Bytes of headers and of small frames not complete yet (at most one small frame's worth). */
  private buf: Buffer = Buffer.alloc(0);
  /** A big frame being passed through: its stream and the bytes still to come. */
  private big: { stream: Frame['stream']; left: number; started: boolean } | undefined;

  write(chunk: Buffer): Frame[] {
    const out: Frame[] = [];
    let rest = chunk;
    if (this.big) rest = this.pass(rest, out);
    if (rest.length === 0) return out;
    this.buf = this.buf.length ? Buffer.concat([this.buf, rest]) : rest;
    while (this.buf.length >= 8) {
      const stream = this.buf[0] === 2 ? 'stderr' : 'stdout';
      const len = this.buf.readUInt32BE(4);
      if (len > WHOLE_MAX) {
        this.big = { stream, left: len, started: false };
        this.buf = this.pass(this.buf.subarray(8), out);
        continue;
      }
      if (this.buf.length < 8 + len) break;
      out.push({ stream, data: this.buf.subarray(8, 8 + len) });
      this.buf = this.buf.subarray(8 + len);
    }
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
