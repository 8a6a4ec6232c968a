// The engines' streaming answers (events, stats, logs): JSON values one per line, lines split
// anywhere across chunks (characters too) — a line that is not JSON is skipped, the next comes
// soon — and closing a stream from this side.
import { StringDecoder } from 'node:string_decoder';

/** A 'data' handler that calls `onValue` with each parsed line, in order. */
export function jsonLines<T>(onValue: (value: T) => void): (chunk: Buffer) => void {
  const dec = new StringDecoder('utf8');
  let pending = '';
  return (chunk) => {
    pending += dec.write(chunk);
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl).trim();
      pending = pending.slice(nl + 1);
      if (!line) continue;
      let value: T;
      try {
        value = JSON.parse(line) as T;
      } catch {
        continue;
      }
      onValue(value);
    }
  };
}

/** Closes a stream from this side (the streams dockerode hands over are not typed with `destroy`). */
export function destroyStream(stream: unknown): void {
  (stream as { destroy?: () => void } | undefined)?.destroy?.();
}
