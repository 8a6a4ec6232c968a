// The screen's outline: header, pane tabs, banners, the body (the mode on top, else the pane),
// the GPU strip, the status line and the hints. Keys go through useKeys to the mode on top.
import React, { useContext, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { Box, Text, useStdout } from 'ink';
import type { Action, AppState } from '../store/state.js';
import type { Store } from '../store/store.js';
import { makeTheme, type Theme } from './theme.js';
import type { Controller } from './controller.js';
import { computeLayout, MIN_COLS, MIN_ROWS, panelLayout } from './layout.js';
import { shownEngines, visibleContainers } from '../store/select.js';
import { Banner, Header, Hints, messageLines, StatusLine, Tabs, TooSmall } from './chrome.js';
import { GpuStrip, stripOnly } from './gpu.js';
import { RegionHost } from './region.js';
import { useKeys } from './keys/useKeys.js';
import { Help } from './modes/help.js';
import { ConfirmBox } from './modes/confirm.js';
import { MenuBox } from './modes/menu.js';
import { PruneDialog } from './modes/prune.js';
import { PullDialog } from './modes/pull.js';
import { RunCommand, RunForm } from './modes/run.js';
import { PANE_DEFS, type PaneProps } from './panes/registry.js';
import { GPU_STRIP, RESIZED } from './screen.js';
import { Pacer } from './pace.js';
import { traceKey } from '../trace.js';

export type { Controller };

export interface AppProps {
  store: Store<AppState, Action>;
  controller: Controller;
  color?: boolean;
  /** Fixed size for tests; otherwise the terminal's, following resizes. */
  size?: { cols: number; rows: number };
  /** Updates that are not a key's drawn at most once in this many ms (pace.ts); 0, the default: each at once. */
  paceMs?: number;
}

function useTerminalSize(fixed?: { cols: number; rows: number }): { cols: number; rows: number } {
  const { stdout } = useStdout();
  const [, redraw] = useState(0);
  useEffect(() => {
    if (fixed) return;
    const onResize = () => redraw((n) => n + 1);
    stdout.on(RESIZED, onResize);
    return () => {
      stdout.off(RESIZED, onResize);
    };
  }, [stdout, fixed]);
  // Read at each render, never kept: whatever is drawn after a resize is drawn for the new size.
  return fixed ?? { cols: stdout.columns || 100, rows: stdout.rows || 30 };
}

/** Whether an engine's containers were listed for the first time since `before` was drawn. */
function newlyLoaded(before: AppState, now: AppState): boolean {
  if (before.loaded === now.loaded) return false;
  for (const id of Object.keys(now.loaded)) if (now.loaded[id] && !before.loaded[id]) return true;
  return false;
}

/** What fills the middle: the mode on top (help, a question, the prune or pull dialog, the run form), else the pane. */
function Body({ state, controller, rows, width, theme }: PaneProps) {
  const ui = state.ui;
  if (ui.help) return <Help rows={rows} width={width} scroll={ui.helpScroll} theme={theme} />;
  if (ui.confirm) return <ConfirmBox confirm={ui.confirm} rows={rows} width={width} theme={theme} />;
  if (ui.menu) return <MenuBox state={state} rows={rows} width={width} theme={theme} />;
  if (ui.prune) return <PruneDialog state={state} rows={rows} width={width} theme={theme} />;
  if (ui.pull) return <PullDialog state={state} rows={rows} width={width} theme={theme} />;
  const run = ui.run && controller.run?.view();
  if (run) return run.showCommand ? <RunCommand view={run} rows={rows} width={width} theme={theme} /> : <RunForm state={state} view={run} rows={rows} width={width} theme={theme} />;
  const { View } = PANE_DEFS[ui.pane];
  return <View state={state} controller={controller} rows={rows} width={width} theme={theme} />;
}

export function App({ store, controller, color = true, size, paceMs = 0 }: AppProps) {
  const host = useContext(RegionHost);
  /** The state React last drew. */
  const shown = useRef<AppState | undefined>(undefined);
  const pacer = React.useMemo(() => {
    // An engine's first list is drawn at once, not at the end of the window an earlier update
    // (the engine joining) opened: it is what a start waits for.
    const firstList = () => shown.current !== undefined && newlyLoaded(shown.current, store.getState());
    if (!host) return new Pacer(store.subscribe, paceMs, undefined, firstList);
    // A GPU sample that changes only the strip's figures redraws the strip (a region), not the App.
    const source = (listener: () => void) =>
      store.subscribe(() => {
        if (shown.current && stripOnly(shown.current, store.getState())) host.redrawRegions([GPU_STRIP]);
        else listener();
      });
    return new Pacer(source, paceMs, undefined, firstList);
  }, [store, paceMs, host]);
  const state = useSyncExternalStore(pacer.subscribe, store.getState, store.getState);
  shown.current = state;
  traceKey('render');
  const { cols, rows } = useTerminalSize(size);
  const theme = React.useMemo(() => makeTheme(color), [color]);
  // Narrowed to one server, the other servers' engines raise no banner (the Servers pane says how they are).
  const down = shownEngines(state).filter((e) => e.status === 'down' || e.listError).slice(0, 3);
  const layout = computeLayout(cols, rows, down.length, state.gpu.enabled ? 1 : 0, messageLines(state, cols).length);
  const panel = panelLayout(cols, layout.listRows + 1, visibleContainers(state).length, state.ui.logs.full, state.ui.logs.listOnly);
  useKeys(store, pacer, controller, { cols, listRows: layout.listRows, panelRows: panel.panelRows, panelWidth: panel.panelWidth }, state);

  if (layout.tooSmall) {
    return (
      <Box flexDirection="column" height={layout.height} width={cols}>
        <TooSmall cols={cols} rows={rows} min={{ cols: MIN_COLS, rows: MIN_ROWS }} />
      </Box>
    );
  }
  return (
    <Box flexDirection="column" height={layout.height} width={cols} overflow="hidden">
      <Header engines={shownEngines(state)} connecting={state.connecting} width={cols} theme={theme} />
      <Tabs state={state} width={cols} theme={theme} />
      {down.map((e) => (
        <Banner key={e.id} engine={e} width={cols} theme={theme} />
      ))}
      <Body state={state} controller={controller} rows={layout.listRows} width={cols} theme={theme} />
      {state.gpu.enabled ? <GpuStrip getState={store.getState} width={cols} theme={theme} /> : null}
      <StatusLine state={state} width={cols} theme={theme} />
      <Hints state={state} width={cols} theme={theme} />
    </Box>
  );
}
