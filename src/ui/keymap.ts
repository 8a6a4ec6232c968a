// The keyboard: one table from keys to commands, by mode. Pure, so the help screen and the tests
// read the same table the app dispatches from.
import type { PaneId } from '../store/state.js';

export interface KeyInfo {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  ctrl?: boolean;
  shift?: boolean;
  tab?: boolean;
  backspace?: boolean;
  delete?: boolean;
  meta?: boolean;
}

export type Command =
  | { kind: 'quit' }
  | { kind: 'help' }
  | { kind: 'pane'; pane: PaneId }
  | { kind: 'pane-next'; delta: 1 | -1 }
  | { kind: 'move'; delta: number }
  | { kind: 'move-page'; direction: 1 | -1 }
  | { kind: 'move-to'; to: 'top' | 'bottom' }
  | { kind: 'filter' }
  | { kind: 'escape' }
  | { kind: 'toggle-stopped' }
  | { kind: 'enter' }
  | { kind: 'container'; action: 'start' | 'stop' | 'restart' | 'pause-toggle' | 'kill' | 'remove' }
  | { kind: 'logs'; op: LogsOp; n?: number }
  | { kind: 'resource-remove' }
  | { kind: 'exec' }
  | { kind: 'bulk' }
  | { kind: 'attach' }
  | { kind: 'command' }
  | { kind: 'prune' }
  | { kind: 'mark' }
  | { kind: 'sort' }
  | { kind: 'none' };

export type LogsOp =
  | 'focus'
  | 'leave'
  | 'full'
  | 'tab'
  | 'scroll'
  | 'page'
  | 'top'
  | 'bottom'
  | 'follow'
  | 'timestamps'
  | 'wrap'
  | 'color'
  | 'sideways'
  | 'search'
  | 'next'
  | 'prev'
  | 'only'
  | 'except'
  | 'save'
  | 'save-whole'
  | 'since';

export interface KeyHelp {
  keys: string;
  what: string;
  section: 'Global' | 'Lists' | 'Containers' | 'Logs (after Enter)' | 'Images, Volumes, Networks' | 'GPUs';
}

/** Every key, for the help screen and the README. Keep in step with `resolveKey`. */
export const KEY_HELP: readonly KeyHelp[] = [
  { keys: '1-6, Tab, Shift-Tab', what: 'switch pane: Containers, Images, Volumes, Networks, GPUs, System', section: 'Global' },
  { keys: '?', what: 'this help (Esc or ? closes it)', section: 'Global' },
  { keys: 'D, :prune', what: 'prune: choose what, see every item and its bytes, then confirm', section: 'Global' },
  { keys: ':', what: 'a command: exec CMD… (in the selected container), prune, quit', section: 'Global' },
  { keys: 'q, Ctrl-C', what: 'quit', section: 'Global' },
  { keys: 'j, k, ↓, ↑', what: 'move the selection', section: 'Lists' },
  { keys: 'g, G, Home, End', what: 'first / last row', section: 'Lists' },
  { keys: 'PgUp, PgDn, Ctrl-U, Ctrl-D', what: 'move a page', section: 'Lists' },
  { keys: '/', what: 'filter by name or image as you type; Enter keeps it, Esc clears it', section: 'Lists' },
  { keys: 'space', what: 'mark / unmark the row; d then acts on every marked row (one question)', section: 'Lists' },
  { keys: 's, S, r', what: 'stop, start, restart', section: 'Containers' },
  { keys: 'p', what: 'pause / unpause', section: 'Containers' },
  { keys: 'K', what: 'kill (asks first)', section: 'Containers' },
  { keys: 'd', what: 'remove (asks first; a running one offers force)', section: 'Containers' },
  { keys: 'e', what: 'show / hide stopped containers', section: 'Containers' },
  { keys: 'b', what: 'bulk actions on the marked containers (or all listed): stop, restart, start, remove', section: 'Containers' },
  { keys: 'E', what: 'shell inside (bash, else sh; --shell picks); exit comes back here', section: 'Containers' },
  { keys: 'a', what: 'attach to the main process (Ctrl-P Ctrl-Q detaches; Ctrl-C goes to it)', section: 'Containers' },
  { keys: 'Enter', what: 'keys go to the log panel (Esc or q comes back)', section: 'Containers' },
  { keys: 'm, +', what: 'log panel full screen and back', section: 'Containers' },
  { keys: '[, ]', what: 'panel tab: Logs, Inspect, Env, Stats, Top', section: 'Containers' },
  { keys: 'v', what: 'Env tab (after Enter): show / mask values that look secret', section: 'Containers' },
  { keys: 'j, k, ↑, ↓, PgUp, PgDn', what: 'scroll (pauses following; a count of new lines shows)', section: 'Logs (after Enter)' },
  { keys: 'g, G', what: 'oldest line / newest line and follow', section: 'Logs (after Enter)' },
  { keys: 'f', what: 'follow again (stick to the newest line)', section: 'Logs (after Enter)' },
  { keys: '0 1 2 3 4 5 6', what: 'since: last lines, 1m, 5m, 15m, 1h, 24h, everything', section: 'Logs (after Enter)' },
  { keys: '/', what: 'search as you type (regex; capitals make it case-sensitive)', section: 'Logs (after Enter)' },
  { keys: 'n, N', what: 'next / previous match, with a counter', section: 'Logs (after Enter)' },
  { keys: '&, !', what: 'only matching lines / only lines not matching (again: all)', section: 'Logs (after Enter)' },
  { keys: 't, w, c', what: 'timestamps, wrap, the containers\' colours: on / off', section: 'Logs (after Enter)' },
  { keys: '←, →, h, l', what: 'scroll sideways (wrap off)', section: 'Logs (after Enter)' },
  { keys: 's, S', what: 'save the buffer / the whole log from the engine to a file', section: 'Logs (after Enter)' },
  { keys: 'd', what: 'remove (asks first; marked rows all at once)', section: 'Images, Volumes, Networks' },
  { keys: 'o', what: 'images: sort by size, age, name', section: 'Images, Volumes, Networks' },
  { keys: 'Enter', what: 'on a process: go to its container', section: 'GPUs' },
];

