// Every key gantry knows, as data: which keys, the command, what it does (help), where it works,
// whether it changes something (read-only refuses those), and its label in the hints row. The key
// resolver, `?` help, the hints row and the read-only refusal are all made from this one table,
// which is also what a user's key remapping will read.
import { PANES } from '../../store/state.js';
import { PANE_DEFS } from '../panes/registry.js';

/** Where a binding works. A mode looks its keys up in a chain of scopes (see modes/top.ts). */
export type Scope =
  | 'always'
  | 'global'
  | 'list'
  | 'marks'
  | 'containers'
  | 'resources'
  | 'images'
  | 'gpus'
  | 'servers'
  | 'panel'
  | 'logs'
  | 'tab'
  | 'help'
  | 'confirm'
  | 'menu'
  | 'prune-choose'
  | 'prune-preview'
  | 'prune-result'
  | 'prune-loading'
  | 'filter'
  | 'prompt'
  | 'complete'
  | 'pull-engine'
  | 'pull-progress'
  | 'run-form'
  | 'run-gpus'
  | 'run-ask'
  | 'run-starting';

export interface Binding {
  keys: readonly string[];
  command: string;
  arg?: number | string;
  /** What it does, for `?` help. */
  help: string;
  where: Scope;
  /** Changes something on an engine: refused in read-only mode, and left out of its hints. */
  changes?: boolean;
  /** Its label in the hints row (absent: not hinted). */
  hint?: string;
  /** Hint priority: the lowest fit first when the row is narrow (default 50). */
  rank?: number;
  /** Consecutive bindings with one group are one help line (1-6, the since keys). */
  group?: string;
}

const paneKeys: Binding[] = PANES.map((p, i) => ({
  keys: [String(i + 1)],
  command: 'pane',
  arg: p,
  help: `switch pane: ${PANES.map((x) => PANE_DEFS[x].title).join(', ')}`,
  where: 'global' as const,
  group: 'pane',
  // Ranked after x: the tabs row already shows the pane numbers.
  ...(i === 0 ? { hint: 'panes', rank: 12 } : {}),
}));

const sinceKeys: Binding[] = ['tail', '1m', '5m', '15m', '1h', '24h', 'all'].map((_, n) => ({
  keys: [String(n)],
  command: 'logs.since',
  arg: n,
  help: 'since: last lines, 1m, 5m, 15m, 1h, 24h, everything',
  where: 'logs' as const,
  group: 'since',
  ...(n === 0 ? { hint: 'since', rank: 9 } : {}),
}));

/** Scrolling a text view (help, a panel tab, the prune preview). */
function scrollKeys(where: Scope, page: string[] = ['pagedown', 'space', 'ctrl+d']): Binding[] {
  return [
    { keys: ['j', 'down'], command: 'scroll', arg: 1, help: 'scroll down / up', where, group: `${where}-scroll`, hint: 'scroll', rank: 20 },
    { keys: ['k', 'up'], command: 'scroll', arg: -1, help: 'scroll down / up', where, group: `${where}-scroll` },
    { keys: page, command: 'scroll-page', arg: 1, help: 'a page down / up', where, group: `${where}-page` },
    { keys: ['pageup', 'ctrl+u'], command: 'scroll-page', arg: -1, help: 'a page down / up', where, group: `${where}-page` },
    { keys: ['g', 'home'], command: 'scroll-to', arg: 'top', help: 'the top / the end', where, group: `${where}-ends` },
    { keys: ['G', 'end'], command: 'scroll-to', arg: 'bottom', help: 'the top / the end', where, group: `${where}-ends` },
  ];
}

