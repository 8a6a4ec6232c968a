// The engines' streaming JSON answers (events, stats): one JSON value per line, lines split
// anywhere across chunks (characters too). A line that is not JSON is skipped: the next comes soon.
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
