// A key's action sent to a hung engine (its daemon stopped with SIGSTOP, on both real engines): the
// action is given up in words once the engine does not answer a ping either, nothing stays
// "pausing…", and a slow action on a live engine is not given up.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { discoverEngines } from '../../src/engine/discovery.js';
import type { Engine } from '../../src/engine/engine.js';
import { runContainerCommand } from '../../src/actions/containers.js';
import { PruneController } from '../../src/actions/prune.js';
import { InsideController } from '../../src/actions/inside.js';
import { PanelController } from '../../src/actions/panel.js';
import { whileAnswering } from '../../src/actions/answered.js';
import { createStore } from '../../src/store/store.js';
import { initialState, reducer, type Action, type AppState } from '../../src/store/state.js';
import { RUN_LABEL, enginesOrSkip, inspectState, removeTestContainers, runContainer, uniqueName, waitUntil, type TestEngine } from '../helpers/engines.js';

const engines = enginesOrSkip('hung-engine integration tests (test/integration/hung-engine.test.ts)');
const PATIENCE = { checkMs: 500, pingMs: 1000 };

/** The pid of the engine's daemon, from the pid file scripts/engines.sh writes beside its socket. */
function daemonPid(te: TestEngine): number {
  return Number(readFileSync(join(dirname(te.socket), `${te.kind}.pid`), 'utf8').trim());
}

/** A process's state letter from /proc (T: stopped by a signal). */
const procState = (pid: number): string | undefined => /\) (\S)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1];

/**
 * Hangs the engine: SIGSTOP to its daemon, and a wait until the kernel has stopped it (kill()
 * returns before every thread of the daemon has stopped: /proc read 'R' right after it here).
 */
async function hang(te: TestEngine): Promise<number> {
  const pid = daemonPid(te);
  process.kill(pid, 'SIGSTOP');
  await waitUntil(() => procState(pid) === 'T', 5000, `${te.kind}'s daemon (pid ${pid}) to stop`);
  return pid;
}

