// x: the action menu — every action that applies to the selected row of the pane on screen, with
// its key, read from the binding table (so it can never disagree with help or the hints).
// Enter or the action's own key runs it, Esc closes; read-only leaves out what would change
// something, and a container's state leaves out what cannot apply (start on a running one).
import React from 'react';
import { Box, Text } from 'ink';
import type { AppState } from '../../store/state.js';
import { selectedRow, type ListRow } from '../../store/select.js';
import { displayName, type Container } from '../../engine/models.js';
import { BINDINGS, type Binding, type Scope } from '../keys/bindings.js';
import { keyLabel } from '../keys/resolve.js';
import { PANE_DEFS } from '../panes/registry.js';
import { cell, printable, textWidth, truncate } from '../../text/width.js';
import { wordWrap } from '../../text/words.js';
import type { Theme } from '../theme.js';
import { currentList } from './list.js';
import { say, type CommandHandler, type KeyContext } from './context.js';

export interface MenuItem {
  /** What runs: the first binding of its group. */
  binding: Binding;
  /** Every key that runs it, as help writes them. */
  keys: string[];
  help: string;
}

/** Scopes that are about moving or the whole program, not the selected row. */
const NOT_ACTIONS: ReadonlySet<Scope> = new Set(['always', 'list', 'global']);

/** Whether a container action can apply to a container in this state. */
function applies(b: Binding, c: Container | undefined): boolean {
  const verb = b.command === 'container' ? String(b.arg) : b.command;
  if (!['exec', 'attach', 'stop', 'restart', 'kill', 'pause-toggle', 'start', 'remove', 'open-port'].includes(verb)) return true;
  if (!c) return false;
  const up = c.state === 'running' || c.state === 'restarting';
  switch (verb) {
    case 'start':
      return !up && c.state !== 'paused';
    case 'pause-toggle':
      return c.state === 'running' || c.state === 'paused';
    case 'remove':
      return true;
    case 'open-port':
      return c.ports.some((p) => p.hostPort !== undefined);
    default:
      return up || (verb !== 'exec' && verb !== 'attach' && c.state === 'paused');
  }
}

/** The menu's items for the pane on screen and its selected row, in the binding table's order. */
export function menuItems(s: AppState): MenuItem[] {
  const list = currentList(s);
  const row = list ? selectedRow(s, list) : undefined;
  const container = list === 'containers' ? (row as Container | undefined) : undefined;
  const items: MenuItem[] = [];
  const taken = new Set<string>();
  for (const scope of PANE_DEFS[s.ui.pane].scopes) {
    if (NOT_ACTIONS.has(scope)) continue;
    let last: MenuItem | undefined;
    for (const b of BINDINGS) {
      if (b.where !== scope || b.command === 'menu.open') continue;
      // A key an earlier scope already answers is not this binding's (resolve.ts agrees).
      const keys = b.keys.filter((k) => !taken.has(k));
      if (keys.length === 0 || (s.readOnly && b.changes) || !applies(b, container)) continue;
      for (const k of keys) taken.add(k);
      if (b.group && last?.binding.group === b.group) {
        last.keys.push(...keys);
        continue;
      }
      last = { binding: b, keys: [...keys], help: b.help };
      items.push(last);
    }
  }
  return items;
}

/** What the selected row is called, for the menu's title. */
function rowTitle(row: ListRow | undefined): string {
  if (!row) return 'nothing selected';
  if ('kind' in row && (row.kind === 'gpu' || row.kind === 'proc')) return row.kind === 'proc' ? `GPU ${row.proc.gpuIndex ?? '?'} pid ${row.proc.pid}${row.container ? ` (${displayName(row.container)})` : ''}` : `GPU ${row.gpu.index}`;
  if ('repoTags' in row) return row.repoTags[0] ?? row.id.replace(/^sha256:/, '').slice(0, 12);
  if ('kind' in row && row.kind === 'server') return row.server;
  if ('engineId' in row && 'state' in row) return displayName(row);
  return row.name;
}

