// The clock ages are drawn from (`up 5s`, `exited (0) 3h ago`, `idle 2m`). Views that show ages
// read it at a period; views on the same period share one timer and read the same time, so the
// list and the panel beside it never disagree. `tickClocks` makes every clock read the time at once
// (the bench's frame for a clock read).
import { useEffect, useState } from 'react';

interface Ticker {
  timer: ReturnType<typeof setInterval>;
  readers: Set<(at: number) => void>;
}

const tickers = new Map<number, Ticker>();

function join(periodMs: number, read: (at: number) => void): () => void {
  let t = tickers.get(periodMs);
  if (!t) {
    const readers = new Set<(at: number) => void>();
    const timer = setInterval(() => {
      const at = Date.now();
      for (const r of readers) r(at);
    }, periodMs);
    timer.unref?.();
    tickers.set(periodMs, (t = { timer, readers }));
  }
  t.readers.add(read);
  const mine = t;
  return () => {
    mine.readers.delete(read);
    if (mine.readers.size === 0) {
      clearInterval(mine.timer);
      tickers.delete(periodMs);
    }
  };
}

/** The time, read again every `periodMs`. */
export function useNow(periodMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => join(periodMs, setNow), [periodMs]);
  return now;
}

/** An age under ten seconds (a start or restart just done, which a person watches): read each second. */
export const SECOND = 1_000;
/** An age under a minute is shown in seconds too: read every five. */
export const FIVE_SECONDS = 5_000;
/** Otherwise ages move by the minute; read four times a minute. */
export const QUARTER_MINUTE = 15_000;

/**
 * The period for ages that began at these times (ms): each second while one is under ten seconds
 * old, every five while one is under a minute. Each read redraws the list (an Ink frame: ~4–5 ms of
 * CPU at rest, and the allocation that keeps V8's memory reducer from running), so a whole
 * minute of seconds would cost a list with a container just started 60 frames.
 */
export function agePeriod(starts: Iterable<number | undefined>, now: number): number {
  let period = QUARTER_MINUTE;
  for (const s of starts) {
    if (s === undefined) continue;
    if (now - s < 10_000) return SECOND;
    if (now - s < 60_000) period = FIVE_SECONDS;
  }
  return period;
}

/** Every clock on screen reads the time at once, as at its period's end (`at`: the time to read). */
export function tickClocks(at?: number): void {
  const t = at ?? Date.now();
  for (const { readers } of tickers.values()) for (const r of readers) r(t);
}