export const BINDINGS: readonly Binding[] = [
  { keys: ['ctrl+c'], command: 'quit', help: 'quit, from anywhere', where: 'always' },

  ...paneKeys,
  { keys: ['tab'], command: 'pane-next', arg: 1, help: 'next / previous pane', where: 'global', group: 'pane-next' },
  { keys: ['shift+tab'], command: 'pane-next', arg: -1, help: 'next / previous pane', where: 'global', group: 'pane-next' },
  { keys: ['?'], command: 'help', help: 'this help (Esc or ? closes it)', where: 'global', hint: 'help', rank: 5 },
  { keys: ['D'], command: 'prune', help: 'prune: choose what, see every item and its bytes, then confirm', where: 'global', changes: true, hint: 'prune', rank: 60 },
  { keys: [':'], command: 'command-line', help: 'a command: exec CMD… (in the selected container, its output in the Exec tab; exec -it CMD… with the terminal), pull IMAGE, run TEMPLATE, prune, quit', where: 'global' },
  { keys: ['q'], command: 'quit', help: 'quit', where: 'global', hint: 'quit', rank: 6 },
  { keys: ['*'], command: 'servers.all', help: 'every server again, after Enter on the Servers pane showed one', where: 'global', hint: 'all servers', rank: 8 },

  { keys: ['j', 'down'], command: 'move', arg: 1, help: 'move the selection down / up', where: 'list', group: 'move' },
  { keys: ['k', 'up'], command: 'move', arg: -1, help: 'move the selection down / up', where: 'list', group: 'move' },
  { keys: ['g', 'home'], command: 'move-to', arg: 'top', help: 'first / last row', where: 'list', group: 'move-to' },
  { keys: ['G', 'end'], command: 'move-to', arg: 'bottom', help: 'first / last row', where: 'list', group: 'move-to' },
  { keys: ['pagedown', 'ctrl+d'], command: 'move-page', arg: 1, help: 'a page down / up', where: 'list', group: 'move-page' },
  { keys: ['pageup', 'ctrl+u'], command: 'move-page', arg: -1, help: 'a page down / up', where: 'list', group: 'move-page' },
  { keys: ['/'], command: 'filter', help: "filter this pane's list as you type; Enter keeps it, Esc clears it", where: 'list', hint: 'filter', rank: 4 },
  { keys: ['esc'], command: 'escape', help: 'clear the filter (the selection stays), or the message', where: 'list' },
  { keys: ['x'], command: 'menu.open', help: 'the actions for the selected row, with their keys: Enter or the key runs one', where: 'list', hint: 'actions', rank: 8 },
  { keys: ['space'], command: 'mark', help: 'mark / unmark the row; d then acts on every marked row (one question)', where: 'marks', hint: 'mark', rank: 40 },

  { keys: ['enter'], command: 'panel.focus', help: 'keys go to the panel beside the list (Esc or q comes back)', where: 'containers', hint: 'logs', rank: 1 },
  { keys: ['E'], command: 'exec', help: 'a shell inside (bash, else sh; --shell picks); exit comes back here', where: 'containers', changes: true, hint: 'shell', rank: 10 },
  { keys: ['a'], command: 'attach', help: 'attach to the main process (Ctrl-P Ctrl-Q detaches; Ctrl-C goes to it)', where: 'containers', changes: true, hint: 'attach', rank: 30 },
  { keys: ['s'], command: 'container', arg: 'stop', help: 'stop (asks first, naming its GPU memory; config confirmStop: false skips that)', where: 'containers', changes: true, hint: 'stop', rank: 2 },
  { keys: ['S'], command: 'container', arg: 'start', help: 'start', where: 'containers', changes: true, hint: 'start', rank: 11 },
  { keys: ['r'], command: 'container', arg: 'restart', help: 'restart (asks first, like stop)', where: 'containers', changes: true, hint: 'restart', rank: 12 },
  { keys: ['p'], command: 'container', arg: 'pause-toggle', help: 'pause / unpause', where: 'containers', changes: true, hint: 'pause', rank: 31 },
  { keys: ['K'], command: 'container', arg: 'kill', help: 'kill (asks first)', where: 'containers', changes: true, hint: 'kill', rank: 32 },
  { keys: ['d'], command: 'container', arg: 'remove', help: 'remove (asks first; a running one offers force; marked rows all at once)', where: 'containers', changes: true, hint: 'remove', rank: 3 },
  { keys: ['n'], command: 'run.open', help: 'run a new container from a template: a form, the GPU picker, then start', where: 'containers', changes: true, hint: 'run', rank: 13 },
  { keys: ['b'], command: 'bulk', help: 'bulk actions on the marked containers (or all listed): stop, restart, start, remove', where: 'containers', changes: true },
  { keys: ['w'], command: 'open-port', help: "open the published port in a browser (none reachable, as over SSH: its URL and the ssh -L line that forwards it)", where: 'containers', hint: 'web', rank: 36 },
  { keys: ['o'], command: 'list.sort', help: 'sort by the next column: state, name, VRAM, CPU %, memory, created (the header marks it, ▲ ▼ the direction)', where: 'containers', hint: 'sort', rank: 45 },
  { keys: ['O'], command: 'list.sort-flip', help: 'the same column, the other way round', where: 'containers' },
  { keys: ['e'], command: 'toggle-stopped', help: 'show / hide stopped containers', where: 'containers', hint: 'stopped', rank: 35 },
  { keys: ['m'], command: 'panel.full', help: 'the panel full screen and back', where: 'containers' },
  { keys: ['+'], command: 'list.only', help: 'the list alone, full width (the panel hidden), and back', where: 'containers', hint: 'list only', rank: 33 },
  { keys: ['['], command: 'panel.tab', arg: -1, help: 'panel tab: Logs, Inspect, Env, Stats, Top, Exec', where: 'containers', group: 'tab' },
  { keys: [']'], command: 'panel.tab', arg: 1, help: 'panel tab: Logs, Inspect, Env, Stats, Top, Exec', where: 'containers', group: 'tab' },

  { keys: ['d'], command: 'resource.remove', help: 'remove (asks first; marked rows all at once)', where: 'resources', changes: true, hint: 'remove', rank: 2 },
  { keys: ['o'], command: 'sort', help: 'sort images by size, age, name', where: 'images', hint: 'sort', rank: 45 },
  { keys: ['P'], command: 'pull.open', help: 'pull an image: the engine, the reference (Tab completes), every layer as it comes in', where: 'images', changes: true, hint: 'pull', rank: 3 },
  { keys: ['n'], command: 'run.open', help: 'run a container of the selected image, from a template (a form, then the GPU)', where: 'images', changes: true, hint: 'run', rank: 4 },
  { keys: ['enter'], command: 'gpu.go', help: 'on a process: go to its container', where: 'gpus', hint: 'go to the container', rank: 1 },
  { keys: ['enter'], command: 'servers.narrow', help: 'show this server only: every pane narrows to its engines and GPUs (* shows all again)', where: 'servers', hint: 'show only this', rank: 1 },
  { keys: ['K'], command: 'gpu.kill', help: 'on a process: kill it (asks first, naming its container or host user and its memory)', where: 'gpus', changes: true, hint: 'kill', rank: 3 },

  { keys: ['esc', 'q'], command: 'panel.leave', help: 'keys back to the list', where: 'panel', hint: 'back', rank: 8 },
  { keys: ['['], command: 'panel.tab', arg: -1, help: 'panel tab: Logs, Inspect, Env, Stats, Top, Exec', where: 'panel', group: 'panel-tab' },
  { keys: [']'], command: 'panel.tab', arg: 1, help: 'panel tab: Logs, Inspect, Env, Stats, Top, Exec', where: 'panel', group: 'panel-tab', hint: 'tab', rank: 20 },
  { keys: ['m'], command: 'panel.full', help: 'the panel full screen and back', where: 'panel', hint: 'full', rank: 60 },
  { keys: ['?'], command: 'help', help: 'this help', where: 'panel' },
  { keys: [':'], command: 'command-line', help: 'a command, as from the list (:exec CMD… again shows its output here)', where: 'panel' },

  { keys: ['j', 'down'], command: 'logs.scroll', arg: 1, help: 'scroll (pauses following; a count of new lines shows)', where: 'logs', group: 'logs-scroll', hint: 'scroll', rank: 2 },
  { keys: ['k', 'up'], command: 'logs.scroll', arg: -1, help: 'scroll (pauses following; a count of new lines shows)', where: 'logs', group: 'logs-scroll' },
  { keys: ['pagedown', 'ctrl+d'], command: 'logs.page', arg: 1, help: 'a page down / up', where: 'logs', group: 'logs-page' },
  { keys: ['pageup', 'ctrl+u'], command: 'logs.page', arg: -1, help: 'a page down / up', where: 'logs', group: 'logs-page' },
  { keys: ['g', 'home'], command: 'logs.top', help: 'oldest line', where: 'logs' },
  { keys: ['G', 'end'], command: 'logs.follow', help: 'newest line, following', where: 'logs', hint: 'follow', rank: 3 },
  { keys: ['f'], command: 'logs.follow', help: 'follow again (stick to the newest line)', where: 'logs' },
  { keys: ['/'], command: 'logs.search', help: 'search as you type (regex; capitals make it case-sensitive)', where: 'logs', hint: 'search', rank: 4 },
  { keys: ['n'], command: 'logs.next', help: 'next / previous match, with a counter', where: 'logs', group: 'logs-next', hint: 'match', rank: 21 },
  { keys: ['N'], command: 'logs.prev', help: 'next / previous match, with a counter', where: 'logs', group: 'logs-next' },
  { keys: ['&'], command: 'logs.only', help: 'only matching lines / only lines not matching (again: all)', where: 'logs', group: 'logs-only', hint: 'filter', rank: 22 },
  { keys: ['!'], command: 'logs.except', help: 'only matching lines / only lines not matching (again: all)', where: 'logs', group: 'logs-only' },
  { keys: ['t'], command: 'logs.timestamps', help: 'timestamps on / off', where: 'logs', hint: 'time', rank: 30 },
  { keys: ['w'], command: 'logs.wrap', help: 'wrap on / off', where: 'logs', hint: 'wrap', rank: 31 },
  { keys: ['c'], command: 'logs.color', help: "the containers' colours on / off", where: 'logs', hint: 'colour', rank: 50 },
  { keys: ['h', 'left'], command: 'logs.sideways', arg: -1, help: 'scroll sideways (wrap off)', where: 'logs', group: 'logs-side' },
  { keys: ['l', 'right'], command: 'logs.sideways', arg: 1, help: 'scroll sideways (wrap off)', where: 'logs', group: 'logs-side' },
  { keys: ['s'], command: 'logs.save', help: 'save the buffer / the whole log from the engine to a file', where: 'logs', group: 'logs-save', hint: 'save', rank: 10 },
  { keys: ['S'], command: 'logs.save-whole', help: 'save the buffer / the whole log from the engine to a file', where: 'logs', group: 'logs-save' },
  ...sinceKeys,

  ...scrollKeys('tab'),
  { keys: ['v'], command: 'tab.reveal', help: 'Env tab: show / mask values that look secret', where: 'tab', hint: 'secrets', rank: 15 },

  { keys: ['esc', '?', 'q'], command: 'help.close', help: 'close help', where: 'help', hint: 'close help', rank: 1 },
  ...scrollKeys('help'),

  { keys: ['j', 'down'], command: 'menu.move', arg: 1, help: 'move down / up', where: 'menu', group: 'menu-move', hint: 'move', rank: 2 },
  { keys: ['k', 'up'], command: 'menu.move', arg: -1, help: 'move down / up', where: 'menu', group: 'menu-move' },
  { keys: ['enter'], command: 'menu.run', help: 'run the action under the cursor (its own key runs it too)', where: 'menu', hint: 'run', rank: 1 },
  { keys: ['esc', 'q', 'x'], command: 'menu.close', help: 'close the menu', where: 'menu', hint: 'close', rank: 3 },

  { keys: ['esc', 'n', 'q'], command: 'confirm.cancel', help: 'cancel (the choices are on the question)', where: 'confirm', hint: 'cancel', rank: 90 },

  { keys: ['esc', 'q'], command: 'prune.cancel', help: 'cancel: nothing is removed', where: 'prune-choose', hint: 'cancel', rank: 9 },
  { keys: ['j', 'down'], command: 'prune.move', arg: 1, help: 'move down / up', where: 'prune-choose', group: 'prune-move', hint: 'move', rank: 2 },
  { keys: ['k', 'up'], command: 'prune.move', arg: -1, help: 'move down / up', where: 'prune-choose', group: 'prune-move' },
  { keys: ['space'], command: 'prune.toggle', help: 'choose / leave out', where: 'prune-choose', hint: 'toggle', rank: 1 },
  { keys: ['enter'], command: 'prune.preview', help: 'preview: every item and its bytes (nothing is removed yet)', where: 'prune-choose', hint: 'preview', rank: 0 },
  { keys: ['y'], command: 'prune.execute', help: 'remove exactly the ticked items of the preview', where: 'prune-preview', changes: true, hint: 'remove ticked', rank: 0 },
  { keys: ['esc', 'n', 'q'], command: 'prune.cancel', help: 'cancel: nothing is removed', where: 'prune-preview', hint: 'cancel', rank: 9 },
  { keys: ['space'], command: 'prune.tick', help: 'tick / untick the item (the totals follow; what uses an item keeps it)', where: 'prune-preview', hint: 'tick', rank: 1 },
  { keys: ['a'], command: 'prune.tick-all', help: 'tick every item / none', where: 'prune-preview', hint: 'all', rank: 5 },
  { keys: ['j', 'down'], command: 'prune.item', arg: 1, help: 'move down / up', where: 'prune-preview', group: 'prune-item', hint: 'move', rank: 2 },
  { keys: ['k', 'up'], command: 'prune.item', arg: -1, help: 'move down / up', where: 'prune-preview', group: 'prune-item' },
  { keys: ['pagedown', 'ctrl+d'], command: 'prune.item-page', arg: 1, help: 'a page down / up', where: 'prune-preview', group: 'prune-item-page' },
  { keys: ['pageup', 'ctrl+u'], command: 'prune.item-page', arg: -1, help: 'a page down / up', where: 'prune-preview', group: 'prune-item-page' },
  { keys: ['g', 'home'], command: 'prune.item-to', arg: 'top', help: 'first / last item', where: 'prune-preview', group: 'prune-item-to' },
  { keys: ['G', 'end'], command: 'prune.item-to', arg: 'bottom', help: 'first / last item', where: 'prune-preview', group: 'prune-item-to' },
  { keys: ['esc', 'enter', 'q'], command: 'prune.close', help: 'close', where: 'prune-result', hint: 'close', rank: 0 },
  ...scrollKeys('prune-result', ['pagedown', 'ctrl+d']),
  { keys: ['esc'], command: 'prune.cancel', help: 'cancel: nothing is removed', where: 'prune-loading', hint: 'cancel', rank: 0 },

  { keys: ['j', 'down'], command: 'pull.move', arg: 1, help: 'move down / up', where: 'pull-engine', group: 'pull-move', hint: 'move', rank: 2 },
  { keys: ['k', 'up'], command: 'pull.move', arg: -1, help: 'move down / up', where: 'pull-engine', group: 'pull-move' },
  { keys: ['enter'], command: 'pull.choose', help: 'pull with this engine', where: 'pull-engine', hint: 'choose', rank: 1 },
  { keys: ['esc', 'q'], command: 'pull.cancel', help: 'close: nothing is pulled', where: 'pull-engine', hint: 'cancel', rank: 9 },
  { keys: ['esc'], command: 'pull.cancel', help: "cancel the pull (what was half-pulled is the engine's to clean up)", where: 'pull-progress', hint: 'cancel', rank: 1 },

  { keys: ['j', 'down'], command: 'run.move', arg: 1, help: 'move between the fields', where: 'run-form', group: 'run-move', hint: 'move', rank: 3 },
  { keys: ['k', 'up'], command: 'run.move', arg: -1, help: 'move between the fields', where: 'run-form', group: 'run-move' },
  { keys: ['pagedown', 'ctrl+d'], command: 'run.move', arg: 10, help: 'ten fields down / up', where: 'run-form', group: 'run-page' },
  { keys: ['pageup', 'ctrl+u'], command: 'run.move', arg: -10, help: 'ten fields down / up', where: 'run-form', group: 'run-page' },
  { keys: ['enter', 'space'], command: 'run.enter', help: 'edit the field (a toggle flips, a choice moves on, GPUs opens the picker, a list adds an item)', where: 'run-form', hint: 'edit', rank: 2 },
  { keys: ['a'], command: 'run.add', help: 'add an item to the list (env, mounts, ports, ulimits, labels)', where: 'run-form', hint: 'add', rank: 5 },
  { keys: ['d', 'delete'], command: 'run.remove', help: 'remove the list item', where: 'run-form', hint: 'remove', rank: 6 },
  { keys: ['s'], command: 'run.start', help: 'start the container as the form shows it', where: 'run-form', changes: true, hint: 'start', rank: 1 },
  { keys: ['c'], command: 'run.command', help: 'the whole docker/podman run command line, to read or copy (again: the form)', where: 'run-form', hint: 'command', rank: 7 },
  { keys: ['esc', 'q'], command: 'run.close', help: 'close the form: nothing is started', where: 'run-form', hint: 'cancel', rank: 8 },
  { keys: ['?'], command: 'help', help: 'this help', where: 'run-form' },
  { keys: ['j', 'down'], command: 'run.gpu-move', arg: 1, help: 'move between the GPUs', where: 'run-gpus', group: 'gpu-move', hint: 'move', rank: 4 },
  { keys: ['k', 'up'], command: 'run.gpu-move', arg: -1, help: 'move between the GPUs', where: 'run-gpus', group: 'gpu-move' },
  { keys: ['space'], command: 'run.gpu-toggle', help: 'choose / leave out the GPU (a busy one asks first, naming who is on it)', where: 'run-gpus', hint: 'choose', rank: 1 },
  { keys: ['a'], command: 'run.gpu-auto', help: 'auto: the idle GPUs with the most free memory', where: 'run-gpus', hint: 'auto', rank: 3 },
  { keys: ['n'], command: 'run.gpu-none', help: 'no GPU', where: 'run-gpus', hint: 'none', rank: 5 },
  { keys: ['enter'], command: 'run.gpu-accept', help: 'take these GPUs into the form', where: 'run-gpus', hint: 'done', rank: 2 },
  { keys: ['esc', 'q'], command: 'run.gpu-back', help: 'back to the form, the GPUs as they were', where: 'run-gpus', hint: 'back', rank: 6 },
  { keys: ['y'], command: 'run.answer', arg: 'yes', help: 'yes (the question says to what)', where: 'run-ask', hint: 'yes', rank: 1 },
  { keys: ['n', 'esc'], command: 'run.answer', arg: 'no', help: 'no (the question says what then)', where: 'run-ask', hint: 'no', rank: 2 },

  { keys: ['tab'], command: 'prompt.complete', help: 'complete the image from those already here', where: 'complete', hint: 'complete', rank: 2 },
  { keys: ['up'], command: 'move', arg: -1, help: 'move the selection while filtering', where: 'filter', group: 'filter-move' },
  { keys: ['down'], command: 'move', arg: 1, help: 'move the selection while filtering', where: 'filter', group: 'filter-move' },
  { keys: ['enter'], command: 'prompt.accept', help: 'keep what was typed (the filter stays; the command runs)', where: 'prompt', hint: 'keep', rank: 1 },
  { keys: ['esc'], command: 'prompt.cancel', help: 'cancel (a filter or search is cleared)', where: 'prompt', hint: 'clear', rank: 2 },
  { keys: ['backspace'], command: 'prompt.edit', arg: 'backspace', help: 'delete the character before / under the cursor', where: 'prompt', group: 'prompt-del', hint: 'delete', rank: 3 },
  { keys: ['delete', 'ctrl+d'], command: 'prompt.edit', arg: 'delete', help: 'delete the character before / under the cursor', where: 'prompt', group: 'prompt-del' },
  { keys: ['left', 'ctrl+b'], command: 'prompt.edit', arg: 'left', help: 'cursor left / right', where: 'prompt', group: 'prompt-lr' },
  { keys: ['right', 'ctrl+f'], command: 'prompt.edit', arg: 'right', help: 'cursor left / right', where: 'prompt', group: 'prompt-lr' },
  { keys: ['home', 'ctrl+a'], command: 'prompt.edit', arg: 'home', help: 'start / end of the line', where: 'prompt', group: 'prompt-ends' },
  { keys: ['end', 'ctrl+e'], command: 'prompt.edit', arg: 'end', help: 'start / end of the line', where: 'prompt', group: 'prompt-ends' },
  { keys: ['ctrl+u'], command: 'prompt.edit', arg: 'kill-start', help: 'delete to the start of the line', where: 'prompt' },
  { keys: ['ctrl+k'], command: 'prompt.edit', arg: 'kill-end', help: 'delete to the end of the line', where: 'prompt' },
  { keys: ['ctrl+w', 'alt+backspace'], command: 'prompt.edit', arg: 'kill-word', help: 'delete the word before the cursor', where: 'prompt' },
];

