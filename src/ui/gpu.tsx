// The GPU strip (always on screen), and the GPU helpers the GPUs pane shares with it.
import React from 'react';
import { Text } from 'ink';
import type { AppState } from '../store/state.js';
import type { GpuSample } from '../gpu/parse.js';
import { printable, truncate } from '../text/width.js';
import type { Theme } from './theme.js';
import { bar } from '../present/bars.js';
import { sharedGpus } from '../store/gpu.js';

export function gib(mib: number | undefined, digits = 1): string {
  return mib === undefined ? '-' : `${(mib / 1024).toFixed(digits)}G`;
}

type GpuSource = Pick<AppState['gpu'], 'status' | 'gpus'>;

/** The one-line status of GPUs when there is nothing to draw, or undefined when there is. */
export function gpuNotice(s: AppState): string | undefined {
  return sourceNotice(s.gpu);
}

function sourceNotice(g: GpuSource): string | undefined {
  const st = g.status;
  switch (st.state) {
    case 'off':
      return undefined;
    case 'starting':
      return g.gpus.length ? undefined : 'GPUs: starting nvidia-smi…';
    case 'ok':
      return g.gpus.length ? undefined : 'GPUs: nvidia-smi reports no GPU';
    case 'no-processes-visible':
      return undefined;
    default:
      return `GPUs: ${st.message}`;
  }
}

const num = (mib: number | undefined, digits: number) => (mib === undefined ? '-' : (mib / 1024).toFixed(digits));
const pct = (g: GpuSample) => (g.utilizationPct === undefined ? 'n/a' : `${g.utilizationPct}%`);

/** Each GPU's part of the strip, from the fullest form to the most compact; `*`: shared. */
const STRIP_FORMS: ((g: GpuSample, mark: string) => string)[] = [
  (g, m) => `GPU${g.index}${m} ${bar(g.memoryUsedMiB, g.memoryTotalMiB, 8)} ${gib(g.memoryUsedMiB)}/${gib(g.memoryTotalMiB, 0)} ${pct(g).padStart(4)}${g.temperatureC === undefined ? '' : ` ${g.temperatureC}C`}`,
  (g, m) => `GPU${g.index}${m} ${gib(g.memoryUsedMiB)}/${gib(g.memoryTotalMiB, 0)} ${pct(g)}`,
  (g, m) => `${g.index}${m}:${num(g.memoryUsedMiB, 1)}/${num(g.memoryTotalMiB, 0)} ${pct(g)}`,
  (g, m) => `${g.index}${m}:${num(g.memoryUsedMiB, 1)}/${num(g.memoryTotalMiB, 0)}`,
];

/**
 * The strip's text: the fullest form in which every GPU fits `width`, else the most compact, cut.
 * A GPU two containers share is marked `*`, and the strip says what the mark means where it fits.
 */
export function stripText(gpus: readonly GpuSample[], width: number, lead = '', shared: ReadonlySet<number> = new Set()): string {
  let text = '';
  const legend = shared.size ? '  * shared by 2+ containers' : '';
  for (const [i, form] of STRIP_FORMS.entries()) {
    text = lead + ' ' + gpus.map((g) => form(g, shared.has(g.index) ? '*' : '')).join(i < 2 ? '  ' : ' ');
    if (text.length + legend.length <= width) return text + legend;
    if (text.length <= width) return text;
  }
  return truncate(text, width);
}

/**
 * Whose GPUs the strip shows: this machine's, or — after Enter on the Servers pane — the chosen
 * server's; with servers configured it is named first.
 */
function stripSource(s: AppState): { name?: string; gpu: GpuSource } {
  const list = s.servers.list;
  if (list.length === 0) return { gpu: s.gpu };
  const entry = list.find((e) => e.name === s.ui.server) ?? list.find((e) => e.local);
  if (!entry) return { gpu: s.gpu };
  if (entry.local) return { name: entry.name, gpu: s.gpu };
  if (entry.state === 'unreachable') return { name: entry.name, gpu: { status: { state: 'failed', message: 'unreachable, GPUs not read' } as GpuSource['status'], gpus: [] } };
  return { name: entry.name, gpu: entry.gpu ?? { status: { state: 'starting' }, gpus: [] } };
}

export function GpuStrip({ state, width, theme }: { state: AppState; width: number; theme: Theme }) {
  const { name, gpu } = stripSource(state);
  const who = name === undefined ? '' : ` ${name}:`;
  const notice = sourceNotice(gpu);
  if (notice) {
    const color = gpu.status.state === 'failed' || gpu.status.state === 'missing' ? theme.warn : theme.dim;
    return (
      <Text color={color} wrap="truncate">
        {truncate(printable(who + ' ' + notice), width)}
      </Text>
    );
  }
  // Said first, so a narrow terminal does not cut it off.
  const hidden = gpu.status.state === 'no-processes-visible' ? ' (processes hidden: inside a container?)' : '';
  return (
    <Text color={theme.accent} wrap="truncate">
      {stripText(gpu.gpus, width, printable(who) + hidden, gpu === state.gpu ? new Set(sharedGpus(state).keys()) : undefined)}
    </Text>
  );
}
