// The App rendered by ink-testing-library for UI tests of keys: keys go in through stdin one by
// one, each given a moment to be taken; unmounted by the caller's afterEach (`cleanup`).
import React from 'react';
import { render } from 'ink-testing-library';
import { App, type Controller } from '../../src/ui/App.js';
import type { Store } from '../../src/store/store.js';
import type { Action, AppState } from '../../src/store/state.js';

export function renderApp(store: Store<AppState, Action>, controller: Controller, size: { cols: number; rows: number }, pauseMs = 10) {
  const r = render(React.createElement(App, { store, controller, color: false, size }));
  const press = async (...keys: string[]) => {
    for (const k of keys) {
      r.stdin.write(k);
      await new Promise((res) => setTimeout(res, pauseMs));
    }
  };
  return { ...r, press };
}
