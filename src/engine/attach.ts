// Attaching to a container's main process (`docker attach`), the same way on Docker 20.10 and
// Podman 4.3, detached with Ctrl-P Ctrl-Q. Differences between the engines, seen here:
// - dockerode sends attach's options as a JSON request body, and docker-modem (for hijack) a
//   chunked body; Docker ignores a body on attach but Podman feeds those bytes to the container's
//   stdin (seen: the options JSON, or a chunk terminator "0\r\n", typed into the shell). So the
//   attach request here goes out with an empty, Content-Length: 0 body.
// - detach keys: Docker honours `detachKeys` only for a TTY container; Podman 4.3's compatible
//   attach does not honour them at all. Ctrl-P Ctrl-Q is therefore caught here, on the way in,
//   for every container on both engines.
import type Docker from 'dockerode';
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { explainActionError } from './errors.js';
import { ExecError, explainExecFailure, facts, requireRunning, resizeCall, validSize, type InteractiveSession, type SessionEnd, type TermSize } from './exec.js';
import { Demuxer } from './logs/demux.js';

const DEFAULT_DETACH_KEYS = 'ctrl-p,ctrl-q';

/** "ctrl-p,ctrl-q" → the bytes those keys send. Throws on a key it cannot read. */
export function parseDetachKeys(spec: string): Buffer {
  const out: number[] = [];
  for (const raw of spec.split(',')) {
    const k = raw.trim().toLowerCase();
    if (/^ctrl-[a-z@[\\\]^_]$/.test(k)) out.push(k.charCodeAt(5) & 0x1f);
    else if (k.length === 1) out.push(k.charCodeAt(0));
    else throw new ExecError(`cannot read the detach key "${raw}": use keys like ctrl-p,ctrl-q`, 'engine');
  }
  if (out.length === 0) throw new ExecError('no detach keys given: use keys like ctrl-p,ctrl-q', 'engine');
  return Buffer.from(out);
}

/**
 * Watches the keys going to the container for the detach sequence. Like Docker's own escape
 * proxy, a key that may start the sequence is held back until the next key says otherwise.
 */
export class DetachFilter {
  private matched = 0;
  detached = false;

  constructor(private readonly keys: Buffer) {}

  /** The bytes to pass on; sets `detached` when the sequence is complete (its keys are dropped). */
  write(chunk: Buffer): Buffer {
    const out: number[] = [];
    for (const byte of chunk) {
      if (this.detached) break;
      if (byte === this.keys[this.matched]) {
        this.matched++;
        if (this.matched === this.keys.length) {
          this.detached = true;
          this.matched = 0;
        }
        continue;
      }
      if (this.matched > 0) {
        for (let i = 0; i < this.matched; i++) out.push(this.keys[i]!);
        this.matched = 0;
      }
      if (byte === this.keys[0]) {
        this.matched = 1;
        if (this.keys.length === 1) {
          this.detached = true;
          this.matched = 0;
        }
      } else out.push(byte);
    }
    return Buffer.from(out);
  }
}

function hijackAttach(docker: Docker, id: string, query: Record<string, string | boolean>): Promise<Socket> {
  return new Promise((resolve, reject) => {
    docker.modem.dial(
      {
        path: `/containers/${encodeURIComponent(id)}/attach?`,
        method: 'POST',
        isStream: true,
        hijack: true,
        openStdin: true,
        // An empty body sent with Content-Length: 0; see the note at the top of the file.
        file: Buffer.alloc(0),
        statusCodes: { 101: true, 200: true, 400: 'bad parameter', 404: 'no such container', 409: 'conflict', 500: 'server error' },
        options: query,
      } as unknown as Parameters<Docker['modem']['dial']>[0],
      (err: unknown, sock: unknown) => (err ? reject(err) : resolve(sock as Socket)),
    );
  });
}

/** The attach connection as a stream of plain bytes, with the detach keys caught on the way in. */
interface AttachLink {
  stream: Duplex;
  filter: DetachFilter;
  /** Resolves once the connection is over (ended, cut, detached or closed here). */
  over: Promise<void>;
  isOver(): boolean;
}

