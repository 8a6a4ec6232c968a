// Two long-lived nvidia-smi children in loop mode (one for GPUs, one for compute processes), read
// line by line and restarted with backoff when they die. Spawning nvidia-smi per poll costs
// 25–110 ms of CPU each time; one loop child costs about 0.1 % CPU (fixtures README).
import type { ResultPromise } from 'execa';
import { createRequire } from 'node:module';
import type * as Readline from 'node:readline';
import { quoteForMessage } from '../text/controls.js';
import { APP_FIELDS, GPU_FIELDS, NvidiaSmiError, errorLine, parseAppLine, parseGpuLine, type GpuProcess, type GpuSample } from './parse.js';

/**
 * node:readline, loaded when the first nvidia-smi loop starts (after the first frame): imported
 * here at the top, it was compiled on the way to the first frame (~1-2 ms). Required, not
 * import()ed: bin/gantry's vm.Script has no import() (see src/engine/ping.ts).
 */
let readline: typeof Readline | undefined;
const lineReader = (): typeof Readline => (readline ??= createRequire('/')('node:readline') as typeof Readline);

/** execa (78 KiB of code) is loaded when the first loop starts, after the first frame, not at start-up. */
let execa: typeof import('execa').execa | undefined;

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

/** How nvidia-smi runs: on this machine (the default), or on a server through ssh. */
export interface GpuLauncher {
  /** The program and arguments that run `binary args…`. */
  command(binary: string, args: string[]): { file: string; args: string[] };
  /** The exit code that means "no nvidia-smi there" (a remote shell's 127), and what to say then. */
  missing: { exitCode: number; message: string };
}

export interface GpuMonitorOptions {
  binary?: string;
  intervalMs?: number;
  launch?: GpuLauncher;
  /** Called (batched, at most once per sample) with the latest snapshot. */
  onUpdate: (s: GpuSnapshot) => void;
  /** Silence of the GPU loop, once it has printed, after which nvidia-smi counts as not answering (default: 3 intervals, at least 5 s). */
  stallMs?: number;
  /** The same before its first line: a driver without persistence mode can take seconds to start (default: at least 10 s). */
  startMs?: number;
}

/** What a snapshot shows, without its time: equal signatures draw the same screen. */
export function gpuSignature(s: GpuSnapshot): string {
  return JSON.stringify([s.status, s.gpus, s.processes.map((p) => [p.pid, p.gpuUuid, p.usedMemoryMiB, p.processName])]);
}

export const MISSING_MESSAGE = 'nvidia-smi not found: GPUs are not shown. Install the NVIDIA driver, or pass --nvidia-smi PATH (or --no-gpu).';
export const HIDDEN_MESSAGE =
  'GPU memory is in use but nvidia-smi lists no processes: gantry is probably running inside a container (its PID namespace hides them). Run gantry on the host.';

/** What a hung nvidia-smi is said as; `printed` is a line it left unfinished. */
export function notAnsweringMessage(seconds: number, printed = ''): string {
  const partial = printed.trim() ? `, after printing only ${quoteForMessage(printed.trim(), 80)}` : '';
  return `nvidia-smi is not answering (${seconds} s${partial})`;
}

/**
 * How each loop child runs: `sh -c KEEPER gantry-gpu BINARY ARGS…`. nvidia-smi in loop mode ends
 * only when killed or when a write finds its reader gone, and the process loop prints nothing
 * while no process uses a GPU: a gantry killed with SIGKILL left it polling the driver every
 * second, for ever (here, or on a server through ssh). The keeper runs it in the background and
 * reads its own stdin, a pipe that gantry holds open and never writes: at end of file (gantry
 * gone, however it ended, or the loop stopped) it kills nvidia-smi. SIGTERM to the keeper does
 * the same; nvidia-smi's own exit code is the keeper's, 127 says it is not installed, 126 (with a
 * line on stderr) that the path is not an executable file. One line:
 * through ssh it is one quoted word.
 */
export const KEEPER =
  "trap 'kill -9 $p $w 2>/dev/null; wait; exit 143' HUP INT TERM; b=$1; shift; c=$(command -v \"$b\") || exit 127; " +
  '[ -f "$c" ] && [ -x "$c" ] || { echo "$b: not an executable file" >&2; exit 126; }; ' +
  'exec 3<&0; "$b" "$@" 3<&- </dev/null & p=$!; (while read -r _ <&3; do :; done; kill -9 $p) 2>/dev/null & w=$!; ' +
  'wait $p; r=$?; kill $w 2>/dev/null; exit $r';

/** nvidia-smi on this machine: through `sh`, which says 127 when it is not installed. */
const LOCAL: GpuLauncher = { command: (file, args) => ({ file, args }), missing: { exitCode: 127, message: MISSING_MESSAGE } };

export function gpuArgs(intervalMs: number): string[] {
  return [`--query-gpu=${GPU_FIELDS.join(',')}`, '--format=csv,noheader,nounits', `-lms`, String(intervalMs)];
}

export function appArgs(intervalMs: number): string[] {
  return [`--query-compute-apps=${APP_FIELDS.join(',')}`, '--format=csv,noheader,nounits', `-lms`, String(intervalMs)];
}