/** What each scope is called in `?` help, in the order help shows them. */
export const SCOPE_TITLES: readonly [Scope, string][] = [
  ['global', 'Everywhere'],
  ['always', 'Everywhere'],
  ['list', 'Lists'],
  ['marks', 'Lists'],
  ['containers', 'Containers'],
  ['resources', 'Images, Volumes, Networks'],
  ['images', 'Images, Volumes, Networks'],
  ['gpus', 'GPUs'],
  ['servers', 'Servers (with servers: configured)'],
  ['panel', 'The panel (after Enter)'],
  ['logs', 'Logs (after Enter)'],
  ['tab', 'Inspect, Env, Stats, Top, Exec (after Enter)'],
  ['filter', 'Typing a filter, a search or a : command'],
  ['prompt', 'Typing a filter, a search or a : command'],
  ['complete', 'Typing a filter, a search or a : command'],
  ['pull-engine', 'Pull'],
  ['pull-progress', 'Pull'],
  ['run-form', 'Run: the form'],
  ['run-gpus', 'Run: the GPU picker'],
  ['run-ask', 'Run: a question'],
  ['prune-choose', 'Prune'],
  ['prune-preview', 'Prune'],
  ['prune-result', 'Prune'],
  ['prune-loading', 'Prune'],
  ['menu', 'The action menu (x)'],
  ['confirm', 'Questions'],
  ['help', 'This help'],
];
