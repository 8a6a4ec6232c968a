// The container list's CPU % and MEM columns. Local engines: every 2 s each running container's
// cgroup files are read (found once per start from its main pid), no stream per container. CPU %
// is the difference of two readings: a container's first reading is taken the moment its files are
// found, and the next round then comes a second later, so both columns fill in about a second
// after the list rather than two rounds (4 s or more) later.
// Remote engines (their cgroups are on another machine): the API's stats stream for the selected
// row only. At most one store update per round, none when nothing shown changed; a reading that
// moved less than a person would notice (0.1 → 0.2 %, a few KiB) waits up to DRIFT_MS to be drawn,
// so twenty idle containers do not cost a frame every round. Nothing is read while the columns are
// off screen (another pane, help, a dialog, the panel full screen); a round runs as they return.
import type { Engine } from '../engine/engine.js';
import { cgroupFiles, readCgroupUsage, type CgroupFiles } from '../engine/cgroupUsage.js';
import { readCgroup } from '../gpu/cgroup.js';
import type { Action, AppState, ContainerUsage } from '../store/state.js';
import { selectedContainer } from '../store/select.js';
import type { Store } from '../store/store.js';
import { SelectionTask } from '../store/task.js';
import { compactBytes } from '../present/bytes.js';

const ROUND_MS = 2000;
/** After containers' files are found (and their first reading taken): the next round comes this soon, with their CPU %. */
const FIRST_CPU_MS = 1000;
/** How long a small move (see usageChange) may wait to be drawn. */
export const DRIFT_MS = 10_000;
/** A CPU % move of this many points or more is drawn at once. */
const CPU_STEP = 1;
/** A memory move of this share of the larger reading, and of MEM_MIN or more, is drawn at once (a small container's memory jumps by a third as a short-lived process comes and goes). */
const MEM_STEP = 0.1;
const MEM_MIN = 8 * 1024 * 1024;

/**
 * What putting `next` on screen instead of `prev` changes: nothing (the columns read the same), a
 * drift (small moves only), or a change (a row gains or loses a reading, a CPU % moves by a point
 * or more, memory by a tenth and 8 MiB or more).
 */
export function usageChange(prev: Record<string, ContainerUsage>, next: Record<string, ContainerUsage>): 'none' | 'drift' | 'change' {
  const keys = Object.keys(next);
  if (keys.length !== Object.keys(prev).length) return 'change';
  const shown = (u: ContainerUsage) => `${u.cpuPct?.toFixed(1)}|${compactBytes(u.memBytes)}`;
  let drift = false;
  for (const k of keys) {
    const a = prev[k];
    const b = next[k]!;
    if (!a || (a.cpuPct === undefined) !== (b.cpuPct === undefined)) return 'change';
    if (Math.abs((a.cpuPct ?? 0) - (b.cpuPct ?? 0)) >= CPU_STEP) return 'change';
    if (Math.abs(a.memBytes - b.memBytes) >= Math.max(MEM_MIN, MEM_STEP * Math.max(a.memBytes, b.memBytes))) return 'change';
    if (!drift && shown(a) !== shown(b)) drift = true;
  }
  return drift ? 'drift' : 'none';
}

/** Whether the container list (and so its CPU % and MEM columns) is on screen. */
export function usageOnScreen(s: AppState): boolean {
  const ui = s.ui;
  return ui.pane === 'containers' && !ui.help && !ui.confirm && !ui.menu && !ui.prune && !ui.pull && !ui.run && !ui.logs.full;
}
/** Inspects in flight at most, for containers not seen before (a server with hundreds fills in over rounds). */
const INSPECTS_PER_ROUND = 16;

interface Tracked {
  /** Empty when the files cannot be read from here (gantry in a container, another machine). */
  files: CgroupFiles;
  prev?: { cpuNs: number; at: number };
  startedAt: number | undefined;
}

