// The Containers pane: the list (one generic list pane, the columns below) and the main panel
// beside or under it (logs, inspect, env, stats, top).
import React from 'react';
import { Box } from 'ink';
import type { Container } from '../../engine/models.js';
import type { AppState } from '../../store/state.js';
import { containerCounts, dimEngines, engineLabel, selectedContainer, visibleContainers } from '../../store/select.js';
import { anyGpus, containerGpu, sharedGpus } from '../../store/gpu.js';
import type { LogSession } from '../../store/logs.js';
import type { PanelData } from '../../actions/panel.js';
import { portsText, shortDuration, stateText } from '../../present/container.js';
import type { Theme } from '../theme.js';
import { gib } from '../gpu.js';
import { panelLayout } from '../layout.js';
import { ListPane } from '../list/ListPane.js';
import { ENGINE_MAX, type Column } from '../list/columns.js';
import { MainPanel } from '../mainPanel.js';
import { compactBytes } from '../../present/bytes.js';
import { SORT_TITLES } from '../../store/sort.js';
import { agePeriod, QUARTER_MINUTE, useNow } from '../clock.js';

function gpuCell(state: AppState, c: Container, now: number): { text: string; vram: string; shared: boolean } | undefined {
  const g = containerGpu(state, c, now);
  if (!g) return undefined;
  const vram = g.memoryMiB === undefined ? '-' : gib(g.memoryMiB);
  // A GPU another live container uses or was given too is marked on both rows.
  const shared = sharedGpus(state);
  const mine = g.indices.filter((i) => shared.get(i)?.some((o) => o.key === c.key));
  const text = (g.indices.join(',') || '-') + (mine.length ? ' shared' : '');
  return { text, vram: g.idleMs !== undefined ? `${vram} idle` : vram, shared: mine.length > 0 };
}

const readings = new WeakMap<object, number>();
let readCount = 0;
/** A name for one reading of every container's usage (each is a new object): its columns are measured again when it changes. */
function readingKey(usage: AppState['usage']): string {
  let n = readings.get(usage);
  if (n === undefined) readings.set(usage, (n = ++readCount));
  return `u${n}`;
}

/** CPU % and MEM, once any container's usage has been read. */
function usageColumns(state: AppState): Column<Container>[] {
  if (Object.keys(state.usage).length === 0) return [];
  const u = (c: Container) => (c.state === 'running' ? state.usage[c.key] : undefined);
  const measure = readingKey(state.usage);
  return [
    { title: 'CPU%', text: (c) => (u(c)?.cpuPct === undefined ? '-' : u(c)!.cpuPct!.toFixed(1)), align: 'right', min: 5, max: 8, drop: 3, measure },
    { title: 'MEM', text: (c) => (u(c) ? compactBytes(u(c)!.memBytes) : '-'), align: 'right', min: 5, max: 7, drop: 4, measure },
  ];
}

/**
 * The container table's columns; GPU ones only where there are GPUs. Too narrow: PORTS, IMAGE and
 * STATE shrink, then CREATED, MEM, CPU% and PORTS are left out, and only then is ENGINE cut (a server's
 * engine, node-a/docker, says where the container runs).
 */
export function containerColumns(state: AppState, now: number, theme: Theme): Column<Container>[] {
  const pending = state.ui.pending;
  const down = dimEngines(state);
  // A row's GPU cell is read for the GPU and VRAM columns and the GPU column's colour: worked out once per row.
  const gpuCells = new Map<string, ReturnType<typeof gpuCell>>();
  const gpuOf = (c: Container) => {
    if (!gpuCells.has(c.key)) gpuCells.set(c.key, gpuCell(state, c, now));
    return gpuCells.get(c.key);
  };
  // Ages change with the clock (each second while one is under a minute): only their columns are
  // measured again then; the others when the rows, the GPU sample or a pending action change.
  const ages = String(now);
  const cols: Column<Container>[] = [
    { title: 'ENGINE', text: (c) => engineLabel(state, c.engineId), min: 6, max: ENGINE_MAX, shrink: 1 },
    { title: 'NAME', text: (c) => c.name, min: 8, max: 48, grow: 3 },
    { title: 'IMAGE', text: (c) => c.image, min: 6, max: 40, grow: 2, shrink: 7 },
  ];
  if (anyGpus(state)) {
    cols.push(
      { title: 'GPU', text: (c) => gpuOf(c)?.text ?? '-', min: 3, max: 14, color: (c) => (gpuOf(c)?.shared ? theme.warn : undefined) },
      // `idle 2m` moves with the clock.
      { title: 'VRAM', text: (c) => gpuOf(c)?.vram ?? '-', min: 5, max: 10, measure: `${state.gpu.at}|${ages}` },
    );
  }
  cols.push(
    {
      title: 'STATE',
      text: (c) => (pending[c.key] ? `${pending[c.key]}…` : stateText(c, now)),
      min: 10,
      max: 22,
      shrink: 6,
      measure: `${ages}|${pending === undefined ? '' : Object.keys(pending).length}`,
      color: (c) => (down.has(c.engineId) ? theme.dim : pending[c.key] ? theme.warn : theme.stateColor(c.state, c.exitCode)),
    },
    ...usageColumns(state),
    { title: 'PORTS', text: (c) => portsText(c.ports), min: 5, max: 30, grow: 1, shrink: 8, drop: 2 },
    { title: 'CREATED', text: (c) => `${shortDuration(now - c.created * 1000)} ago`, align: 'right', min: 7, max: 11, drop: 5, measure: ages },
  );
  // The sorted column says so, and which way (o was pressed: the default order is not marked).
  const sort = state.ui.sorts.containers;
  const sorted = sort && cols.find((c) => c.title === SORT_TITLES[sort.by]);
  if (sorted) sorted.title += sort.desc ? ' ▼' : ' ▲';
  return cols;
}

