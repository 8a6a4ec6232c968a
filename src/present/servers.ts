// Display text of a server's summary: its state, its GPUs as a compact strip (used/total per GPU,
// idle ones marked), its containers and what it could reclaim, and the note that says why.
import type { GpuCell, ServerSummary } from '../store/servers.js';
import { decimalBytes } from './bytes.js';

/** GiB with one decimal under 10, none above (a strip of eight GPUs has to stay short). */
function gb(mib: number | undefined): string {
  if (mib === undefined) return '?';
  const g = mib / 1024;
  return g < 10 ? g.toFixed(1) : String(Math.round(g));
}

/** The mark of an idle GPU (nobody holds it) and of a held one. */
export const IDLE_MARK = '○';
export const HELD_MARK = '●';

/**
 * A server's GPUs in a line: `long` gives each GPU's used/total in GiB (`○0.1/48 ●9.4/48`), the
 * short form only the marks (`○●○○`); both end with how many are idle.
 */
export function gpuStrip(cells: readonly GpuCell[], long: boolean): string {
  if (cells.length === 0) return '-';
  const idle = cells.filter((c) => c.idle).length;
  const each = cells.map((c) => (c.idle ? IDLE_MARK : HELD_MARK) + (long ? `${gb(c.usedMiB)}/${gb(c.totalMiB)}` : ''));
  return `${each.join(long ? ' ' : '')}  ${idle}/${cells.length} idle`;
}

/** Its state; an unreachable one says when gantry tries again (a clock time: it does not go stale between redraws). */
export function serverStateText(s: Pick<ServerSummary, 'state' | 'nextTryAt'>, now: number): string {
  if (s.state !== 'unreachable') return s.state === 'connecting' ? 'connecting…' : 'connected';
  if (s.nextTryAt === undefined || s.nextTryAt <= now) return 'unreachable, retrying';
  return `unreachable, retry ${new Date(s.nextTryAt).toTimeString().slice(0, 8)}`;
}

/** Why a server is not (fully) there: the reason it is unreachable, else its notes and its GPUs' note. */
export function serverNote(s: Pick<ServerSummary, 'reason' | 'notes' | 'gpuNote' | 'state'>): string {
  if (s.state === 'unreachable') return s.reason ?? '';
  return [...s.notes, ...(s.gpuNote ? [`GPUs: ${s.gpuNote}`] : [])].join('; ');
}

export function containersText(s: Pick<ServerSummary, 'containers' | 'state'>): string {
  return s.state === 'connecting' && s.containers.total === 0 ? '…' : `${s.containers.running}/${s.containers.total}`;
}

/** Bytes its engines could free; '?' until the System pane has read them. */
export function reclaimText(s: Pick<ServerSummary, 'reclaimableBytes'>): string {
  return s.reclaimableBytes === undefined ? '?' : decimalBytes(s.reclaimableBytes);
}

/** A server's line above its GPUs in the GPUs pane. */
export function gpuServerLine(s: ServerSummary, now: number): string {
  const head = ` ── ${s.name}${s.local ? ' (this machine)' : ''}`;
  if (s.state !== 'connected') {
    const note = serverNote(s);
    return `${head} · ${serverStateText(s, now)}${note ? ` — ${note}` : ''}`;
  }
  if (s.gpus.length === 0) return `${head} · ${s.gpuNote ? `GPUs: ${s.gpuNote}` : 'no GPU reported yet'}`;
  return `${head} · ${s.gpus.length} GPU${s.gpus.length === 1 ? '' : 's'}, ${s.idleGpus} idle, ${gb(s.freeMiB)} GiB free${s.gpuNote ? ` — GPUs: ${s.gpuNote}` : ''}`;
}
