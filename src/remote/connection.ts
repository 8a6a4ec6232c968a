// One ssh connection per server: an OpenSSH master in gantry's private control directory that
// every other ssh child of that server rides on (commands, nvidia-smi loops, socket forwards); its
// state (connecting / connected / unreachable and why) and reconnection with backoff.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { commonArgs, destinationArgs, masterArgs, muxArgs, type SshSettings } from './ssh.js';
import { explainSsh, lastSshLine, sshCommandFor, SSH_MISSING } from './sshErrors.js';
import type { Destination } from './spec.js';

export type ConnState = 'connecting' | 'connected' | 'unreachable';

export interface ConnStatus {
  state: ConnState;
  /** Why it is unreachable, in words with what to run. */
  reason?: string;
  /** When this state began, ms since the epoch. */
  since: number;
  /** When the next attempt starts, while unreachable (absent: no more attempts). */
  nextTryAt?: number;
}

export interface ConnectionOptions {
  name: string;
  destination: Destination;
  ssh: SshSettings;
  /** gantry's private control directory (mode 0700): the master's socket and the forwards live there. */
  controlDir: string;
  /** A short file-name stem for this server's sockets (unix socket paths are limited to ~100 bytes). */
  slot: string;
  /** Reconnect delays, first and largest, ms (default 1 s doubling to 15 s). */
  backoffMs?: [number, number];
}

export interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A connection that lasted this long starts its next reconnection at the first delay again. */
const STABLE_MS = 10_000;

export class SshConnection {
  readonly controlPath: string;
  readonly sshCommand: string;
  private master: ChildProcess | undefined;
  private stderr = '';
  private current: ConnStatus = { state: 'connecting', since: Date.now() };
  private readonly listeners = new Set<(s: ConnStatus) => void>();
  private retryTimer: NodeJS.Timeout | undefined;
  private readyTimer: NodeJS.Timeout | undefined;
  private readonly backoffRange: [number, number];
  private backoff: number;
  private connectedAt = 0;
  private stopped = false;
  private epoch = 0;

  constructor(private readonly o: ConnectionOptions) {
    this.controlPath = join(o.controlDir, `${o.slot}.ctl`);
    this.sshCommand = sshCommandFor(o.destination, o.ssh.configFile);
    this.backoffRange = o.backoffMs ?? [1000, 15_000];
    this.backoff = this.backoffRange[0];
  }

  get name(): string {
    return this.o.name;
  }

  get status(): ConnStatus {
    return this.current;
  }

  /** The master's process id while it runs (for measuring what a server costs). */
  get masterPid(): number | undefined {
    return this.master?.pid;
  }

  onStatus(listener: (s: ConnStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.epoch++;
    clearTimeout(this.retryTimer);
    clearTimeout(this.readyTimer);
    this.master?.kill('SIGTERM');
    this.master = undefined;
    rmSync(this.controlPath, { force: true });
  }

  /** The program and arguments of a long-lived child running `command` on the server. */
  commandArgs(command: string): { file: string; args: string[] } {
    return { file: this.o.ssh.binary, args: [...muxArgs(this.o.ssh, this.o.destination, this.controlPath), command] };
  }

  /** Runs a command on the server through the master; rejects (in words) when it is not connected. */
  async exec(command: string, opts: { timeoutMs?: number; maxBytes?: number } = {}): Promise<ExecResult> {
    this.requireConnected();
    const { file, args } = this.commandArgs(command);
    return run(file, args, opts.timeoutMs ?? 30_000, opts.maxBytes ?? 1 << 20);
  }

  /** Forwards a local unix socket to one on the server, through the master. */
  async forward(localPath: string, remotePath: string): Promise<void> {
    this.requireConnected();
    if (remotePath.includes(':') || localPath.includes(':'))
      throw new Error(`${this.o.name}: cannot forward ${remotePath}: ssh cannot forward a socket path holding ":"`);
    const args = [
      ...commonArgs(this.o.ssh),
      '-S', this.controlPath,
      '-o', 'ControlMaster=no',
      '-o', 'ProxyCommand=false',
      '-O', 'forward',
      '-L', `${localPath}:${remotePath}`,
      ...destinationArgs(this.o.destination),
    ];
    const r = await run(this.o.ssh.binary, args, 15_000, 64 * 1024);
    if (r.code !== 0) throw new Error(`${this.o.name}: cannot forward ${remotePath}: ${lastSshLine(r.stderr) || `ssh exit code ${String(r.code)}`}`);
  }

  private requireConnected(): void {
    if (this.current.state !== 'connected') throw new Error(this.current.reason ?? `${this.o.name}: not connected yet`);
  }

  private setStatus(s: ConnStatus): void {
    this.current = s;
    for (const l of [...this.listeners]) l(s);
  }

  private connect(): void {
    if (this.stopped) return;
    const epoch = ++this.epoch;
    // A control socket left behind would make this master give up multiplexing.
    rmSync(this.controlPath, { force: true });
    // A retry keeps the server unreachable (and why) until it answers: no flicker in between.
    this.stderr = '';
    const child = spawn(this.o.ssh.binary, masterArgs(this.o.ssh, this.o.destination, this.controlPath), { stdio: ['ignore', 'ignore', 'pipe'] });
    this.master = child;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (d: string) => {
      this.stderr = (this.stderr + d).slice(-4000);
    });
    child.once('error', (e) => this.gone(epoch, e as NodeJS.ErrnoException, null));
    child.once('exit', (code) => this.gone(epoch, undefined, code));
    this.waitReady(epoch, Date.now() + (this.o.ssh.connectTimeoutS + 20) * 1000);
  }

