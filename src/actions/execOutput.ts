// `:exec CMD` without a terminal: the command runs in the selected container and what it printed
// (bounded, every line sanitised as a log line is), its exit code and — when the engine could not
// start it (exit 126/127) — the engine's reason show in the panel's Exec tab, which scrolls.
// `:exec -it CMD` hands the terminal over instead (inside.ts).
import type { Engine } from '../engine/engine.js';
import { explainActionError } from '../engine/errors.js';
import { execStartFailure } from '../engine/exec.js';
import { sanitizeLine } from '../engine/logs/sanitize.js';
import { displayName, type Container } from '../engine/models.js';
import type { Action, AppState } from '../store/state.js';
import type { Store } from '../store/store.js';
import { readOnlyRefusal } from './readOnly.js';

export interface ExecRun {
  /** The container's key. */
  key: string;
  name: string;
  argv: string[];
  state: 'running' | 'done' | 'failed';
  /** What it printed, stdout and stderr in order, one sanitised line each. */
  lines: string[];
  exitCode?: number;
  /** Why the engine could not start the command (exit 126/127), in its words. */
  reason?: string;
  /** Why it could not run at all (the container is stopped, the engine went away, a timeout). */
  error?: string;
  /** Some output was left out: more than MAX_BYTES, MAX_LINES, or a line over MAX_LINE. */
  cut?: string;
  startedAt: number;
  endedAt?: number;
}

export const EXEC_MAX_BYTES = 256 * 1024;
export const EXEC_MAX_LINES = 5000;
const MAX_LINE = 4000;
/** Runs are kept for this many containers, the oldest forgotten first. */
const KEEP_RUNS = 20;

/** The output as the panel shows it: split, sanitised, bounded; `cut` says what was left out. */
export function outputLines(raw: string, truncated: boolean): { lines: string[]; cut?: string } {
  const all = raw.split(/\r?\n/);
  if (all[all.length - 1] === '') all.pop();
  let cut = truncated ? `the output was cut at ${EXEC_MAX_BYTES / 1024} KiB` : undefined;
  if (all.length > EXEC_MAX_LINES) cut = `the output was cut at ${EXEC_MAX_LINES} lines (${all.length} in all)`;
  let long = false;
  const lines = all.slice(0, EXEC_MAX_LINES).map((l) => {
    const s = sanitizeLine(l, { keepColor: false });
    if (s.length <= MAX_LINE) return s;
    long = true;
    return `${s.slice(0, MAX_LINE)}…`;
  });
  if (long) cut = [cut, `lines over ${MAX_LINE} characters were cut`].filter(Boolean).join('; ');
  return cut ? { lines, cut } : { lines };
}

/** The status line after a run: how it ended first, the command last (a long one is cut there). */
export function execSummary(r: ExecRun): { text: string; level: 'ok' | 'error' } {
  const cmd = r.argv.join(' ');
  if (r.error) return { text: `exec in ${r.name}: ${r.error} — ${cmd}`, level: 'error' };
  const code = r.exitCode === undefined ? 'ended (the engine gave no exit code)' : `exit code ${r.exitCode}`;
  const why = r.reason ? ` — ${r.reason}` : '';
  const n = r.lines.length;
  return { text: `exec in ${r.name}: ${code}${why} · ${n} line${n === 1 ? '' : 's'} of output in the Exec tab — ${cmd}`, level: r.exitCode ? 'error' : 'ok' };
}

export class ExecOutputController {
  private readonly runs = new Map<string, ExecRun>();

  constructor(
    private readonly store: Store<AppState, Action>,
    private readonly engines: ReadonlyMap<string, Engine>,
    private readonly opts: { readOnly: boolean },
  ) {}

  /** The last run in the container `key`. */
  run(key: string | undefined): ExecRun | undefined {
    return key === undefined ? undefined : this.runs.get(key);
  }

  private say(text: string, level: 'info' | 'ok' | 'error' = 'info'): void {
    this.store.dispatch({ type: 'message', level, text });
  }

  private keep(r: ExecRun): void {
    this.runs.delete(r.key);
    this.runs.set(r.key, r);
    while (this.runs.size > KEEP_RUNS) this.runs.delete(this.runs.keys().next().value!);
    this.store.dispatch({ type: 'logs/tick' });
  }

  /** `:exec CMD…` in `c`: the Exec tab shows it running, then its output and exit code. */
  async start(c: Container | undefined, argv: string[]): Promise<void> {
    if (!c) return this.say('no container selected: nothing to exec in');
    if (this.opts.readOnly) return this.say(readOnlyRefusal('exec'), 'error');
    const e = this.engines.get(c.engineId);
    if (!e) return this.say(`${displayName(c)}: its engine is not connected`, 'error');
    if (this.runs.get(c.key)?.state === 'running') return this.say(`${this.runs.get(c.key)!.argv.join(' ')} is still running in ${displayName(c)}: wait for it (it stops after 30 s)`, 'error');
    const run: ExecRun = { key: c.key, name: displayName(c), argv, state: 'running', lines: [], startedAt: Date.now() };
    this.keep(run);
    this.store.dispatch({ type: 'logs/set', patch: { tab: 'exec', focus: true, listOnly: false, scroll: 0 } });
    this.say(`running ${argv.join(' ')} in ${run.name}…`);
    let done: ExecRun;
    try {
      const r = await e.execCapture(c.id, argv, { maxBytes: EXEC_MAX_BYTES });
      const failed = execStartFailure(r.output, r.exitCode);
      const out = outputLines(failed ? failed.output : r.output, r.truncated);
      done = { ...run, state: 'done', lines: out.lines, ...(out.cut ? { cut: out.cut } : {}), ...(r.exitCode !== undefined ? { exitCode: r.exitCode } : {}), ...(failed ? { reason: failed.reason } : {}) };
    } catch (err) {
      const msg = err instanceof Error && err.name === 'ExecError' ? err.message : `cannot exec: ${explainActionError(err)}`;
      done = { ...run, state: 'failed', error: /still running after/.test(msg) ? `${msg} (:exec -it ${argv.join(' ')})` : msg };
    }
    done.endedAt = Date.now();
    this.keep(done);
    const sum = execSummary(done);
    this.say(sum.text, sum.level);
  }
}
