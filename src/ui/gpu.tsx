// The GPU strip (always on screen), and the GPU helpers the GPUs pane shares with it.
import React from 'react';
import type { AppState } from '../store/state.js';
import type { GpuSample } from '../gpu/parse.js';
import { printable, truncate } from '../text/width.js';
import { paint, type Theme } from './theme.js';
import { Region } from './region.js';
import { GPU_STRIP } from './screen.js';
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

/** The strip's row, with its colour as SGR codes, from the state as it is now. */
export function stripRow(state: AppState, width: number, theme: Theme): string {
  const { name, gpu } = stripSource(state);
  const who = name === undefined ? '' : ` ${name}:`;
  const notice = sourceNotice(gpu);
  if (notice) {
    const color = gpu.status.state === 'failed' || gpu.status.state === 'missing' ? theme.warn : theme.dim;
    return paint(truncate(printable(who + ' ' + notice), width), { color });
  }
  // Said first, so a narrow terminal does not cut it off.
  const hidden = gpu.status.state === 'no-processes-visible' ? ' (processes hidden: inside a container?)' : '';
  const shared = gpu === state.gpu ? new Set(sharedGpus(state).keys()) : undefined;
  return paint(stripText(gpu.gpus, width, printable(who) + hidden, shared), { color: theme.accent });
}

/**
 * The strip is a region (region.tsx): the frame writer draws it from the store's latest state, so
 * a GPU sample that changes only the strip's figures is drawn without a React render (App, stripOnly).
 */
export function GpuStrip({ getState, width, theme }: { getState: () => AppState; width: number; theme: Theme }) {
  return <Region id={GPU_STRIP} width={width} height={1} rows={(w) => [stripRow(getState(), w, theme)]} />;
}

const sameJson = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

/**
 * True when `next` differs from `shown` (the state last drawn by React) only in figures that on
 * this screen the strip alone draws: the GPUs' memory used, utilisation, temperature, power and the
 * sample's time. The same GPUs, processes, status and idle clocks; no view open that reads a GPU's
 * figures (the GPUs and Servers panes, the run form, the menu). Then only the strip is redrawn.
 */
export function stripOnly(shown: AppState, next: AppState): boolean {
  if (shown === next) return false;
  for (const k of Object.keys(next) as (keyof AppState)[]) if (k !== 'gpu' && next[k] !== shown[k]) return false;
  const ui = next.ui;
  if (ui.pane === 'gpus' || ui.pane === 'servers' || ui.run || ui.menu) return false;
  const [a, b] = [shown.gpu, next.gpu];
  if (a.enabled !== b.enabled || a.idleMs !== b.idleMs || a.gpus.length !== b.gpus.length) return false;
  const same = (x: GpuSample, y: GpuSample) =>
    x.index === y.index && x.uuid === y.uuid && x.name === y.name && x.memoryTotalMiB === y.memoryTotalMiB && x.migEnabled === y.migEnabled;
  if (!a.gpus.every((g, i) => same(g, b.gpus[i]!))) return false;
  return sameJson(a.status, b.status) && sameJson(a.processes, b.processes) && sameJson(a.zeroSince, b.zeroSince);
}
