// Mounts the Ink app. Kept apart from cli.ts so that Ink, React and Yoga load (a separate chunk
// of the bundle) while discovery is already talking to the engines.
import React from 'react';
import { render } from 'ink';
import * as yoga from 'yoga-layout';
import { App } from './App.js';
import { RegionHost } from './region.js';
import type { Controller } from './controller.js';
import type { Store } from '../store/store.js';
import type { Action, AppState } from '../store/state.js';
import type { FrameStdout } from './screen.js';

/** Updates that are not a key's reach the screen at most ~20 times a second (see pace.ts). */
export const PACE_MS = 50;

export interface Mounted {
  unmount(): void;
}

export type Mount = typeof mount;

/** Resolves when Yoga's WebAssembly is instantiated (the build makes it a promise instead of a top-level await). */
export const ready: Promise<unknown> = (yoga as { yogaReady?: Promise<unknown> }).yogaReady ?? Promise.resolve();

export function mount(store: Store<AppState, Action>, controller: Controller, frames: FrameStdout, color: boolean, stdin?: NodeJS.ReadStream): Mounted {
  // The frame writer fills the regions (the log's lines) itself.
  const tree = React.createElement(RegionHost.Provider, { value: frames }, React.createElement(App, { store, color, controller, paceMs: PACE_MS }));
  const instance = render(tree, {
    // debug: Ink hands each whole frame to FrameStdout, which writes only the rows that changed.
    stdout: frames as unknown as NodeJS.WriteStream,
    ...(stdin ? { stdin } : {}),
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return { unmount: () => instance.unmount() };
}
