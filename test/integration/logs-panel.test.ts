// The log panel's engine side against the real engines: it follows the selected container,
// resumes after a restart with nothing repeated and nothing lost, honours the since keys, reports
// a removed container, saves the buffer and the whole log, and comes back after the engine does.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { discoverEngines, type DiscoveryResult } from '../../src/engine/discovery.js';
import type { Engine } from '../../src/engine/engine.js';
import { EngineWatcher } from '../../src/store/sources.js';
import { createStore, type Store } from '../../src/store/store.js';
import { initialState, reducer, type Action, type AppState } from '../../src/store/state.js';
import { LogsController } from '../../src/actions/logs.js';
import { enginesOrSkip, enginesScript, removeTestContainers, RUN_LABEL, runContainer, uniqueName, waitUntil, type TestEngine } from '../helpers/engines.js';

const engines = enginesOrSkip('log panel tests (test/integration/logs-panel.test.ts)');
const tmp = mkdtempSync(join(tmpdir(), 'gantry-logs-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Rig {
  store: Store<AppState, Action>;
  logs: LogsController;
  watcher: EngineWatcher;
  stop(): void;
}

function rig(engine: Engine, dir = tmp): Rig {
  const store = createStore<AppState, Action>(reducer, initialState());
  store.dispatch({ type: 'engines/set', engines: [{ id: engine.id, kind: engine.kind, label: engine.label, endpoint: engine.url, status: 'connecting' }] });
  const w = new EngineWatcher(engine, store, { backoffMs: [200, 1000] });
  const logs = new LogsController(store, new Map([[engine.id, engine]]), { tail: 200, maxLines: 10_000, maxLineBytes: 65_536, dir, settleMs: 20, tickMs: 20 });
  logs.start();
  w.start();
  return {
    store,
    logs,
    watcher: w,
    stop() {
      logs.stop();
      w.stop();
    },
  };
}

/** Selects the container (once the watcher lists it) and waits for its log to open. */
async function show(r: Rig, name: string): Promise<void> {
  await waitUntil(() => Object.values(r.store.getState().containers).flat().some((c) => c.name === name), 15_000, `${name} listed`);
  const c = Object.values(r.store.getState().containers).flat().find((x) => x.name === name)!;
  r.store.dispatch({ type: 'jump', key: c.key });
  await waitUntil(() => r.logs.session?.key === c.key, 5000, 'the session to switch');
}

const texts = (r: Rig, stream?: string) => {
  const b = r.logs.session!.buffer;
  return b.slice(0, b.length).filter((l) => !stream || l.stream === stream).map((l) => l.text);
};

// A container that numbers its runs (the count survives a restart in its filesystem) and its lines.
const COUNTER = ['sh', '-c', 'n=$(cat /tmp/run 2>/dev/null || echo 0); n=$((n+1)); echo $n > /tmp/run; i=0; while true; do i=$((i+1)); echo "run $n line $i"; echo "run $n err $i" >&2; sleep 0.1; done'];

/** The panel's own notes (end of stream, running again, …), in order. */
const notes = (r: Rig) => {
  const b = r.logs.session!.buffer;
  return b.slice(0, b.length).filter((l) => l.stream === 'meta').map((l) => l.text);
};

describe.skipIf(!engines).each(engines ?? [])('$kind log panel', (te: TestEngine) => {
  let d: DiscoveryResult;
  let engine: Engine;
  let r: Rig | undefined;

  beforeAll(async () => {
    d = await discoverEngines({ env: {}, home: tmp, hosts: [te.url], podmanService: false });
    engine = d.engines[0]!;
  });
  afterEach(() => r?.stop());
  afterAll(async () => {
    d?.shutdown();
    await removeTestContainers(te);
  });

  it('follows across a restart: every line of both runs once, in order, stdout and stderr apart', async () => {
    const name = uniqueName('lp-restart');
    const c = await runContainer(te, { name, cmd: COUNTER });
    r = rig(engine);
    await show(r, name);
    await waitUntil(() => texts(r!).includes('run 1 line 10'), 15_000, 'ten lines of run 1');
    await c.restart({ t: 1 });
    await waitUntil(() => texts(r!).includes('run 2 line 15'), 25_000, 'fifteen lines of run 2');
    for (const run of [1, 2]) {
      const got = texts(r, 'stdout')
        .filter((t) => t.startsWith(`run ${run} line `))
        .map((t) => Number(t.split(' ')[3]));
      // 1, 2, 3, … with no gap and no repeat.
      expect(got.slice(0, 10)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
      expect(new Set(got).size).toBe(got.length);
      for (let i = 1; i < got.length; i++) expect(got[i]).toBe(got[i - 1]! + 1);
    }
    expect(texts(r, 'stderr')).toContain('run 2 err 3');
    expect(texts(r, 'stderr').every((t) => t.includes(' err '))).toBe(true);
    // The footer says what is true: new lines are following, not "exited".
    expect(r.logs.session!.state).toBe('live');
    expect(r.logs.session!.stateText).toBe('following');
    expect(notes(r).filter((n) => /running again/.test(n))).toEqual(['— the container is running again: following —']);
  });

  it('a container killed once and never restarted: one end-of-stream note saying exited (137), never "running again"', async () => {
    const name = uniqueName('lp-kill');
    const c = await runContainer(te, { name, cmd: COUNTER });
    r = rig(engine);
    await show(r, name);
    await waitUntil(() => texts(r!).includes('run 1 line 5'), 15_000, 'five lines');
    const session = r.logs.session!;
    await c.kill();
    const listed = () => Object.values(r!.store.getState().containers).flat().find((x) => x.name === name)?.state;
    await waitUntil(() => session.state === 'ended' && /exited \(137\)/.test(session.stateText) && listed() === 'exited', 20_000, 'the end, and the list saying exited');
    expect(notes(r)).toEqual(['— end of stream: the container is exited (137); it resumes when it starts again —']);
    expect(session.stateText).toBe('the container is exited (137); it resumes when it starts again');
  });

  it('opens with the last lines (tail), and the whole log with the since key 6', async () => {
    const name = uniqueName('lp-since');
    await runContainer(te, { name, cmd: ['sh', '-c', 'seq 1 500; sleep 100000'] });
    r = rig(engine);
    await show(r, name);
    await waitUntil(() => texts(r!).includes('500'), 15_000, 'the tail');
    expect(texts(r)).toHaveLength(200);
    expect(texts(r)[0]).toBe('301');
    r.store.dispatch({ type: 'logs/set', patch: { since: 6 } });
    await waitUntil(() => texts(r!).length === 500, 15_000, 'the whole log');
    expect(texts(r)[0]).toBe('1');
    // Since 1m: everything printed in the last minute (all of it here).
    r.store.dispatch({ type: 'logs/set', patch: { since: 1 } });
    await waitUntil(() => texts(r!).length === 500 && r!.logs.session!.state === 'live', 15_000, 'the last minute');
  });

  it('survives a 1 MB line, binary garbage, invalid UTF-8 and progress bars, and keeps following', async () => {
    const name = uniqueName('lp-hostile');
    const script = [
      'head -c 1048576 /dev/zero | tr "\\000" x; echo',
      'head -c 4096 /dev/urandom',
      'printf "\\nbad \\377\\376 utf8\\n"',
      'printf "progress 10%%\\rprogress 50%%\\rprogress 100%%\\n"',
      'echo still-following; sleep 100000',
    ].join('; ');
    await runContainer(te, { name, cmd: ['sh', '-c', script] });
    r = rig(engine);
    // The whole log: Podman counts each 8 KiB piece of a long line as a line for `tail`.
    r.store.dispatch({ type: 'logs/set', patch: { since: 6 } });
    await show(r, name);
    await waitUntil(() => texts(r!).includes('still-following'), 20_000, 'the line after the garbage');
    const all = texts(r);
    const long = all.filter((t) => t.startsWith('xxxx'));
    // One line, cut at 64 KiB with a marker saying how much went; only x in it (Podman sends the
    // pieces of a long line with a timestamp each: none may show up inside the line).
    expect(long).toHaveLength(1);
    const m = /^(x+) … \[cut (\d+) characters\]$/.exec(long[0]!)!;
    expect(m).not.toBeNull();
    // 64 KiB as the engine sent it, its timestamp included.
    expect(m[1]!.length).toBeGreaterThan(65_536 - 40);
    expect(m[1]!.length).toBeLessThanOrEqual(65_536);
    expect(m[1]!.length + Number(m[2])).toBe(1_048_576);
    expect(all).toContain('bad \ufffd\ufffd utf8');
    expect(all).toContain('progress 100%');
    // Nothing that could drive a terminal survives, colour codes aside.
    for (const t of all) expect(t.replace(/\x1b\[[\d;:]*m/g, '')).not.toMatch(/[\x00-\x08\x0a-\x1f\x7f\x80-\x9f]/);
  });

  it('says so when the container is removed while its log is shown', async () => {
    const name = uniqueName('lp-rm');
    const c = await runContainer(te, { name, cmd: ['sh', '-c', 'while true; do echo tick; sleep 0.2; done'] });
    r = rig(engine);
    await show(r, name);
    await waitUntil(() => texts(r!).includes('tick'), 15_000, 'a tick');
    const session = r.logs.session!;
    await c.remove({ force: true });
    await waitUntil(() => /was removed/.test(r!.store.getState().ui.message?.text ?? ''), 15_000, 'the removal said');
    expect(r.store.getState().ui.message!.text).toContain(`${engine.id}/${name} was removed`);
    // Its stream is closed, not left running.
    expect(r.logs.session).not.toBe(session);
  });

  it('saves the buffer and the whole log to files and names them', async () => {
    const name = uniqueName('lp-save');
    await runContainer(te, { name, cmd: ['sh', '-c', 'seq 1 300; echo "to-stderr" >&2; printf "\\033]52;c;ZXZpbA==\\007tail\\n"; sleep 100000'] });
    const dir = join(tmp, `save-${te.kind}`);
    r = rig(engine, dir);
    // The whole log (6): where the engine puts the stderr line among the others varies, so a tail
    // might not hold it.
    r.store.dispatch({ type: 'logs/set', patch: { since: 6 } });
    await show(r, name);
    // Both streams in (the engine copies stdout and stderr side by side).
    await waitUntil(() => texts(r!).includes('tail') && texts(r!).includes('to-stderr'), 15_000, 'the log');
    await r.logs.save(false);
    let m = r.store.getState().ui.message!;
    expect(m.level).toBe('ok');
    const path = /to (\/\S+\.log)/.exec(m.text)![1]!;
    expect(path).toMatch(/-\d{8}-\d{6}(-\d+)?\.log$/);
    expect(path.startsWith(dir)).toBe(true);
    const saved = readFileSync(path, 'utf8').trim().split('\n');
    // The buffer holds the whole log: 1 … 300, the stderr line and "tail".
    expect(saved).toHaveLength(302);
    const nums = saved.map((l) => /^\d{4}-\d\d-\d\dT\S+Z (\d+)$/.exec(l)?.[1]).filter((x): x is string => x !== undefined).map(Number);
    expect(nums).toHaveLength(300);
    expect(nums[0]).toBe(1);
    for (let i = 1; i < nums.length; i++) expect(nums[i]).toBe(nums[i - 1]! + 1);
    expect(saved).toContainEqual(expect.stringMatching(/ \[stderr\] to-stderr$/));
    await r.logs.save(true);
    m = r.store.getState().ui.message!;
    expect(m.text).toMatch(/saved the whole log \(302 lines\)/);
    const whole = readFileSync(/to (\/\S+\.log)/.exec(m.text)![1]!, 'utf8');
    expect(whole.split('\n').filter(Boolean)).toHaveLength(302);
    // Saved files are sanitised too: no clipboard write survives.
    expect(whole).not.toContain('\x1b');
    // (The engines copy stdout and stderr side by side: their relative order is not the program's.)
    expect(whole).toMatch(/Z tail\n/);
  });
});

describe.skipIf(!engines)('a log whose engine goes away', () => {
  it.each([
    ['', false],
    [' (the list never says the engine went away)', true],
  ])('ends with the reason and follows again when docker and the container are back%s', async (_, stale) => {
    const te = engines![0]!;
    const d = await discoverEngines({ env: {}, home: tmp, hosts: [te.url], podmanService: false });
    const engine = d.engines[0]!;
    const name = uniqueName('lp-engine');
    // Restarted by dockerd when it comes back.
    const c = await te.docker.createContainer({
      name,
      Image: te.image,
      Cmd: ['sh', '-c', 'while true; do echo "alive $(date +%s%N)"; sleep 0.2; done'],
      Labels: { [RUN_LABEL]: String(process.pid) },
      HostConfig: { NetworkMode: 'none', RestartPolicy: { Name: 'always' } },
    });
    await c.start();
    const r = rig(engine);
    try {
      await show(r, name);
      await waitUntil(() => texts(r).some((t) => t.startsWith('alive')), 15_000, 'a line');
      const session = r.logs.session!;
      // Without the watcher the list still says docker is up and the container runs when the
      // stream ends: following again fails at once, and must leave the stream ended (and tried
      // again), not failed for good. (With the watcher, which one a test sees first is a race.)
      if (stale) r.watcher.stop();
      enginesScript('stop-docker');
      await waitUntil(() => session.state === 'ended', 20_000, 'the stream to end');
      // Still ended (not failed) a few tries later.
      await new Promise((res) => setTimeout(res, 3500));
      expect(session.state).toBe('ended');
      expect(session.stateText).toMatch(/the engine went away .*it resumes when the engine is back/);
      const before = texts(r).filter((t) => t.startsWith('alive')).length;
      enginesScript('start-docker');
      await waitUntil(() => texts(r).filter((t) => t.startsWith('alive')).length > before + 3, 60_000, 'new lines after docker is back');
      const notes = session.buffer.slice(0, session.buffer.length).filter((l) => l.stream === 'meta').map((l) => l.text);
      expect(notes.some((n) => /end of stream/.test(n))).toBe(true);
      expect(notes.some((n) => /running again: following/.test(n))).toBe(true);
      expect(r.logs.session).toBe(session);
    } finally {
      r.stop();
      d.shutdown();
      // A failure above may leave docker stopped: start it, or the restarting container outlives the test.
      try {
        enginesScript('start-docker');
      } catch {
        /* already running */
      }
      await removeTestContainers(te).catch(() => undefined);
    }
  }, 150_000);
});
