// The Servers pane: one row per server (this machine and the remote ones) — its state, its GPUs
// as a strip, its containers, what its disk could reclaim and why it is not (fully) there — the
// server with the most free GPU memory first. Enter narrows every pane to it; `*` shows all.
import React from 'react';
import type { AppState } from '../../store/state.js';
import { selectedRow, serverRows } from '../../store/select.js';
import type { ServerSummary } from '../../store/servers.js';
import { containersText, gpuStrip, reclaimText, serverNote, serverStateText } from '../../present/servers.js';
import { textWidth } from '../../text/width.js';
import type { Theme } from '../theme.js';
import { QUARTER_MINUTE, useNow } from '../clock.js';
import { ListPane } from '../list/ListPane.js';
import type { Column } from '../list/columns.js';

/** Room the other columns take at their natural width, so the GPU strip knows whether its long form fits. */
const OTHERS = 60;

export function serverColumns(rows: readonly ServerSummary[], width: number, now: number, theme: Theme): Column<ServerSummary>[] {
  const longest = Math.max(0, ...rows.map((r) => textWidth(gpuStrip(r.gpus, true))));
  const long = longest <= Math.max(20, width - OTHERS);
  const stateColor = (r: ServerSummary) => (r.state === 'connected' ? theme.up : r.state === 'connecting' ? theme.connecting : theme.down);
  return [
    // A narrow terminal takes room from the note (down to 22), then the retry time, the name, the GPUs last.
    { title: 'SERVER', text: (r) => (r.local ? `${r.name} (here)` : r.name), min: 8, max: 32, shrink: 3 },
    { title: 'STATE', text: (r) => serverStateText(r, now), min: 12, max: 30, shrink: 4, color: stateColor },
    { title: long ? 'GPUS used/total GiB (○ idle)' : 'GPUS (○ idle)', text: (r) => gpuStrip(r.gpus, long), min: 6, max: 90, shrink: 1 },
    { title: 'CONTAINERS', text: containersText, align: 'right', min: 10, max: 10 },
    { title: 'RECLAIM', text: reclaimText, align: 'right', min: 7, max: 9 },
    { title: 'NOTE', text: serverNote, min: 22, max: 200, grow: 1, shrink: 5, color: (r) => (r.state === 'unreachable' ? theme.error : theme.warn) },
  ];
}

export function ServersPane({ state, rows, width, theme }: { state: AppState; rows: number; width: number; theme: Theme }) {
  const now = useNow(QUARTER_MINUTE);
  const list = serverRows(state);
  const sel = selectedRow(state, 'servers');
  const narrowed = state.ui.server;
  const notices = narrowed !== undefined ? [{ text: `every pane shows ${narrowed} only (●) — * shows every server`, color: theme.accent }] : [];
  const filter = state.ui.filters.servers;
  const empty =
    state.servers.list.length === 0
      ? 'no servers configured: add servers: to the config or start with --server (README: Servers)'
      : `no server matches "${filter}" (Esc clears the filter)`;
  return (
    <ListPane<ServerSummary>
      rows={list}
      columns={serverColumns(list, width, now, theme)}
      cursor={sel ? list.indexOf(sel as ServerSummary) : -1}
      width={width}
      height={rows + 1}
      theme={theme}
      rowKey={(r) => r.name}
      marked={(r) => r.name === narrowed}
      style={(r) => (r.state === 'unreachable' ? { dim: true } : undefined)}
      measureKey={`${now}|${state.gpu.at}`}
      empty={empty}
      notices={notices}
    />
  );
}
