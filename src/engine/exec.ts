// Running things inside a container, the same way on Docker 20.10 and Podman 4.3:
// - `execCapture`: a command without a terminal, its output (stdout and stderr demultiplexed, in
//   order) and its exit code;
// - `startInteractiveExec`: a command with a TTY over the hijacked API connection — the caller
//   writes the user's keys to `stream` and copies what comes back to the terminal;
// - `chooseShell`: bash when the image has it, else sh, else a plain message.
// Every failure becomes an `ExecError` whose message says what is wrong and what to do, before any
// terminal is touched: the UI shows it in the status line.
//
// Differences between the engines, seen here and handled below:
// - exec into a stopped container: Docker answers 409 "Container … is not running", Podman 500
//   "can only create exec sessions on running containers: container state improper"; paused: both
//   409 in different words.
// - an executable that is not there: the exec is created and started on both, then Docker says
//   "OCI runtime exec failed: … executable file not found in $PATH" on stdout with exit code 126,
//   Podman says "Error: runc: exec failed: … executable file not found in $PATH" on stderr (plus a
//   "connection reset by peer" line) with exit code 127.
// - exec resize: Podman answers HTTP 201, which dockerode reports as an error; the size is applied.
// Attaching to the main process (attach.ts) shares the checks and messages made here.
import type Docker from 'dockerode';
import type { Duplex } from 'node:stream';
import { Demuxer } from './logs/demux.js';
import { destroyStream } from './ndjson.js';
import { explainActionError, httpStatus, rawReason } from './errors.js';
import { bareName } from './models.js';

export type ExecErrorReason = 'not-running' | 'paused' | 'gone' | 'no-shell' | 'timeout' | 'engine';

export class ExecError extends Error {
  constructor(
    message: string,
    readonly reason: ExecErrorReason,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'ExecError';
  }
}

export interface TermSize {
  cols: number;
  rows: number;
}

export interface ExecResult {
  /** stdout and stderr together, in the order they came, decoded as UTF-8. */
  output: string;
  /** undefined only when the engine would not say. */
  exitCode: number | undefined;
  /** True when the output was longer than `maxBytes` and its start was kept. */
  truncated: boolean;
}

export interface SessionEnd {
  /** The exec'd command's exit code, or the container's when its main process ended (attach). */
  exitCode?: number;
  /** Attach only: the user detached (Ctrl-P Ctrl-Q) and the container goes on running. */
  detached?: boolean;
}

export interface InteractiveSession {
  /** Write the user's keys to it; read what the container prints (raw terminal output). */
  stream: Duplex;
  /** True when the output is a TTY's; false for attach to a container without one (demultiplexed). */
  tty: boolean;
  resize(cols: number, rows: number): Promise<void>;
  /** Resolves once the stream has ended, with how it ended. */
  wait(): Promise<SessionEnd>;
  /** Ends the session from this side (the container's process is not killed). */
  close(): void;
}

const CAPTURE_TIMEOUT_MS = 30_000;
const CAPTURE_MAX_BYTES = 1024 * 1024;
export const NO_SHELL_MESSAGE = 'this image has neither bash nor sh; use :exec CMD to run something else';

/** The plain message for a container that is not running, by its state. */
export function notRunningMessage(name: string, state: string): ExecError {
  switch (state) {
    case 'paused':
      return new ExecError(`container ${name} is paused: unpause it with p first`, 'paused');
    case 'restarting':
      return new ExecError(`container ${name} is restarting: wait until it is up, or stop it with s`, 'not-running');
    default:
      return new ExecError(`container ${name} is not running: start it with S first`, 'not-running');
  }
}

export interface ContainerFacts {
  name: string;
  state: string;
  tty: boolean;
}

export async function facts(docker: Docker, id: string): Promise<ContainerFacts | undefined> {
  try {
    const i = await docker.getContainer(id).inspect();
    const st = i.State;
    const state = st.Paused ? 'paused' : st.Restarting ? 'restarting' : st.Running ? 'running' : (st.Status ?? 'unknown');
    return { name: bareName(i.Name ?? id.slice(0, 12)), state, tty: i.Config?.Tty === true };
  } catch (err) {
    if (httpStatus(err) === 404) return undefined;
    throw new ExecError(`cannot inspect container ${id.slice(0, 12)}: ${explainActionError(err)}`, 'engine', err);
  }
}

function gone(id: string): ExecError {
  return new ExecError(`container ${id.slice(0, 12)} no longer exists (removed meanwhile): refresh the list`, 'gone');
}