export function MenuBox({ state, rows, width, theme }: { state: AppState; rows: number; width: number; theme: Theme }) {
  const items = menuItems(state);
  const menu = state.ui.menu!;
  const list = currentList(state);
  const w = Math.min(width - 2, 90);
  const keyW = Math.min(14, Math.max(3, ...items.map((i) => i.keys.map(keyLabel).join(' ').length)));
  const helpW = w - keyW - 7;
  // A help cut short in its row is shown whole under the items for the selected one, in as many
  // rows as the longest needs (at most 3), so the box keeps its height as the cursor moves.
  const whole = (it: MenuItem) => wordWrap(printable(it.help), w - 4);
  const aboutRows = items.some((it) => textWidth(it.help) > helpW) ? Math.min(3, Math.max(...items.map((it) => whole(it).length))) : 0;
  const cur = items[menu.cursor];
  const about = aboutRows && cur ? [...whole(cur).slice(0, aboutRows), ...Array<string>(aboutRows).fill(' ')].slice(0, aboutRows) : [];
  const room = Math.max(1, rows - 4 - aboutRows);
  const start = Math.max(0, Math.min(menu.cursor - room + 1, items.length - room));
  return (
    <Box width={width} height={rows + 1} alignItems="center" justifyContent="center">
      <Box flexDirection="column" borderStyle="round" borderColor={theme.accent} width={w} paddingX={1}>
        <Text bold wrap="truncate">
          {`Actions: ${printable(list ? rowTitle(selectedRow(state, list)) : PANE_DEFS[state.ui.pane].title)}`}
        </Text>
        {items.length === 0 ? <Text color={theme.dim}>{state.readOnly ? 'none: read-only mode leaves out every action that changes something' : 'none here'}</Text> : null}
        {items.slice(start, start + room).map((it, i) => (
          <Text key={it.binding.command + String(it.binding.arg) + it.keys[0]} inverse={start + i === menu.cursor} wrap="truncate">
            {` ${cell(it.keys.map(keyLabel).join(' '), keyW)}  ${truncate(it.help, helpW)}`}
          </Text>
        ))}
        {about.map((l, i) => (
          <Text key={`about-${i}`} color={theme.dim} wrap="truncate">
            {l}
          </Text>
        ))}
        <Text color={theme.dim} wrap="truncate">
          {`Enter or the key runs it · j/k move · Esc closes${items.length > room ? ` · ${start + 1}-${Math.min(items.length, start + room)} of ${items.length}` : ''}`}
        </Text>
      </Box>
    </Box>
  );
}

/** Closes the menu and runs the item through `run` (the dispatcher's read-only check and handler). */
export function runItem(ctx: KeyContext, item: MenuItem | undefined, run: (ctx: KeyContext, b: Binding) => void): void {
  ctx.store.dispatch({ type: 'menu' });
  if (item) run(ctx, item.binding);
}

/** A key that is one of the items' own keys: runs that item. True when it was one. */
export function menuKey(ctx: KeyContext, run: (ctx: KeyContext, b: Binding) => void): boolean {
  const item = menuItems(ctx.store.getState()).find((i) => i.keys.includes(ctx.key.name));
  if (item) runItem(ctx, item, run);
  return item !== undefined;
}

export const MENU_COMMANDS: Record<string, CommandHandler> = {
  'menu.open': (ctx) => {
    const s = ctx.store.getState();
    if (menuItems(s).length === 0 && !s.readOnly) return say(ctx, 'no actions here');
    ctx.store.dispatch({ type: 'menu', menu: { cursor: 0 } });
  },
  'menu.move': (ctx, n) => {
    const s = ctx.store.getState();
    const count = menuItems(s).length;
    if (!s.ui.menu || count === 0) return;
    ctx.store.dispatch({ type: 'menu', menu: { cursor: (s.ui.menu.cursor + Number(n) + count) % count } });
  },
  'menu.close': (ctx) => ctx.store.dispatch({ type: 'menu' }),
};
