// nvidia-smi's CSV, as real drivers print it: units in headers and cells unless `nounits`, spaces
// after commas, `[N/A]`, `[Not Supported]`, `[Insufficient Permissions]`, `[Unknown Error]`.
import { quoteForMessage, showControls } from '../text/controls.js';

/** Fields of the GPU loop, in order. */
export const GPU_FIELDS = [
  'index',
  'uuid',
  'name',
  'memory.total',
  'memory.used',
  'utilization.gpu',
  'temperature.gpu',
  'power.draw',
  'power.limit',
  'mig.mode.current',
] as const;

/** Fields of the compute-process loop, in order. The process name is last: it may hold commas. */
export const APP_FIELDS = ['timestamp', 'pid', 'gpu_uuid', 'used_memory', 'process_name'] as const;

export interface GpuSample {
  index: number;
  uuid: string;
  name: string;
  memoryTotalMiB?: number;
  memoryUsedMiB?: number;
  utilizationPct?: number;
  temperatureC?: number;
  powerW?: number;
  powerLimitW?: number;
  migEnabled: boolean;
}

export interface GpuProcess {
  pid: number;
  gpuUuid: string;
  usedMemoryMiB?: number;
  processName: string;
  /** When nvidia-smi sampled it, ms since the epoch (local time as printed). */
  timestamp?: number;
}

export class NvidiaSmiError extends Error {
  constructor(
    message: string,
    readonly kind: 'bad-field' | 'no-devices' | 'driver' | 'output' | 'bad-row',
  ) {
    super(message);
  }
}

const NA = /^\[?(N\/A|Not Supported|Insufficient Permissions|Unknown Error|GPU is lost|Requested functionality has been deprecated)\]?$/i;

/** A number from a cell (units and N/A handled); undefined when there is none. */
export function num(cell: string | undefined): number | undefined {
  if (cell === undefined) return undefined;
  const t = cell.trim();
  if (!t || NA.test(t)) return undefined;
  const m = /^(-?\d+(?:\.\d+)?)\s*(?:MiB|%|W|C|MHz)?$/.exec(t);
  return m ? Number(m[1]) : undefined;
}

function text(cell: string | undefined): string {
  const t = (cell ?? '').trim();
  return NA.test(t) ? '' : t;
}

/** A cell that is not what the query asked for; parse*Line turns it into an error naming the row. */
class BadCell extends Error {}

/** A number cell within [min, max], or undefined for an N/A form; anything else is a BadCell. */
function measure(cell: string | undefined, field: string, min: number, max: number, integer = false): number | undefined {
  const t = (cell ?? '').trim();
  if (!t || NA.test(t)) return undefined;
  const n = num(t);
  if (n === undefined || (integer && !Number.isInteger(n))) throw new BadCell(`${field} is ${quoteForMessage(t, 40)}, not ${integer ? 'a whole number' : 'a number'}`);
  if (n < min || n > max) throw new BadCell(`${field} is ${n}, outside ${min}–${max}`);
  return n;
}

function bad(line: string, why: string): NvidiaSmiError {
  return new NvidiaSmiError(`nvidia-smi printed a row gantry cannot read (${why}): ${quoteForMessage(line)}`, 'bad-row');
}

