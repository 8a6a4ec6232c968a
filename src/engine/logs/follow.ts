// A container's log stream → lines: demultiplexed when it has no TTY, decoded as UTF-8, split into
// lines, sanitised. `followLogs` hands lines over in batches (every ~75 ms, never one render per
// chunk); `saveWholeLog` writes the engine's whole log to a file without holding it in memory.
import type Docker from 'dockerode';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { Demuxer } from './demux.js';
import { LineSplitter, timestampLength } from './lines.js';
import { sanitizeLine, Utf8Stream } from './sanitize.js';
import type { LogStream } from './buffer.js';
import { explainActionError, httpStatus } from '../errors.js';
import { destroyStream } from '../ndjson.js';
import { stripSgr } from '../../text/ansi.js';
import { cutMarker } from '../../text/width.js';

/** Bytes of log stream decoded at most per turn of the event loop (~2,400 lines of a flood). */
const GATHER_MAX = 256 * 1024;

/** Buffer.concat without its per-chunk call into C++ (these are thousands of ~110-byte chunks). */
function joinChunks(chunks: Buffer[], size: number): Buffer {
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export interface FollowedLine {
  stream: LogStream;
  text: string;
  ts?: string | undefined;
}

export interface FollowOptions {
  tty: boolean;
  tail: number | 'all';
  /** Seconds since the epoch. */
  since?: number;
  keepColor?: boolean;
  batchMs?: number;
  maxLineBytes?: number;
  /**
   * Resuming after a restart: lines stamped before `ts` are dropped, and at `ts` itself those in
   * `texts` (already shown). Podman 4 stamps whole seconds, so a time alone cannot tell them apart.
   */
  after?: { ts: string; texts: string[] };
  /**
   * The engine is Podman 4, which can lose a short log's first lines when asked for its tail (see
   * `mendTail`): a tail shorter than asked for is checked against the whole log once.
   */
  podmanTail?: boolean;
}

export interface Follow {
  cancel(): void;
}

/**
 * An engine timestamp as a string that sorts by time: RFC 3339 with the fraction padded to 9
 * digits (the engines trim trailing zeros, so raw strings do not sort).
 */
export function tsKey(ts: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(ts);
  if (!m) return ts;
  if (m[3] === 'Z') return `${m[1]}.${(m[2] ?? '').padEnd(9, '0').slice(0, 9)}Z`;
  // An offset: go through Date (millisecond precision) to get UTC.
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return ts;
  const frac = (m[2] ?? '').padEnd(9, '0').slice(0, 9);
  return `${d.toISOString().slice(0, 19)}.${frac}Z`;
}

/** Turns raw log-stream chunks into sanitised lines. */
export class LogDecoder {
  private readonly demux = new Demuxer();
  private readonly sources: Record<'stdout' | 'stderr', { dec: Utf8Stream; split: LineSplitter }>;

  private readonly sanitize: { keepColor: boolean };

  constructor(
    private readonly tty: boolean,
    keepColor: boolean,
    maxLineBytes = 64 * 1024,
  ) {
    this.sanitize = { keepColor };
    this.sources = {
      stdout: { dec: new Utf8Stream(), split: new LineSplitter(maxLineBytes, true) },
      stderr: { dec: new Utf8Stream(), split: new LineSplitter(maxLineBytes, true) },
    };
  }

  write(chunk: Buffer): FollowedLine[] {
    const out: FollowedLine[] = [];
    if (this.tty) this.add(out, 'stdout', this.sources.stdout.dec.write(chunk));
    else
      for (const f of this.demux.write(chunk)) {
        let text = this.sources[f.stream].dec.write(f.data);
        // Podman sends each piece of a long line as a frame with its own timestamp: a frame that
        // continues a line does not start a new one, so its timestamp goes. (A later piece of one
        // big frame is not a frame: it has no timestamp of its own.)
        if (!f.continued && this.sources[f.stream].split.midLine) {
          const n = timestampLength(text);
          if (n > 0) text = text.slice(n);
        }
        this.add(out, f.stream, text);
      }
    return out;
  }

  end(): FollowedLine[] {
    const out: FollowedLine[] = [];
    this.add(out, 'stdout', this.sources.stdout.dec.end(), true);
    this.add(out, 'stderr', this.sources.stderr.dec.end(), true);
    return out;
  }

  private add(out: FollowedLine[], which: 'stdout' | 'stderr', text: string, final = false): void {
    const src = this.sources[which];
    const lines = src.split.write(text);
    if (final) lines.push(...src.split.flush());
    for (const l of lines) {
      let text = sanitizeLine(l.text, this.sanitize);
      if (l.cut > 0) text += cutMarker(l.cut);
      // Every field set at once: one object shape for every line.
      out.push({ stream: which, text, ts: l.ts || undefined });
    }
  }
}

/**
 * Resuming after a restart: a test that is true for the lines already shown (stamped before
 * `after.ts`, or at it with a text in `after.texts`); the first newer line ends the checking.
 */
function alreadyShown(after: { ts: string; texts: string[] }): (l: FollowedLine) => boolean {
  let key: string | undefined = tsKey(after.ts);
  const seenAt = new Map<string, number>();
  for (const t of after.texts) seenAt.set(t, (seenAt.get(t) ?? 0) + 1);
  return (l) => {
    if (key === undefined || l.ts === undefined) return false;
    const k = tsKey(l.ts);
    if (k < key) return true;
    if (k === key) {
      const n = seenAt.get(l.text) ?? 0;
      if (n === 0) return false;
      seenAt.set(l.text, n - 1);
      return true;
    }
    key = undefined;
    return false;
  };
}

interface Dialer {
  dial(opts: object, cb: (err: unknown, data: unknown) => void): void;
}

/** GET /containers/{id}/logs as a stream, followed or not (dockerode buffers a non-followed log whole). */
function openLogStream(docker: Docker, id: string, q: { follow: boolean; tail: number | 'all'; since?: number }): Promise<NodeJS.ReadableStream> {
  const modem = docker.modem as unknown as Dialer;
  const options: Record<string, unknown> = { follow: q.follow, stdout: true, stderr: true, timestamps: true, tail: q.tail === 'all' ? 'all' : q.tail };
  if (q.since !== undefined) options.since = q.since;
  return new Promise((resolve, reject) => {
    modem.dial(
      {
        path: `/containers/${id}/logs?`,
        method: 'GET',
        isStream: true,
        statusCodes: { 200: true, 404: 'no such container', 500: 'server error' },
        options,
      },
      (err, data) => (err ? reject(err) : resolve(data as NodeJS.ReadableStream)),
    );
  });
}

/**
 * Podman 4 (4.3 here) reads a log's tail backwards a page at a time, from the last page boundary of
 * a size it takes twice — a stat, then a seek to the end — and a line written between the two
 * shifts every page it reads: the log's first bytes are never read. A tail that reaches back to
 * the log's start then lacks its first line or lines, or the engine fails on the cut line
 * ("parsing time …", HTTP 500). Seen against the real engine: 1 request in 300 on a container
 * writing a line every 2 ms; in CI, a log panel that began at a new container's second line.
 * The log read from its start (which Podman does another way) holds `held`, the tail as it came:
 * the lines before the first place it fits are what was lost, and go before it.
 */
export function mendTail(whole: readonly FollowedLine[], held: FollowedLine[]): FollowedLine[] {
  const same = (a: FollowedLine, b: FollowedLine) => a.text === b.text && a.stream === b.stream && a.ts === b.ts;
  for (let at = 0; at + held.length <= whole.length; at++) {
    let fits = true;
    for (let j = 0; j < held.length && fits; j++) fits = same(whole[at + j]!, held[j]!);
    // The first place it fits: with repeated lines that may be early, which shows fewer lines, never one twice.
    if (fits) return at === 0 ? held : [...whole.slice(0, at), ...held];
  }
  return held;
}

/**
 * The first `max` lines or so of the container's log, from its start (held in memory: a tail can
 * come in more than one batch, so a log thought short may not be, and reading stops there).
 */
async function readLogStart(docker: Docker, id: string, opts: FollowOptions, max: number): Promise<FollowedLine[]> {
  const decoder = new LogDecoder(opts.tty, opts.keepColor ?? false, opts.maxLineBytes ?? 64 * 1024);
  const lines: FollowedLine[] = [];
  const stream = await openLogStream(docker, id, { follow: false, tail: 'all' });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      for (const l of decoder.write(chunk)) lines.push(l);
      if (lines.length > max) return lines;
    }
  } finally {
    destroyStream(stream);
  }
  for (const l of decoder.end()) lines.push(l);
  return lines;
}

