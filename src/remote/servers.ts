// The remote servers of one gantry run: a private control directory (mode 0700) for their ssh
// masters and forwarded sockets, one RemoteServer each, and the clean-up of all of it on any exit.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RemoteServer } from './server.js';
import { DEFAULT_SSH, type SshSettings } from './ssh.js';
import type { ServerSpec } from './spec.js';

export interface ServerSetOptions {
  ssh: SshSettings;
  /** Run each server's nvidia-smi loops (the TUI); false for `gantry gpus`. */
  gpuLoops: boolean;
  gpuIntervalMs: number;
  /** The nvidia-smi to run where a server's entry names none. */
  nvidiaSmi: string;
  backoffMs?: [number, number];
}

/** The ssh settings of a run: GANTRY_SSH_CONFIG, else the config's sshConfig, else ssh's own defaults. */
export function sshSettings(env: Record<string, string | undefined>, sshConfig: string, home: string): SshSettings {
  const file = (env.GANTRY_SSH_CONFIG ?? '').trim() || sshConfig.trim();
  if (!file) return { ...DEFAULT_SSH };
  return { ...DEFAULT_SSH, configFile: file.replace(/^~(?=\/|$)/, home) };
}

/** A short private folder: unix socket paths (with ssh's 17-character temporary suffix) must stay under ~100 bytes. */
function controlDir(): string {
  const base = join(tmpdir(), 'gantry-ssh-XXXXXX', 's999-99.ctl.0123456789abcdef').length <= 100 ? tmpdir() : '/tmp';
  const dir = mkdtempSync(join(base, 'gantry-ssh-'));
  chmodSync(dir, 0o700);
  return dir;
}

export class ServerSet {
  readonly dir: string;
  readonly servers: RemoteServer[];
  private stopped = false;
  private readonly onExit = () => this.stop();

  constructor(specs: readonly ServerSpec[], o: ServerSetOptions) {
    this.dir = controlDir();
    this.servers = specs.map((spec, i) => {
      const opts = { spec, ssh: o.ssh, controlDir: this.dir, slot: `s${i}`, gpuLoops: o.gpuLoops, gpuIntervalMs: o.gpuIntervalMs, nvidiaSmi: o.nvidiaSmi };
      return new RemoteServer(o.backoffMs ? { ...opts, backoffMs: o.backoffMs } : opts);
    });
    // Masters are gantry's children and end with it, but a crash must not leave the folder behind.
    process.once('exit', this.onExit);
  }

  start(): void {
    for (const s of this.servers) s.start();
  }

  /** Stops every master and loop, and removes the control directory. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    process.off('exit', this.onExit);
    for (const s of this.servers) s.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
