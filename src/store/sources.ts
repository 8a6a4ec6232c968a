// Keeps the store in step with each engine: a list on start, a re-list shortly after each event,
// a periodic resync in case an event was missed, and reconnection with backoff when the engine
// goes away. No busy polling: between events an engine costs one list per resync period.
import type { Engine, EngineEvent } from '../engine/engine.js';
import { explainConnectError, explainEngineAnswer } from '../engine/errors.js';
import { changesTimes, DetailsReader } from './details.js';
import { Settling } from './settle.js';
import type { Store } from './store.js';
import type { Action, AppState } from './state.js';
import { trace } from '../trace.js';

export interface WatchOptions {
  /** Inspect running containers once each for their GPU settings. */
  gpuGrants?: boolean;
  /** Resync period while connected, ms. */
  resyncMs?: number;
  /** Coalesce a burst of events into one list, ms. */
  debounceMs?: number;
  /** Reconnect backoff: first and largest delay, ms. */
  backoffMs?: [number, number];
  /** Words for a lost engine when they are known better elsewhere (its server is unreachable). */
  explain?: (err: unknown) => string | undefined;
  /** The engine answered a ping just now (discovery): the first connect lists without pinging again. */
  pinged?: boolean;
  /** Inspects (ages by the engine's clock, GPU settings) wait for this: the first frame with a list, at start-up. */
  detailsAfter?: Promise<unknown>;
}

const RELIST_EVENTS = new Set([
  'create', 'start', 'restart', 'stop', 'die', 'kill', 'pause', 'unpause', 'destroy', 'remove', 'rename', 'update',
  'oom', 'health_status', 'cleanup', 'init', 'died', 'exited',
]);

export function eventNeedsRelist(e: EngineEvent): boolean {
  if (e.type !== 'container') return false;
  // Docker sends "health_status: healthy"; Podman a bare "health_status".
  const action = e.action.split(':')[0]!.trim();
  return RELIST_EVENTS.has(action);
}

export class EngineWatcher {
  private stopped = false;
  private started = false;
  private closeEvents: (() => void) | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private debounceTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private settleTimer: NodeJS.Timeout | undefined;
  /** What the events say the next list should show (Docker's list can lag its own events). */
  private readonly settling = new Settling();
  /** Set while the engine answers list calls with errors: the next retry's delay. */
  private listRetryMs = 0;
  private listing = false;
  /** What the last list looked like, to skip re-rendering an unchanged one. */
  private lastSignature = '';
  private relistAgain = false;
  private backoff: number;
  private readonly resyncMs: number;
  private readonly debounceMs: number;
  private readonly backoffRange: [number, number];
  /** What inspect says that the list cannot: ages by the engine's clock, GPU settings. */
  readonly details: DetailsReader;
  private lastListAt = 0;
  private readonly explain: WatchOptions['explain'];
  private pinged: boolean;
  private readonly detailsAfter: Promise<unknown>;

  constructor(
    private readonly engine: Engine,
    private readonly store: Store<AppState, Action>,
    opts: WatchOptions = {},
  ) {
    this.resyncMs = opts.resyncMs ?? 10_000;
    this.debounceMs = opts.debounceMs ?? 80;
    this.backoffRange = opts.backoffMs ?? [500, 5_000];
    this.backoff = this.backoffRange[0];
    this.details = new DetailsReader(engine, store, opts.gpuGrants ?? false, () => this.stopped);
    this.explain = opts.explain;
    this.pinged = opts.pinged ?? false;
    this.detailsAfter = opts.detailsAfter ?? Promise.resolve();
  }

