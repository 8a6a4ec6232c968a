// The frame around the panes: the header (engines and their state), the pane tabs, a banner per
// engine that went away, the status line (a message, a filter, a line being typed) and the hints
// row made from the binding table.
import React from 'react';
import { Box, Text } from 'ink';
import type { EngineInfo } from '../engine/models.js';
import { PANES, SINCE, type AppState, type PaneId } from '../store/state.js';
import { PANE_DEFS } from './panes/registry.js';
import { containerCounts, shownPanes } from '../store/select.js';
import { cell, printable, textWidth, truncate } from '../text/width.js';
import { wordWrap, wrapWithin } from '../text/words.js';
import type { Theme } from './theme.js';
import type { Binding } from './keys/bindings.js';
import { hintsFor, keyLabel } from './keys/resolve.js';
import { scopesFor, topMode } from './modes/top.js';
import { currentList } from './modes/list.js';
import { PromptText } from './prompt.js';

/** The header: each engine and its state, then each place still being tried, "connecting…". */
export function Header({ engines, connecting = [], width, theme }: { engines: EngineInfo[]; connecting?: string[] | undefined; width: number; theme: Theme }) {
  const right = '? help ';
  let used = ' gantry '.length + right.length;
  const perEngine = Math.max(12, Math.floor((width - used) / Math.max(1, engines.length + connecting.length)) - 2);
  const parts = engines.map((e) => {
    const dot = e.status === 'up' ? '●' : e.status === 'down' ? '○' : '◌';
    const color = e.status === 'up' ? theme.up : e.status === 'down' ? theme.down : theme.connecting;
    const label = truncate(printable(e.label), perEngine - e.id.length - 3);
    used += e.id.length + 1 + 2 + label.length + 2;
    return (
      <Text key={e.id}>
        {'  '}
        <Text bold>{`${e.id} `}</Text>
        <Text color={color}>{dot}</Text> {label}
      </Text>
    );
  });
  return (
    <Box height={1} width={width} overflow="hidden">
      <Text wrap="truncate">
        <Text bold color={theme.accent}>
          {' gantry'}
        </Text>
        {parts}
        {connecting.map((place) => {
          const label = truncate(printable(place), perEngine - 16);
          used += 2 + 2 + label.length + ' connecting…'.length;
          return (
            <Text key={`?${place}`}>
              {'  '}
              <Text color={theme.connecting}>◌</Text> {label}
              <Text color={theme.dim}> connecting…</Text>
            </Text>
          );
        })}
        {' '.repeat(Math.max(1, width - used))}
        <Text color={theme.dim}>{right}</Text>
      </Text>
    </Box>
  );
}

/** A tab's text in each form, from the fullest to the most compact. */
const TAB_FORMS: ((n: number, p: PaneId, extra: string) => string)[] = [
  (n, p, extra) => `[${n}] ${PANE_DEFS[p].title}${extra}`,
  (n, p, extra) => `${n} ${PANE_DEFS[p].title}${extra}`,
  (n, p, extra) => `${n} ${PANE_DEFS[p].short}${extra}`,
];

/**
 * The pane tabs, in the fullest form that fits; when Enter on the Servers pane narrowed every
 * pane to one server, its name comes first (cut last), so no pane hides that it shows one server.
 */
export function Tabs({ state, width, theme }: { state: AppState; width: number; theme: Theme }) {
  const counts = containerCounts(state);
  const panes = shownPanes(state);
  const servers = state.servers.list;
  const extra = (p: PaneId) =>
    p === 'containers' ? ` ${counts.shown}/${counts.total}` : p === 'servers' ? ` ${servers.filter((e) => e.state === 'connected').length}/${servers.length}` : '';
  const lead = state.ui.server === undefined ? '' : ` ${state.ui.server} only (* all)`;
  const room = width - textWidth(printable(lead));
  let form = TAB_FORMS[0]!;
  for (const f of TAB_FORMS) {
    form = f;
    if (panes.reduce((n, p) => n + 1 + f(PANES.indexOf(p) + 1, p, extra(p)).length, 0) <= room) break;
  }
  return (
    <Box height={1} width={width} overflow="hidden">
      <Text wrap="truncate">
        {lead ? (
          <Text bold color={theme.color ? 'black' : undefined} backgroundColor={theme.color ? 'cyan' : undefined} inverse={!theme.color}>
            {printable(lead) + ' '}
          </Text>
        ) : null}
        {panes.map((p) => {
          const active = state.ui.pane === p;
          return (
            <Text key={p}>
              {' '}
              <Text inverse={active} bold={active} color={active ? undefined : theme.dim}>
                {form(PANES.indexOf(p) + 1, p, extra(p))}
              </Text>
            </Text>
          );
        })}
      </Text>
    </Box>
  );
}

export function Banner({ engine, width, theme }: { engine: EngineInfo; width: number; theme: Theme }) {
  // Down: the connection is lost. Up with a list error: the engine answers, a call failed.
  const lost = engine.status === 'down' || !engine.listError;
  const text = lost ? ` ${engine.id}: connection lost, retrying — ${engine.error ?? ''}` : ` ${engine.id}: ${engine.listError}`;
  return (
    <Box height={1} width={width} overflow="hidden">
      <Text color={theme.color ? (lost ? 'white' : 'black') : undefined} backgroundColor={theme.color ? (lost ? 'red' : 'yellow') : undefined} inverse={!theme.color} wrap="truncate">
        {cell(printable(text), width)}
      </Text>
    </Box>
  );
}

