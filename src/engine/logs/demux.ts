// Docker's and Podman's multiplexed log stream (containers without a TTY): frames of an 8-byte
// header — stream (1 stdout, 2 stderr), three zero bytes, a big-endian length — then the payload.
// Incremental: headers and payloads may be split across chunks anywhere.

export interface Frame {
  stream: 'stdout' | 'stderr';
  data: Buffer;
}

export class Demuxer {
  private buf: Buffer = Buffer.alloc(0);

  write(chunk: Buffer): Frame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: Frame[] = [];
    while (this.buf.length >= 8) {
      const type = this.buf[0]!;
      const len = this.buf.readUInt32BE(4);
      if (this.buf.length < 8 + len) break;
      out.push({ stream: type === 2 ? 'stderr' : 'stdout', data: this.buf.subarray(8, 8 + len) });
      this.buf = this.buf.subarray(8 + len);
    }
    return out;
  }
}