  /** Connects (once: later calls do nothing). */
  start(): void {
    if (this.started) return;
    this.started = true;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.closeEvents?.();
    clearTimeout(this.resyncTimer);
    clearTimeout(this.debounceTimer);
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.retryTimer);
    clearTimeout(this.settleTimer);
    this.details.stop();
  }

  /** Re-lists now (after an action), coalescing with one in flight. */
  refresh(): void {
    void this.list();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    try {
      if (!this.pinged) await this.engine.ping();
    } catch (e) {
      this.down(e);
      return;
    }
    this.pinged = false;
    // Events missed while disconnected may have restarted anything: ask inspect again.
    this.details.clear();
    this.settling.clear();
    this.closeEvents = this.engine.watchEvents(
      (ev) => {
        if (ev.type === 'container' && ev.id) {
          if (changesTimes(ev.action)) this.details.forget(ev.id);
          this.settling.note(ev.id, ev.action);
        }
        if (eventNeedsRelist(ev)) this.scheduleList();
      },
      (err) => {
        if (this.stopped) return;
        this.closeEvents = undefined;
        this.down(err);
      },
    );
    const ok = await this.list(true);
    if (ok) {
      this.backoff = this.backoffRange[0];
      if (!this.isUp()) this.store.dispatch({ type: 'engine/status', id: this.engine.id, status: 'up' });
      this.scheduleResync();
    }
  }

  private down(err: unknown): void {
    if (this.stopped) return;
    this.closeEvents?.();
    this.closeEvents = undefined;
    clearTimeout(this.resyncTimer);
    const where = this.engine.label;
    const detail = this.explain?.(err) ?? explainConnectError(err, where);
    this.store.dispatch({ type: 'engine/status', id: this.engine.id, status: 'down', error: detail });
    clearTimeout(this.reconnectTimer);
    const delay = this.backoff;
    this.backoff = Math.min(this.backoff * 2, this.backoffRange[1]);
    this.reconnectTimer = setTimeout(() => void this.connect(), delay);
    this.reconnectTimer.unref?.();
  }

  /** The engine answered the list with an error: keep the rows, say what failed and when they are from, retry. */
  private listFailed(what: string): void {
    if (this.stopped) return;
    const at = this.lastListAt ? `the list shown is from ${clock(this.lastListAt)}` : 'no list yet';
    this.listRetryMs = Math.min(this.resyncMs, this.listRetryMs ? this.listRetryMs * 2 : this.backoffRange[0] * 2);
    this.store.dispatch({ type: 'engine/list-error', id: this.engine.id, error: `${what}; ${at}, trying again` });
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.list(), this.listRetryMs);
    this.retryTimer.unref?.();
  }

  private listRecovered(): void {
    this.listRetryMs = 0;
    clearTimeout(this.retryTimer);
    this.store.dispatch({ type: 'engine/list-error', id: this.engine.id });
  }

  private scheduleList(): void {
    if (this.debounceTimer) return;
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = undefined;
      void this.list();
    }, this.debounceMs);
  }

  /** A list that does not show yet what the events said: asked again after `ms`. */
  private settleLater(ms: number | undefined): void {
    if (ms === undefined || this.settleTimer || this.stopped) return;
    this.settleTimer = setTimeout(() => {
      this.settleTimer = undefined;
      void this.list();
    }, ms);
    this.settleTimer.unref?.();
  }

  private scheduleResync(): void {
    clearTimeout(this.resyncTimer);
    if (this.stopped) return;
    this.resyncTimer = setTimeout(async () => {
      await this.list();
      if (this.closeEvents) this.scheduleResync();
    }, this.resyncMs);
    this.resyncTimer.unref?.();
  }

  private isUp(): boolean {
    return this.store.getState().engines.find((e) => e.id === this.engine.id)?.status === 'up';
  }

  /** connecting: the engine is marked up in the same update as its list (never a list under "connecting…"). */
  private async list(connecting = false): Promise<boolean> {
    if (this.stopped) return false;
    if (this.listing) {
      this.relistAgain = true;
      return true;
    }
    this.listing = true;
    try {
      const containers = this.details.apply(await this.engine.listContainers());
      if (connecting) trace(`engine ${this.engine.id} listed`);
      this.lastListAt = Date.now();
      this.settleLater(this.settling.check(containers));
      // A resync that finds nothing new costs no render: compare what the rows are made of. A row
      // with its own start time shows its age from that (on the list's clock), so the engine's age
      // words ("Up 45 seconds" → "Up 55 seconds") are not a change; its health words are.
      const signature = containers.map((c) => `${c.id}\0${c.state}\0${c.since === undefined ? c.status : c.status.replace(/\d+/g, '#')}\0${c.name}\0${c.image}\0${c.ports.length}\0${c.since ?? ''}`).join('\n');
      const loaded = this.store.getState().loaded[this.engine.id];
      if (!this.stopped && (signature !== this.lastSignature || !loaded)) {
        this.lastSignature = signature;
        this.store.batch(() => {
          this.store.dispatch({ type: 'containers/set', engineId: this.engine.id, containers });
          if (connecting && !this.isUp()) this.store.dispatch({ type: 'engine/status', id: this.engine.id, status: 'up' });
        });
      }
      if (this.listRetryMs) this.listRecovered();
      void this.detailsAfter.then(() => this.details.fill());
      return true;
    } catch (e) {
      // An error the engine answered with (a transient 500) is not a lost connection.
      const answered = explainEngineAnswer(e, 'listing containers');
      if (answered === undefined) {
        this.down(e);
        return false;
      }
      this.listFailed(answered);
      return true;
    } finally {
      this.listing = false;
      if (this.relistAgain && !this.stopped) {
        this.relistAgain = false;
        this.scheduleList();
      }
    }
  }
}

/** 14:03:05: a time of day, for "the list shown is from …". */
function clock(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
