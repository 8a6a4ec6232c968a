// The GPU strip (always on screen) and the GPUs pane.
import React from 'react';
import { Box, Text } from 'ink';
import { displayName } from '../engine/models.js';
import type { AppState } from '../store/state.js';
import { gpuRows, type GpuRow } from '../store/gpu.js';
import type { GpuSample } from '../gpu/parse.js';
import { bar } from '../present/bars.js';
import { shortDuration } from '../present/container.js';
import { cell, printable, truncate } from '../text/width.js';
import type { Theme } from './theme.js';

export function gib(mib: number | undefined, digits = 1): string {
  return mib === undefined ? '-' : `${(mib / 1024).toFixed(digits)}G`;
}

/** The one-line status of GPUs when there is nothing to draw, or undefined when there is. */
export function gpuNotice(s: AppState): string | undefined {
  const st = s.gpu.status;
  switch (st.state) {
    case 'off':
      return undefined;
    case 'starting':
      return s.gpu.gpus.length ? undefined : 'GPUs: starting nvidia-smi…';
    case 'ok':
      return s.gpu.gpus.length ? undefined : 'GPUs: nvidia-smi reports no GPU';
    case 'no-processes-visible':
      return undefined;
    default:
      return `GPUs: ${st.message}`;
  }
}

function stripText(g: GpuSample): string {
  const util = g.utilizationPct === undefined ? ' n/a' : `${String(g.utilizationPct).padStart(3)}%`;
  const temp = g.temperatureC === undefined ? '' : ` ${g.temperatureC}C`;
  return `GPU${g.index} ${bar(g.memoryUsedMiB, g.memoryTotalMiB, 8)} ${gib(g.memoryUsedMiB)}/${gib(g.memoryTotalMiB, 0)} ${util}${temp}`;
}

export function GpuStrip({ state, width, theme }: { state: AppState; width: number; theme: Theme }) {
  const notice = gpuNotice(state);
  if (notice) {
    const color = state.gpu.status.state === 'failed' || state.gpu.status.state === 'missing' ? theme.warn : theme.dim;
    return (
      <Text color={color} wrap="truncate">
        {truncate(' ' + printable(notice), width)}
      </Text>
    );
  }
  // Said first, so a narrow terminal does not cut it off.
  const hidden = state.gpu.status.state === 'no-processes-visible' ? ' (processes hidden: inside a container?)' : '';
  const text = hidden + ' ' + state.gpu.gpus.map(stripText).join('  ');
  return (
    <Text color={theme.accent} wrap="truncate">
      {truncate(text, width)}
    </Text>
  );
}

function gpuLine(g: GpuSample, width: number): string {
  const util = g.utilizationPct === undefined ? 'util n/a' : `${g.utilizationPct}%`;
  const temp = g.temperatureC === undefined ? '' : `  ${g.temperatureC}C`;
  const power = g.powerW === undefined ? '' : `  ${Math.round(g.powerW)}/${g.powerLimitW === undefined ? '?' : Math.round(g.powerLimitW)} W`;
  const mig = g.migEnabled ? '  MIG' : '';
  const head = ` GPU ${g.index}  ${cell(printable(g.name), 30)} ${bar(g.memoryUsedMiB, g.memoryTotalMiB, 16)} ${gib(g.memoryUsedMiB)}/${gib(g.memoryTotalMiB)}  ${util}${temp}${power}${mig}`;
  return truncate(head, width);
}

function procLine(r: Extract<GpuRow, { kind: 'proc' }>, state: AppState, width: number, now: number): string {
  const p = r.proc;
  const who = r.container
    ? displayName(r.container)
    : p.containerId
      ? `container ${p.containerId.slice(0, 12)} (not on a connected engine)`
      : p.hostUser ? `host: ${p.hostUser}` : 'host: pid not in /proc';
  let idle = '';
  if (p.gpuIndex !== undefined && (p.usedMemoryMiB ?? 0) > 0) {
    const since = state.gpu.zeroSince[p.gpuIndex];
    if (since !== undefined && now - since >= state.gpu.idleMs) idle = `  idle ${shortDuration(now - since)}`;
  }
  return truncate(`      ${String(p.pid).padStart(8)}  ${cell(printable(who), 36)} ${cell(gib(p.usedMemoryMiB), 7, 'right')}  ${printable(p.processName)}${idle}`, width);
}

export function GpuPane({ state, rows, width, now, theme }: { state: AppState; rows: number; width: number; now: number; theme: Theme }) {
  const list = gpuRows(state);
  const notice = gpuNotice(state) ?? (state.gpu.status.state === 'no-processes-visible' ? `GPUs: ${(state.gpu.status as { message: string }).message}` : undefined);
  const cursor = Math.min(state.ui.gpuCursor, Math.max(0, list.length - 1));
  const top = Math.max(0, Math.min(cursor - Math.floor(rows / 2), list.length - rows));
  const slice = list.slice(top, top + rows - (notice ? 1 : 0));
  return (
    <Box flexDirection="column" width={width} height={rows + 1} overflow="hidden">
      <Text bold color={theme.dim} wrap="truncate">
        {truncate(`      ${'PID'.padStart(8)}  ${cell('CONTAINER / HOST USER', 36)} ${cell('MEMORY', 7, 'right')}  COMMAND`, width)}
      </Text>
      {notice ? (
        <Text color={theme.warn} wrap="truncate">
          {' ' + printable(notice)}
        </Text>
      ) : null}
      {slice.map((r, i) => {
        const selected = top + i === cursor;
        if (r.kind === 'gpu')
          return (
            <Text key={`g${r.gpu.index}`} bold inverse={selected} wrap="truncate">
              {gpuLine(r.gpu, width)}
            </Text>
          );
        return (
          <Text key={`p${r.proc.pid}/${r.proc.gpuUuid}`} inverse={selected} color={r.container ? undefined : theme.dim} wrap="truncate">
            {procLine(r, state, width, now)}
          </Text>
        );
      })}
      {list.length > 0 && !list.some((r) => r.kind === 'proc') && state.gpu.status.state === 'ok' ? (
        <Text color={theme.dim}> no compute processes on any GPU</Text>
      ) : null}
    </Box>
  );
}