const PANE_KEYS: Record<string, PaneId> = {
  '1': 'containers',
  '2': 'images',
  '3': 'volumes',
  '4': 'networks',
  '5': 'gpus',
  '6': 'system',
};

const GLOBAL_KEYS: Record<string, Command> = {
  q: { kind: 'quit' },
  '?': { kind: 'help' },
  j: { kind: 'move', delta: 1 },
  k: { kind: 'move', delta: -1 },
  g: { kind: 'move-to', to: 'top' },
  G: { kind: 'move-to', to: 'bottom' },
  '/': { kind: 'filter' },
};

const CONTAINER_KEYS: Record<string, Command> = {
  s: { kind: 'container', action: 'stop' },
  S: { kind: 'container', action: 'start' },
  r: { kind: 'container', action: 'restart' },
  p: { kind: 'container', action: 'pause-toggle' },
  K: { kind: 'container', action: 'kill' },
  d: { kind: 'container', action: 'remove' },
  e: { kind: 'toggle-stopped' },
  E: { kind: 'exec' },
  b: { kind: 'bulk' },
  a: { kind: 'attach' },
};

const LOGS_KEYS: Record<string, Command> = {
  j: { kind: 'logs', op: 'scroll', n: 1 },
  k: { kind: 'logs', op: 'scroll', n: -1 },
  g: { kind: 'logs', op: 'top' },
  G: { kind: 'logs', op: 'bottom' },
  f: { kind: 'logs', op: 'follow' },
  t: { kind: 'logs', op: 'timestamps' },
  w: { kind: 'logs', op: 'wrap' },
  c: { kind: 'logs', op: 'color' },
  h: { kind: 'logs', op: 'sideways', n: -1 },
  l: { kind: 'logs', op: 'sideways', n: 1 },
  '/': { kind: 'logs', op: 'search' },
  n: { kind: 'logs', op: 'next' },
  N: { kind: 'logs', op: 'prev' },
  '&': { kind: 'logs', op: 'only' },
  '!': { kind: 'logs', op: 'except' },
  s: { kind: 'logs', op: 'save' },
  S: { kind: 'logs', op: 'save-whole' },
  m: { kind: 'logs', op: 'full' },
  '+': { kind: 'logs', op: 'full' },
  '[': { kind: 'logs', op: 'tab', n: -1 },
  ']': { kind: 'logs', op: 'tab', n: 1 },
  q: { kind: 'logs', op: 'leave' },
  '?': { kind: 'help' },
};