export function followLogs(
  docker: Docker,
  id: string,
  opts: FollowOptions,
  onLines: (lines: FollowedLine[]) => void,
  onEnd: (reason: string) => void,
): Follow {
  let cancelled = false;
  let stream: NodeJS.ReadableStream | undefined;
  let batch: FollowedLine[] = [];
  let timer: NodeJS.Timeout | undefined;
  const batchMs = opts.batchMs ?? 75;
  const decoder = new LogDecoder(opts.tty, opts.keepColor ?? false, opts.maxLineBytes ?? 64 * 1024);
  const shown = opts.after ? alreadyShown(opts.after) : undefined;
  // The first batch of a Podman tail, while it is checked against the whole log; later ones wait.
  let checking = false;
  let checked = false;
  const flush = () => {
    timer = undefined;
    if (cancelled || checking || batch.length === 0) return;
    let out = batch;
    batch = [];
    // stdout and stderr are copied by the engine side by side: within a batch, put them in time order.
    let sorted = true;
    for (let i = 1; i < out.length && sorted; i++) if ((out[i]!.ts ?? '') < (out[i - 1]!.ts ?? '')) sorted = false;
    if (!sorted) {
      const keyed = out.map((l, i) => ({ l, i, k: l.ts ? tsKey(l.ts) : '' }));
      keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.i - b.i));
      out = keyed.map((x) => x.l);
    }
    if (mend !== undefined && !checked) {
      checked = true;
      // Fewer lines than asked for: the tail reaches the log's start, which Podman may have lost.
      if (out.length < mend) {
        checking = true;
        const held = out;
        readLogStart(docker, id, opts, mend + held.length + 2000).then(
          (whole) => release(mendTail(whole, held)),
          () => release(held),
        );
        return;
      }
    }
    onLines(out);
  };
  let ending: string | undefined;
  const release = (lines: FollowedLine[]) => {
    checking = false;
    if (cancelled) return;
    onLines(lines);
    if (ending !== undefined) {
      flush();
      cancelled = true;
      onEnd(ending);
    } else if (batch.length > 0 && !timer) flush();
  };
  const take = (lines: FollowedLine[]) => {
    for (const l of lines) if (!shown?.(l)) batch.push(l);
    if (batch.length > 0 && !timer) timer = setTimeout(flush, batchMs);
  };
  // The engines write a log line per HTTP chunk, so a flood is 40,000 'data' events a second of
  // ~110 bytes each. They are gathered and decoded together once per turn of the event loop; past
  // GATHER_MAX bytes in one turn the stream is paused until that turn's bytes are decoded, so a key
  // waits for at most one such batch (Node reads a socket up to 32 times, 2 MiB, per turn).
  let gathered: Buffer[] = [];
  let gatheredBytes = 0;
  let decodeQueued = false;
  let paused = false;
  const decodeGathered = () => {
    decodeQueued = false;
    if (gathered.length === 0) return;
    const chunk = gathered.length === 1 ? gathered[0]! : joinChunks(gathered, gatheredBytes);
    gathered = [];
    gatheredBytes = 0;
    if (!cancelled) take(decoder.write(chunk));
    if (paused && !cancelled) {
      paused = false;
      stream?.resume();
    }
  };
  const gather = (chunk: Buffer) => {
    if (cancelled) return;
    gathered.push(chunk);
    gatheredBytes += chunk.length;
    if (!decodeQueued) {
      decodeQueued = true;
      setImmediate(decodeGathered);
    }
    if (gatheredBytes >= GATHER_MAX && !paused) {
      paused = true;
      stream?.pause();
    }
  };
  const finish = (reason: string) => {
    if (cancelled) return;
    decodeGathered();
    take(decoder.end());
    clearTimeout(timer);
    if (checking) {
      // The first lines are still being checked: the end waits for them.
      ending = reason;
      return;
    }
    flush();
    cancelled = true;
    onEnd(reason);
  };
  const query = { follow: true, tail: opts.tail, ...(opts.since !== undefined ? { since: opts.since } : {}) };
  const mend = opts.podmanTail && typeof opts.tail === 'number' ? opts.tail : undefined;
  // Podman 4 fails a tail now and then with a cut line ("parsing time …", HTTP 500; see mendTail).
  const open = (tries: number): Promise<NodeJS.ReadableStream> =>
    openLogStream(docker, id, query).catch(async (e: unknown) => {
      if (mend === undefined || tries <= 1 || httpStatus(e) !== 500 || cancelled) throw e;
      await new Promise((r) => setTimeout(r, 100));
      return open(tries - 1);
    });
  open(3).then(
    (s) => {
      if (cancelled) {
        destroyStream(s);
        return;
      }
      stream = s;
      s.on('data', gather);
      s.on('end', () => finish('the log stream ended (the container stopped, or the engine closed it)'));
      s.on('error', (e: unknown) => finish(`the log stream failed: ${explainActionError(e)}`));
    },
    (e: unknown) => finish(`cannot read its logs: ${explainActionError(e)}`),
  );
  return {
    cancel() {
      cancelled = true;
      clearTimeout(timer);
      destroyStream(stream);
    },
  };
}

