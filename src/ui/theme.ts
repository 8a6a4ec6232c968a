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

const SGR_COLOURS: Record<string, string> = { black: '30', red: '31', green: '32', yellow: '33', blue: '34', magenta: '35', cyan: '36', white: '37', gray: '90', grey: '90' };

/** Text in one of the theme's colours (and styles) as SGR codes, as Ink's <Text> would draw it. */
export function paint(text: string, style: { color?: string | undefined; bold?: boolean; inverse?: boolean } = {}): string {
  const codes: string[] = [];
  if (style.bold) codes.push('1');
  if (style.inverse) codes.push('7');
  const c = style.color ? SGR_COLOURS[style.color] : undefined;
  if (c) codes.push(c);
  return codes.length && text ? `\x1b[${codes.join(';')}m${text}\x1b[0m` : text;
}
