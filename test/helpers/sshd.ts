// The test sshd that scripts/sshd.sh runs on a private 127.0.0.1 port (scripts/test.sh starts it
// and exports GANTRY_TEST_SSH_CONFIG): servers named node-a, node-b, … are all this machine.
// Without it the remote-server tests are skipped LOUDLY — and under CI=true they fail instead.
import { execFileSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './pty.js';

export interface TestSshd {
  /** The private ssh client config (`ssh -F`), with the node-* aliases. */
  config: string;
  dir: string;
  port: number;
}

let warned = false;

export function sshdOrSkip(what: string): TestSshd | undefined {
  const config = process.env.GANTRY_TEST_SSH_CONFIG;
  const dir = process.env.GANTRY_TEST_SSHD_DIR;
  const port = Number(process.env.GANTRY_TEST_SSH_PORT);
  if (config && dir && port) return { config, dir, port };
  if (process.env.CI === 'true') throw new Error('CI=true but GANTRY_TEST_SSH_CONFIG is not set: run the tests with `npm test`, which starts the test sshd.');
  if (!warned) {
    warned = true;
    const bar = '!'.repeat(78);
    console.warn(`\n${bar}\n!! ${what}: SKIPPED — no test sshd (run \`npm test\` as root, or \`eval "$(bash scripts/sshd.sh start)"\`).\n${bar}\n`);
  }
  return undefined;
}

/** Runs scripts/sshd.sh with a sub-command (stop, start, drop) on the sshd of these tests. */
export function sshdScript(s: TestSshd, cmd: 'stop' | 'start' | 'drop'): string {
  return execFileSync('bash', [`${ROOT}scripts/sshd.sh`, cmd], {
    encoding: 'utf8',
    env: { ...process.env, GANTRY_SSHD_DIR: s.dir },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
}

/**
 * A remote nvidia-smi for the servers: the stand-in replaying the 4-GPU server, reporting the
 * compute processes written in `procsFile` (pid:gpu:MiB:name,…). Environment does not cross ssh,
 * so the settings live in this wrapper script.
 */
export function remoteNvidiaSmi(dir: string, procsFile: string): string {
  const path = join(dir, 'remote-nvidia-smi');
  writeFileSync(
    path,
    `#!/bin/sh\nFAKE_NVIDIA_SMI_PROFILE=rtx4 FAKE_NVIDIA_SMI_PROCS_FILE='${procsFile}' exec '${process.execPath}' '${ROOT}test/helpers/fake-nvidia-smi' "$@"\n`,
  );
  chmodSync(path, 0o755);
  return path;
}
