// Two long-lived nvidia-smi children in loop mode (one for GPUs, one for compute processes), read
// line by line and restarted with backoff when they die. Spawning nvidia-smi per poll costs
// 25–110 ms of CPU each time; one loop child costs about 0.1 % CPU (fixtures README).
import { execa, type ResultPromise } from 'execa';
import { createInterface } from 'node:readline';
import { APP_FIELDS, GPU_FIELDS, errorLine, parseAppLine, parseGpuLine, type GpuProcess, type GpuSample } from './parse.js';

export type GpuStatus =
  | { state: 'starting' }
  | { state: 'ok' }
  | { state: 'missing'; message: string }
  | { state: 'failed'; message: string }
  | { state: 'no-processes-visible'; message: string };

export interface GpuSnapshot {
  status: GpuStatus;
  gpus: GpuSample[];
  processes: GpuProcess[];
  /** ms since the epoch of the last GPU sample. */
  at: number;
}

export interface GpuMonitorOptions {
  binary?: string;
  intervalMs?: number;
  /** Called (batched, at most once per sample) with the latest snapshot. */
  onUpdate: (s: GpuSnapshot) => void;
}

/** What a snapshot shows, without its time: equal signatures draw the same screen. */
export function gpuSignature(s: GpuSnapshot): string {
  return JSON.stringify([s.status, s.gpus, s.processes.map((p) => [p.pid, p.gpuUuid, p.usedMemoryMiB, p.processName])]);
}

export const MISSING_MESSAGE = 'nvidia-smi not found: GPUs are not shown. Install the NVIDIA driver, or pass --nvidia-smi PATH (or --no-gpu).';
export const HIDDEN_MESSAGE =
  'GPU memory is in use but nvidia-smi lists no processes: gantry is probably running inside a container (its PID namespace hides them). Run gantry on the host.';

export function gpuArgs(intervalMs: number): string[] {
  return [`--query-gpu=${GPU_FIELDS.join(',')}`, '--format=csv,noheader,nounits', `-lms`, String(intervalMs)];
}

export function appArgs(intervalMs: number): string[] {
  return [`--query-compute-apps=${APP_FIELDS.join(',')}`, '--format=csv,noheader,nounits', `-lms`, String(intervalMs)];
}

interface Loop {
  child?: ResultPromise;
  backoff: number;
  timer?: NodeJS.Timeout;
  lastLines: string[];
}

export class GpuMonitor {
  private readonly binary: string;
  private readonly intervalMs: number;
  private readonly onUpdate: (s: GpuSnapshot) => void;
  private stopped = false;
  private status: GpuStatus = { state: 'starting' };
  private gpus: GpuSample[] = [];
  private pendingGpus: GpuSample[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private processes = new Map<string, { p: GpuProcess; seen: number }>();
  private at = 0;
  private usedWithoutProcessesSince: number | undefined;
  private readonly loops: { gpu: Loop; app: Loop } = {
    gpu: { backoff: 1000, lastLines: [] },
    app: { backoff: 1000, lastLines: [] },
  };

  constructor(opts: GpuMonitorOptions) {
    this.binary = opts.binary ?? 'nvidia-smi';
    this.intervalMs = Math.max(100, opts.intervalMs ?? 1000);
    this.onUpdate = opts.onUpdate;
  }

  start(): void {
    this.spawn('gpu');
    this.spawn('app');
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.flushTimer);
    for (const l of Object.values(this.loops)) {
      clearTimeout(l.timer);
      l.child?.kill('SIGTERM');
      l.child = undefined;
    }
  }

  snapshot(): GpuSnapshot {
    const cutoff = Date.now() - this.intervalMs * 2.5;
    const processes = [...this.processes.values()].filter((x) => x.seen >= cutoff).map((x) => x.p);
    return { status: this.status, gpus: this.gpus, processes, at: this.at };
  }

  private emit(): void {
    this.onUpdate(this.snapshot());
  }

  private setStatus(s: GpuStatus): void {
    if (JSON.stringify(s) === JSON.stringify(this.status)) return;
    this.status = s;
    this.emit();
  }

