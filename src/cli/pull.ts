// `gantry pull REF`: the pull task's events as lines — a line when a layer changes phase, the
// totals at most once a second — then the result. Ctrl-C cancels (the engine cleans up).
import { homedir } from 'node:os';
import type { Engine } from '../engine/engine.js';
import type { PullEvent, PullTotals } from '../engine/pullProgress.js';
import { decimalBytes } from '../present/bytes.js';
import { pullTotalsText } from '../present/pull.js';

const totalsLine = (t: PullTotals) => `  ${pullTotalsText(t)}`;

/** Pulls `ref` on `engine`, writing progress to `out`; resolves with the exit code. */
export async function pullWith(engine: Engine, ref: string, insecureRegistries: readonly string[], out: (line: string) => void): Promise<number> {
  const phases = new Map<string, string>();
  let lastTotals = 0;
  const onEvent = (e: PullEvent) => {
    if (e.type === 'status') out(e.text);
    else if (phases.get(e.layer.id) !== e.layer.phase) {
      phases.set(e.layer.id, e.layer.phase);
      out(`${e.layer.id}: ${e.layer.status}${e.layer.total ? ` (${decimalBytes(e.layer.total)})` : ''}`);
    }
    const now = Date.now();
    if (e.totals.bytesKnown && e.totals.totalBytes > 0 && now - lastTotals >= 1000) {
      lastTotals = now;
      out(totalsLine(e.totals));
    }
  };
  const started = Date.now();
  out(`pulling ${ref} on ${engine.id}`);
  const task = engine.pull(ref, { insecureRegistries, authEnv: { env: process.env, home: homedir() }, onEvent });
  const cancel = () => task.cancel();
  process.once('SIGINT', cancel);
  process.once('SIGTERM', cancel);
  const r = await task.done;
  process.off('SIGINT', cancel);
  process.off('SIGTERM', cancel);
  if (r.status === 'done') {
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    out(`pulled ${r.ref} (${r.imageId.slice(0, 19)}) on ${engine.id}: ${r.totals.bytesKnown ? `${decimalBytes(r.totals.currentBytes)} ` : ''}in ${secs} s`);
    return 0;
  }
  process.stderr.write(`gantry: ${r.message}\n`);
  return r.status === 'cancelled' ? 130 : 1;
}
