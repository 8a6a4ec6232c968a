// The GPUs pane: each GPU's own line (name, memory bar, utilisation, temperature, power), then
// its processes with the container (or host user) each belongs to — one list pane, where the
// cursor stops on processes only.
import React from 'react';
import type { AppState } from '../../store/state.js';
import { dimEngines, rowKey, selectedRow } from '../../store/select.js';
import { gpuRows, sharedGpus, type GpuRow } from '../../store/gpu.js';
import { displayName, type Container } from '../../engine/models.js';
import type { GpuSample } from '../../gpu/parse.js';
import { cell, printable, textWidth } from '../../text/width.js';
import { shortDuration } from '../../present/container.js';
import { holderText } from '../../present/gpu.js';
import { gpuServerLine } from '../../present/servers.js';
import type { Theme } from '../theme.js';
import { QUARTER_MINUTE, useNow } from '../clock.js';
import { gib, gpuNotice } from '../gpu.js';
import { bar } from '../../present/bars.js';
import { ListPane } from '../list/ListPane.js';
import type { Column } from '../list/columns.js';

type ProcRow = Extract<GpuRow, { kind: 'proc' }>;

const NAME_COLS = 30;
const BAR_COLS = 16;

/** A GPU's figures after its bar: memory, utilisation, temperature, power, MIG. */
function gpuFigures(g: GpuSample): string {
  const util = g.utilizationPct === undefined ? 'util n/a' : `${g.utilizationPct}%`;
  const temp = g.temperatureC === undefined ? '' : `  ${g.temperatureC}C`;
  const power = g.powerW === undefined ? '' : `  ${Math.round(g.powerW)}/${g.powerLimitW === undefined ? '?' : Math.round(g.powerLimitW)} W`;
  const mig = g.migEnabled ? '  MIG' : '';
  return `${gib(g.memoryUsedMiB)}/${gib(g.memoryTotalMiB)}  ${util}${temp}${power}${mig}`;
}

/** How the GPUs' lines are laid out in a pane `width` wide: the same for every GPU, so the bars line up. */
interface GpuLineFit {
  nameCols: number;
  barCols: number;
  /** Drop the "NVIDIA " every name begins with. */
  short: boolean;
}

/**
 * In a pane too narrow for the whole line (80 columns), the names give up columns first ("NVIDIA "
 * goes, then their ends), then the bars, so that the figures — power last — stay whole. `figures`:
 * the widest GPU's figures; `shared`: some line goes on after them (cut with a "…" at the edge);
 * `lastIndex`: the highest GPU index (GPU 10 takes a column more than GPU 9).
 */
function fitGpuLines(width: number, figures: number, shared: boolean, lastIndex: number): GpuLineFit {
  const head = ` GPU ${lastIndex}* `.length;
  const over = Math.max(0, head + NAME_COLS + 1 + BAR_COLS + 1 + figures + (shared ? 1 : 0) - width);
  const nameCols = Math.max(12, NAME_COLS - over);
  return { nameCols, barCols: Math.max(8, BAR_COLS - (over - (NAME_COLS - nameCols))), short: over > 0 };
}

function gpuLine(g: GpuSample, sharedBy: readonly Container[] | undefined, fit: GpuLineFit): string {
  const shared = sharedBy ? `  shared by ${sharedBy.length} containers: ${sharedBy.map(displayName).join(', ')}` : '';
  const name = fit.short ? printable(g.name).replace(/^NVIDIA /, '') : printable(g.name);
  return ` GPU ${g.index}${sharedBy ? '*' : ' '} ${cell(name, fit.nameCols)} ${bar(g.memoryUsedMiB, g.memoryTotalMiB, fit.barCols)} ${gpuFigures(g)}${shared}`;
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

export function GpuPane({ state, rows, width, theme }: { state: AppState; rows: number; width: number; theme: Theme }) {
  const now = useNow(QUARTER_MINUTE);
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
  const shares = sharedGpus(state);
  const own = list.filter((r): r is Extract<GpuRow, { kind: 'gpu' }> => r.kind === 'gpu');
  const fit = fitGpuLines(width, Math.max(0, ...own.map((r) => textWidth(gpuFigures(r.gpu)))), own.some((r) => shares.has(r.gpu.index)), Math.max(0, ...own.map((r) => r.gpu.index)));
  return (
    <ListPane<GpuRow>
      rows={list}
      columns={gpuColumns(state, now)}
      cursor={sel ? list.indexOf(sel as GpuRow) : -1}
      width={width}
      height={rows + 1}
      theme={theme}
      rowKey={rowKey}
      line={(r) => (r.kind === 'server' ? gpuServerLine(r.summary, now) : r.kind === 'gpu' ? gpuLine(r.gpu, r.server === undefined || state.servers.list.find((e) => e.local)?.name === r.server ? shares.get(r.gpu.index) : undefined, fit) : undefined)}
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