export function StatusLine({ state, width, theme }: { state: AppState; width: number; theme: Theme }) {
  const m = state.ui.message;
  const color = m?.level === 'error' ? theme.error : m?.level === 'ok' ? theme.ok : undefined;
  const prompt = state.ui.prompt;
  if (prompt?.kind === 'command') {
    return (
      <Text wrap="truncate">
        <Text color={theme.accent}>{' :'}</Text>
        <PromptText prompt={prompt} />
        <Text color={theme.dim}>{'   exec CMD… · pull IMAGE · run TEMPLATE · prune · quit   (Enter run · Esc cancel)'}</Text>
      </Text>
    );
  }
  const list = currentList(state);
  const filter = list ? state.ui.filters[list] : '';
  const typing = prompt?.kind === 'filter';
  if (typing || filter) {
    // The filter on the left, the latest message (if any) after it: neither hides the other.
    const hint = typing ? '  (Enter keep · Esc clear)' : '';
    const room = width - ` filter: ${filter}█${hint}`.length - 3;
    return (
      <Text wrap="truncate">
        <Text color={theme.accent}>{' filter: '}</Text>
        {typing ? <PromptText prompt={prompt} /> : printable(filter)}
        <Text color={theme.dim}>{hint}</Text>
        {m && room > 10 ? <Text color={color}>{'  │ ' + truncate(printable(m.text), room - 1)}</Text> : null}
      </Text>
    );
  }
  if (!m) return <Text> </Text>;
  const lines = messageLines(state, width);
  return (
    <Box flexDirection="column">
      {lines.map((l, i) => (
        <Text key={i} color={color} wrap="truncate">
          {l}
        </Text>
      ))}
    </Box>
  );
}

/** A message's most rows on the status line: an error's fix, or a saved file's path, comes last. */
const MESSAGE_ROWS = 3;

/**
 * The status line's message as screen rows: one when it fits; a longer one is broken at spaces
 * into up to MESSAGE_ROWS rows (a permission error's fix is a command at its end; "saved … to
 * PATH" ends with the path). The layout gives the list one row fewer for each more.
 */
export function messageLines(state: AppState, width: number): string[] {
  const m = state.ui.message;
  const prompt = state.ui.prompt;
  const list = currentList(state);
  if (!m || prompt?.kind === 'command' || prompt?.kind === 'filter' || (list && state.ui.filters[list])) return [' '];
  return wrapWithin(printable(m.text), width - 1, MESSAGE_ROWS).map((r) => ' ' + r);
}

/** A hint whose words depend on the state (show/hide, the sort in force, split/full). */
function hintText(state: AppState, b: Binding): string | undefined {
  const L = state.ui.logs;
  switch (b.command) {
    case 'pane':
      return `1-${shownPanes(state).length} panes`;
    case 'servers.all':
      return state.ui.server === undefined ? '' : `* all servers`;
    case 'logs.since':
      return `0-${SINCE.length - 1} since`;
    case 'toggle-stopped':
      return `${keyLabel(b.keys[0]!)} ${state.ui.showStopped ? 'hide' : 'show'} stopped`;
    case 'sort':
      return `${keyLabel(b.keys[0]!)} sort (${state.ui.imageSort})`;
    case 'tab.reveal':
      return L.tab === 'env' ? `v ${L.reveal ? 'mask' : 'show'} secrets` : '';
    case 'panel.full':
      return `${keyLabel(b.keys[0]!)} ${L.full ? 'split' : 'full'}`;
    case 'list.only':
      return `${keyLabel(b.keys[0]!)} ${L.listOnly ? 'show panel' : 'list only'}`;
    case 'confirm.cancel':
      return state.ui.confirm?.note ? 'Esc close' : undefined;
    case 'prompt.accept':
      return state.ui.prompt?.kind === 'pull-ref' ? 'Enter pull' : undefined;
    case 'prompt.cancel':
      return state.ui.prompt?.kind === 'run-field' ? 'Esc leave as it was' : state.ui.prompt?.kind === 'pull-ref' ? 'Esc cancel' : undefined;
    default:
      return undefined;
  }
}

const PROMPT_LEAD = { filter: 'type to filter', search: 'type to search (regex)', command: 'type a command' } as const;

export function Hints({ state, width, theme }: { state: AppState; width: number; theme: Theme }) {
  const mode = topMode(state);
  let lead = state.readOnly ? 'READ-ONLY  ' : '';
  if (mode === 'confirm') lead += state.ui.confirm!.choices.map((c) => `${c.key} ${c.label}`).join('  ') + '  ';
  if (mode === 'filter' || mode === 'search' || mode === 'command') lead += `${PROMPT_LEAD[mode]}   `;
  const hints = hintsFor(scopesFor(state, mode), width - 1 - lead.length, { readOnly: state.readOnly, text: (b) => hintText(state, b) })
    .split('  ')
    .filter(Boolean)
    .join('  ');
  return (
    <Text color={theme.dim} wrap="truncate">
      {truncate(' ' + lead + hints, width)}
    </Text>
  );
}

export function TooSmall({ cols, rows, min }: { cols: number; rows: number; min: { cols: number; rows: number } }) {
  // Broken at spaces here: Ink's own wrapping can leave a line starting with the space it broke at.
  const text = `Terminal too small: ${cols}×${rows}. gantry needs at least ${min.cols}×${min.rows}. Enlarge the window, or press q to quit.`;
  return (
    <Box flexDirection="column">
      {wordWrap(text, Math.max(1, cols)).map((line, i) => (
        <Text key={i} wrap="truncate">
          {line}
        </Text>
      ))}
    </Box>
  );
}
