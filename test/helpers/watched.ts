// One real engine found by discovery for a describe block (cleaned up after it), and a store that
// a watcher fills from it: what the integration tests of the list's columns start from.
import { afterAll, beforeAll } from 'vitest';
import { discoverEngines, type DiscoveryResult } from '../../src/engine/discovery.js';
import type { Engine } from '../../src/engine/engine.js';
import { EngineWatcher } from '../../src/store/sources.js';
import { createStore, type Store } from '../../src/store/store.js';
import { initialState, reducer, type Action, type AppState } from '../../src/store/state.js';
import { removeTestContainers, type TestEngine } from './engines.js';

/** Registers the hooks; the engine is there once the tests run. */
export function discoveredEngine(te: TestEngine): () => Engine {
  let d: DiscoveryResult | undefined;
  beforeAll(async () => {
    d = await discoverEngines({ env: {}, home: '/tmp', hosts: [te.url], podmanService: false });
  });
  afterAll(async () => {
    d?.shutdown();
    await removeTestContainers(te);
  });
  return () => d!.engines[0]!;
}

/** A store with `engine` in it and its (not yet started) watcher. */
export function watchedStore(engine: Engine): { store: Store<AppState, Action>; watcher: EngineWatcher } {
  const store = createStore<AppState, Action>(reducer, initialState());
  store.dispatch({ type: 'engines/set', engines: [{ id: engine.id, kind: engine.kind, label: engine.label, endpoint: engine.url, status: 'connecting' }] });
  return { store, watcher: new EngineWatcher(engine, store, { resyncMs: 600_000 }) };
}