function attachLink(sock: Socket, filter: DetachFilter, demux: Demuxer | undefined, outputOnly: boolean): AttachLink {
  let settled = false;
  let eof = false;
  let resolveEnd!: () => void;
  const over = new Promise<void>((r) => {
    resolveEnd = r;
  });
  const finish = () => {
    if (settled) return;
    settled = true;
    resolveEnd();
  };
  const stream = new Duplex({
    read() {
      sock.resume();
    },
    write(chunk: Buffer, _enc, cb) {
      const pass = filter.write(chunk);
      const after = () => {
        if (filter.detached && !sock.destroyed) {
          sock.destroy();
          end();
        }
        cb();
      };
      if (pass.length && !sock.destroyed && !outputOnly) sock.write(pass, () => after());
      else after();
    },
    final(cb) {
      // End of the user's input: like `docker attach` with stdin closed, the output still comes.
      sock.end();
      cb();
    },
    destroy(err, cb) {
      sock.destroy();
      finish();
      cb(err);
    },
  });
  function end() {
    if (!eof) {
      eof = true;
      stream.push(null);
    }
    finish();
  }
  sock.on('data', (chunk: Buffer) => {
    const frames = demux ? demux.write(chunk).map((x) => x.data) : [chunk];
    for (const data of frames) if (!stream.push(data)) sock.pause();
  });
  sock.on('end', end);
  sock.on('close', end);
  sock.on('error', end);
  return { stream, filter, over, isOver: () => settled };
}

/** How an attach ended by itself: the main process ended (its exit code), or the engine closed the stream. */
async function attachEnd(docker: Docker, id: string): Promise<SessionEnd> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const now = await facts(docker, id).catch(() => undefined);
    if (!now) return {};
    if (now.state !== 'running') {
      const i = await docker.getContainer(id).inspect().catch(() => undefined);
      return typeof i?.State.ExitCode === 'number' ? { exitCode: i.State.ExitCode } : {};
    }
    if (Date.now() > deadline) return { detached: true };
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Attaches to the container's main process (its stdin, stdout and stderr). Ctrl-P Ctrl-Q (or
 * `detachKeys`) detaches and leaves the container running. For a container without a TTY the
 * output is demultiplexed here, so `stream` always carries plain bytes.
 */
export async function startAttach(
  docker: Docker,
  id: string,
  size: TermSize & { detachKeys?: string; outputOnly?: boolean; replay?: boolean },
): Promise<InteractiveSession> {
  const keys = parseDetachKeys(size.detachKeys ?? DEFAULT_DETACH_KEYS);
  const f = await requireRunning(docker, id);
  let sock: Socket;
  try {
    sock = await hijackAttach(docker, id, {
      stream: true,
      // Output only: Podman closes a container's stdin when a non-TTY attach disconnects, which
      // ends a process that reads it; without stdin attached, detaching leaves it running.
      stdin: size.outputOnly !== true,
      stdout: true,
      stderr: true,
      // replay: what it wrote before the attach comes first (a shell's prompt, for a container just started).
      logs: size.replay === true,
      detachKeys: size.detachKeys ?? DEFAULT_DETACH_KEYS,
    });
  } catch (err) {
    throw await explainExecFailure(docker, id, err);
  }
  const link = attachLink(sock, new DetachFilter(keys), f.tty ? undefined : new Demuxer(), size.outputOnly === true);
  const container = docker.getContainer(id);
  const resize = async (cols: number, rows: number) => {
    if (!f.tty || link.isOver()) return;
    try {
      await resizeCall(() => container.resize(validSize(cols, rows)));
    } catch (err) {
      if (link.isOver()) return;
      throw new ExecError(`cannot resize ${f.name}'s terminal: ${explainActionError(err)}`, 'engine', err);
    }
  };
  await resize(size.cols, size.rows).catch(() => undefined);
  let closedHere = false;
  let result: Promise<SessionEnd> | undefined;
  return {
    stream: link.stream,
    tty: f.tty,
    resize,
    wait() {
      result ??= link.over.then(() => (link.filter.detached || closedHere ? { detached: true } : attachEnd(docker, id)));
      return result;
    },
    close() {
      closedHere = true;
      link.stream.destroy();
    },
  };
}
