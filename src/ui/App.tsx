// The screen. One useInput owns the keyboard and dispatches by mode (help, confirm, filter, list).
import React, { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { Box, Text, useInput, useStdout } from 'ink';
import { displayName, type Container, type EngineInfo } from '../engine/models.js';
import {
  containerCounts,
  PANES,
  selectedContainer,
  visibleContainers,
  type Action,
  type AppState,
  type ContainerCommand,
  type PaneId,
  PANEL_TABS,
  SINCE,
  type LogsUi,
  type ResourcePane,
  resourceRows,
} from '../store/state.js';
import { PruneDialog, pruneChoices, pruneLines, ResourceList, SystemPane } from './resources.js';
import type { PruneCategory } from '../engine/resources/prune.js';
import type { Store } from '../store/store.js';
import { portsText, shortDuration, stateText } from '../present/container.js';
import { cell, printable, truncate } from '../text/width.js';
import { KEY_HELP, resolveKey, type Command, type KeyInfo } from './keymap.js';
import { computeLayout, containerColumns, MIN_COLS, MIN_ROWS, panelLayout } from './layout.js';
import { LogPanel } from './logs.js';
import { StatsTab, tabLines, TextTab } from './panel.js';
import type { PanelData } from '../actions/panel.js';
import { centreOn, scrollAnchor, type LogSession } from '../store/logs.js';
import { compileQuery, step } from '../engine/logs/search.js';
import { makeTheme, type Theme } from './theme.js';
import type { Controller } from './controller.js';

export type { Controller };
import { GpuPane, GpuStrip, gib } from './gpu.js';
import { containerGpu, gpuRows } from '../store/gpu.js';

export interface AppProps {
  store: Store<AppState, Action>;
  controller: Controller;
  color?: boolean;
  /** Fixed size for tests; otherwise the terminal's, following resizes. */
  size?: { cols: number; rows: number };
}

const PANE_TITLES: Record<PaneId, string> = {
  containers: 'Containers',
  images: 'Images',
  volumes: 'Volumes',
  networks: 'Networks',
  gpus: 'GPUs',
  system: 'System',
};

function resPane(p: PaneId): p is ResourcePane {
  return p === 'images' || p === 'volumes' || p === 'networks';
}

function useTerminalSize(fixed?: { cols: number; rows: number }): { cols: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => ({ cols: stdout.columns || 100, rows: stdout.rows || 30 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (fixed) return;
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, fixed]);
  return fixed ?? size;
}

function useNow(periodMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), periodMs);
    t.unref?.();
    return () => clearInterval(t);
  }, [periodMs]);
  return now;
}

function Header({ engines, width, theme }: { engines: EngineInfo[]; width: number; theme: Theme }) {
  const right = '? help ';
  const parts: React.ReactNode[] = [];
  let used = ' gantry '.length + right.length;
  const perEngine = Math.max(12, Math.floor((width - used) / Math.max(1, engines.length)) - 2);
  for (const e of engines) {
    const dot = e.status === 'up' ? '●' : e.status === 'down' ? '○' : '◌';
    const color = e.status === 'up' ? theme.up : e.status === 'down' ? theme.down : theme.connecting;
    const label = truncate(`${e.kind === e.id ? '' : ''}${e.label}`, perEngine - e.id.length - 3);
    const text = `${e.id} `;
    used += text.length + 2 + label.length + 2;
    parts.push(
      <Text key={e.id}>
        {'  '}
        <Text bold>{text}</Text>
        <Text color={color}>{dot}</Text> {label}
      </Text>,
    );
  }
  const pad = Math.max(1, width - used);
  return (
    <Box height={1} width={width} overflow="hidden">
      <Text wrap="truncate">
        <Text bold color={theme.accent}>
          {' gantry'}
        </Text>
        {parts}
        {' '.repeat(pad)}
        <Text color={theme.dim}>{right}</Text>
      </Text>
    </Box>
  );
}

function Tabs({ state, width, theme }: { state: AppState; width: number; theme: Theme }) {
  const counts = containerCounts(state);
  return (
    <Box height={1} width={width} overflow="hidden">
      <Text wrap="truncate">
        {PANES.map((p, i) => {
          const active = state.ui.pane === p;
          const extra = p === 'containers' ? ` ${counts.shown}/${counts.total}` : '';
          const label = `[${i + 1}] ${PANE_TITLES[p]}${extra}`;
          return (
            <Text key={p}>
              {' '}
              <Text inverse={active} bold={active} color={active ? undefined : theme.dim}>
                {label}
              </Text>
            </Text>
          );
        })}
      </Text>
    </Box>
  );
}

