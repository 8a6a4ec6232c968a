// nvidia-smi on a server: the GpuMonitor's children (and `gantry gpus`' one sample) run through
// the server's ssh master, and a server without nvidia-smi says so in the GPU status.
import type { GpuLauncher } from '../gpu/monitor.js';
import type { SshConnection } from './connection.js';
import { remoteScript } from './ssh.js';

// "$1" is the nvidia-smi to run, the rest its arguments; 127 (the shell's "not found") when absent.
const RUN = 'b=$1; shift; command -v "$b" >/dev/null 2>&1 || exit 127; exec "$b" "$@"';

export function missingOn(server: string): string {
  return `nvidia-smi not found on ${server}: its GPUs are not shown (its containers are). Install the NVIDIA driver there, or give the server's nvidia-smi path (nvidiaSmi: in its servers: entry).`;
}

/** Runs nvidia-smi on the server of this connection. */
export function sshLauncher(conn: SshConnection): GpuLauncher {
  return {
    command: (binary, args) => conn.commandArgs(remoteScript(RUN, [binary, ...args])),
    missing: { exitCode: 127, message: missingOn(conn.name) },
  };
}
