// nvidia-smi children never outlive gantry. In loop mode nvidia-smi ends only when killed or when a
// write finds its reader gone, and the process loop writes nothing while no process uses a GPU: a
// gantry killed with SIGKILL left it polling the driver for ever, on this machine or on a server.
// The stand-in here is that silent loop (a shell loop that never writes), so only gantry's own
// clean-up can end it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { e2eSetup } from '../helpers/e2e.js';
import { enginesOrSkip } from '../helpers/engines.js';
import { GANTRY, KEY, PtySession } from '../helpers/pty.js';
import { sshdOrSkip } from '../helpers/sshd.js';
import { childrenOf, pidsWhere } from '../helpers/procs.js';

const { tmp, env, gantry } = e2eSetup('gpu-children');
const silent = join(tmp, 'silent-nvidia-smi');
writeFileSync(silent, '#!/bin/sh\nwhile :; do sleep 0.2; done\n', { mode: 0o755 });

/** Pids of the silent stand-in's processes (argv: /bin/sh SILENT …), on this machine or "the server" (the same one). */
const silentLoops = () => pidsWhere((argv) => argv[1] === silent);

async function until(what: string, ok: () => boolean, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; silent loops running: ${silentLoops().join(', ') || 'none'}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const engines = enginesOrSkip('nvidia-smi loops end with gantry (test/e2e/gpu-children.test.ts)');
const sshd = engines && sshdOrSkip('nvidia-smi loops on a server (test/e2e/gpu-children.test.ts)');

describe.skipIf(!engines)('nvidia-smi loops end with gantry', () => {
  // gantry needs an engine to start; the loops start once its list is on screen.
  const ENGINE = () => ['--host', engines![0]!.url, '--no-podman-service'];

  it('on this machine: gone within seconds of a SIGKILL, and after q', async () => {
    // Started from a shell, as a user does: the shell holds the terminal, so gantry's end sends no
    // SIGHUP to its children (gantry as the terminal's own process would hide the fault).
    const shell = new PtySession('sh', ['-c', '"$0" "$@"; echo gantry ended; sleep 60', process.execPath, GANTRY, ...ENGINE(), '--nvidia-smi', silent], {
      cols: 120,
      rows: 30,
      env,
    });
    try {
      await until('two nvidia-smi loops', () => silentLoops().length === 2);
      const pid = childrenOf(shell.pid)[0];
      expect(pid).toBeDefined();
      process.kill(pid!, 'SIGKILL');
      await shell.waitFor('gantry ended');
      await until('the loops to end after gantry was killed', () => silentLoops().length === 0, 5000);
    } finally {
      await shell.dispose();
    }

    const s = gantry([...ENGINE(), '--nvidia-smi', silent]);
    await until('two nvidia-smi loops', () => silentLoops().length === 2);
    await s.press('q');
    expect((await s.waitExit()).exitCode).toBe(0);
    await until('the loops to end after q', () => silentLoops().length === 0, 5000);
  }, 60_000);

  it('keeps two loops while a silent nvidia-smi is restarted as not answering', async () => {
    const s = gantry([...ENGINE(), '--nvidia-smi', silent]);
    await until('two nvidia-smi loops', () => silentLoops().length === 2);
    const first = silentLoops();
    // Silent for 10 s before its first line: stopped, said, and started again 1 s later.
    await s.waitFor('nvidia-smi is not answering', 30_000);
    await until('the new loops', () => silentLoops().length === 2 && !silentLoops().some((p) => first.includes(p)), 15_000);
    await s.press(KEY.CTRL_C);
    await s.waitExit();
    await until('the loops to end', () => silentLoops().length === 0, 5000);
  }, 90_000);

  it.skipIf(!sshd)('on a server: its loops end when gantry is killed (the ssh client passes the end of its stdin on)', async () => {
    const config = join(tmp, 'config', 'gantry');
    mkdirSync(config, { recursive: true });
    writeFileSync(
      join(config, 'config.yaml'),
      [`sshConfig: ${sshd!.config}`, 'servers:', `  - { name: node-a, ssh: node-a, sockets: [${engines![0]!.socket}], nvidiaSmi: ${silent} }`, ''].join('\n'),
    );
    try {
      const s = gantry([...ENGINE(), '--nvidia-smi', join(tmp, 'absent-nvidia-smi')]);
      await until("the server's two nvidia-smi loops", () => silentLoops().length === 2, 30_000);
      s.kill('SIGKILL');
      await s.waitExit();
      await until("the server's loops to end after gantry was killed", () => silentLoops().length === 0, 10_000);
    } finally {
      writeFileSync(join(config, 'config.yaml'), '');
    }
  }, 90_000);
});
