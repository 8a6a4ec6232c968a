// nvidia-smi's CSV, as real drivers print it: units in headers and cells unless `nounits`, spaces
// after commas, `[N/A]`, `[Not Supported]`, `[Insufficient Permissions]`, `[Unknown Error]`.

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
    readonly kind: 'bad-field' | 'no-devices' | 'driver' | 'output',
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

/** Recognises nvidia-smi's own error lines; returns the error or undefined for a data line. */
export function errorLine(line: string): NvidiaSmiError | undefined {
  const t = line.trim();
  if (/is not a valid field to query/.test(t)) return new NvidiaSmiError(`nvidia-smi: ${t}`, 'bad-field');
  if (/^No devices were found/i.test(t)) return new NvidiaSmiError('nvidia-smi: no GPU devices were found', 'no-devices');
  if (/NVIDIA-SMI has failed|Failed to initialize NVML|Driver\/library version mismatch|couldn't communicate with the NVIDIA driver|Unable to determine the device handle/i.test(t))
    return new NvidiaSmiError(`nvidia-smi failed: ${t}`, 'driver');
  return undefined;
}

function isHeader(cells: string[], first: string): boolean {
  return cells[0]?.trim() === first;
}

export function parseGpuLine(line: string): GpuSample | undefined {
  if (!line.trim()) return undefined;
  const cells = line.split(',');
  if (isHeader(cells, 'index') || cells.length < GPU_FIELDS.length) return undefined;
  const index = num(cells[0]);
  if (index === undefined) return undefined;
  const s: GpuSample = {
    index,
    uuid: text(cells[1]),
    name: text(cells[2]),
    migEnabled: /^enabled$/i.test(text(cells[9])),
  };
  const set = <K extends keyof GpuSample>(k: K, v: GpuSample[K] | undefined) => {
    if (v !== undefined) s[k] = v;
  };
  set('memoryTotalMiB', num(cells[3]));
  set('memoryUsedMiB', num(cells[4]));
  set('utilizationPct', num(cells[5]));
  set('temperatureC', num(cells[6]));
  set('powerW', num(cells[7]));
  set('powerLimitW', num(cells[8]));
  return s;
}

/** "2026/11/22 10:00:01.123" (nvidia-smi's local time) → ms since the epoch. */
export function parseTimestamp(t: string): number | undefined {
  const m = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/.exec(t.trim());
  if (!m) return undefined;
  return new Date(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, +(m[7] ?? '0').padEnd(3, '0')).getTime();
}

export function parseAppLine(line: string): GpuProcess | undefined {
  if (!line.trim()) return undefined;
  const cells = line.split(',');
  if (isHeader(cells, 'timestamp') || cells.length < APP_FIELDS.length) return undefined;
  const pid = num(cells[1]);
  if (pid === undefined) return undefined;
  const p: GpuProcess = {
    pid,
    gpuUuid: text(cells[2]),
    processName: cells.slice(4).join(',').trim(),
  };
  const mem = num(cells[3]);
  if (mem !== undefined) p.usedMemoryMiB = mem;
  const ts = parseTimestamp(cells[0] ?? '');
  if (ts !== undefined) p.timestamp = ts;
  return p;
}