function Banner({ engine, width, theme }: { engine: EngineInfo; width: number; theme: Theme }) {
  const text = ` ${engine.id}: connection lost, retrying — ${engine.error ?? ''}`;
  return (
    <Box height={1} width={width} overflow="hidden">
      <Text color={theme.color ? 'white' : undefined} backgroundColor={theme.color ? 'red' : undefined} inverse={!theme.color} wrap="truncate">
        {cell(printable(text), width)}
      </Text>
    </Box>
  );
}

function ContainerRow({
  c,
  selected,
  cols,
  now,
  pending,
  stale,
  gpu,
  marked,
  theme,
}: {
  gpu?: { text: string; vram: string; idle: boolean };
  marked?: boolean;
  c: Container;
  selected: boolean;
  /** Its engine is down: the row is the last thing known, drawn dim. */
  stale?: boolean;
  cols: ReturnType<typeof containerColumns>;
  now: number;
  pending?: string;
  theme: Theme;
}) {
  const state = pending ? `${pending}…` : stateText(c, now);
  const g = cols.gpu > 0 ? ` ${cell(gpu?.text ?? '-', cols.gpu)} ${cell(gpu?.vram ?? '-', cols.vram)}` : '';
  const left = `${marked ? '●' : ' '}${cell(c.engineId, cols.engine)} ${cell(printable(c.name), cols.name)} ${cell(printable(c.image), cols.image)}${g} `;
  const right = ` ${cell(portsText(c.ports), cols.ports)} ${cell(shortDuration(now - c.created * 1000) + ' ago', cols.created, 'right')}`;
  const stateColor = stale ? theme.dim : pending ? theme.warn : theme.stateColor(c.state, c.exitCode);
  return (
    <Text inverse={selected} dimColor={stale} wrap="truncate">
      {left}
      <Text color={selected ? undefined : stateColor}>{cell(state, cols.state)}</Text>
      {right}
    </Text>
  );
}

function gpuCell(state: AppState, c: Container, now: number): { text: string; vram: string; idle: boolean } | undefined {
  const g = containerGpu(state, c, now);
  if (!g) return undefined;
  const vram = g.memoryMiB === undefined ? '-' : gib(g.memoryMiB);
  return { text: g.indices.join(',') || '-', vram: g.idleMs !== undefined ? `${vram} idle` : vram, idle: g.idleMs !== undefined };
}

interface ListProps {
  state: AppState;
  rows: number;
  width: number;
  now: number;
  theme: Theme;
}

/** The list redraws only when what it shows changed, not on every log line or stats reading. */
function sameList(a: ListProps, b: ListProps): boolean {
  const x = a.state;
  const y = b.state;
  return (
    a.rows === b.rows &&
    a.width === b.width &&
    a.now === b.now &&
    a.theme === b.theme &&
    x.containers === y.containers &&
    x.engines === y.engines &&
    x.loaded === y.loaded &&
    x.grants === y.grants &&
    x.gpu === y.gpu &&
    x.ui.filter === y.ui.filter &&
    x.ui.showStopped === y.ui.showStopped &&
    x.ui.selectedKey === y.ui.selectedKey &&
    x.ui.cursor === y.ui.cursor &&
    x.ui.pending === y.ui.pending &&
    x.ui.marks === y.ui.marks
  );
}

const ContainerList = React.memo(ContainerListView, sameList);

function ContainerListView({ state, rows, width, now, theme }: ListProps) {
  const list = visibleContainers(state);
  // GPU columns only where there are GPUs: a machine without nvidia-smi gets the room back.
  const cols = containerColumns(width, state.gpu.enabled && state.gpu.gpus.length > 0);
  const downIds = new Set(state.engines.filter((e) => e.status === 'down').map((e) => e.id));
  const sel = selectedContainer(state);
  const selIdx = sel ? list.indexOf(sel) : -1;
  const top = useRef(0);
  // Keep the selection in view, moving the window only when the selection leaves it.
  if (selIdx >= 0) {
    if (selIdx < top.current) top.current = selIdx;
    if (selIdx >= top.current + rows) top.current = selIdx - rows + 1;
  }
  top.current = Math.max(0, Math.min(top.current, Math.max(0, list.length - rows)));
  const slice = list.slice(top.current, top.current + rows);
  const gh = cols.gpu > 0 ? ` ${cell('GPU', cols.gpu)} ${cell('VRAM', cols.vram)}` : '';
  const header = ` ${cell('ENGINE', cols.engine)} ${cell('NAME', cols.name)} ${cell('IMAGE', cols.image)}${gh} ${cell('STATE', cols.state)} ${cell('PORTS', cols.ports)} ${cell('CREATED', cols.created, 'right')}`;
  const loading = state.engines.length > 0 && state.engines.every((e) => !state.loaded[e.id]);
  let empty: string | undefined;
  if (list.length === 0) {
    if (loading) empty = 'loading containers…';
    else if (state.ui.filter) empty = `no container matches "${state.ui.filter}" (Esc clears the filter)`;
    else if (!state.ui.showStopped && containerCounts(state).total > 0) empty = 'no running containers (e shows stopped ones)';
    else empty = 'no containers on any engine';
  }
  return (
    <Box flexDirection="column" width={width} height={rows + 1} overflow="hidden">
      <Text bold color={theme.dim} wrap="truncate">
        {header}
      </Text>
      {empty ? (
        <Text color={theme.dim}> {empty}</Text>
      ) : (
        slice.map((c) => (
          <ContainerRow
            key={c.key}
            c={c}
            selected={c === sel}
            cols={cols}
            now={now}
            pending={state.ui.pending[c.key]}
            stale={downIds.has(c.engineId)}
            gpu={gpuCell(state, c, now)}
            marked={state.ui.marks[c.key] === true}
            theme={theme}
          />
        ))
      )}
    </Box>
  );
}

