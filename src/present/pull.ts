// A pull in words and bars, as `docker pull` shows it: a line per layer (its id, phase, a bar and
// its bytes) and the totals (bytes, layers, rate, time). Pure.
import type { LayerPhase, LayerProgress, PullTotals } from '../engine/pullProgress.js';
import { bar } from './bars.js';
import { decimalBytes } from './bytes.js';

const PHASE_WORDS: Record<LayerPhase, string> = {
  waiting: 'Waiting',
  downloading: 'Downloading',
  verifying: 'Verifying',
  downloaded: 'Downloaded',
  extracting: 'Extracting',
  done: 'Pull complete',
  exists: 'Already exists',
  copying: 'Copying',
};

/** "2.1 MB / 5.0 MB  2/3 layers  1.9 MB/s" (bytes only where the engine reports them). */
export function pullTotalsText(t: PullTotals): string {
  const rate = t.rateBytesPerSec > 0 ? `  ${decimalBytes(Math.round(t.rateBytesPerSec))}/s` : '';
  const bytes = t.bytesKnown && t.totalBytes > 0 ? `${decimalBytes(t.currentBytes)} / ${decimalBytes(t.totalBytes)}  ` : '';
  return `${bytes}${t.layersDone}/${t.layers} layers${rate}`;
}

/** The fraction of a layer that is in, for its bar: the phase's bytes, or 0/1 for phases without. */
function layerFraction(l: LayerProgress): [number | undefined, number | undefined] {
  if (l.phase === 'done' || l.phase === 'exists' || l.phase === 'downloaded' || l.phase === 'verifying') return [1, 1];
  if (l.phase === 'waiting') return [0, 1];
  if (l.phase === 'copying') return [undefined, undefined];
  return [l.current, l.total];
}

/**
 * One layer: "a1b2c3d4e5f6  Downloading         ██████░░░░░░  2.1 MB / 5.0 MB" in the engine's own
 * words, the bar `barWidth` cells (dots where the engine reports no bytes: Podman's libpod pull).
 */
export function layerLine(l: LayerProgress, barWidth: number): string {
  const [cur, tot] = layerFraction(l);
  const bytes = l.phase === 'downloading' || l.phase === 'extracting' ? (l.total ? `${decimalBytes(l.current ?? 0)} / ${decimalBytes(l.total)}` : l.current ? decimalBytes(l.current) : '') : l.total ? decimalBytes(l.total) : '';
  const word = l.status || PHASE_WORDS[l.phase];
  const shown = l.phase === 'copying' ? '·'.repeat(barWidth) : bar(cur, tot, barWidth);
  return `${l.id}  ${word.padEnd(18).slice(0, 18)}  ${shown}  ${bytes}`.trimEnd();
}
