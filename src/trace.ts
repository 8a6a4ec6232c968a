// Opt-in traces, appended to a file; nothing is done (not even a clock read) when they are off.
// GANTRY_TRACE=FILE: start-up phase times (ms since the process began).
// GANTRY_TRACE_KEYS=FILE: each key's way to the screen, one line per stage with the wall clock
// (epoch ms, so another process — the bench — can line its own times up with them):
//   stdin (bytes readable) → key (parsed, about to be dispatched) → dispatched (the store told
//   its subscribers; a synchronous React render and Ink frame happen inside) → render (App
//   rendered) → frame (Ink handed its frame over) → write (the frame's bytes went to the terminal).
import { appendFileSync } from 'node:fs';

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

export function traceKey(stage: string, detail = ''): void {
  if (!keysFile) return;
  try {
    const at = performance.timeOrigin + performance.now();
    appendFileSync(keysFile, `${at.toFixed(2)} ${stage}${detail ? ` ${detail}` : ''}\n`);
  } catch {
    // tracing must never break gantry
  }
}