function MainPanel({
  state,
  session,
  panelData,
  width,
  rows,
  side,
  now,
  theme,
}: {
  state: AppState;
  session: LogSession | undefined;
  panelData: PanelData | undefined;
  width: number;
  rows: number;
  side: boolean;
  now: number;
  theme: Theme;
}) {
  const ui = state.ui.logs;
  const inner = side ? width - 1 : width;
  const c = selectedContainer(state);
  const title = c ? displayName(c) : undefined;
  void now;
  return (
    <Box
      flexDirection="column"
      width={width}
      height={rows}
      overflow="hidden"
      borderStyle="single"
      borderTop={false}
      borderBottom={false}
      borderRight={false}
      borderLeft={side}
      borderColor={theme.dim}
    >
      {ui.tab === 'logs' ? (
        <LogPanel session={session} ui={ui} rows={rows} width={inner} focused={ui.focus} theme={theme} />
      ) : ui.tab === 'stats' ? (
        <StatsTab data={panelData ?? { stats: [] }} ui={ui} rows={rows} width={inner} title={title} theme={theme} />
      ) : (
        <TextTab tab={ui.tab} data={panelData ?? { stats: [] }} ui={ui} rows={rows} width={inner} title={title} theme={theme} />
      )}
    </Box>
  );
}

function Placeholder({ pane, rows, width, theme }: { pane: PaneId; rows: number; width: number; theme: Theme }) {
  return (
    <Box flexDirection="column" width={width} height={rows + 1} paddingLeft={1}>
      <Text bold>{PANE_TITLES[pane]}</Text>
      <Text color={theme.dim}>
        {pane === 'gpus' ? 'GPU watching is off (started with --no-gpu, or gpu: false in the config). Press 1 for Containers.' : 'Press 1 for Containers.'}
      </Text>
    </Box>
  );
}

/** The help lines, from the same table the keys are dispatched from. */
function helpLines(): { text: string; head?: boolean }[] {
  const lines: { text: string; head?: boolean }[] = [];
  let section = '';
  for (const k of KEY_HELP) {
    if (k.section !== section) {
      section = k.section;
      lines.push({ text: section, head: true });
    }
    lines.push({ text: `  ${cell(k.keys, 26)} ${k.what}` });
  }
  return lines;
}

function Help({ rows, width, top, theme }: { rows: number; width: number; top: number; theme: Theme }) {
  const lines = helpLines();
  const room = rows;
  const start = Math.max(0, Math.min(top, lines.length - room));
  const more = start + room < lines.length;
  return (
    <Box flexDirection="column" width={width} height={rows + 1} overflow="hidden" paddingLeft={1}>
      <Text bold color={theme.accent} wrap="truncate">
        {`Keys — Esc or ? closes${start > 0 || more ? `   (j/k, PgUp/PgDn scroll: ${start + 1}-${Math.min(lines.length, start + room)} of ${lines.length})` : ''}`}
      </Text>
      {lines.slice(start, start + room).map((l, i) => (
        <Text key={i} bold={l.head} wrap="truncate">
          {l.text}
        </Text>
      ))}
    </Box>
  );
}

function ConfirmBox({ state, rows, width, theme }: { state: AppState; rows: number; width: number; theme: Theme }) {
  const c = state.ui.confirm!;
  const w = Math.min(width - 4, 76);
  const choices = c.choices.map((ch) => `[${ch.key}] ${ch.label}`).join('   ') + '   [Esc] cancel';
  return (
    <Box width={width} height={rows + 1} alignItems="center" justifyContent="center">
      <Box flexDirection="column" borderStyle="round" borderColor={theme.warn} width={w} paddingX={1}>
        <Text bold wrap="truncate">
          {printable(c.title)}
        </Text>
        {c.lines.map((l, i) => (
          <Text key={i} wrap="truncate">
            {printable(l)}
          </Text>
        ))}
        <Text> </Text>
        <Text bold color={theme.warn} wrap="truncate">
          {choices}
        </Text>
      </Box>
    </Box>
  );
}

