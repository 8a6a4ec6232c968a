// The CPU % and MEM columns from the containers' cgroup files, on both engines: a container
// burning a core reads tens of percent, an idle one next to nothing, both with their memory; a
// stopped container has no reading. The list shows the columns and o sorts by CPU.
import { describe, expect, it } from 'vitest';
import { discoveredEngine, watchedStore } from '../helpers/watched.js';
import { visibleContainers } from '../../src/store/select.js';
import { UsageController } from '../../src/actions/usage.js';
import { enginesOrSkip, runContainer, uniqueName, waitUntil, type TestEngine } from '../helpers/engines.js';

const engines = enginesOrSkip('CPU/MEM column tests (test/integration/usage.test.ts)');

describe.skipIf(!engines).each(engines ?? [])('$kind CPU and memory from cgroups', (te: TestEngine) => {
  const engineOf = discoveredEngine(te);

  it('reads a busy container high and an idle one low, every round, without a stats stream', async () => {
    const burn = uniqueName('burn');
    const idle = uniqueName('idle');
    await runContainer(te, { name: burn, cmd: ['sh', '-c', 'while :; do :; done'] });
    await runContainer(te, { name: idle });
    const stopped = await runContainer(te, { name: uniqueName('stopped'), start: false });
    const engine = engineOf();
    const { store, watcher: w } = watchedStore(engine);
    const usage = new UsageController(store, new Map([[engine.id, engine]]));
    w.start();
    usage.start();
    const key = (name: string) => Object.values(store.getState().containers).flat().find((x) => x.name === name)?.key ?? '?';
    const u = (name: string) => store.getState().usage[key(name)];
    try {
      await waitUntil(() => (u(burn)?.cpuPct ?? 0) > 25 && u(idle)?.cpuPct !== undefined, 45_000, 'the busy container to read over 25 % CPU');
      expect(u(idle)!.cpuPct!).toBeLessThan(10);
      expect(u(burn)!.memBytes).toBeGreaterThan(0);
      expect(u(idle)!.memBytes).toBeGreaterThan(0);
      expect(store.getState().usage[`${engine.id}/${stopped.id}`]).toBeUndefined();
      store.dispatch({ type: 'list-sort', list: 'containers' });
      while (store.getState().ui.sorts.containers?.by !== 'cpu') store.dispatch({ type: 'list-sort', list: 'containers' });
      expect(visibleContainers(store.getState())[0]!.name).toBe(burn);
    } finally {
      usage.stop();
      w.stop();
    }
  }, 90_000);
});