/** Ensures the container can take an exec/attach; throws the plain message otherwise. */
export async function requireRunning(docker: Docker, id: string): Promise<ContainerFacts> {
  const f = await facts(docker, id);
  if (!f) throw gone(id);
  if (f.state !== 'running') throw notRunningMessage(f.name, f.state);
  return f;
}

/** Turns a failed exec create/start into the plain message (asking the engine why, if needed). */
export async function explainExecFailure(docker: Docker, id: string, err: unknown): Promise<ExecError> {
  if (err instanceof ExecError) return err;
  const status = httpStatus(err);
  if (status === 404 && /no such container/i.test(rawReason(err))) return gone(id);
  const f = await facts(docker, id).catch(() => undefined);
  if (status === 404 && !f) return gone(id);
  if (f && f.state !== 'running') return notRunningMessage(f.name, f.state);
  if (status === 409 || /not running|state improper|is paused/i.test(rawReason(err))) {
    return notRunningMessage(f?.name ?? id.slice(0, 12), /paused/i.test(rawReason(err)) ? 'paused' : 'exited');
  }
  return new ExecError(`exec in ${f?.name ?? id.slice(0, 12)} failed: ${explainActionError(err)}`, 'engine', err);
}

/** Podman answers a resize with 201, which docker-modem calls an error: the size was applied. */
export async function resizeCall(call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (err) {
    if (httpStatus(err) === 201) return;
    throw err;
  }
}

async function execExitCode(exec: Docker.Exec, waitMs = 5000): Promise<number | undefined> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const i = await exec.inspect();
    // Podman may report the end a moment after the stream closes.
    if (!i.Running) return typeof i.ExitCode === 'number' ? i.ExitCode : undefined;
    if (Date.now() >= deadline) return undefined;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function ended(stream: NodeJS.ReadableStream | Duplex): Promise<void> {
  return new Promise((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      resolve();
    };
    stream.on('end', finish);
    stream.on('close', finish);
    stream.on('error', finish);
  });
}

/**
 * Creates and starts an exec of `cmd`: with a TTY and stdin over the hijacked connection
 * (interactive), or without either (capture). Failures come back as the plain `ExecError`.
 */
async function openExec(docker: Docker, id: string, cmd: string[], tty: boolean, env: string[] | undefined): Promise<{ exec: Docker.Exec; stream: Duplex }> {
  if (cmd.length === 0) throw new ExecError('nothing to run: give a command', 'engine');
  try {
    const create: Docker.ExecCreateOptions = { Cmd: cmd, AttachStdin: tty, AttachStdout: true, AttachStderr: true, Tty: tty };
    if (env) create.Env = env;
    const exec = await docker.getContainer(id).exec(create);
    const stream = (await exec.start(tty ? { hijack: true, stdin: true, Tty: true } : { hijack: false, stdin: false })) as unknown as Duplex;
    return { exec, stream };
  } catch (err) {
    throw await explainExecFailure(docker, id, err);
  }
}

/**
 * Runs `cmd` in the container without a terminal and returns what it printed and its exit code.
 * A command that is not in the image is not an error here: its output says so (exit 126 on
 * Docker, 127 on Podman).
 */