/** Ends a loop child: its stdin closed and SIGTERM, on either of which the keeper kills nvidia-smi (SIGKILL). */
function endChild(child: ResultPromise): void {
  child.stdin?.destroy();
  child.kill('SIGTERM');
}

interface Loop {
  child?: ResultPromise;
  backoff: number;
  timer?: NodeJS.Timeout;
  lastLines: string[];
  /** When the child started, and when it last printed a whole line (0: not yet). */
  spawnedAt: number;
  lineAt: number;
  /** What it printed after its last whole line (a line left unfinished). */
  partial: string;
}

export class GpuMonitor {
  private readonly binary: string;
  private readonly intervalMs: number;
  private readonly launch: GpuLauncher;
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
    gpu: { backoff: 1000, lastLines: [], spawnedAt: 0, lineAt: 0, partial: '' },
    app: { backoff: 1000, lastLines: [], spawnedAt: 0, lineAt: 0, partial: '' },
  };
  private readonly stallMs: number;
  private readonly startMs: number;
  private watchdog: NodeJS.Timeout | undefined;
  /** Since when the GPU loop has printed no whole line; set while it counts as not answering. */
  private silentSince: number | undefined;
  private lastAnswer = 0;
  /** What the stalled child had printed of an unfinished line. */
  private stalledPrinted = '';

  constructor(opts: GpuMonitorOptions) {
    this.binary = opts.binary ?? 'nvidia-smi';
    this.intervalMs = Math.max(100, opts.intervalMs ?? 1000);
    this.launch = opts.launch ?? LOCAL;
    this.onUpdate = opts.onUpdate;
    this.stallMs = opts.stallMs ?? Math.max(5000, 3 * this.intervalMs);
    this.startMs = opts.startMs ?? Math.max(10_000, this.stallMs);
  }

  start(): void {
    this.lastAnswer = Date.now();
    this.spawn('gpu');
    this.spawn('app');
    this.watchdog = setInterval(() => this.checkAnswering(), Math.min(1000, this.intervalMs));
    this.watchdog.unref?.();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.flushTimer);
    clearInterval(this.watchdog);
    for (const l of Object.values(this.loops)) {
      clearTimeout(l.timer);
      // A hung nvidia-smi may be deaf to SIGTERM: the keeper kills it with SIGKILL.
      if (l.child) endChild(l.child);
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
    if (!execa) {
      void import('execa').then(
        (m) => {
          execa = m.execa;
          this.spawn(which);
        },
        (e: Error) => this.setStatus({ state: 'failed', message: `nvidia-smi could not start: ${e.message}` }),
      );
      return;
    }
    const args = which === 'gpu' ? gpuArgs(this.intervalMs) : appArgs(this.intervalMs);
    let child: ResultPromise;
    try {
      const cmd = this.launch.command('sh', ['-c', KEEPER, 'gantry-gpu', this.binary, ...args]);
      // stdin: the pipe the keeper watches (never written; it ends when the loop or gantry does).
      child = execa(cmd.file, cmd.args, { reject: false, buffer: false, stdin: 'pipe', stderr: 'pipe', cleanup: true });
    } catch (e) {
      this.setStatus({ state: 'failed', message: `nvidia-smi could not start: ${(e as Error).message}` });
      return;
    }
    loop.child = child;
    loop.lastLines = [];
    loop.spawnedAt = Date.now();
    loop.lineAt = 0;
    loop.partial = '';
    const remember = (line: string) => {
      loop.lastLines.push(line);
      if (loop.lastLines.length > 5) loop.lastLines.shift();
    };
    if (child.stdout) {
      // What follows the last newline: a line nvidia-smi left unfinished, said when it hangs.
      child.stdout.on('data', (chunk: Buffer | string) => {
        const t = String(chunk);
        const nl = t.lastIndexOf('\n');
        loop.partial = (nl < 0 ? loop.partial + t : t.slice(nl + 1)).slice(-200);
      });
      lineReader().createInterface({ input: child.stdout }).on('line', (line) => {
        if (loop.child !== child) return;
        loop.lineAt = Date.now();
        if (which === 'gpu') this.answered();
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
    if (child.stderr) lineReader().createInterface({ input: child.stderr }).on('line', remember);
    void child.then((r) => {
      if (loop.child !== child) return;
      loop.child = undefined;
      if (this.stopped) return;
      if (which === 'gpu') {
        // A sample still being gathered must not flush after its child died and mark nvidia-smi ok.
        clearTimeout(this.flushTimer);
        this.pendingGpus = [];
      }
      const enoent = (r as { code?: string }).code === 'ENOENT' || /ENOENT/.test(String((r as { message?: string }).message ?? ''));
      if (enoent || r.exitCode === this.launch.missing.exitCode) {
        this.setStatus({ state: 'missing', message: this.launch.missing.message });
      } else if (this.status.state !== 'failed' || !loop.lastLines.length) {
        const why = loop.lastLines.map((l) => quoteForMessage(l, 200)).join(' ').trim() || `exit code ${String(r.exitCode ?? r.signal ?? '?')}`;
        this.setStatus({ state: 'failed', message: `nvidia-smi stopped (${why}); restarting` });
      }
      this.restartLater(which);
    });
  }

  /** Restart with backoff: 1 s, 2 s, … 30 s (a good sample sets it back to 1 s). */
  private restartLater(which: 'gpu' | 'app'): void {
    const loop = this.loops[which];
    clearTimeout(loop.timer);
    loop.timer = setTimeout(() => this.spawn(which), loop.backoff);
    loop.timer.unref?.();
    loop.backoff = Math.min(loop.backoff * 2, 30_000);
  }

  /** The GPU loop printed a whole line: it answers again. */
  private answered(): void {
    this.lastAnswer = Date.now();
    if (this.silentSince === undefined) return;
    this.silentSince = undefined;
    if (this.status.state === 'failed') this.status = { state: 'starting' };
  }

  /**
   * A GPU loop that prints no whole line for a few intervals (hung in the driver, or stopped half
   * way through a line) is killed and restarted with backoff, and the status says for how long it
   * has not answered, counting on while it stays silent. The process loop is restarted with it:
   * a sample with no process prints nothing there, so its silence alone says nothing.
   */
  private checkAnswering(): void {
    if (this.stopped) return;
    const now = Date.now();
    const gpu = this.loops.gpu;
    if (gpu.child) {
      const since = gpu.lineAt || gpu.spawnedAt;
      if (now - since >= (gpu.lineAt ? this.stallMs : this.startMs)) {
        this.silentSince ??= this.lastAnswer;
        const printed = gpu.partial;
        for (const which of ['gpu', 'app'] as const) {
          const l = this.loops[which];
          const c = l.child;
          l.child = undefined;
          // The keeper kills it with SIGKILL: a hung nvidia-smi may not act on SIGTERM.
          if (c) endChild(c);
          this.restartLater(which);
        }
        this.gpus = [];
        this.pendingGpus = [];
        this.processes.clear();
        this.stalledPrinted = printed;
      }
    }
    if (this.silentSince !== undefined) {
      this.setStatus({ state: 'failed', message: `${notAnsweringMessage(Math.round((now - this.silentSince) / 1000), this.stalledPrinted)}; restarting it` });
    }
  }

  private onGpuLine(line: string): void {
    const s = parseGpuLine(line);
    if (!s) return;
    if (s instanceof NvidiaSmiError) {
      // Never a sample made of garbage: the row is left out and said, with the row itself.
      this.badRow = s.message;
    } else {
      this.loops.gpu.backoff = 1000;
      // One sample is a burst of one line per GPU; a short quiet gap ends it.
      if (this.pendingGpus.some((g) => g.index === s.index)) this.flushGpus();
      this.pendingGpus.push(s);
    }
    clearTimeout(this.flushTimer);
    this.flushTimer = setTimeout(() => this.flushGpus(), Math.min(100, this.intervalMs / 4));
    this.flushTimer.unref?.();
  }

  /** A row of the sample being gathered that could not be read. */
  private badRow: string | undefined;
  /** The last process row that could not be read, and when. */
  private badApp: { message: string; at: number } | undefined;

  private flushGpus(): void {
    clearTimeout(this.flushTimer);
    if (this.pendingGpus.length === 0 && this.badRow === undefined) return;
    this.gpus = this.pendingGpus.sort((a, b) => a.index - b.index);
    this.pendingGpus = [];
    this.at = Date.now();
    // Memory in use but never a process: the PID namespace hides them (gantry inside a container).
    const used = this.gpus.some((g) => (g.memoryUsedMiB ?? 0) > 1024);
    const procs = this.snapshot().processes.length;
    if (used && procs === 0) this.usedWithoutProcessesSince ??= Date.now();
    else this.usedWithoutProcessesSince = undefined;
    const badApp = this.badApp && Date.now() - this.badApp.at < this.intervalMs * 2.5 ? this.badApp.message : undefined;
    if (this.badRow !== undefined || badApp !== undefined) {
      this.status = { state: 'failed', message: (this.badRow ?? badApp)! };
      this.badRow = undefined;
    } else if (this.usedWithoutProcessesSince !== undefined && Date.now() - this.usedWithoutProcessesSince > this.intervalMs * 5) {
      this.status = { state: 'no-processes-visible', message: HIDDEN_MESSAGE };
    } else if (this.status.state !== 'ok') {
      this.status = { state: 'ok' };
    }
    this.emit();
  }

  private onAppLine(line: string): void {
    const p = parseAppLine(line);
    if (!p) return;
    if (p instanceof NvidiaSmiError) {
      // Said until a couple of samples pass without one (that loop prints nothing when no process runs).
      this.badApp = { message: p.message, at: Date.now() };
      this.setStatus({ state: 'failed', message: p.message });
      return;
    }
    this.loops.app.backoff = 1000;
    this.processes.set(`${p.pid}/${p.gpuUuid}`, { p, seen: Date.now() });
    // Forget processes long gone.
    const cutoff = Date.now() - this.intervalMs * 10;
    for (const [k, v] of this.processes) if (v.seen < cutoff) this.processes.delete(k);
  }
}
