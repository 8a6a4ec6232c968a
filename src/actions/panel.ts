// The main panel's other tabs — Inspect, Env, Stats, Top (Exec is execOutput.ts's) — for the selected container: inspect is
// read when the tab shows (again when the container's state changes), top every 3 s while shown,
// stats streamed only for the selected container and only while its tab is on screen.
import type { Engine } from '../engine/engine.js';
import { explainActionError } from '../engine/errors.js';
import { inspectSummary, type InspectSummary } from '../engine/inspect.js';
import type { StatsSample, TopProcess } from '../engine/stats.js';
import { displayName, type Container } from '../engine/models.js';
import type { Action, AppState } from '../store/state.js';
import { selectedContainer } from '../store/select.js';
import type { Store } from '../store/store.js';
import { SelectionTask } from '../store/task.js';
import type { ExecRun } from './execOutput.js';
import { DEFAULT_PATIENCE, whileAnswering, type Patience } from './answered.js';

export interface PanelData {
  key?: string;
  inspect?: { raw: unknown; summary: InspectSummary } | { error: string };
  top?: { rows: TopProcess[]; at: number } | { error: string };
  stats: StatsSample[];
  statsNote?: string;
  /** The last `:exec CMD` in the selected container (the Exec tab). */
  exec?: ExecRun;
}

const TOP_MS = 3000;
const KEEP_SAMPLES = 120;

export class PanelController {
  data: PanelData = { stats: [] };
  private unsubscribe: (() => void) | undefined;
  /** What the tab on screen reads for the selected container: one at a time. */
  private readonly task = new SelectionTask();
  private tickTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Store<AppState, Action>,
    private readonly engines: ReadonlyMap<string, Engine>,
    /** A hung engine's inspect or top is given up in words in the tab (answered.ts). */
    private readonly patience: Patience = DEFAULT_PATIENCE,
  ) {}

  start(): void {
    this.unsubscribe = this.store.subscribe(() => this.onState());
  }

  stop(): void {
    this.unsubscribe?.();
    clearTimeout(this.tickTimer);
    this.task.cancel();
  }

  private tick(): void {
    if (this.tickTimer) return;
    this.tickTimer = setTimeout(() => {
      this.tickTimer = undefined;
      this.store.dispatch({ type: 'logs/tick' });
    }, 50);
    this.tickTimer.unref?.();
  }

  private onState(): void {
    const s = this.store.getState();
    const tab = s.ui.logs.tab;
    const visible = s.ui.pane === 'containers' && !s.ui.help && !s.ui.confirm && !s.ui.prune;
    const c = selectedContainer(s);
    if (c?.key !== this.data.key) this.data = { key: c?.key, stats: [] };
    const e = c ? this.engines.get(c.engineId) : undefined;
    if (!visible || !c || !e || tab === 'logs' || tab === 'exec') return void this.task.cancel();
    // Inspect and Env are read again when the container's state changes; stats only run while it does.
    if (tab === 'inspect' || tab === 'env') this.task.run(`inspect|${c.key}|${c.state}|${c.status}`, (signal) => this.inspect(e, c, signal));
    else if (tab === 'top') this.task.run(`top|${c.key}`, (signal) => this.top(e, c, signal));
    else if (c.state !== 'running') {
      this.task.cancel();
      this.data.statsNote = `${displayName(c)} is not running: no stats (S starts it)`;
    } else this.task.run(`stats|${c.key}`, (signal) => this.stats(e, c, signal));
  }

  private inspect(e: Engine, c: Container, signal: AbortSignal): void {
    whileAnswering(e, 'the inspect', () => e.inspect(c.id), this.patience)
      .then(
        (raw) => {
          if (!signal.aborted) this.data.inspect = { raw, summary: inspectSummary(raw) };
        },
        (err: unknown) => {
          if (!signal.aborted) this.data.inspect = { error: `cannot inspect ${displayName(c)}: ${explainActionError(err)}` };
        },
      )
      .finally(() => this.tick());
  }

  /** The container's processes, now and every few seconds while the tab shows. */
  private top(e: Engine, c: Container, signal: AbortSignal): void {
    // One call at a time: a slow engine's reads do not pile up every few seconds.
    let inFlight = false;
    const load = () => {
      if (inFlight) return;
      inFlight = true;
      return whileAnswering(e, 'top', () => e.top(c.id), this.patience)
        .then(
          (rows) => {
            if (!signal.aborted) this.data.top = { rows, at: Date.now() };
          },
          (err: unknown) => {
            if (!signal.aborted) this.data.top = { error: err instanceof Error && err.name === 'ExecError' ? err.message : explainActionError(err) };
          },
        )
        .finally(() => {
          inFlight = false;
          this.tick();
        });
    };
    void load();
    const timer = setInterval(() => void load(), TOP_MS);
    timer.unref?.();
    signal.addEventListener('abort', () => clearInterval(timer));
  }

  /** One stats stream, for the selected container, while its tab shows. */
  private stats(e: Engine, c: Container, signal: AbortSignal): void {
    this.data.stats = [];
    this.data.statsNote = e.kind === 'podman' ? 'Podman sends a reading every 5 s: the first values take a moment' : undefined;
    const cancel = e.streamStats(
      c.id,
      (sample) => {
        if (signal.aborted) return;
        this.data.stats.push(sample);
        if (this.data.stats.length > KEEP_SAMPLES) this.data.stats.shift();
        this.tick();
      },
      (reason) => {
        if (signal.aborted) return;
        this.data.statsNote = reason ?? 'the stats stream ended';
        // Ended by the engine: the next state change may start it again.
        this.task.cancel();
        this.tick();
      },
    );
    signal.addEventListener('abort', cancel);
  }
}