  private spawn(which: 'gpu' | 'app'): void {
    if (this.stopped) return;
    const loop = this.loops[which];
    const args = which === 'gpu' ? gpuArgs(this.intervalMs) : appArgs(this.intervalMs);
    let child: ResultPromise;
    try {
      child = execa(this.binary, args, { reject: false, buffer: false, stdin: 'ignore', stderr: 'pipe', cleanup: true });
    } catch (e) {
      this.setStatus({ state: 'failed', message: `nvidia-smi could not start: ${(e as Error).message}` });
      return;
    }
    loop.child = child;
    loop.lastLines = [];
    const remember = (line: string) => {
      loop.lastLines.push(line);
      if (loop.lastLines.length > 5) loop.lastLines.shift();
    };
    if (child.stdout) {
      createInterface({ input: child.stdout }).on('line', (line) => {
        const err = errorLine(line);
        if (err) {
          remember(line);
          this.setStatus({ state: 'failed', message: err.message });
          return;
        }
        if (which === 'gpu') this.onGpuLine(line);
        else this.onAppLine(line);
      });
    }
    if (child.stderr) createInterface({ input: child.stderr }).on('line', remember);
    void child.then((r) => {
      if (loop.child !== child) return;
      loop.child = undefined;
      if (this.stopped) return;
      const enoent = (r as { code?: string }).code === 'ENOENT' || /ENOENT/.test(String((r as { message?: string }).message ?? ''));
      if (enoent) {
        this.setStatus({ state: 'missing', message: MISSING_MESSAGE });
      } else if (this.status.state !== 'failed' || !loop.lastLines.length) {
        const why = loop.lastLines.join(' ').trim() || `exit code ${String(r.exitCode ?? r.signal ?? '?')}`;
        this.setStatus({ state: 'failed', message: `nvidia-smi stopped (${why}); restarting` });
      }
      // Restart with backoff: 1 s, 2 s, … 30 s.
      loop.timer = setTimeout(() => this.spawn(which), loop.backoff);
      loop.timer.unref?.();
      loop.backoff = Math.min(loop.backoff * 2, 30_000);
    });
  }

  private onGpuLine(line: string): void {
    const s = parseGpuLine(line);
    if (!s) return;
    this.loops.gpu.backoff = 1000;
    // One sample is a burst of one line per GPU; a short quiet gap ends it.
    if (this.pendingGpus.some((g) => g.index === s.index)) this.flushGpus();
    this.pendingGpus.push(s);
    clearTimeout(this.flushTimer);
    this.flushTimer = setTimeout(() => this.flushGpus(), Math.min(100, this.intervalMs / 4));
    this.flushTimer.unref?.();
  }

  private flushGpus(): void {
    clearTimeout(this.flushTimer);
    if (this.pendingGpus.length === 0) return;
    this.gpus = this.pendingGpus.sort((a, b) => a.index - b.index);
    this.pendingGpus = [];
    this.at = Date.now();
    // Memory in use but never a process: the PID namespace hides them (gantry inside a container).
    const used = this.gpus.some((g) => (g.memoryUsedMiB ?? 0) > 1024);
    const procs = this.snapshot().processes.length;
    if (used && procs === 0) this.usedWithoutProcessesSince ??= Date.now();
    else this.usedWithoutProcessesSince = undefined;
    if (this.usedWithoutProcessesSince !== undefined && Date.now() - this.usedWithoutProcessesSince > this.intervalMs * 5) {
      this.status = { state: 'no-processes-visible', message: HIDDEN_MESSAGE };
    } else if (this.status.state !== 'ok') {
      this.status = { state: 'ok' };
    }
    this.emit();
  }

  private onAppLine(line: string): void {
    const p = parseAppLine(line);
    if (!p) return;
    this.loops.app.backoff = 1000;
    this.processes.set(`${p.pid}/${p.gpuUuid}`, { p, seen: Date.now() });
    // Forget processes long gone.
    const cutoff = Date.now() - this.intervalMs * 10;
    for (const [k, v] of this.processes) if (v.seen < cutoff) this.processes.delete(k);
  }
}

export interface OnceResult {
  gpus: GpuSample[];
  processes: GpuProcess[];
  /** Set when nvidia-smi is missing or failed; plain words. */
  error?: string;
}

/** One sample of both queries (no loop), for `gantry gpus`. */
export async function queryOnce(binary = 'nvidia-smi'): Promise<OnceResult> {
  const run = async (args: string[]) => {
    const r = await execa(binary, args.slice(0, 2), { reject: false, stdin: 'ignore', timeout: 20_000 });
    const code = (r as { code?: string }).code;
    if (code === 'ENOENT') return { error: MISSING_MESSAGE, lines: [] as string[] };
    const lines = String(r.stdout ?? '').split('\n');
    const err = lines.map(errorLine).find(Boolean);
    if (err) return { error: err.message, lines };
    if (r.exitCode !== 0) return { error: `nvidia-smi failed (exit code ${String(r.exitCode)}): ${String(r.stderr ?? '').trim() || lines.join(' ').trim()}`, lines };
    return { lines };
  };
  const [g, a] = await Promise.all([run(gpuArgs(1000)), run(appArgs(1000))]);
  const out: OnceResult = {
    gpus: g.lines.map(parseGpuLine).filter((x): x is GpuSample => !!x),
    processes: a.lines.map(parseAppLine).filter((x): x is GpuProcess => !!x),
  };
  const error = g.error ?? a.error;
  if (error) out.error = error;
  return out;
}
