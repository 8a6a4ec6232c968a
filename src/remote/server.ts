// A remote server: its ssh connection, its engines (sockets found by asking the server, forwarded
// to local sockets through the connection, ids like `node-a/docker`), its nvidia-smi loops and
// their attribution, all as one state that says connected / connecting / unreachable and why.
import { join } from 'node:path';
import { labelFor, meetEngine, sameEngine } from '../engine/discovery.js';
import type { Engine, Probe } from '../engine/engine.js';
import { sanitizeLine } from '../engine/logs/sanitize.js';
import { attribute, type AttributedProcess, type ProcReader } from '../gpu/attribute.js';
import { GpuMonitor, type GpuSnapshot, type GpuStatus } from '../gpu/monitor.js';
import type { GpuSample } from '../gpu/parse.js';
import { SshConnection, type ConnStatus } from './connection.js';
import { missingOn, sshLauncher } from './gpu.js';
import { parseProbe, probeCommand, socketProblems, type RemoteFacts, type RemoteSocket } from './probe.js';
import { RemoteProcs } from './procs.js';
import type { SshSettings } from './ssh.js';
import { lastSshLine } from './sshErrors.js';
import { parseDestination, type ServerSpec } from './spec.js';

export interface ServerStatus extends ConnStatus {
  /** Problems that leave the server connected: a socket refused, no engine, nvidia-smi missing. */
  notes: string[];
}

export interface ServerGpu {
  status: GpuStatus | { state: 'off' };
  gpus: GpuSample[];
  processes: AttributedProcess[];
  /** ms since the epoch of the last sample (0: none yet). */
  at: number;
}

export interface ServerListener {
  status?(s: ServerStatus): void;
  /** A new engine on this server (once per engine; it survives reconnections). */
  engine?(e: Engine): void;
  gpu?(g: ServerGpu): void;
}

export interface RemoteServerOptions {
  spec: ServerSpec;
  ssh: SshSettings;
  controlDir: string;
  /** Short file-name stem for this server's sockets. */
  slot: string;
  /** Run the nvidia-smi loops (the TUI); `gantry gpus` takes one sample instead. */
  gpuLoops: boolean;
  gpuIntervalMs: number;
  /** The nvidia-smi to run when the server's entry names none. */
  nvidiaSmi: string;
  backoffMs?: [number, number];
  probeTimeoutMs?: number;
}

export class RemoteServer {
  readonly name: string;
  readonly conn: SshConnection;
  readonly engines: Engine[] = [];
  readonly procs: RemoteProcs;
  private readonly probes = new Map<Engine, Probe>();
  /** Local forwarded socket → the engine met there. */
  private readonly byLocal = new Map<string, Engine>();
  /** Remote real socket path → the local socket it is forwarded to (stable across reconnections). */
  private readonly locals = new Map<string, string>();
  private readonly listeners = new Set<ServerListener>();
  private current: ServerStatus;
  private gpuState: ServerGpu;
  private monitor: GpuMonitor | undefined;
  private attributing = false;
  private pendingSnap: GpuSnapshot | undefined;
  private setupEpoch = 0;
  private setupTimer: NodeJS.Timeout | undefined;
  /** Local sockets forwarded on the current connection. */
  private readonly forwarded = new Set<string>();
  private started = false;
  private firstOutcome: () => void = () => undefined;
  private readonly first: Promise<void>;

  constructor(private readonly o: RemoteServerOptions) {
    this.name = o.spec.name;
    const dest = parseDestination(o.spec.ssh);
    if (typeof dest === 'string') throw new Error(`server ${o.spec.name}: ${dest}`);
    const connOpts = { name: o.spec.name, destination: dest, ssh: o.ssh, controlDir: o.controlDir, slot: o.slot };
    this.conn = new SshConnection(o.backoffMs ? { ...connOpts, backoffMs: o.backoffMs } : connOpts);
    this.procs = new RemoteProcs(async (cmd) => (await this.conn.exec(cmd)).stdout);
    this.current = { state: 'connecting', since: Date.now(), notes: [] };
    this.gpuState = { status: o.gpuLoops ? { state: 'starting' } : { state: 'off' }, gpus: [], processes: [], at: 0 };
    this.first = new Promise((r) => (this.firstOutcome = r));
    this.conn.onStatus((s) => this.onConn(s));
  }

  get status(): ServerStatus {
    return this.current;
  }

  get gpu(): ServerGpu {
    return this.gpuState;
  }

  /** The nvidia-smi this server runs. */
  get nvidiaSmi(): string {
    return this.o.spec.nvidiaSmi ?? this.o.nvidiaSmi;
  }

  subscribe(l: ServerListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Connects (once: later calls do nothing). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.conn.start();
  }

  stop(): void {
    this.setupEpoch++;
    clearTimeout(this.setupTimer);
    this.monitor?.stop();
    this.monitor = undefined;
    this.conn.stop();
    for (const e of this.engines) e.close();
  }

  /** Resolves once the server has first answered (engines set up) or failed, or after timeoutMs. */
  ready(timeoutMs: number): Promise<void> {
    return Promise.race([this.first, new Promise<void>((r) => setTimeout(r, timeoutMs).unref())]);
  }

  private emitStatus(s: ServerStatus): void {
    this.current = s;
    for (const l of [...this.listeners]) l.status?.(s);
    if (s.state !== 'connecting') this.firstOutcome();
  }

  private emitGpu(g: ServerGpu): void {
    this.gpuState = g;
    for (const l of [...this.listeners]) l.gpu?.(g);
  }

