// Against the real Docker and Podman engines that scripts/engines.sh starts: discovery, the list,
// every container action, the event stream, and the store following an engine that dies and returns.
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { discoverEngines, type DiscoveryResult } from '../../src/engine/discovery.js';
import type { Engine, EngineEvent } from '../../src/engine/engine.js';
import { EngineWatcher } from '../../src/store/sources.js';
import { createStore } from '../../src/store/store.js';
import { initialState, reducer, type Action, type AppState } from '../../src/store/state.js';
import { runContainerCommand } from '../../src/actions/containers.js';
import { enginesOrSkip, enginesScript, inspectState, removeTestContainers, runContainer, uniqueName, waitUntil, type TestEngine } from '../helpers/engines.js';

const engines = enginesOrSkip('integration tests (test/integration/engines.test.ts)');
const tmp = mkdtempSync(join(tmpdir(), 'gantry-int-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function connect(te: TestEngine): Promise<{ d: DiscoveryResult; engine: Engine }> {
  const d = await discoverEngines({ env: {}, home: tmp, hosts: [te.url], podmanService: false });
  expect(d.engines).toHaveLength(1);
  return { d, engine: d.engines[0]! };
}

describe.skipIf(!engines).each(engines ?? [])('$kind engine', (te) => {
  let d: DiscoveryResult;
  let engine: Engine;

  beforeAll(async () => {
    ({ d, engine } = await connect(te));
  });
  afterAll(async () => {
    d?.shutdown();
    await removeTestContainers(te);
  });

  it('is discovered as what it is, once even when reached by two paths', async () => {
    expect(engine.kind).toBe(te.kind);
    expect(engine.version).toMatch(/^\d+\.\d+/);
    const link = join(tmp, `${te.kind}-link.sock`);
    symlinkSync(te.socket, link);
    const two = await discoverEngines({ env: {}, home: tmp, hosts: [te.url, `unix://${link}`], podmanService: false });
    try {
      expect(two.engines).toHaveLength(1);
      expect(two.attempts[1]!.detail).toMatch(/same engine as/);
    } finally {
      two.shutdown();
    }
  });

  it('lists running and exited containers with name, image, state, exit code', async () => {
    const runName = uniqueName('int-run');
    const exitName = uniqueName('int-exit');
    await runContainer(te, { name: runName });
    const ex = await runContainer(te, { name: exitName, cmd: ['sh', '-c', 'exit 3'] });
    await ex.wait();
    const list = await engine.listContainers();
    const run = list.find((c) => c.name === runName);
    const exited = list.find((c) => c.name === exitName);
    expect(run).toMatchObject({ engineId: te.kind, state: 'running' });
    expect(run!.image).toContain('busybox');
    expect(run!.key).toBe(`${te.kind}/${run!.id}`);
    expect(exited).toMatchObject({ state: 'exited', exitCode: 3 });
  });

  it('stops, starts, restarts, pauses, unpauses, kills and removes, as the engine reports', async () => {
    const name = uniqueName('int-act');
    const c = await runContainer(te, { name });
    const id = c.id;
    await engine.containerAction(id, 'stop');
    expect(await inspectState(te, id)).toBe('exited');
    await engine.containerAction(id, 'start');
    expect(await inspectState(te, id)).toBe('running');
    const before = (await c.inspect()).State.StartedAt;
    await engine.containerAction(id, 'restart');
    const after = await c.inspect();
    expect(after.State.Status).toBe('running');
    expect(after.State.StartedAt).not.toBe(before);
    await engine.containerAction(id, 'pause');
    expect(await inspectState(te, id)).toBe('paused');
    expect((await engine.listContainers()).find((x) => x.id === id)?.state).toBe('paused');
    await engine.containerAction(id, 'unpause');
    expect(await inspectState(te, id)).toBe('running');
    await engine.containerAction(id, 'kill');
    await waitUntil(async () => (await inspectState(te, id)) === 'exited', 10_000, 'killed container to exit');
    const listed = (await engine.listContainers()).find((x) => x.id === id);
    expect(listed).toMatchObject({ state: 'exited', exitCode: 137 });
    await engine.containerAction(id, 'remove');
    expect(await inspectState(te, id)).toBeUndefined();
  });

  it("refuses to remove a running container without force, in the engine's words; force works", async () => {
    const store = createStore<AppState, Action>(reducer, initialState());
    store.dispatch({ type: 'engines/set', engines: [{ id: te.kind, kind: te.kind, label: te.socket, endpoint: te.url, status: 'up' }] });
    const name = uniqueName('int-rm');
    const c = await runContainer(te, { name });
    store.dispatch({ type: 'containers/set', engineId: te.kind, containers: await engine.listContainers() });
    const key = `${te.kind}/${c.id}`;
    const ctx = { store, engines: new Map([[te.kind, engine]]), refresh: () => undefined };
    // The action layer refuses before asking the engine; the engine itself refuses too.
    await runContainerCommand(ctx, key, 'remove');
    expect(store.getState().ui.message?.text).toContain('is running: remove it with force');
    await expect(engine.containerAction(c.id, 'remove')).rejects.toThrow();
    await runContainerCommand(ctx, key, 'force-remove');
    expect(store.getState().ui.message).toMatchObject({ level: 'ok', text: `removed ${te.kind}/${name}` });
    expect(await inspectState(te, c.id)).toBeUndefined();
    // Acting on a container someone else removed leaves a plain message, not a crash.
    const gone = await runContainer(te, { name: uniqueName('int-gone') });
    store.dispatch({ type: 'containers/set', engineId: te.kind, containers: await engine.listContainers() });
    await gone.remove({ force: true });
    await runContainerCommand(ctx, `${te.kind}/${gone.id}`, 'stop');
    expect(store.getState().ui.message).toMatchObject({ level: 'error' });
    expect(store.getState().ui.message?.text).toMatch(/could not stop .*no longer exists|no such container/i);
  });

  it('streams container events', async () => {
    const events: EngineEvent[] = [];
    const closed: unknown[] = [];
    const stop = engine.watchEvents((e) => events.push(e), (err) => closed.push(err));
    try {
      await new Promise((r) => setTimeout(r, 500));
      const c = await runContainer(te, { name: uniqueName('int-ev'), cmd: ['true'] });
      await waitUntil(() => events.some((e) => e.id === c.id && e.action === 'start'), 10_000, 'start event');
      await waitUntil(() => events.some((e) => e.id === c.id && e.action === 'die'), 10_000, 'die event');
      expect(events.find((e) => e.id === c.id)?.type).toBe('container');
      expect(closed).toEqual([]);
    } finally {
      stop();
    }
  });

  it('keeps the store in step through events alone (no resync)', async () => {
    const store = createStore<AppState, Action>(reducer, initialState());
    store.dispatch({ type: 'engines/set', engines: [{ id: te.kind, kind: te.kind, label: te.socket, endpoint: te.url, status: 'connecting' }] });
    const w = new EngineWatcher(engine, store, { resyncMs: 600_000 });
    w.start();
    try {
      await waitUntil(() => store.getState().engines[0]!.status === 'up', 10_000, 'engine up');
      const name = uniqueName('int-store');
      const c = await runContainer(te, { name });
      const find = () => (store.getState().containers[te.kind] ?? []).find((x) => x.id === c.id);
      await waitUntil(() => find()?.state === 'running', 10_000, 'new container in the store');
      await c.stop({ t: 0 });
      await waitUntil(() => find()?.state === 'exited', 15_000, 'stopped container in the store');
      await c.remove();
      await waitUntil(() => find() === undefined, 10_000, 'removed container gone from the store');
    } finally {
      w.stop();
    }
  });
});

describe.skipIf(!engines)('an engine that dies and comes back', () => {
  afterEach(() => {
    // Whatever happened, leave both engines running for the next tests.
    try {
      enginesScript('start-docker');
    } catch {
      /* already running */
    }
  });

  it('marks docker down with a reason, keeps podman working, and recovers by itself', async () => {
    const [dockerTe, podmanTe] = engines!;
    const { d: dd, engine: docker } = await connect(dockerTe!);
    const { d: pd, engine: podman } = await connect(podmanTe!);
    const store = createStore<AppState, Action>(reducer, initialState());
    store.dispatch({
      type: 'engines/set',
      engines: [
        { id: 'docker', kind: 'docker', label: dockerTe!.socket, endpoint: dockerTe!.url, status: 'connecting' },
        { id: 'podman', kind: 'podman', label: podmanTe!.socket, endpoint: podmanTe!.url, status: 'connecting' },
      ],
    });
    const name = uniqueName('int-survive');
    const c = await runContainer(dockerTe!, { name });
    const wd = new EngineWatcher(docker, store, { backoffMs: [200, 1000] });
    const wp = new EngineWatcher(podman, store, { backoffMs: [200, 1000] });
    wd.start();
    wp.start();
    const status = (id: string) => store.getState().engines.find((e) => e.id === id)!;
    try {
      await waitUntil(() => status('docker').status === 'up' && status('podman').status === 'up', 15_000, 'both up');
      enginesScript('stop-docker');
      await waitUntil(() => status('docker').status === 'down', 15_000, 'docker marked down');
      expect(status('docker').error).toBeTruthy();
      // Nothing lost on screen: the last list stays, and podman still answers.
      expect((store.getState().containers.docker ?? []).some((x) => x.name === name)).toBe(true);
      const pname = uniqueName('int-still');
      await runContainer(podmanTe!, { name: pname });
      await waitUntil(() => (store.getState().containers.podman ?? []).some((x) => x.name === pname), 10_000, 'podman still listed');
      enginesScript('start-docker');
      await waitUntil(() => status('docker').status === 'up', 30_000, 'docker back up');
      expect(status('docker').error).toBeUndefined();
      await waitUntil(() => (store.getState().containers.docker ?? []).some((x) => x.id === c.id), 10_000, 'docker list back');
    } finally {
      wd.stop();
      wp.stop();
      dd.shutdown();
      pd.shutdown();
      await removeTestContainers(dockerTe!).catch(() => undefined);
      await removeTestContainers(podmanTe!).catch(() => undefined);
    }
  }, 90_000);
});
