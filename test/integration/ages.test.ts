// Ages by the engine's clock, on both engines: a container's row counts from inspect's StartedAt
// while it runs and FinishedAt once it stopped (the list's rounded words are not read), a kill and
// a start move it to the new time, and the list and the Inspect tab read the same age off the same
// clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverEngines, type DiscoveryResult } from '../../src/engine/discovery.js';
import { inspectSummary } from '../../src/engine/inspect.js';
import { EngineWatcher } from '../../src/store/sources.js';
import { createStore } from '../../src/store/store.js';
import { initialState, reducer, type Action, type AppState } from '../../src/store/state.js';
import { shortDuration, stateText } from '../../src/present/container.js';
import { summaryLines } from '../../src/present/inspect.js';
import { enginesOrSkip, removeTestContainers, runContainer, uniqueName, waitUntil, type TestEngine } from '../helpers/engines.js';

const engines = enginesOrSkip('age tests (test/integration/ages.test.ts)');

describe.skipIf(!engines).each(engines ?? [])('$kind ages', (te: TestEngine) => {
  let d: DiscoveryResult;
  beforeAll(async () => {
    d = await discoverEngines({ env: {}, home: '/tmp', hosts: [te.url], podmanService: false });
  });
  afterAll(async () => {
    d?.shutdown();
    await removeTestContainers(te);
  });

  it('count from StartedAt, then FinishedAt after a kill, then the new StartedAt; the Inspect tab says the same', async () => {
    const name = uniqueName('age');
    const c = await runContainer(te, { name });
    const store = createStore<AppState, Action>(reducer, initialState());
    const engine = d.engines[0]!;
    store.dispatch({ type: 'engines/set', engines: [{ id: engine.id, kind: engine.kind, label: engine.label, endpoint: engine.url, status: 'connecting' }] });
    const w = new EngineWatcher(engine, store, { resyncMs: 600_000 });
    w.start();
    const row = () => Object.values(store.getState().containers).flat().find((x) => x.name === name);
    try {
      const started = Date.parse((await c.inspect()).State.StartedAt);
      await waitUntil(() => row()?.since === started, 15_000, 'the row to count from StartedAt');
      const now = started + 95_500;
      expect(stateText(row()!, now)).toBe('up 1m');
      // The Inspect tab, on the same clock: 95 s ago.
      const summary = inspectSummary(await c.inspect());
      expect(summaryLines(summary, now).find((l) => l.startsWith('started'))).toMatch(/\(1m ago\)$/);
      expect(summaryLines(summary, started + 43_900).find((l) => l.startsWith('started'))).toMatch(/\(43s ago\)$/);
      expect(stateText(row()!, started + 43_900)).toBe('up 43s');

      await c.kill();
      const finished = async () => Date.parse((await c.inspect()).State.FinishedAt);
      await waitUntil(async () => row()?.state === 'exited' && row()?.since === (await finished()), 15_000, 'the row to count from FinishedAt');
      const f = await finished();
      expect(f).toBeGreaterThanOrEqual(started);
      expect(stateText(row()!, f + 88_000)).toBe(`exited (137) ${shortDuration(88_000)} ago`);

      await c.start();
      const again = async () => Date.parse((await c.inspect()).State.StartedAt);
      await waitUntil(async () => row()?.state === 'running' && row()?.since === (await again()), 15_000, 'the row to count from the new StartedAt');
      expect(row()!.since).toBeGreaterThanOrEqual(f);
    } finally {
      w.stop();
    }
  }, 60_000);
});
