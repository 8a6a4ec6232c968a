// The GPUs pane: each GPU's own line (name, memory bar, utilisation, temperature, power), then
// its processes with the container (or host user) each belongs to — one list pane, where the
// cursor stops on processes only.
import React from 'react';
import type { AppState } from '../../store/state.js';
import { dimEngines, rowKey, selectedRow } from '../../store/select.js';
import { gpuRows, sharedGpus, type GpuRow } from '../../store/gpu.js';
import { displayName, type Container } from '../../engine/models.js';
import type { GpuSample } from '../../gpu/parse.js';
import { cell, printable } from '../../text/width.js';
import { shortDuration } from '../../present/container.js';
import { holderText } from '../../present/gpu.js';
import { gpuServerLine } from '../../present/servers.js';
import type { Theme } from '../theme.js';
import { gib, gpuNotice } from '../gpu.js';
import { bar } from '../../present/bars.js';
import { ListPane } from '../list/ListPane.js';
import type { Column } from '../list/columns.js';

type ProcRow = Extract<GpuRow, { kind: 'proc' }>;

function gpuLine(g: GpuSample, sharedBy: readonly Container[] | undefined): string {
  const util = g.utilizationPct === undefined ? 'util n/a' : `${g.utilizationPct}%`;
  const temp = g.temperatureC === undefined ? '' : `  ${g.temperatureC}C`;
  const power = g.powerW === undefined ? '' : `  ${Math.round(g.powerW)}/${g.powerLimitW === undefined ? '?' : Math.round(g.powerLimitW)} W`;
  const mig = g.migEnabled ? '  MIG' : '';
  const shared = sharedBy ? `  shared by ${sharedBy.length} containers: ${sharedBy.map(displayName).join(', ')}` : '';
  return ` GPU ${g.index}${sharedBy ? '*' : ' '} ${cell(printable(g.name), 30)} ${bar(g.memoryUsedMiB, g.memoryTotalMiB, 16)} ${gib(g.memoryUsedMiB)}/${gib(g.memoryTotalMiB)}  ${util}${temp}${power}${mig}${shared}`;
}

function who(r: ProcRow): string {
  return holderText(r.proc, r.container);
}

function gpuColumns(state: AppState, now: number): Column<GpuRow>[] {
  const proc = (f: (r: ProcRow) => string) => (r: GpuRow) => (r.kind === 'proc' ? f(r) : '');
  const idle = (r: ProcRow) => {
    const p = r.proc;
    // How long a GPU has been at 0 % is known of this machine's GPUs only.
    if (r.remote || p.gpuIndex === undefined || (p.usedMemoryMiB ?? 0) <= 0) return '';
    const since = state.gpu.zeroSince[p.gpuIndex];
    return since !== undefined && now - since >= state.gpu.idleMs ? `  idle ${shortDuration(now - since)}` : '';
  };
  return [
    { title: 'PID', text: proc((r) => String(r.proc.pid)), align: 'right', min: 13, max: 13 },
    { title: ' CONTAINER / HOST USER', text: proc((r) => ` ${who(r)}`), min: 22, max: 48, shrink: 1 },
    { title: 'MEMORY', text: proc((r) => gib(r.proc.usedMemoryMiB)), align: 'right', min: 7, max: 7 },
    { title: ' COMMAND', text: proc((r) => ` ${r.proc.processName}${idle(r)}`), min: 8, max: 80, grow: 1, shrink: 2 },
  ];
}

export function GpuPane({ state, rows, width, now, theme }: { state: AppState; rows: number; width: number; now: number; theme: Theme }) {
  const list = gpuRows(state);
  // With servers configured, each server's own line says what is wrong with its GPUs.
  const servers = state.servers.list.length > 0;
  const notice = servers ? undefined : (gpuNotice(state) ?? (state.gpu.status.state === 'no-processes-visible' ? `GPUs: ${(state.gpu.status as { message: string }).message}` : undefined));
  const notices = notice ? [{ text: notice, color: theme.warn }] : [];
  const down = new Set(state.servers.list.filter((e) => e.state === 'unreachable').map((e) => e.name));
  const dim = dimEngines(state);
  if (list.length > 0 && !list.some((r) => r.kind === 'proc') && state.gpu.status.state === 'ok') {
    notices.push({ text: state.ui.filters.gpus ? `no GPU process matches "${state.ui.filters.gpus}"` : 'no compute processes on any GPU', color: theme.dim });
  }
  const sel = selectedRow(state, 'gpus');
  return (
    <ListPane<GpuRow>
      rows={list}
      columns={gpuColumns(state, now)}
      cursor={sel ? list.indexOf(sel as GpuRow) : -1}
      width={width}
      height={rows + 1}
      theme={theme}
      rowKey={rowKey}
      line={(r) => (r.kind === 'server' ? gpuServerLine(r.summary, now) : r.kind === 'gpu' ? gpuLine(r.gpu, r.server === undefined || state.servers.list.find((e) => e.local)?.name === r.server ? sharedGpus(state).get(r.gpu.index) : undefined) : undefined)}
      style={(r) => {
        // A server that went away keeps its last GPUs on screen, dimmed under the line that says why.
        if (r.server !== undefined && down.has(r.server)) return { dim: true, bold: r.kind !== 'proc' };
        if (r.kind === 'server') return { bold: true, color: theme.accent };
        if (r.kind === 'gpu') return { bold: true };
        return r.container && !dim.has(r.container.engineId) ? undefined : { color: theme.dim };
      }}
      measureKey={`${state.gpu.at}|${now}`}
      notices={notices}
    />
  );
}
