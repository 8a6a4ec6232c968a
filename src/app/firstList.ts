// The first frame waits a moment for the first list: the splash already shows what is being tried,
// and a list drawn into the first frame costs one render instead of two (an empty table, then the
// list), which is what a start waits for.
import type { Store } from '../store/store.js';
import type { Action, AppState } from '../store/state.js';

/** Resolves when an engine's containers are listed, discovery ends with none, or after `ms`. */
export function firstList(store: Pick<Store<AppState, Action>, 'getState' | 'subscribe'>, settled: Promise<{ engines: readonly unknown[] }> | undefined, ms: number): Promise<void> {
  if (Object.keys(store.getState().loaded).length > 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    };
    const timer = setTimeout(done, ms);
    const unsubscribe = store.subscribe(() => {
      if (Object.keys(store.getState().loaded).length > 0) done();
    });
    void settled?.then((d) => d.engines.length === 0 && done());
  });
}
