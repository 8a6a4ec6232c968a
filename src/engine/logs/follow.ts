// Follows a container's log stream: demultiplexed when it has no TTY, decoded as UTF-8, split into
// lines, sanitised, and handed over in batches (every ~75 ms, never one render per chunk).
import type Docker from 'dockerode';
import { Demuxer } from './demux.js';
import { LineSplitter } from './lines.js';
import { sanitizeLine, Utf8Stream } from './sanitize.js';
import type { LogStream } from './buffer.js';
import { explainActionError } from '../errors.js';

export interface FollowedLine {
  stream: LogStream;
  text: string;
  ts?: string;
}

export interface FollowOptions {
  tty: boolean;
  tail: number | 'all';
  /** Seconds since the epoch. */
  since?: number;
  keepColor?: boolean;
  batchMs?: number;
  maxLineBytes?: number;
}

export interface Follow {
  cancel(): void;
}

export function followLogs(
  container: Docker.Container,
  opts: FollowOptions,
  onLines: (lines: FollowedLine[]) => void,
  onEnd: (reason: string) => void,
): Follow {
  let cancelled = false;
  let stream: NodeJS.ReadableStream | undefined;
  let batch: FollowedLine[] = [];
  let timer: NodeJS.Timeout | undefined;
  const batchMs = opts.batchMs ?? 75;
  const maxLine = opts.maxLineBytes ?? 64 * 1024;
  const sources = {
    stdout: { dec: new Utf8Stream(), split: new LineSplitter(maxLine, true) },
    stderr: { dec: new Utf8Stream(), split: new LineSplitter(maxLine, true) },
  };
  const flush = () => {
    timer = undefined;
    if (cancelled || batch.length === 0) return;
    const out = batch;
    batch = [];
    onLines(out);
  };
  const add = (which: LogStream, text: string, final = false) => {
    const src = sources[which];
    const lines = [...src.split.write(text), ...(final ? src.split.flush() : [])];
    for (const l of lines) {
      const line: FollowedLine = { stream: which, text: sanitizeLine(l.text, { keepColor: opts.keepColor ?? false }) };
      if (l.cut > 0) line.text += ` … [cut ${l.cut} characters]`;
      if (l.ts) line.ts = l.ts;
      batch.push(line);
    }
    if (batch.length > 0 && !timer) timer = setTimeout(flush, batchMs);
  };
  const demux = new Demuxer();
  const finish = (reason: string) => {
    if (cancelled) return;
    add('stdout', sources.stdout.dec.end(), true);
    add('stderr', sources.stderr.dec.end(), true);
    clearTimeout(timer);
    flush();
    cancelled = true;
    onEnd(reason);
  };
  const logOpts = {
    follow: true as const,
    stdout: true,
    stderr: true,
    timestamps: true,
    tail: opts.tail === 'all' ? 'all' : opts.tail,
    ...(opts.since !== undefined ? { since: opts.since } : {}),
  };
  (container.logs(logOpts as Docker.ContainerLogsOptions & { follow: true }) as Promise<NodeJS.ReadableStream>).then(
    (s) => {
      if (cancelled) {
        (s as unknown as { destroy?: () => void }).destroy?.();
        return;
      }
      stream = s;
      s.on('data', (chunk: Buffer) => {
        if (cancelled) return;
        if (opts.tty) add('stdout', sources.stdout.dec.write(chunk));
        else for (const f of demux.write(chunk)) add(f.stream, sources[f.stream].dec.write(f.data));
      });
      s.on('end', () => finish('the log stream ended (the container stopped, or the engine closed it)'));
      s.on('error', (e: unknown) => finish(`the log stream failed: ${explainActionError(e)}`));
    },
    (e: unknown) => finish(`cannot read its logs: ${explainActionError(e)}`),
  );
  return {
    cancel() {
      cancelled = true;
      clearTimeout(timer);
      (stream as unknown as { destroy?: () => void } | undefined)?.destroy?.();
    },
  };
}
