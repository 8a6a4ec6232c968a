// Colours, honouring NO_COLOR (https://no-color.org): with it set, no colour is drawn at all and
// the selection is shown in inverse video only.
import type { ContainerState } from '../engine/models.js';

export const noColor = (env: Record<string, string | undefined> = process.env): boolean =>
  env.NO_COLOR !== undefined && env.NO_COLOR !== '';

export interface Theme {
  color: boolean;
  stateColor(state: ContainerState, exitCode?: number): string | undefined;
  up: string | undefined;
  down: string | undefined;
  connecting: string | undefined;
  accent: string | undefined;
  dim: string | undefined;
  error: string | undefined;
  ok: string | undefined;
  warn: string | undefined;
}

export function makeTheme(color: boolean): Theme {
  const c = (name: string) => (color ? name : undefined);
  return {
    color,
    stateColor(state, exitCode) {
      if (!color) return undefined;
      switch (state) {
        case 'running':
          return 'green';
        case 'paused':
        case 'restarting':
        case 'removing':
          return 'yellow';
        case 'exited':
        case 'dead':
          return exitCode === 0 ? 'gray' : 'red';
        default:
          return 'gray';
      }
    },
    up: c('green'),
    down: c('red'),
    connecting: c('yellow'),
    accent: c('cyan'),
    dim: c('gray'),
    error: c('red'),
    ok: c('green'),
    warn: c('yellow'),
  };
}