export async function execCapture(
  docker: Docker,
  id: string,
  cmd: string[],
  opts: { timeoutMs?: number; maxBytes?: number; env?: string[] } = {},
): Promise<ExecResult> {
  const { exec, stream } = await openExec(docker, id, cmd, false, opts.env);
  const max = opts.maxBytes ?? CAPTURE_MAX_BYTES;
  const demux = new Demuxer();
  const parts: Buffer[] = [];
  let size = 0;
  let truncated = false;
  stream.on('data', (chunk: Buffer) => {
    for (const f of demux.write(chunk)) {
      if (size >= max) {
        truncated = true;
        continue;
      }
      const take = f.data.subarray(0, max - size);
      if (take.length < f.data.length) truncated = true;
      parts.push(Buffer.from(take));
      size += take.length;
    }
  });
  const timeoutMs = opts.timeoutMs ?? CAPTURE_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const outcome = await Promise.race([ended(stream), timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    destroyStream(stream);
    throw new ExecError(`\`${cmd.join(' ')}\` was still running after ${Math.round(timeoutMs / 1000)} s: run it interactively instead`, 'timeout');
  }
  const exitCode = await execExitCode(exec).catch(() => undefined);
  return { output: Buffer.concat(parts).toString('utf8'), exitCode, truncated };
}

/**
 * Why the engine could not start an exec'd command (exit 126 or 127), from what it printed:
 * Docker's `OCI runtime exec failed: … exec: "df": executable file not found in $PATH: unknown`,
 * Podman's `Error: runc: exec failed: … exec: "df": permission denied: …` (plus its own "connection
 * reset by peer" line, which says nothing about the command and is dropped). Undefined when the
 * command itself ran and failed.
 */
export function execStartFailure(output: string, exitCode: number | undefined): { reason: string; output: string } | undefined {
  if (exitCode !== 126 && exitCode !== 127) return undefined;
  const lines = output.split(/\r?\n/);
  const runtime = lines.find((l) => /OCI runtime|exec failed|^Error: (runc|crun)/i.test(l));
  if (!runtime) return undefined;
  const m = /exec: ("[^"]*"): ([^:]+)/.exec(runtime) ?? /(executable file `[^`]*`) ([^:]+)/.exec(runtime);
  const reason = m ? `${m[1]}: ${m[2]!.trim()}` : runtime.replace(/^Error: /, '').trim();
  const rest = lines.filter((l) => l !== runtime && !/^Error: read unixpacket .*connection reset by peer$/.test(l));
  return { reason, output: rest.join('\n') };
}

/** Output of a failed exec that means "no such executable" on Docker or Podman. */
const NOT_FOUND = /executable file not found|no such file or directory|not found in \$PATH|command not found/i;

/**
 * The shell to open in the container: `preferred` (a name or path) when the image has it, else
 * bash, else sh, as a path when the image says where. Throws `ExecError` with NO_SHELL_MESSAGE
 * when the image has none of them, and the not-running message for a stopped container.
 */
export async function chooseShell(docker: Docker, id: string, preferred?: string): Promise<string> {
  const wanted = [...new Set([preferred, 'bash', 'sh'].filter((s): s is string => !!s && /^[\w./+-]+$/.test(s)))];
  await requireRunning(docker, id);
  // One exec through sh finds the best shell; the names go in as arguments, never into the script.
  const probe = await execCapture(docker, id, ['sh', '-c', 'for s in "$@"; do command -v "$s" && exit 0; done; exit 1', 'gantry-probe', ...wanted], { timeoutMs: 10_000 });
  if (probe.exitCode === 0) {
    const found = probe.output
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.length > 0);
    if (found && !NOT_FOUND.test(found)) return found;
  }
  // No sh on the PATH (or none at all): try each shell directly, then at the usual places.
  const direct = [...wanted, ...wanted.filter((s) => !s.includes('/')).map((s) => `/bin/${s}`)];
  for (const shell of [...new Set(direct)]) {
    const r = await execCapture(docker, id, [shell, '-c', 'exit 0'], { timeoutMs: 10_000 });
    if (r.exitCode === 0) return shell;
  }
  throw new ExecError(NO_SHELL_MESSAGE, 'no-shell');
}

export function validSize(cols: number, rows: number): { w: number; h: number } {
  const w = Math.max(1, Math.min(10_000, Math.floor(cols) || 80));
  const h = Math.max(1, Math.min(10_000, Math.floor(rows) || 24));
  return { w, h };
}

/**
 * Runs `cmd` in the running container with a TTY, over the hijacked connection. The caller copies
 * the user's keys into `stream` and `stream`'s data to the terminal, calls `resize` when the
 * terminal changes, and `wait()` for the exit code.
 */
export async function startInteractiveExec(
  docker: Docker,
  id: string,
  cmd: string[],
  size: TermSize & { env?: string[] },
): Promise<InteractiveSession> {
  const { exec, stream } = await openExec(docker, id, cmd, true, size.env);
  const done = ended(stream);
  let finished = false;
  void done.then(() => {
    finished = true;
  });
  const resize = async (cols: number, rows: number) => {
    try {
      await resizeCall(() => exec.resize(validSize(cols, rows)));
    } catch (err) {
      // The process may end between the key press and the call: nothing to resize then.
      if (finished) return;
      throw new ExecError(`cannot resize the terminal in the container: ${explainActionError(err)}`, 'engine', err);
    }
  };
  // The command starts at the engine's default size: set the real one at once.
  await resize(size.cols, size.rows).catch(() => undefined);
  let result: Promise<SessionEnd> | undefined;
  let closedHere = false;
  return {
    stream,
    tty: true,
    resize,
    wait() {
      result ??= done.then(async () => {
        // Closed from this side, the command may go on running: ask once, do not wait for it.
        const code = await execExitCode(exec, closedHere ? 0 : 5000).catch(() => undefined);
        return code === undefined ? {} : { exitCode: code };
      });
      return result;
    },
    close() {
      closedHere = true;
      stream.destroy();
    },
  };
}
