// GANTRY_TRACE=FILE appends start-up phase times (ms since the process began) to FILE.
import { appendFileSync } from 'node:fs';

const traceFile = process.env.GANTRY_TRACE;

export function trace(phase: string): void {
  if (!traceFile) return;
  try {
    appendFileSync(traceFile, `${performance.now().toFixed(1)} ${phase}\n`);
  } catch {
    // tracing must never break gantry
  }
}
