// A minimal external store: one immutable snapshot, a reducer, subscribers. The UI reads it with
// useSyncExternalStore; sources and actions dispatch into it. `batch` runs several dispatches and
// tells subscribers once (a key that sets a filter and moves the cursor is one redraw, not two).

export interface Store<S, A> {
  getState(): S;
  dispatch(action: A): void;
  subscribe(listener: () => void): () => void;
  batch(fn: () => void): void;
}

export function createStore<S, A>(reducer: (s: S, a: A) => S, initial: S): Store<S, A> {
  let state = initial;
  const listeners = new Set<() => void>();
  let depth = 0;
  let changed = false;
  const notify = () => {
    for (const l of [...listeners]) l();
  };
  return {
    getState: () => state,
    dispatch(action) {
      const next = reducer(state, action);
      if (next === state) return;
      state = next;
      if (depth > 0) changed = true;
      else notify();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    batch(fn) {
      depth++;
      try {
        fn();
      } finally {
        depth--;
        if (depth === 0 && changed) {
          changed = false;
          notify();
        }
      }
    },
  };
}
