// The main panel beside (or under) the container list: the tab row and the shown tab — the log,
// or Inspect, Env, Stats, Top of the selected container.
import React from 'react';
import { Box } from 'ink';
import type { AppState } from '../store/state.js';
import { selectedContainer } from '../store/select.js';
import type { LogSession } from '../store/logs.js';
import type { PanelData } from '../actions/panel.js';
import { displayName } from '../engine/models.js';
import type { Theme } from './theme.js';
import { LogPanel } from './logs.js';
import { StatsTab, TextTab } from './panel.js';
import { agePeriod, QUARTER_MINUTE, useNow } from './clock.js';

export interface MainPanelProps {
  state: AppState;
  session: LogSession | undefined;
  panelData: PanelData | undefined;
  width: number;
  rows: number;
  /** Beside the list (a border on its left) rather than under it. */
  side: boolean;
  theme: Theme;
}

export function MainPanel({ state, session, panelData, width, rows, side, theme }: MainPanelProps) {
  const ui = state.ui.logs;
  const inner = side ? width - 1 : width;
  const c = selectedContainer(state);
  const title = c ? displayName(c) : undefined;
  const data = panelData ?? { stats: [] };
  // The inspect summary's ages and a running command's time count seconds for their first minute,
  // on the list's clock.
  const running = data.exec?.state === 'running' ? data.exec.startedAt : undefined;
  const now = useNow(ui.tab === 'logs' || ui.tab === 'stats' ? QUARTER_MINUTE : agePeriod([c?.since, c ? c.created * 1000 : undefined, running], Date.now()));
  const searching = state.ui.prompt?.kind === 'search' ? state.ui.prompt : undefined;
  // Keyed by the layout: Ink 6.8 never takes a border off a box (borderLeft={false} leaves the one
  // it had), so the panel moving from beside the list to under it would stay a column to the right.
  return (
    <Box key={side ? 'side' : 'under'} flexDirection="column" width={width} height={rows} overflow="hidden" borderStyle="single" borderTop={false} borderBottom={false} borderRight={false} borderLeft={side} borderColor={theme.dim}>
      {ui.tab === 'logs' ? (
        <LogPanel session={session} {...(c && title ? { selected: { key: c.key, title } } : {})} ui={ui} search={searching} rows={rows} width={inner} theme={theme} />
      ) : ui.tab === 'stats' ? (
        <StatsTab data={data} ui={ui} rows={rows} width={inner} title={title} theme={theme} />
      ) : (
        <TextTab tab={ui.tab} data={data} ui={ui} rows={rows} width={inner} now={now} title={title} theme={theme} />
      )}
    </Box>
  );
}