describe.skipIf(!engines).each(engines ?? [])('$kind hung', (te) => {
  let engine: Engine;
  beforeAll(async () => {
    const found = await discoverEngines({ env: {}, home: '/tmp', hosts: [te.url], podmanService: false });
    engine = found.engines[0]!;
  });
  afterAll(async () => {
    await removeTestContainers(te);
  });

  it('gives up pause in words when the engine answers neither the call nor a ping, and clears the pending mark', async () => {
    const name = uniqueName('hung');
    const c = await runContainer(te, { name });
    const store = createStore<AppState, Action>(reducer, initialState());
    store.dispatch({ type: 'engines/set', engines: [{ id: te.kind, kind: te.kind, label: te.socket, endpoint: te.url, status: 'up' }] });
    store.dispatch({ type: 'containers/set', engineId: te.kind, containers: await engine.listContainers() });
    const key = `${te.kind}/${c.id}`;
    const ctx = { store, engines: new Map([[te.kind, engine]]), refresh: () => undefined, patience: PATIENCE };
    const pid = await hang(te);
    try {
      await runContainerCommand(ctx, key, 'pause');
      expect(store.getState().ui.message?.level).toBe('error');
      expect(store.getState().ui.message?.text).toMatch(new RegExp(`^${te.kind} is not answering: no reply to pause ${te.kind}/${name} for \\d+ s, nor to a ping`));
      expect(store.getState().ui.pending[key]).toBeUndefined();
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    // Awake again, the engine acts on the next key.
    await waitUntil(async () => (await engine.ping(2000).then(() => true, () => false)), 20_000, 'engine to answer again');
    // The pause it was sent before it hung may have happened after all: the list says which.
    store.dispatch({ type: 'containers/set', engineId: te.kind, containers: await engine.listContainers() });
    const state = await inspectState(te, c.id);
    if (state === 'paused') await runContainerCommand(ctx, key, 'unpause');
    await runContainerCommand(ctx, key, 'stop');
    expect(store.getState().ui.message).toMatchObject({ level: 'ok' });
    expect(await inspectState(te, c.id)).toBe('exited');
  });

  it('gives up a prune in words when the engine stops answering after the preview, and the dialog says what happened', async () => {
    const name = uniqueName('hung-prune');
    const c = await runContainer(te, { name });
    await te.docker.getContainer(c.id).stop({ t: 0 });
    const store = createStore<AppState, Action>(reducer, initialState());
    store.dispatch({ type: 'engines/set', engines: [{ id: te.kind, kind: te.kind, label: te.socket, endpoint: te.url, status: 'up' }] });
    const prune = new PruneController(store, new Map([[te.kind, engine]]), () => undefined, PATIENCE);
    prune.openPrune();
    store.dispatch({ type: 'prune', prune: { ...store.getState().ui.prune!, choice: ['stoppedContainers'] } });
    await prune.preview();
    // Only this test's container is ticked: other tests' stopped containers are not touched.
    const p = store.getState().ui.prune!;
    expect(p.stage).toBe('preview');
    const off = Object.fromEntries(p.previews.flatMap((pv) => pv.items).filter((it) => it.name !== name).map((it) => [it.key, true as const]));
    store.dispatch({ type: 'prune', prune: { ...p, off } });
    const pid = await hang(te);
    try {
      await prune.execute();
      const done = store.getState().ui.prune!;
      expect(done.stage).toBe('result');
      expect(done.result).toContain('Reclaimed 0 B in all.');
      expect(done.result.join('\n')).toMatch(new RegExp(`^${te.kind}: the prune stopped: ${te.kind} is not answering: no reply to the prune of 1 item for \\d+ s, nor to a ping`, 'm'));
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await waitUntil(async () => (await engine.ping(2000).then(() => true, () => false)), 20_000, 'engine to answer again');
  });

  it('gives up a shell (E) in words before taking the terminal, and E is not left busy', async () => {
    const name = uniqueName('hung-exec');
    const c = await runContainer(te, { name });
    const store = createStore<AppState, Action>(reducer, initialState());
    store.dispatch({ type: 'engines/set', engines: [{ id: te.kind, kind: te.kind, label: te.socket, endpoint: te.url, status: 'up' }] });
    const stage = { stepAside: vi.fn(), comeBack: vi.fn(), stdin: process.stdin, stdout: process.stdout };
    const inside = new InsideController(store, new Map([[te.kind, engine]]), stage, { readOnly: false, patience: PATIENCE });
    const row = (await engine.listContainers()).find((x) => x.id === c.id)!;
    const pid = await hang(te);
    try {
      // Twice: the second E is answered too (not ignored as if the first were still opening).
      for (let i = 0; i < 2; i++) {
        store.dispatch({ type: 'message', level: 'info', text: '' });
        await inside.exec(row);
        expect(store.getState().ui.message?.level).toBe('error');
        expect(store.getState().ui.message?.text).toMatch(new RegExp(`^cannot exec in ${te.kind}/${name}: ${te.kind} is not answering: no reply to the exec for \\d+ s, nor to a ping`));
      }
      expect(stage.stepAside).not.toHaveBeenCalled();
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await waitUntil(async () => (await engine.ping(2000).then(() => true, () => false)), 20_000, 'engine to answer again');
  });

  it('says in the Inspect and Top tabs that the engine is not answering, instead of an empty tab', async () => {
    const name = uniqueName('hung-tabs');
    const c = await runContainer(te, { name });
    const store = createStore<AppState, Action>(reducer, initialState());
    store.dispatch({ type: 'engines/set', engines: [{ id: te.kind, kind: te.kind, label: te.socket, endpoint: te.url, status: 'up' }] });
    store.dispatch({ type: 'containers/set', engineId: te.kind, containers: (await engine.listContainers()).filter((x) => x.id === c.id) });
    store.dispatch({ type: 'select', list: 'containers', key: `${te.kind}/${c.id}` });
    const panel = new PanelController(store, new Map([[te.kind, engine]]), PATIENCE);
    panel.start();
    const pid = await hang(te);
    try {
      const notAnswering = (what: string) => new RegExp(`${te.kind} is not answering: no reply to ${what} for \\d+ s, nor to a ping`);
      store.dispatch({ type: 'logs/set', patch: { tab: 'inspect' } });
      await waitUntil(() => panel.data.inspect !== undefined, 15_000, 'the inspect tab to say something');
      // An answer here would mean the daemon ran (CI once saw one): say which, the engine or gantry.
      expect(procState(pid), `${te.kind}'s daemon is still stopped`).toBe('T');
      expect(panel.data.inspect).toEqual({ error: expect.stringMatching(notAnswering('the inspect')) });
      store.dispatch({ type: 'logs/set', patch: { tab: 'top' } });
      await waitUntil(() => panel.data.top !== undefined, 15_000, 'the top tab to say something');
      expect((panel.data.top as { error: string }).error).toMatch(notAnswering('top'));
    } finally {
      process.kill(pid, 'SIGCONT');
      panel.stop();
    }
    await waitUntil(async () => (await engine.ping(2000).then(() => true, () => false)), 20_000, 'engine to answer again');
  });

  it('waits out a slow call on an engine that answers pings (a stop within the grace period)', async () => {
    // sh as pid 1 ignores SIGTERM: the stop takes the engine's grace period, longer than checkMs.
    // StopTimeout given: Podman's compatible API creates containers with none (stopped at once).
    const c = await te.docker.createContainer({
      name: uniqueName('slow-stop'),
      Image: te.image,
      Cmd: ['sh', '-c', 'trap "" TERM; sleep 100000'],
      StopTimeout: 5,
      Labels: { [RUN_LABEL]: String(process.pid) },
      HostConfig: { NetworkMode: 'none' },
    });
    await c.start();
    let pings = 0;
    const counted = { id: engine.id, ping: (ms: number) => (pings++, engine.ping(ms)) };
    await whileAnswering(counted, 'stop', (abortSignal) => engine.containerAction(c.id, 'stop', { abortSignal }), PATIENCE);
    // It was pinged while it stopped the container, answered, and the stop went through.
    expect(pings).toBeGreaterThan(0);
    expect(await inspectState(te, c.id)).toBe('exited');
  });
});