/** One line of a saved log: the engine's timestamp, the stream when it is stderr, the text (no colour). */
export function savedLine(l: { ts?: string; stream: LogStream; text: string }): string {
  const text = stripSgr(l.text);
  const tag = l.stream === 'stderr' ? '[stderr] ' : l.stream === 'meta' ? '[gantry] ' : '';
  return `${l.ts ? `${l.ts} ` : ''}${tag}${text}\n`;
}

/** Creates `dir/base.log` for writing, or `base-2.log`, `base-3.log`, … when it exists: never overwrites. */
export async function createLogFile(dir: string, base: string): Promise<{ path: string; out: WriteStream }> {
  for (let n = 1; ; n++) {
    const path = join(dir, `${base}${n === 1 ? '' : `-${n}`}.log`);
    const out = createWriteStream(path, { flags: 'wx', mode: 0o600 });
    try {
      await once(out, 'open');
      return { path, out };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 100) throw e;
    }
  }
}

/**
 * Writes the container's whole log, as the engine has it, to `out` (sanitised, no colour), a
 * chunk at a time, and closes it. Resolves with the number of lines written.
 */
export async function saveWholeLog(docker: Docker, id: string, tty: boolean, out: WriteStream): Promise<number> {
  const decoder = new LogDecoder(tty, false);
  let count = 0;
  const write = async (lines: FollowedLine[]) => {
    if (lines.length === 0) return;
    count += lines.length;
    if (!out.write(lines.map(savedLine).join(''))) await once(out, 'drain');
  };
  try {
    const stream = await openLogStream(docker, id, { follow: false, tail: 'all' });
    for await (const chunk of stream as AsyncIterable<Buffer>) await write(decoder.write(chunk));
    await write(decoder.end());
  } finally {
    out.end();
    await once(out, 'close');
  }
  return count;
}