export class UsageController {
  private timer: NodeJS.Timeout | undefined;
  private soonTimer: NodeJS.Timeout | undefined;
  private readonly tracked = new Map<string, Tracked>();
  private readonly pending = new Set<string>();
  private readonly remote = new SelectionTask();
  private remoteUsage: Record<string, ContainerUsage> = {};
  /** When the columns were last brought up to date. */
  private drawnAt = 0;
  private shown = true;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly store: Store<AppState, Action>,
    private readonly engines: ReadonlyMap<string, Engine>,
    private readonly procRoot = '/proc',
    private readonly cgroupRoot = '/sys/fs/cgroup',
    private readonly clock: () => number = Date.now,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.round(), ROUND_MS);
    this.timer.unref?.();
    // The columns back on screen: read at once rather than show what they said when they left.
    this.shown = usageOnScreen(this.store.getState());
    this.unsubscribe = this.store.subscribe(() => {
      const shown = usageOnScreen(this.store.getState());
      if (shown === this.shown) return;
      this.shown = shown;
      if (shown) {
        this.drawnAt = 0;
        queueMicrotask(() => void this.round());
      }
    });
    void this.round();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    clearTimeout(this.soonTimer);
    this.soonTimer = undefined;
    this.unsubscribe?.();
    this.remote.cancel();
  }

  private local(engineId: string): boolean {
    const e = this.store.getState().engines.find((x) => x.id === engineId);
    return !!e && e.endpoint.startsWith('unix://');
  }

  /** One reading of every running local container, and the remote selection's latest. */
  async round(now = this.clock()): Promise<void> {
    const s = this.store.getState();
    if (!usageOnScreen(s)) return;
    const out: Record<string, ContainerUsage> = {};
    const finds: Promise<void>[] = [];
    for (const [engineId, list] of Object.entries(s.containers)) {
      if (!this.local(engineId)) continue;
      for (const c of list) {
        if (c.state !== 'running') continue;
        let t = this.tracked.get(c.key);
        if (t && t.startedAt !== c.since) t = undefined;
        if (!t) {
          // At most INSPECTS_PER_ROUND in flight: an engine slow to answer them is not sent more each round.
          if (this.pending.size < INSPECTS_PER_ROUND && !this.pending.has(c.key)) finds.push(this.find(engineId, c.key, c.id, c.since));
          continue;
        }
        const u = readCgroupUsage(t.files);
        if (!u) continue;
        const cpuPct = t.prev && now > t.prev.at ? Math.max(0, ((u.cpuNs - t.prev.cpuNs) / ((now - t.prev.at) * 1e6)) * 100) : undefined;
        t.prev = { cpuNs: u.cpuNs, at: now };
        out[c.key] = cpuPct === undefined ? { memBytes: u.memBytes } : { cpuPct, memBytes: u.memBytes };
      }
    }
    // Those found this round have their first reading: the next round, with their CPU %, comes soon.
    if (finds.length > 0) void Promise.all(finds).then(() => this.soon());
    this.followRemote(s);
    Object.assign(out, this.remoteUsage);
    const change = usageChange(s.usage, out);
    if (change === 'change' || (change === 'drift' && now - this.drawnAt >= DRIFT_MS)) {
      this.drawnAt = now;
      this.store.dispatch({ type: 'usage/set', usage: out });
    }
  }

  /** A round FIRST_CPU_MS from now (one at a time; none once stopped or before start). */
  private soon(): void {
    if (!this.timer || this.soonTimer) return;
    this.soonTimer = setTimeout(() => {
      this.soonTimer = undefined;
      void this.round();
    }, FIRST_CPU_MS);
    this.soonTimer.unref?.();
  }

  /** The cgroup files of a container, from its main pid, and their first reading (the base of its first CPU %). */
  private async find(engineId: string, key: string, id: string, since: number | undefined): Promise<void> {
    const e = this.engines.get(engineId);
    if (!e) return;
    this.pending.add(key);
    try {
      const pid = (await e.inspect(id)).State?.Pid;
      const text = pid ? readCgroup(pid, this.procRoot) : undefined;
      const files = text ? cgroupFiles(text, this.cgroupRoot) : {};
      const first = readCgroupUsage(files);
      this.tracked.set(key, { files, startedAt: since, ...(first ? { prev: { cpuNs: first.cpuNs, at: this.clock() } } : {}) });
    } catch {
      // gone meanwhile: the next round sees
    } finally {
      this.pending.delete(key);
    }
  }

  /** A remote engine's selected container: its stats stream, while it stays selected. */
  private followRemote(s: AppState): void {
    const c = selectedContainer(s);
    const e = c && !this.local(c.engineId) && c.state === 'running' ? this.engines.get(c.engineId) : undefined;
    if (!c || !e) {
      this.remoteUsage = {};
      return void this.remote.cancel();
    }
    this.remote.run(c.key, (signal) => {
      this.remoteUsage = {};
      const cancel = e.streamStats(
        c.id,
        (sample) => {
          if (!signal.aborted) this.remoteUsage = { [c.key]: sample.cpuPct === undefined ? { memBytes: sample.memUsed } : { cpuPct: sample.cpuPct, memBytes: sample.memUsed } };
        },
        () => undefined,
      );
      signal.addEventListener('abort', cancel);
    });
  }
}
