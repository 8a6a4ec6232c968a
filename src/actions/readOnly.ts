// The one wording of a refusal in read-only mode, for every layer that refuses (the key
// dispatcher first; the actions again, in case something calls them directly).
import type { Store } from '../store/store.js';
import type { Action, AppState } from '../store/state.js';

export function readOnlyRefusal(what: string): string {
  return `read-only mode: ${what} is disabled (started with --read-only)`;
}

/** True (and the refusal said) when gantry runs read-only. */
export function refusedReadOnly(store: Store<AppState, Action>, what: string): boolean {
  if (!store.getState().readOnly) return false;
  store.dispatch({ type: 'message', level: 'error', text: readOnlyRefusal(what) });
  return true;
}