/** Recognises nvidia-smi's own error lines; returns the error or undefined for a data line. */
export function errorLine(line: string): NvidiaSmiError | undefined {
  const t = showControls(line.trim());
  if (/is not a valid field to query/.test(t)) return new NvidiaSmiError(`nvidia-smi: ${t}`, 'bad-field');
  if (/^No devices were found/i.test(t)) return new NvidiaSmiError('nvidia-smi: no GPU devices were found', 'no-devices');
  if (/NVIDIA-SMI has failed|Failed to initialize NVML|Driver\/library version mismatch|couldn't communicate with the NVIDIA driver|Unable to determine the device handle/i.test(t))
    return new NvidiaSmiError(`nvidia-smi failed: ${t}`, 'driver');
  return undefined;
}

function isHeader(cells: string[], first: string): boolean {
  return cells[0]?.trim() === first;
}

// Sanity limits: far beyond any real GPU, so only a broken driver or garbage trips them.
const MAX_MIB = 1e8;
const MAX_WATTS = 1e5;

/**
 * One row of the GPU query: a sample, an error naming the row when a field is not what the query
 * asked for or is out of range (never a sample made of garbage), or undefined for a blank line or
 * a header. A name holding commas is kept whole (the fields after it are counted from the end).
 */
export function parseGpuLine(line: string): GpuSample | NvidiaSmiError | undefined {
  if (!line.trim()) return undefined;
  const cells = line.split(',');
  if (isHeader(cells, 'index')) return undefined;
  if (cells.length < GPU_FIELDS.length) return bad(line, `${cells.length} fields, the query asked for ${GPU_FIELDS.length}`);
  const tail = cells.slice(cells.length - 7);
  try {
    const index = measure(cells[0], 'index', 0, 1e6, true);
    if (index === undefined) throw new BadCell('no index');
    const uuid = text(cells[1]);
    if (!/^\S+$/.test(uuid)) throw new BadCell(`uuid is ${quoteForMessage(uuid, 60)}`);
    const mig = text(tail[6]);
    if (mig && !/^(enabled|disabled)$/i.test(mig)) throw new BadCell(`mig.mode.current is ${quoteForMessage(mig, 40)}`);
    const s: GpuSample = { index, uuid, name: text(cells.slice(2, cells.length - 7).join(',')), migEnabled: /^enabled$/i.test(mig) };
    const set = <K extends keyof GpuSample>(k: K, v: GpuSample[K] | undefined) => {
      if (v !== undefined) s[k] = v;
    };
    set('memoryTotalMiB', measure(tail[0], 'memory.total', 0, MAX_MIB));
    set('memoryUsedMiB', measure(tail[1], 'memory.used', 0, MAX_MIB));
    set('utilizationPct', measure(tail[2], 'utilization.gpu', 0, 100));
    set('temperatureC', measure(tail[3], 'temperature.gpu', 0, 200));
    set('powerW', measure(tail[4], 'power.draw', 0, MAX_WATTS));
    set('powerLimitW', measure(tail[5], 'power.limit', 0, MAX_WATTS));
    if (s.memoryUsedMiB !== undefined && s.memoryTotalMiB !== undefined && s.memoryUsedMiB > s.memoryTotalMiB)
      throw new BadCell(`memory.used ${s.memoryUsedMiB} MiB is more than memory.total ${s.memoryTotalMiB} MiB`);
    return s;
  } catch (e) {
    if (e instanceof BadCell) return bad(line, e.message);
    throw e;
  }
}

/** "2026/11/22 10:00:01.123" (nvidia-smi's local time) → ms since the epoch. */
export function parseTimestamp(t: string): number | undefined {
  const m = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/.exec(t.trim());
  if (!m) return undefined;
  return new Date(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, +(m[7] ?? '0').padEnd(3, '0')).getTime();
}

/** One row of the compute-process query: a process, an error naming the row, or undefined (blank, header). */
export function parseAppLine(line: string): GpuProcess | NvidiaSmiError | undefined {
  if (!line.trim()) return undefined;
  const cells = line.split(',');
  if (isHeader(cells, 'timestamp')) return undefined;
  if (cells.length < APP_FIELDS.length) return bad(line, `${cells.length} fields, the query asked for ${APP_FIELDS.length}`);
  try {
    const pid = measure(cells[1], 'pid', 1, 2 ** 32, true);
    if (pid === undefined) throw new BadCell('no pid');
    const gpuUuid = text(cells[2]);
    if (!/^\S+$/.test(gpuUuid)) throw new BadCell(`gpu_uuid is ${quoteForMessage(gpuUuid, 60)}`);
    const p: GpuProcess = { pid, gpuUuid, processName: cells.slice(4).join(',').trim() };
    const mem = measure(cells[3], 'used_memory', 0, MAX_MIB);
    if (mem !== undefined) p.usedMemoryMiB = mem;
    const stamp = (cells[0] ?? '').trim();
    if (stamp && !NA.test(stamp)) {
      const ts = parseTimestamp(stamp);
      if (ts === undefined) throw new BadCell(`timestamp is ${quoteForMessage(stamp, 40)}`);
      p.timestamp = ts;
    }
    return p;
  } catch (e) {
    if (e instanceof BadCell) return bad(line, e.message);
    throw e;
  }
}
