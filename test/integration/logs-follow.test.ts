// Following logs on the real engines: stdout and stderr apart without a TTY, raw with one,
// hostile output made inert, the end of a stream reported, and a cancelled stream closed.
import { afterAll, describe, expect, it } from 'vitest';
import { followLogs, type FollowedLine } from '../../src/engine/logs/follow.js';
import { enginesOrSkip, removeTestContainers, runContainer, uniqueName, waitUntil } from '../helpers/engines.js';

const engines = enginesOrSkip('log-following tests');

describe.skipIf(!engines).each(engines ?? [])('$kind logs', (te) => {
  afterAll(() => removeTestContainers(te));

  it('separates stdout and stderr of a container without a TTY, with timestamps, and says when it ends', async () => {
    const c = await runContainer(te, { name: uniqueName('logs'), cmd: ['sh', '-c', 'echo out-one; echo err-one >&2; sleep 1; echo out-two; echo err-two >&2'] });
    const got: FollowedLine[] = [];
    const ends: string[] = [];
    const batches: number[] = [];
    followLogs(te.docker, c.id, { tty: false, tail: 'all' }, (l) => (batches.push(l.length), got.push(...l)), (r) => ends.push(r));
    await waitUntil(() => ends.length === 1, 20_000, 'the stream to end');
    expect(got.map((l) => [l.stream, l.text])).toEqual(
      expect.arrayContaining([
        ['stdout', 'out-one'],
        ['stderr', 'err-one'],
        ['stdout', 'out-two'],
        ['stderr', 'err-two'],
      ]),
    );
    expect(got).toHaveLength(4);
    for (const l of got) expect(l.ts).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(ends[0]).toMatch(/ended/);
  });

  it('reads a TTY container raw, as stdout', async () => {
    const c = await runContainer(te, { name: uniqueName('logs-tty'), tty: true, cmd: ['sh', '-c', 'echo tty-line; echo tty-err >&2; sleep 600'] });
    const got: FollowedLine[] = [];
    const f = followLogs(te.docker, c.id, { tty: true, tail: 'all' }, (l) => got.push(...l), () => undefined);
    await waitUntil(() => got.length >= 2, 15_000, 'two lines');
    f.cancel();
    expect(got.map((l) => [l.stream, l.text])).toEqual([
      ['stdout', 'tty-line'],
      ['stdout', 'tty-err'],
    ]);
  });

  it('makes hostile output inert and batches a flood', async () => {
    const c = await runContainer(te, {
      name: uniqueName('logs-evil'),
      cmd: ['sh', '-c', "printf 'a\\033[2J\\033]0;title\\007b\\033]52;c;ZXZpbA==\\007c\\n'; seq 1 3000; sleep 600"],
    });
    const got: FollowedLine[] = [];
    let calls = 0;
    const f = followLogs(te.docker, c.id, { tty: false, tail: 'all' }, (l) => (calls++, got.push(...l)), () => undefined);
    await waitUntil(() => got.length >= 3001, 15_000, '3001 lines');
    f.cancel();
    expect(got[0]!.text).toBe('abc');
    expect(got[3000]!.text).toBe('3000');
    expect(calls).toBeLessThan(50);
  });

  it('hands on every line of a 200,000-line burst once, in order (gathered and paused on the way)', async () => {
    const c = await runContainer(te, { name: uniqueName('logs-burst'), cmd: ['sh', '-c', 'seq 1 200000; echo burst-done; sleep 600'] });
    const got: string[] = [];
    const f = followLogs(te.docker, c.id, { tty: false, tail: 'all' }, (l) => {
      for (const x of l) got.push(x.text);
    }, () => undefined);
    await waitUntil(() => got[got.length - 1] === 'burst-done', 60_000, 'the whole burst');
    f.cancel();
    expect(got).toHaveLength(200_001);
    const wrong = got.slice(0, 200_000).findIndex((t, i) => t !== String(i + 1));
    expect(wrong).toBe(-1);
  });

  it('reports a container removed while its logs are followed', async () => {
    const c = await runContainer(te, { name: uniqueName('logs-rm'), cmd: ['sh', '-c', 'while true; do echo tick; sleep 0.2; done'] });
    const ends: string[] = [];
    const got: FollowedLine[] = [];
    followLogs(te.docker, c.id, { tty: false, tail: 10 }, (l) => got.push(...l), (r) => ends.push(r));
    await waitUntil(() => got.length > 0, 10_000, 'a line');
    await c.remove({ force: true });
    await waitUntil(() => ends.length === 1, 15_000, 'the end to be reported');
    expect(ends[0]).toMatch(/ended|failed/);
  });
});
