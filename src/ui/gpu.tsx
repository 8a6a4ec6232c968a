// The GPU strip (always on screen), and the GPU helpers the GPUs pane shares with it.
import React from 'react';
import { Text } from 'ink';
import type { AppState } from '../store/state.js';
import type { GpuSample } from '../gpu/parse.js';
import { printable, truncate } from '../text/width.js';
import type { Theme } from './theme.js';
import { bar } from '../present/bars.js';

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
