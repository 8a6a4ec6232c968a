// Opt-in traces, appended to a file; nothing is done (not even a clock read) when they are off.
// GANTRY_TRACE=FILE: start-up phase times (ms since the process began).
// GANTRY_TRACE_KEYS=FILE: each key's way to the screen, one line per stage with the wall clock
// (epoch ms, so another process — the bench — can line its own times up with them):
//   stdin (bytes readable) → key (parsed, about to be dispatched) → dispatched (the store told
//   its subscribers; a synchronous React render and Ink frame happen inside) → render (App
//   rendered) → frame (Ink handed its frame over) → write (the frame's bytes went to the terminal).
import { appendFileSync } from 'node:fs';
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';

const traceFile = process.env.GANTRY_TRACE;
const keysFile = process.env.GANTRY_TRACE_KEYS;

export function trace(phase: string): void {
  if (!traceFile) return;
  try {
    appendFileSync(traceFile, `${performance.now().toFixed(1)} ${phase}\n`);
  } catch {
    // tracing must never break gantry
  }
}

/** Whether key stages are traced (callers skip building their detail when not). */
export const tracingKeys = !!keysFile;

export function traceKey(stage: string, detail = '', at = performance.timeOrigin + performance.now()): void {
  if (!keysFile) return;
  try {
    appendFileSync(keysFile, `${at.toFixed(2)} ${stage}${detail ? ` ${detail}` : ''}\n`);
  } catch {
    // tracing must never break gantry
  }
}

// With the key trace on, V8's collections are traced too (a pause a key waited on shows up between
// its stages): `gc <ms> <kind>` at the moment the collection began. The observer reports them late,
// so the file is not in time order.
if (keysFile) {
  const kinds: Record<number, string> = { 1: 'minor', 4: 'major', 8: 'incremental', 16: 'weakcb' };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries() as (PerformanceEntry & { detail?: { kind?: number } })[])
      traceKey('gc', `${e.duration.toFixed(1)} ${kinds[e.detail?.kind ?? 0] ?? e.detail?.kind}`, performance.timeOrigin + e.startTime);
  }).observe({ entryTypes: ['gc'] });
}
