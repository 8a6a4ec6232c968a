// Killing one process of a container through the engine (the engine's authority, not the host
// user's: a docker-group user may kill what runs in a container, never a host process of root).
// Its main process is the engine's kill; any other is `kill` run inside the container, as the
// container numbers its processes — the shell's builtin, else the image's kill binary.
import type Docker from 'dockerode';
import { execCapture } from './exec.js';

const NOT_FOUND = /executable file not found|no such file or directory|not found in \$PATH|command not found/i;

export class KillError extends Error {
  override readonly name = 'KillError';
}

/** SIGKILL to process `pid` of container `id`, `pid` in the container's own numbering (1: its main process). */
export async function killInside(docker: Docker, id: string, pid: number): Promise<void> {
  if (!Number.isInteger(pid) || pid < 1) throw new KillError(`no process ${pid} to kill`);
  if (pid === 1) {
    await docker.getContainer(id).kill({ signal: 'SIGKILL' });
    return;
  }
  // The pid goes in as an argument, never into the script.
  const tries: string[][] = [['sh', '-c', 'kill -KILL "$1"', 'kill', String(pid)], ['kill', '-KILL', String(pid)]];
  let last = '';
  for (const cmd of tries) {
    const r = await execCapture(docker, id, cmd, { timeoutMs: 10_000, maxBytes: 4096 });
    if (r.exitCode === 0) return;
    last = r.output.trim().split('\n').pop() ?? '';
    if (!NOT_FOUND.test(r.output)) throw new KillError(`kill ${pid} inside the container failed${last ? `: ${last}` : ` (exit code ${r.exitCode ?? '?'})`}`);
  }
  throw new KillError(`the image has neither sh nor kill to send the signal with (${last}): kill the container instead (K in the Containers pane)`);
}
