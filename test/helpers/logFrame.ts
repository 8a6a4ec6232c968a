// One frame of a log stream as the engines send it for a container without a TTY: an 8-byte
// header (1 stdout, 2 stderr; the payload's length, big-endian) and the payload.
export function logFrame(stream: number, text: string): Buffer {
  const body = Buffer.from(text);
  const head = Buffer.alloc(8);
  head[0] = stream;
  head.writeUInt32BE(body.length, 4);
  return Buffer.concat([head, body]);
}