  private onConn(s: ConnStatus): void {
    const epoch = ++this.setupEpoch;
    clearTimeout(this.setupTimer);
    this.forwarded.clear();
    this.monitor?.stop();
    this.monitor = undefined;
    if (s.state === 'connected') {
      void this.setUp(epoch, s);
      return;
    }
    this.emitStatus({ ...s, notes: [] });
    if (s.state === 'unreachable' && this.gpuState.status.state !== 'off')
      this.emitGpu({ ...this.gpuState, status: { state: 'failed', message: s.reason ?? `${this.name} is unreachable` } });
  }

  /**
   * Everything that follows a (re)connection: ask the server, forward its sockets, start the GPU
   * loops. What failed (a slow server, an engine that did not answer) is tried again, 2 s, 4 s, … 30 s later.
   */
  private async setUp(epoch: number, s: ConnStatus, attempt = 0): Promise<void> {
    const notes: string[] = [];
    let facts: RemoteFacts | undefined;
    try {
      const r = await this.conn.exec(probeCommand(this.nvidiaSmi, this.o.spec.sockets), { timeoutMs: this.o.probeTimeoutMs ?? 60_000 });
      facts = parseProbe(r.stdout, this.nvidiaSmi);
      if (!facts) notes.push(`${this.name}: could not ask the server what it has (${lastSshLine(r.stderr) || `exit code ${String(r.code)}`}).`);
    } catch (e) {
      notes.push((e as Error).message);
    }
    if (epoch !== this.setupEpoch) return;
    let failed = !facts;
    if (facts) {
      const met = await this.setUpEngines(epoch, facts, notes);
      if (epoch !== this.setupEpoch) return;
      failed = met.failed > 0;
      notes.push(...socketProblems(this.name, facts, this.o.spec.sockets.length > 0, met.answered));
    }
    this.emitStatus({ ...s, notes });
    if (failed) {
      this.setupTimer = setTimeout(() => epoch === this.setupEpoch && void this.setUp(epoch, s, attempt + 1), Math.min(2000 * 2 ** attempt, 30_000));
      this.setupTimer.unref?.();
    }
    if (!this.o.gpuLoops || this.monitor) return;
    if (facts && !facts.has.nvidiaSmi) {
      this.emitGpu({ status: { state: 'missing', message: missingOn(this.name) }, gpus: [], processes: [], at: 0 });
      return;
    }
    this.monitor = new GpuMonitor({
      binary: this.nvidiaSmi,
      intervalMs: this.o.gpuIntervalMs,
      launch: sshLauncher(this.conn),
      onUpdate: (snap) => void this.onSnapshot(snap),
    });
    this.monitor.start();
  }

  /** Forwards every usable socket and meets its engine: how many answered, how many failed (said in notes). */
  private async setUpEngines(epoch: number, facts: RemoteFacts, notes: string[]): Promise<{ answered: number; failed: number }> {
    const usable: RemoteSocket[] = [];
    for (const sock of facts.sockets) if (sock.access === 'ok' && !usable.some((u) => u.real === sock.real)) usable.push(sock);
    const results = await Promise.all(usable.map((sock) => this.meet(sock, facts).catch((e: Error) => e)));
    let answered = 0;
    for (const r of results) {
      if (r instanceof Error) notes.push(r.message);
      else answered++;
    }
    return { answered, failed: results.length - answered };
  }

  /** One socket: forward it, and the first time, probe its engine and announce it. */
  private async meet(sock: RemoteSocket, facts: RemoteFacts): Promise<void> {
    let local = this.locals.get(sock.real);
    if (!local) {
      local = join(this.o.controlDir, `${this.o.slot}-${this.locals.size}.sock`);
      this.locals.set(sock.real, local);
    }
    if (!this.forwarded.has(local)) {
      await this.conn.forward(local, sock.path);
      this.forwarded.add(local);
    }
    if (this.byLocal.has(local)) return;
    const where = `${this.name}:${sanitizeLine(sock.path, { keepColor: false })}`;
    const met = await meetEngine(`unix://${local}`, where, this.o.probeTimeoutMs ?? 10_000);
    const probe = met.probe;
    if (this.engines.some((e) => sameEngine(this.probes.get(e)!, probe))) return met.close();
    const n = this.engines.filter((e) => e.kind === probe.kind).length + 1;
    const id = `${this.name}/${probe.kind}${n === 1 ? '' : n}`;
    const label = sanitizeLine(labelFor({ url: `unix://${sock.path}`, source: 'flag', why: '' }, probe.kind, { XDG_RUNTIME_DIR: facts.runtimeDir }), { keepColor: false });
    const engine = met.engine(id, label, `ssh://${this.name}${sock.path}`);
    this.engines.push(engine);
    this.probes.set(engine, probe);
    this.byLocal.set(local, engine);
    for (const l of [...this.listeners]) l.engine?.(engine);
  }

  /** One GPU sample: attribute its processes on the server (one command for new pids), then announce. */
  private async onSnapshot(snap: GpuSnapshot): Promise<void> {
    if (this.attributing) {
      this.pendingSnap = snap;
      return;
    }
    this.attributing = true;
    const epoch = this.setupEpoch;
    try {
      let reader: ProcReader;
      try {
        reader = await this.procs.reader(snap.processes.map((p) => p.pid));
      } catch {
        reader = { cgroup: () => undefined, owner: () => undefined };
      }
      if (epoch !== this.setupEpoch) return;
      this.emitGpu({ status: snap.status, gpus: snap.gpus, processes: attribute(snap.processes, snap.gpus, reader), at: snap.at || Date.now() });
    } finally {
      this.attributing = false;
      const next = this.pendingSnap;
      this.pendingSnap = undefined;
      if (next && epoch === this.setupEpoch) void this.onSnapshot(next);
    }
  }
}