  /** The control socket appears once the server has let us in. */
  private waitReady(epoch: number, deadline: number): void {
    if (epoch !== this.epoch) return;
    if (existsSync(this.controlPath)) {
      this.connectedAt = Date.now();
      this.setStatus({ state: 'connected', since: this.connectedAt });
      return;
    }
    if (Date.now() > deadline) {
      this.stderr += `\nConnection timed out while logging in`;
      this.master?.kill('SIGTERM');
      return;
    }
    this.readyTimer = setTimeout(() => this.waitReady(epoch, deadline), 50);
    this.readyTimer.unref?.();
  }

  private gone(epoch: number, spawnError: NodeJS.ErrnoException | undefined, exitCode: number | null): void {
    if (epoch !== this.epoch || this.stopped) return;
    this.epoch++;
    clearTimeout(this.readyTimer);
    this.master = undefined;
    rmSync(this.controlPath, { force: true });
    const failure = { server: this.o.name, sshCommand: this.sshCommand, stderr: this.stderr, exitCode, connectTimeoutS: this.o.ssh.connectTimeoutS, aliveS: this.o.ssh.aliveIntervalS * this.o.ssh.aliveCountMax };
    const reason = explainSsh(spawnError ? { ...failure, spawnError } : failure);
    if (this.connectedAt && Date.now() - this.connectedAt >= STABLE_MS) this.backoff = this.backoffRange[0];
    this.connectedAt = 0;
    if (reason === SSH_MISSING) {
      this.setStatus({ state: 'unreachable', reason, since: Date.now() });
      return;
    }
    const delay = this.backoff;
    this.backoff = Math.min(this.backoff * 2, this.backoffRange[1]);
    this.setStatus({ state: 'unreachable', reason, since: Date.now(), nextTryAt: Date.now() + delay });
    this.retryTimer = setTimeout(() => this.connect(), delay);
    this.retryTimer.unref?.();
  }
}

/** Runs a program to its end with a time limit and an output limit (a child, never a shell). */
function run(file: string, args: string[], timeoutMs: number, maxBytes: number): Promise<ExecResult> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let done = false;
    const finish = (code: number | null, extra = '') => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ code, stdout, stderr: stderr + extra });
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(null, `\nno answer in ${timeoutMs / 1000} s`);
    }, timeoutMs);
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stdout?.on('data', (d: string) => {
      stdout += d;
      if (stdout.length > maxBytes) {
        child.kill('SIGKILL');
        finish(null, `\nmore than ${maxBytes} bytes of output`);
      }
    });
    child.stderr?.on('data', (d: string) => {
      if (stderr.length < 16_000) stderr += d;
    });
    child.once('error', (e) => finish(null, `\n${e.message}`));
    child.once('close', (code) => finish(code));
  });
}
