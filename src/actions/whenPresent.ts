// Doing something once the store shows a thing that is on its way: the row of a container just
// started (its create event, or the re-list), the image just pulled (the Images pane's load).
import type { Action, AppState } from '../store/state.js';
import type { Store } from '../store/store.js';

/**
 * Runs `then` as soon as `present(state)` holds (at once if it does now); gives up after
 * `timeoutMs`, then runs `expired` if given. Returns a function that gives up at once (neither runs).
 */
export function whenPresent(store: Store<AppState, Action>, present: (s: AppState) => boolean, then: () => void, timeoutMs = 15_000, expired?: () => void): () => void {
  if (present(store.getState())) {
    then();
    return () => undefined;
  }
  let done = false;
  const finish = () => {
    done = true;
    unsubscribe();
    clearTimeout(timer);
  };
  const unsubscribe = store.subscribe(() => {
    if (done || !present(store.getState())) return;
    finish();
    then();
  });
  const timer = setTimeout(() => {
    finish();
    expired?.();
  }, timeoutMs);
  timer.unref?.();
  return finish;
}
