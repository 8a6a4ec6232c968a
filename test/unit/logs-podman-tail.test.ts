// Podman 4 can lose a short log's first lines when asked for its tail, or fail on a line it cut
// (HTTP 500 "parsing time …"): seen against the real engine 1 time in 300 (src/engine/logs/follow.ts,
// mendTail). The race cannot be caused at will on a real Podman, so a small HTTP server on a unix
// socket answers as Podman 4.3 does when it happens; the real engines' log tests (test/integration/
// logs-panel.test.ts, logs-follow.test.ts) run the same code where it does not.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followLogs, mendTail, type FollowedLine } from '../../src/engine/logs/follow.js';
import { logFrame } from '../helpers/logFrame.js';

const line = (n: number, stream: 'stdout' | 'stderr' = 'stdout', sec = 57): FollowedLine => ({
  stream,
  text: stream === 'stdout' ? `line ${n}` : `err ${n}`,
  ts: `2026-12-03T21:55:${sec}Z`,
});

describe('mendTail', () => {
  const whole = [line(1), line(1, 'stderr'), line(2), line(2, 'stderr'), line(3), line(3, 'stderr', 58)];

  it('puts back the lines the tail lost at the log’s start, once each, in order', () => {
    expect(mendTail(whole, whole.slice(1, 4))).toEqual(whole.slice(0, 4));
    expect(mendTail(whole, whole.slice(2))).toEqual(whole);
  });

  it('keeps a tail that lost nothing as it is', () => {
    const held = whole.slice(0, 3);
    expect(mendTail(whole, held)).toBe(held);
  });

  it('keeps the tail as it came when the log does not hold it (changed or read too short)', () => {
    const held = [line(2), line(9)];
    expect(mendTail(whole, held)).toBe(held);
    expect(mendTail(whole.slice(0, 2), whole.slice(1, 4))).toEqual(whole.slice(1, 4));
  });

  it('never shows a line twice when lines repeat: the first place the tail fits wins', () => {
    const same = (sec: number) => ({ stream: 'stdout' as const, text: '.', ts: `2026-12-03T21:55:${sec}Z` });
    const log = [same(57), same(57), same(57), same(57)];
    // Two lines lost; the tail fits at 0, 1 and 2: it is taken at 0, so nothing is added.
    expect(mendTail(log, log.slice(2))).toEqual(log.slice(2));
    // A line that tells them apart (a later second) places it.
    const log2 = [same(56), same(57), same(57)];
    expect(mendTail(log2, log2.slice(1))).toEqual(log2);
  });
});

const frame = logFrame;

// A Podman 4.3-like engine: the tail lost line 1 (or the engine failed on it), the log from its start has it.
describe('followLogs on a Podman tail that lost its first line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-podman-tail-'));
  const sock = join(dir, 'podman.sock');
  let server: Server;
  const requests: string[] = [];
  let failFirst = 0;
  const log = (n: number) => [frame(1, `2026-12-03T21:55:57Z line ${n}\n`), frame(2, `2026-12-03T21:55:57Z err ${n}\n`)];

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const q = new URL(req.url ?? '/', 'http://x').searchParams;
      requests.push(`follow=${q.get('follow')} tail=${q.get('tail')}`);
      if (q.get('follow') === 'true') {
        if (failFirst > 0) {
          failFirst--;
          res.writeHead(500, { 'Content-Type': 'application/json' });
          const why = 'parsing time "6-12-03T21:55:57Z" as "2006-01-02T15:04:05.000000000Z07:00": cannot parse "6-12-03T21:55:57Z" as "2006"';
          res.end(JSON.stringify({ cause: why, message: why, response: 500 }));
          return;
        }
        res.writeHead(200, { 'Content-Type': 'application/vnd.docker.raw-stream' });
        // The tail as Podman sends it after the race: it begins at line 2.
        res.write(Buffer.concat([frame(2, '2026-12-03T21:55:57Z err 1\n'), ...log(2), ...log(3)]));
        setTimeout(() => {
          res.write(Buffer.concat(log(4)));
          setTimeout(() => res.end(), 150);
        }, 150);
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/vnd.docker.raw-stream' });
      res.end(Buffer.concat([...log(1), ...log(2), ...log(3), ...log(4)]));
    });
    await new Promise<void>((resolve) => server.listen(sock, resolve));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  const follow = (podmanTail: boolean) =>
    new Promise<{ lines: string[]; reason: string; batches: number }>((resolve) => {
      const lines: string[] = [];
      let batches = 0;
      followLogs(
        new Docker({ socketPath: sock }),
        'c1',
        { tty: false, tail: 200, batchMs: 20, podmanTail },
        (got) => {
          batches++;
          lines.push(...got.map((l) => l.text));
        },
        (reason) => resolve({ lines, reason, batches }),
      );
    });
  const all = ['line 1', 'err 1', 'line 2', 'err 2', 'line 3', 'err 3', 'line 4', 'err 4'];

  it('shows the log from its first line, each line once, and then follows', async () => {
    requests.length = 0;
    const got = await follow(true);
    expect(got.lines).toEqual(all);
    expect(got.reason).toMatch(/the log stream ended/);
    expect(requests).toEqual(['follow=true tail=200', 'follow=false tail=all']);
  });

  it('asks again when Podman fails on a cut line (HTTP 500), and still shows every line', async () => {
    requests.length = 0;
    failFirst = 2;
    const got = await follow(true);
    expect(got.lines).toEqual(all);
    expect(requests).toEqual(['follow=true tail=200', 'follow=true tail=200', 'follow=true tail=200', 'follow=false tail=all']);
  });

  it('says what failed when Podman fails three times in a row', async () => {
    requests.length = 0;
    failFirst = 3;
    const got = await follow(true);
    expect(got.lines).toEqual([]);
    expect(got.reason).toMatch(/^cannot read its logs: parsing time "6-12-03T21:55:57Z"/);
    expect(requests).toHaveLength(3);
  });

  it('other engines are asked once, and their tail is taken as it comes', async () => {
    requests.length = 0;
    const got = await follow(false);
    expect(got.lines).toEqual(all.slice(1));
    expect(requests).toEqual(['follow=true tail=200']);
  });
});