/** Keys while the log panel has them (after Enter). */
export function resolveLogsKey(input: string, key: KeyInfo): Command {
  if (key.ctrl && input === 'c') return { kind: 'quit' };
  if (key.ctrl && input === 'd') return { kind: 'logs', op: 'page', n: 1 };
  if (key.ctrl && input === 'u') return { kind: 'logs', op: 'page', n: -1 };
  if (key.escape) return { kind: 'logs', op: 'leave' };
  if (key.upArrow) return { kind: 'logs', op: 'scroll', n: -1 };
  if (key.downArrow) return { kind: 'logs', op: 'scroll', n: 1 };
  if (key.leftArrow) return { kind: 'logs', op: 'sideways', n: -1 };
  if (key.rightArrow) return { kind: 'logs', op: 'sideways', n: 1 };
  if (key.pageUp) return { kind: 'logs', op: 'page', n: -1 };
  if (key.pageDown) return { kind: 'logs', op: 'page', n: 1 };
  if (key.home) return { kind: 'logs', op: 'top' };
  if (key.end) return { kind: 'logs', op: 'bottom' };
  if (key.ctrl || key.meta || key.return || key.tab) return { kind: 'none' };
  if (/^[0-6]$/.test(input)) return { kind: 'logs', op: 'since', n: Number(input) };
  if (Object.hasOwn(LOGS_KEYS, input)) return LOGS_KEYS[input]!;
  return { kind: 'none' };
}

const CONTAINER_PANEL_KEYS: Record<string, Command> = {
  m: { kind: 'logs', op: 'full' },
  '+': { kind: 'logs', op: 'full' },
  '[': { kind: 'logs', op: 'tab', n: -1 },
  ']': { kind: 'logs', op: 'tab', n: 1 },
};

export function resolveKey(input: string, key: KeyInfo, pane: PaneId, logsFocus = false): Command {
  if (logsFocus && pane === 'containers') return resolveLogsKey(input, key);
  if (pane === 'containers' && key.return) return { kind: 'logs', op: 'focus' };
  if (key.ctrl && input === 'c') return { kind: 'quit' };
  if (key.ctrl && input === 'd') return { kind: 'move-page', direction: 1 };
  if (key.ctrl && input === 'u') return { kind: 'move-page', direction: -1 };
  if (key.tab) return { kind: 'pane-next', delta: key.shift ? -1 : 1 };
  if (key.escape) return { kind: 'escape' };
  if (key.return) return { kind: 'enter' };
  if (key.upArrow) return { kind: 'move', delta: -1 };
  if (key.downArrow) return { kind: 'move', delta: 1 };
  if (key.pageUp) return { kind: 'move-page', direction: -1 };
  if (key.pageDown) return { kind: 'move-page', direction: 1 };
  if (key.home) return { kind: 'move-to', to: 'top' };
  if (key.end) return { kind: 'move-to', to: 'bottom' };
  if (key.ctrl || key.meta) return { kind: 'none' };
  if (Object.hasOwn(PANE_KEYS, input)) return { kind: 'pane', pane: PANE_KEYS[input]! };
  // Own keys only: a typed "constructor" must not find Object.prototype's.
  if (Object.hasOwn(GLOBAL_KEYS, input)) return GLOBAL_KEYS[input]!;
  if (pane === 'containers' && Object.hasOwn(CONTAINER_KEYS, input)) return CONTAINER_KEYS[input]!;
  if (pane === 'containers' && Object.hasOwn(CONTAINER_PANEL_KEYS, input)) return CONTAINER_PANEL_KEYS[input]!;
  if (input === 'D') return { kind: 'prune' };
  if (input === ':') return { kind: 'command' };
  if (input === ' ' && pane !== 'gpus' && pane !== 'system') return { kind: 'mark' };
  if (pane === 'images' || pane === 'volumes' || pane === 'networks') {
    if (input === 'd') return { kind: 'resource-remove' };
    if (input === 'o' && pane === 'images') return { kind: 'sort' };
  }
  return { kind: 'none' };
}
