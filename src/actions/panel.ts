// The main panel's other tabs — Inspect, Env, Stats, Top — for the selected container: inspect is
// read when the tab shows (again when the container's state changes), top every 3 s while shown,
// stats streamed only for the selected container and only while its tab is on screen.
import type { Engine } from '../engine/engine.js';
import { explainActionError } from '../engine/errors.js';
import { inspectSummary, type InspectSummary } from '../engine/inspect.js';
import type { StatsSample, TopProcess } from '../engine/stats.js';
import { displayName } from '../engine/models.js';
import type { Action, AppState } from '../store/state.js';
import { selectedContainer } from '../store/select.js';
import type { Store } from '../store/store.js';

export interface PanelData {
  key?: string;
  inspect?: { raw: unknown; summary: InspectSummary } | { error: string };
  top?: { rows: TopProcess[]; at: number } | { error: string };
  stats: StatsSample[];
  statsNote?: string;
}

const TOP_MS = 3000;
const KEEP_SAMPLES = 120;

export class PanelController {
  data: PanelData = { stats: [] };
  private unsubscribe: (() => void) | undefined;
  private inspectFor = '';
  private topTimer: NodeJS.Timeout | undefined;
  private statsFor = '';
  private cancelStats: (() => void) | undefined;
  private tickTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Store<AppState, Action>,
    private readonly engines: ReadonlyMap<string, Engine>,
  ) {}

  start(): void {
    this.unsubscribe = this.store.subscribe(() => this.onState());
  }

  stop(): void {
    this.unsubscribe?.();
    clearInterval(this.topTimer);
    clearTimeout(this.tickTimer);
    this.cancelStats?.();
  }

  private tick(): void {
    if (this.tickTimer) return;
    this.tickTimer = setTimeout(() => {
      this.tickTimer = undefined;
      this.store.dispatch({ type: 'logs/tick' });
    }, 50);
    this.tickTimer.unref?.();
  }

  /** The selected container's processes, read once. */
  private loadTop(): void {
    const cur = selectedContainer(this.store.getState());
    const eng = cur ? this.engines.get(cur.engineId) : undefined;
    if (!cur || !eng) return;
    eng.top(cur.id).then(
      (rows) => {
        if (this.data.key === cur.key) this.data.top = { rows, at: Date.now() };
        this.tick();
      },
      (err: unknown) => {
        if (this.data.key === cur.key) this.data.top = { error: err instanceof Error && err.name === 'ExecError' ? err.message : explainActionError(err) };
        this.tick();
      },
    );
  }

  private onState(): void {
    const s = this.store.getState();
    const tab = s.ui.logs.tab;
    const visible = s.ui.pane === 'containers' && !s.ui.help && !s.ui.confirm && !s.ui.prune;
    const c = selectedContainer(s);
    if (c?.key !== this.data.key) {
      this.data = { key: c?.key, stats: [] };
      this.inspectFor = '';
      this.statsFor = '';
      this.cancelStats?.();
      this.cancelStats = undefined;
    }
    const e = c ? this.engines.get(c.engineId) : undefined;
    // Inspect and Env: read once per container state.
    const stamp = c ? `${c.key}|${c.state}|${c.status}` : '';
    if (visible && c && e && (tab === 'inspect' || tab === 'env') && stamp !== this.inspectFor) {
      this.inspectFor = stamp;
      e.inspect(c.id)
        .then(
          (raw) => {
            if (this.data.key === c.key) this.data.inspect = { raw, summary: inspectSummary(raw) };
          },
          (err: unknown) => {
            if (this.data.key === c.key) this.data.inspect = { error: `cannot inspect ${displayName(c)}: ${explainActionError(err)}` };
          },
        )
        .finally(() => this.tick());
    }
    // Top: now and every few seconds while shown.
    const wantTop = visible && tab === 'top' && !!c && !!e;
    if (wantTop && !this.topTimer) {
      this.loadTop();
      this.topTimer = setInterval(() => this.loadTop(), TOP_MS);
      this.topTimer.unref?.();
    } else if (!wantTop && this.topTimer) {
      clearInterval(this.topTimer);
      this.topTimer = undefined;
    }
    // Stats: one stream, for the selected container, while its tab shows.
    const wantStats = visible && tab === 'stats' && !!c && !!e && c.state === 'running';
    if (visible && tab === 'stats' && c && c.state !== 'running' && !this.cancelStats) this.data.statsNote = `${displayName(c)} is not running: no stats (S starts it)`;
    if (wantStats && c && e && this.statsFor !== c.key) {
      this.cancelStats?.();
      this.statsFor = c.key;
      this.data.stats = [];
      this.data.statsNote = e.kind === 'podman' ? 'Podman sends a reading every 5 s: the first values take a moment' : undefined;
      const key = c.key;
      this.cancelStats = e.streamStats(
        c.id,
        (sample) => {
          if (this.data.key !== key) return;
          this.data.stats.push(sample);
          if (this.data.stats.length > KEEP_SAMPLES) this.data.stats.shift();
          this.tick();
        },
        (reason) => {
          if (this.data.key !== key) return;
          this.data.statsNote = reason ?? 'the stats stream ended';
          this.statsFor = '';
          this.cancelStats = undefined;
          this.tick();
        },
      );
    } else if (!wantStats && this.cancelStats) {
      this.cancelStats();
      this.cancelStats = undefined;
      this.statsFor = '';
    }
  }
}