function StatusLine({ state, width, theme }: { state: AppState; width: number; theme: Theme }) {
  const m = state.ui.message;
  const color = m?.level === 'error' ? theme.error : m?.level === 'ok' ? theme.ok : undefined;
  if (state.ui.command !== undefined) {
    return (
      <Text wrap="truncate">
        <Text color={theme.accent}>{' :'}</Text>
        {state.ui.command}█<Text color={theme.dim}>{'   exec CMD… · prune · quit   (Enter run · Esc cancel)'}</Text>
      </Text>
    );
  }
  if (state.ui.filterEditing || state.ui.filter) {
    // The filter on the left, the latest message (if any) after it: neither hides the other.
    const cursor = state.ui.filterEditing ? '█' : '';
    const hint = state.ui.filterEditing ? '  (Enter keep · Esc clear)' : '';
    const left = ` filter: ${state.ui.filter}${cursor}${hint}`;
    const room = width - left.length - 3;
    return (
      <Text wrap="truncate">
        <Text color={theme.accent}>{' filter: '}</Text>
        {state.ui.filter}
        {cursor}
        <Text color={theme.dim}>{hint}</Text>
        {m && room > 10 ? <Text color={color}>{'  │ ' + truncate(printable(m.text), room - 1)}</Text> : null}
      </Text>
    );
  }
  if (!m) return <Text> </Text>;
  return (
    <Text color={color} wrap="truncate">
      {truncate(' ' + printable(m.text), width)}
    </Text>
  );
}

function Hints({ state, width, theme }: { state: AppState; width: number; theme: Theme }) {
  let text: string;
  if (state.ui.help) text = 'Esc close help   j/k PgUp/PgDn G scroll';
  else if (state.ui.confirm) text = state.ui.confirm.choices.map((c) => `${c.key} ${c.label}`).join('  ') + '  Esc cancel';
  else if (state.ui.filterEditing) text = 'type to filter   Enter keep   Esc clear   Backspace delete';
  else if (state.ui.pane === 'containers' && state.ui.logs.searchEditing) text = 'type to search (regex)   Enter keep   Esc clear   Backspace delete';
  else if (state.ui.pane === 'containers' && state.ui.logs.focus && state.ui.logs.tab !== 'logs')
    text = `j/k PgUp/PgDn scroll  g/G top/end  [ ] tab${state.ui.logs.tab === 'env' ? `  v ${state.ui.logs.reveal ? 'mask' : 'show'} secrets` : ''}  m ${state.ui.logs.full ? 'split' : 'full'}  Esc back`;
  else if (state.ui.pane === 'containers' && state.ui.logs.focus)
    text = `j/k scroll  G follow  / search  n/N match  & ! filter  t time  w wrap  c colour  s save  0-6 since  m ${state.ui.logs.full ? 'split' : 'full'}  Esc back`;
  else if (state.ui.pane === 'containers')
    text = `Enter logs  E shell  a attach  s stop  S start  r restart  p pause  K kill  d remove  e ${state.ui.showStopped ? 'hide' : 'show'} stopped  / filter  ? help  q quit`;
  else if (state.ui.prune) text = 'the prune dialog: keys below it';
  else if (state.ui.pane === 'gpus') text = 'j/k move  Enter go to the container  1-6 panes  ? help  q quit';
  else if (state.ui.pane === 'images') text = `d remove  space mark  D prune  o sort (${state.ui.imageSort})  1-6 panes  ? help  q quit`;
  else if (state.ui.pane === 'volumes' || state.ui.pane === 'networks') text = 'd remove  space mark  D prune  1-6 panes  ? help  q quit';
  else if (state.ui.pane === 'system') text = 'D prune (preview first)  1-6 panes  ? help  q quit';
  else text = '1-6 panes  ? help  q quit';
  if (state.readOnly) text = `READ-ONLY  ${text}`;
  return (
    <Text color={theme.dim} wrap="truncate">
      {truncate(' ' + text, width)}
    </Text>
  );
}

