// The panel's Exec tab: the last `:exec CMD` in the selected container — the command, running or
// how it ended (its exit code, the engine's reason when it could not start it), then its output.
import type { ExecRun } from '../actions/execOutput.js';
import { shortDuration } from '../present/container.js';
import { shellQuote } from '../present/inspect.js';
import { printable } from '../text/width.js';

export interface TabLine {
  text: string;
  dim?: boolean;
  bold?: boolean;
  error?: boolean;
}

export function execTabLines(run: ExecRun | undefined, now: number): TabLine[] {
  if (!run) {
    return [
      { text: ' Nothing run in this container yet.', dim: true },
      { text: ' :exec CMD runs a command here and shows its output in this tab (j/k scroll);', dim: true },
      { text: ' :exec -it CMD gives it the terminal; E opens a shell.', dim: true },
    ];
  }
  const cmd = printable(run.argv.map(shellQuote).join(' '));
  const took = shortDuration((run.endedAt ?? now) - run.startedAt);
  const out: TabLine[] = [{ text: ` $ ${cmd}`, bold: true }];
  if (run.state === 'running') out.push({ text: ` running for ${took}… (stopped after 30 s: use :exec -it for longer ones)`, dim: true });
  else if (run.error) out.push({ text: ` ${printable(run.error)}`, error: true });
  else {
    const code = run.exitCode === undefined ? 'ended; the engine gave no exit code' : `exit code ${run.exitCode}`;
    const n = run.lines.length;
    out.push({
      text: ` ${code}${run.reason ? `: ${printable(run.reason)}` : ''} · ${n} line${n === 1 ? '' : 's'} · took ${took}`,
      ...(run.exitCode ? { error: true } : { dim: true }),
    });
  }
  if (run.cut) out.push({ text: ` ${run.cut}`, dim: true });
  if (run.state !== 'running' && !run.error && run.lines.length === 0) out.push({ text: ' (no output)', dim: true });
  for (const l of run.lines) out.push({ text: ` ${l}` });
  return out;
}