interface ListProps {
  state: AppState;
  rows: number;
  width: number;
  theme: Theme;
}

/** The list redraws only when what it shows changed, not on every log line or stats reading. */
function sameList(a: ListProps, b: ListProps): boolean {
  const x = a.state;
  const y = b.state;
  return (
    a.rows === b.rows &&
    a.width === b.width &&
    a.theme === b.theme &&
    x.containers === y.containers &&
    x.engines === y.engines &&
    x.connecting === y.connecting &&
    x.servers === y.servers &&
    x.ui.server === y.ui.server &&
    x.loaded === y.loaded &&
    x.grants === y.grants &&
    x.gpu === y.gpu &&
    x.ui.filters.containers === y.ui.filters.containers &&
    x.ui.sorts === y.ui.sorts &&
    x.usage === y.usage &&
    x.ui.showStopped === y.ui.showStopped &&
    x.ui.cursors.containers === y.ui.cursors.containers &&
    x.ui.pending === y.ui.pending &&
    x.ui.marks === y.ui.marks
  );
}

function emptyText(state: AppState): string | undefined {
  if (visibleContainers(state).length > 0) return undefined;
  if (state.engines.every((e) => !state.loaded[e.id])) {
    if (state.connecting?.length) return `connecting to ${state.connecting.join(', ')}…`;
    if (state.engines.length > 0) return 'loading containers…';
  }
  const filter = state.ui.filters.containers;
  if (filter) return `no container matches "${filter}" (Esc clears the filter)`;
  if (!state.ui.showStopped && containerCounts(state).total > 0) return 'no running containers (e shows stopped ones)';
  return state.connecting?.length ? `no containers yet (connecting to ${state.connecting.join(', ')}…)` : 'no containers on any engine';
}

/** When each visible container's shown ages began: its state's and its creation's. */
function* ageStarts(list: readonly Container[]): Iterable<number | undefined> {
  for (const c of list) {
    yield c.since;
    yield c.created * 1000;
  }
}

const ContainerList = React.memo(function ContainerList({ state, rows, width, theme }: ListProps) {
  const list = visibleContainers(state);
  // A container started or created under a minute ago shows its age in seconds: count them.
  const now = useNow(agePeriod(ageStarts(list), Date.now()));
  const sel = selectedContainer(state);
  const down = dimEngines(state);
  return (
    <ListPane
      rows={list}
      columns={containerColumns(state, now, theme)}
      cursor={sel ? list.indexOf(sel) : -1}
      width={width}
      height={rows + 1}
      theme={theme}
      rowKey={(c) => c.key}
      marked={(c) => state.ui.marks[c.key] === true}
      style={(c) => (down.has(c.engineId) ? { dim: true } : undefined)}
      measureKey={`${Math.floor(now / QUARTER_MINUTE)}|${state.gpu.at}`}
      empty={emptyText(state)}
    />
  );
}, sameList);

export interface ContainersPaneProps {
  state: AppState;
  session: LogSession | undefined;
  panelData: PanelData | undefined;
  width: number;
  /** Rows of the body (the list's header included). */
  rows: number;
  theme: Theme;
}

export function ContainersPane({ state, session, panelData, width, rows, theme }: ContainersPaneProps) {
  const panel = panelLayout(width, rows, visibleContainers(state).length, state.ui.logs.full, state.ui.logs.listOnly);
  if (panel.mode === 'list') return <ContainerList state={state} rows={panel.listRows} width={panel.listWidth} theme={theme} />;
  const main = <MainPanel state={state} session={session} panelData={panelData} width={panel.panelWidth} rows={panel.panelRows} side={panel.mode === 'side'} theme={theme} />;
  if (panel.mode === 'full') return main;
  const list = <ContainerList state={state} rows={panel.listRows} width={panel.listWidth} theme={theme} />;
  return (
    <Box flexDirection={panel.mode === 'side' ? 'row' : 'column'} height={rows}>
      {list}
      {main}
    </Box>
  );
}