export function App({ store, controller, color = true, size }: AppProps) {
  const state = useSyncExternalStore(store.subscribe, store.getState, store.getState);
  const { cols, rows } = useTerminalSize(size);
  const now = useNow(15_000);
  const theme = React.useMemo(() => makeTheme(color), [color]);
  const down = state.engines.filter((e) => e.status === 'down').slice(0, 3);
  const layout = computeLayout(cols, rows, down.length, state.gpu.enabled ? 1 : 0);
  const panel = panelLayout(cols, layout.listRows + 1, visibleContainers(state).length, state.ui.logs.full);
  const session = controller.logSession?.();
  const lastKey = useRef('');
  const [helpTop, setHelpTop] = useState(0);

  /** A `:` command. */
  const runCommand = (line: string) => {
    const d = store.dispatch;
    const [word, ...rest] = line.split(/\s+/);
    if (!word) return;
    if (word === 'exec') {
      if (store.getState().ui.pane !== 'containers') d({ type: 'pane', pane: 'containers' });
      if (rest.length === 0) return d({ type: 'message', level: 'info', text: ':exec needs a command, e.g. :exec nvidia-smi (E alone opens a shell)' });
      return controller.exec?.(rest);
    }
    if (word === 'prune') return controller.resources?.openPrune();
    if (word === 'q' || word === 'quit') return controller.quit();
    d({ type: 'message', level: 'error', text: `unknown command :${word} (commands: exec CMD…, prune, quit)` });
  };

  /** The log panel's keys. Pure state changes, except saving. */
  const logsCommand = (op: Extract<Command, { kind: 'logs' }>, s: AppState) => {
    const d = store.dispatch;
    const L: LogsUi = s.ui.logs;
    const set = (patch: Partial<LogsUi>) => d({ type: 'logs/set', patch });
    const say = (text: string, level: 'info' | 'error' = 'info') => d({ type: 'message', level, text });
    const re = L.query ? compileQuery(L.query).re : undefined;
    const mode = re ? L.filter : 'none';
    // Title and status rows are not log lines.
    const page = Math.max(1, panel.panelRows - 3);
    const from = L.follow ? undefined : L.anchor;
    switch (op.op) {
      case 'focus':
        return set({ focus: true });
      case 'leave':
        return set({ focus: false, full: false });
      case 'full':
        return L.full ? set({ full: false }) : set({ full: true, focus: true });
      case 'tab': {
        const i = PANEL_TABS.indexOf(L.tab);
        const tab = PANEL_TABS[(i + (op.n ?? 1) + PANEL_TABS.length) % PANEL_TABS.length]!;
        return set({ tab, scroll: 0 });
      }
      case 'scroll':
      case 'page': {
        if (!session) return;
        const delta = (op.n ?? 1) * (op.op === 'page' ? page : 1);
        if (L.follow && delta > 0) return;
        const anchor = scrollAnchor(session, mode, from, delta);
        if (anchor === undefined) return;
        return set({ follow: false, anchor });
      }
      case 'top': {
        const first = session?.visible(mode).seqAt(0);
        return first === undefined ? undefined : set({ follow: false, anchor: first });
      }
      case 'bottom':
      case 'follow':
        return set({ follow: true, anchor: undefined, hit: undefined });
      case 'timestamps':
        return set({ timestamps: !L.timestamps });
      case 'wrap':
        return set({ wrap: !L.wrap, hscroll: 0 });
      case 'color':
        set({ color: !L.color });
        return say(L.color ? "logs without the containers' colours (c brings them back)" : "logs in the containers' own colours");
      case 'sideways':
        if (L.wrap) return say('wrap is on: w turns it off to scroll sideways');
        return set({ hscroll: Math.max(0, L.hscroll + (op.n ?? 1) * 8) });
      case 'search':
        return set({ searchEditing: true, query: '', hit: undefined, filter: 'none' });
      case 'next':
      case 'prev': {
        if (!L.query) return say('no search yet: press / and type what to find');
        if (!re) return say(compileQuery(L.query).error ?? 'invalid search', 'error');
        if (L.filter === 'except') return say('!& hides the matches: press ! again to see them');
        if (!session) return;
        // From the bottom with no match chosen yet, both go to the newest match.
        const base = L.hit ?? from;
        const r = base === undefined ? step(session.hits.toArray(), session.buffer.lastSeq + 1, -1) : step(session.hits.toArray(), base, op.op === 'next' ? 1 : -1);
        if (!r) return say(`no line matches /${L.query}/`);
        return set({ hit: r.seq, follow: false, anchor: centreOn(session, mode, r.seq, page) });
      }
      case 'only':
      case 'except': {
        // "!&" (as in less) is ! followed by &: the & only completes it.
        if (op.op === 'only' && lastKey.current === '!') return;
        if (!L.query) return say(`search first (/), then ${op.op === 'only' ? '&' : '!'} keeps only the lines ${op.op === 'only' ? 'that match' : 'that do not match'}`);
        const want = op.op === 'only' ? 'only' : 'except';
        return set({ filter: L.filter === want ? 'none' : want, anchor: L.hit ?? L.anchor });
      }
      case 'save':
      case 'save-whole':
        return controller.saveLogs?.(op.op === 'save-whole');
      case 'since': {
        const n = op.n ?? 0;
        set({ since: n, follow: true, anchor: undefined, hit: undefined });
        const sv = SINCE[n]!;
        return say(n === 0 ? 'showing the last lines (0)' : sv.all ? 'showing the whole log (6)' : `showing the log since ${sv.label} ago`);
      }
    }
  };

  const handle = (input: string, key: KeyInfo) => {
    const s = store.getState();
    const d = store.dispatch;
    if (key.ctrl && input === 'c') return controller.quit();
    if (s.ui.help) {
      if (key.escape || input === '?' || input === 'q') {
        d({ type: 'help', open: false });
        setHelpTop(0);
        return;
      }
      const total = helpLines().length;
      const room = layout.listRows;
      const clamp = (n: number) => Math.max(0, Math.min(n, total - room));
      if (input === 'j' || key.downArrow) setHelpTop((t) => clamp(t + 1));
      else if (input === 'k' || key.upArrow) setHelpTop((t) => clamp(t - 1));
      else if (key.pageDown || input === ' ' || (key.ctrl && input === 'd')) setHelpTop((t) => clamp(t + room - 1));
      else if (key.pageUp || (key.ctrl && input === 'u')) setHelpTop((t) => clamp(t - room + 1));
      else if (input === 'g' || key.home) setHelpTop(0);
      else if (input === 'G' || key.end) setHelpTop(clamp(total));
      return;
    }
    if (s.ui.prune) {
      const p = s.ui.prune;
      const setP = (patch: Partial<typeof p>) => d({ type: 'prune', prune: { ...p, ...patch } });
      const close = (text?: string) => {
        d({ type: 'prune' });
        if (text) d({ type: 'message', level: 'info', text });
      };
      const total = pruneLines(s, p).length;
      const scroll = (n: number) => setP({ scroll: Math.max(0, Math.min(total - 1, p.scroll + n)) });
      if (p.stage === 'choose') {
        const choices = pruneChoices(s);
        if (key.escape || input === 'q') close('prune cancelled: nothing removed');
        else if (input === 'j' || key.downArrow) setP({ cursor: Math.min(choices.length - 1, p.cursor + 1) });
        else if (input === 'k' || key.upArrow) setP({ cursor: Math.max(0, p.cursor - 1) });
        else if (input === ' ') {
          const c = choices[p.cursor]!;
          if (c.kind === 'category') {
            const id = c.id as PruneCategory;
            setP({ choice: p.choice.includes(id) ? p.choice.filter((x) => x !== id) : [...p.choice, id], error: undefined });
          } else setP({ engines: p.engines.includes(c.id) ? p.engines.filter((x) => x !== c.id) : [...p.engines, c.id], error: undefined });
        } else if (key.return) controller.resources?.previewPrune();
      } else if (p.stage === 'preview') {
        if (key.escape || input === 'n' || input === 'q') close('prune cancelled: nothing removed');
        else if (input === 'y') controller.resources?.executePrune();
        else if (input === 'j' || key.downArrow) scroll(1);
        else if (input === 'k' || key.upArrow) scroll(-1);
        else if (key.pageDown || input === ' ') scroll(layout.listRows - 4);
        else if (key.pageUp) scroll(-(layout.listRows - 4));
      } else if (p.stage === 'result') {
        if (key.escape || key.return || input === 'q') close();
        else if (input === 'j' || key.downArrow) scroll(1);
        else if (input === 'k' || key.upArrow) scroll(-1);
      } else if (p.stage === 'loading' && key.escape) close('prune cancelled: nothing removed');
      return;
    }
    if (s.ui.confirm) {
      const conf = s.ui.confirm;
      if (key.escape || input === 'n' || input === 'q') {
        d({ type: 'confirm' });
        d({ type: 'message', level: 'info', text: 'cancelled' });
        return;
      }
      const choice = conf.choices.find((ch) => ch.key === input);
      if (choice) {
        d({ type: 'confirm' });
        controller.confirmed(conf.target, choice.command);
      }
      return;
    }
    if (s.ui.command !== undefined) {
      const t = s.ui.command;
      if (key.escape) d({ type: 'command' });
      else if (key.backspace || key.delete) d({ type: 'command', text: t.slice(0, -1) });
      else if (key.return) {
        d({ type: 'command' });
        runCommand(t.trim());
      } else if (input && !key.ctrl && !key.meta) d({ type: 'command', text: t + input.replace(/[\x00-\x1f\x7f]/g, '') });
      return;
    }
    if (s.ui.logs.searchEditing && s.ui.pane === 'containers') {
      const q = s.ui.logs.query;
      const set = (patch: Partial<LogsUi>) => d({ type: 'logs/set', patch });
      if (key.escape) set({ searchEditing: false, query: '', filter: 'none', hit: undefined });
      else if (key.return) set({ searchEditing: false });
      else if (key.backspace || key.delete) set({ query: q.slice(0, -1) });
      else if (input && !key.ctrl && !key.meta) set({ query: q + input.replace(/[\x00-\x1f\x7f]/g, '') });
      return;
    }
    if (s.ui.filterEditing) {
      if (key.escape) d({ type: 'filter/clear' });
      else if (key.return) d({ type: 'filter/end' });
      else if (key.backspace || key.delete) d({ type: 'filter/set', text: s.ui.filter.slice(0, -1) });
      else if (key.upArrow) d({ type: 'move', delta: -1 });
      else if (key.downArrow) d({ type: 'move', delta: 1 });
      else if (input && !key.ctrl && !key.meta) d({ type: 'filter/set', text: s.ui.filter + input.replace(/[\x00-\x1f\x7f]/g, '') });
      return;
    }
    if (s.ui.pane === 'containers' && s.ui.logs.focus && s.ui.logs.tab !== 'logs') {
      // Inspect, Env, Stats, Top: scroll, v, tabs, back.
      const L = s.ui.logs;
      const set = (patch: Partial<LogsUi>) => d({ type: 'logs/set', patch });
      const total = tabLines(L.tab, controller.panelData?.() ?? { stats: [] }, L, panel.panelWidth).length;
      const pageN = Math.max(1, panel.panelRows - 2);
      const to = (n: number) => set({ scroll: Math.max(0, Math.min(n, Math.max(0, total - pageN))) });
      if (key.escape || input === 'q') set({ focus: false, full: false });
      else if (input === 'j' || key.downArrow) to(L.scroll + 1);
      else if (input === 'k' || key.upArrow) to(L.scroll - 1);
      else if (key.pageDown || input === ' ' || (key.ctrl && input === 'd')) to(L.scroll + pageN);
      else if (key.pageUp || (key.ctrl && input === 'u')) to(L.scroll - pageN);
      else if (input === 'g' || key.home) to(0);
      else if (input === 'G' || key.end) to(total);
      else if (input === 'v') {
        set({ reveal: !L.reveal });
        d({ type: 'message', level: 'info', text: L.reveal ? 'secret values masked again' : 'secret values shown: v masks them again' });
      } else if (input === '[' || input === ']') logsCommand({ kind: 'logs', op: 'tab', n: input === ']' ? 1 : -1 }, s);
      else if (input === 'm' || input === '+') set({ full: !L.full });
      else if (key.ctrl && input === 'c') controller.quit();
      else if (input === '?') d({ type: 'help', open: true });
      return;
    }
    const cmd: Command = resolveKey(input, key, s.ui.pane, s.ui.logs.focus && s.ui.logs.tab === 'logs');
    if (cmd.kind === 'logs') {
      logsCommand(cmd, s);
      lastKey.current = input;
      return;
    }
    lastKey.current = input;
    const page = Math.max(1, layout.listRows - 1);
    switch (cmd.kind) {
      case 'quit':
        return controller.quit();
      case 'help':
        return d({ type: 'help', open: true });
      case 'pane':
        return d({ type: 'pane', pane: cmd.pane });
      case 'pane-next': {
        const i = PANES.indexOf(s.ui.pane);
        return d({ type: 'pane', pane: PANES[(i + cmd.delta + PANES.length) % PANES.length]! });
      }
      case 'move':
        if (s.ui.pane === 'gpus') return d({ type: 'gpu/move', delta: cmd.delta, rows: gpuRows(s).length });
        if (resPane(s.ui.pane)) return d({ type: 'res/move', pane: s.ui.pane, delta: cmd.delta });
        return d({ type: 'move', delta: cmd.delta });
      case 'move-page':
        if (s.ui.pane === 'gpus') return d({ type: 'gpu/move', delta: cmd.direction * page, rows: gpuRows(s).length });
        if (resPane(s.ui.pane)) return d({ type: 'res/move', pane: s.ui.pane, delta: cmd.direction * page });
        return d({ type: 'move', delta: cmd.direction * page });
      case 'move-to':
        if (s.ui.pane === 'gpus') return d({ type: 'gpu/move', to: cmd.to, rows: gpuRows(s).length });
        if (resPane(s.ui.pane)) return d({ type: 'res/move', pane: s.ui.pane, to: cmd.to });
        return d({ type: 'move', to: cmd.to });
      case 'exec':
        return controller.exec?.();
      case 'bulk':
        return controller.resources?.bulk();
      case 'attach':
        return controller.attach?.();
      case 'command':
        return d({ type: 'command', text: '' });
      case 'resource-remove':
        if (resPane(s.ui.pane)) controller.resources?.remove(s.ui.pane);
        return;
      case 'prune':
        return controller.resources?.openPrune();
      case 'sort':
        d({ type: 'image-sort' });
        return d({ type: 'message', level: 'info', text: `images sorted by ${store.getState().ui.imageSort}` });
      case 'mark': {
        const row = s.ui.pane === 'containers' ? selectedContainer(s) : resPane(s.ui.pane) ? resourceRows(s, s.ui.pane)[s.ui.resCursor[s.ui.pane]] : undefined;
        if (!row) return;
        d({ type: 'mark', key: row.key });
        const n = Object.keys(store.getState().ui.marks).length;
        d({ type: 'message', level: 'info', text: n ? `${n} marked: d removes them all (after one question); space again unmarks` : 'no rows marked' });
        if (s.ui.pane === 'containers') return d({ type: 'move', delta: 1 });
        if (resPane(s.ui.pane)) return d({ type: 'res/move', pane: s.ui.pane, delta: 1 });
        return;
      }
      case 'enter': {
        if (s.ui.pane !== 'gpus') return;
        const row = gpuRows(s)[s.ui.gpuCursor];
        if (row?.kind === 'proc' && row.container) {
          d({ type: 'jump', key: row.container.key });
          d({ type: 'message', level: 'info', text: `GPU ${row.proc.gpuIndex ?? '?'} pid ${row.proc.pid}: ${displayName(row.container)}` });
        } else if (row?.kind === 'proc') d({ type: 'message', level: 'info', text: `pid ${row.proc.pid} is not in a container of a connected engine` });
        else if (row) d({ type: 'message', level: 'info', text: 'Enter on a process row (under a GPU) goes to its container' });
        return;
      }
      case 'filter':
        return d({ type: 'filter/start' });
      case 'escape':
        if (s.ui.filter) d({ type: 'filter/clear' });
        else d({ type: 'message/clear' });
        return;
      case 'toggle-stopped':
        d({ type: 'toggle-stopped' });
        d({ type: 'message', level: 'info', text: s.ui.showStopped ? 'stopped containers hidden (e shows them)' : 'showing stopped containers' });
        return;
      case 'container':
        if (cmd.action === 'remove' && controller.resources?.removeMarkedContainers()) return;
        return controller.containerKey(selectedContainer(s), cmd.action);
      case 'none':
        return;
    }
  };

  useInput((input, key) => {
    // Keys typed faster than a frame (or pasted) arrive as one string: take them one by one.
    const plain = !key.ctrl && !key.meta && !key.escape && !key.return && !key.tab && !key.backspace && !key.delete;
    const chars = plain && input.length > 1 && !/[\x00-\x1f]/.test(input) ? [...input] : [input];
    for (const ch of chars) handle(ch, key);
  });

  if (layout.tooSmall) {
    return (
      <Box flexDirection="column" height={layout.height} width={cols}>
        <Text wrap="wrap">
          Terminal too small: {cols}×{rows}. gantry needs at least {MIN_COLS}×{MIN_ROWS}. Enlarge the window, or press q to quit.
        </Text>
      </Box>
    );
  }

  let body: React.ReactNode;
  if (state.ui.help) body = <Help rows={layout.listRows} width={cols} top={helpTop} theme={theme} />;
  else if (state.ui.confirm) body = <ConfirmBox state={state} rows={layout.listRows} width={cols} theme={theme} />;
  else if (state.ui.prune) body = <PruneDialog state={state} rows={layout.listRows} width={cols} theme={theme} />;
  else if (resPane(state.ui.pane)) body = <ResourceList state={state} pane={state.ui.pane} rows={layout.listRows} width={cols} now={now} theme={theme} />;
  else if (state.ui.pane === 'system') body = <SystemPane state={state} rows={layout.listRows} width={cols} theme={theme} />;
  else if (state.ui.pane === 'containers') {
    const main = <MainPanel state={state} session={session} panelData={controller.panelData?.()} width={panel.panelWidth} rows={panel.panelRows} side={panel.mode === 'side'} now={now} theme={theme} />;
    const list = <ContainerList state={state} rows={panel.listRows} width={panel.listWidth} now={now} theme={theme} />;
    body =
      panel.mode === 'full' ? (
        main
      ) : panel.mode === 'side' ? (
        <Box flexDirection="row" height={layout.listRows + 1}>
          {list}
          {main}
        </Box>
      ) : (
        <Box flexDirection="column" height={layout.listRows + 1}>
          {list}
          {main}
        </Box>
      );
  }
  else if (state.ui.pane === 'gpus' && state.gpu.enabled) body = <GpuPane state={state} rows={layout.listRows} width={cols} now={now} theme={theme} />;
  else body = <Placeholder pane={state.ui.pane} rows={layout.listRows} width={cols} theme={theme} />;

  return (
    <Box flexDirection="column" height={layout.height} width={cols} overflow="hidden">
      <Header engines={state.engines} width={cols} theme={theme} />
      <Tabs state={state} width={cols} theme={theme} />
      {down.map((e) => (
        <Banner key={e.id} engine={e} width={cols} theme={theme} />
      ))}
      {body}
      {state.gpu.enabled ? <GpuStrip state={state} width={cols} theme={theme} /> : null}
      <StatusLine state={state} width={cols} theme={theme} />
      <Hints state={state} width={cols} theme={theme} />
    </Box>
  );
}
