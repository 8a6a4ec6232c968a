// The keyboard hook: every input event Ink reads is split into single keys (a run of Backspaces
// or arrows arriving in one read, a paste, keys typed faster than a frame), and each key goes to
// whichever mode is on top when it arrives — so a key that opens a prompt sends the keys after it
// in the same read to that prompt, which one `useInput` per component (decided at render time)
// could not do.
import { useEffect, useRef } from 'react';
import { useStdin } from 'ink';
import type { Store } from '../../store/store.js';
import type { Action, AppState } from '../../store/state.js';
import type { Controller } from '../controller.js';
import { dispatchKey } from '../modes/index.js';
import type { ScreenSizes } from '../modes/context.js';
import { keysOf } from './parse.js';
import type { Pacer } from '../pace.js';
import { traceKey, tracingKeys } from '../../trace.js';

export function useKeys(store: Store<AppState, Action>, pacer: Pacer, controller: Controller, sizes: ScreenSizes, shown: AppState): void {
  const { stdin, setRawMode, internal_eventEmitter: events } = useStdin();
  const latest = useRef({ controller, sizes });
  latest.current = { controller, sizes };
  const previous = useRef('');
  // What the screen shows: set once React has committed the frame drawn from `shown`.
  const drawn = useRef<AppState>(shown);
  useEffect(() => {
    drawn.current = shown;
  });
  useEffect(() => {
    setRawMode(true);
    return () => setRawMode(false);
  }, [setRawMode]);
  useEffect(() => {
    if (!tracingKeys) return undefined;
    // Before Ink's own listener reads the bytes: when they became readable.
    const onReadable = () => traceKey('stdin');
    stdin.prependListener('readable', onReadable);
    return () => {
      stdin.off('readable', onReadable);
    };
  }, [stdin]);
  useEffect(() => {
    const onInput = (event: string) => {
      // One redraw per key, however many actions it dispatches, drawn at once (not paced).
      for (const key of keysOf(event)) {
        traceKey('key', JSON.stringify(key.name));
        pacer.urgent(() => store.batch(() => dispatchKey({ store, ...latest.current, key, previous: previous.current, drawn: drawn.current })));
        traceKey('dispatched');
        previous.current = key.name;
      }
    };
    events.on('input', onInput);
    return () => {
      events.off('input', onInput);
    };
  }, [events, store, pacer]);
}
