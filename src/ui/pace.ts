// How often the screen follows the store. A key's own update is drawn at once; everything else
// (log ticks through the store, stats, GPU readings, engine events, list resyncs) is drawn at most
// once a window: the first change after a quiet window at once, the ones after it together at the
// window's end. A flood of small updates then costs ~20 frames a second, not one per update, and
// the keys typed meanwhile are not queued behind them.

export interface PaceTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(t: unknown): void;
}

const realTimers: PaceTimers = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (t) => clearTimeout(t as NodeJS.Timeout),
};

export class Pacer {
  private readonly listeners = new Set<() => void>();
  private unsubscribe: (() => void) | undefined;
  private urgentDepth = 0;
  private lastAt = -Infinity;
  private timer: unknown;

  /**
   * `source`: the store's subscribe. `windowMs` 0: every change is passed on at once. `urgent`: says
   * whether the change just made is one a person waits for (an engine's first list, which replaces
   * "connecting…"): passed on at once, with anything held.
   */
  constructor(
    private readonly source: (listener: () => void) => () => void,
    private readonly windowMs = 50,
    private readonly timers: PaceTimers = realTimers,
    private readonly isUrgent?: () => boolean,
  ) {}

  /** For useSyncExternalStore: the listener hears the store's changes, paced. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    this.unsubscribe ??= this.source(this.changed);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size > 0) return;
      this.unsubscribe?.();
      this.unsubscribe = undefined;
      this.cancel();
    };
  };

  /** Runs `fn` (a key's dispatches): what it changes is passed on at once, with anything held. */
  urgent<T>(fn: () => T): T {
    this.urgentDepth++;
    try {
      return fn();
    } finally {
      this.urgentDepth--;
    }
  }

  private readonly changed = (): void => {
    if (this.urgentDepth > 0 || this.windowMs <= 0 || this.isUrgent?.()) return this.fire();
    if (this.timer !== undefined) return;
    const wait = this.lastAt + this.windowMs - this.timers.now();
    if (wait <= 0) return this.fire();
    this.timer = this.timers.setTimeout(this.fire, wait);
  };

  private readonly fire = (): void => {
    this.cancel();
    this.lastAt = this.timers.now();
    for (const l of [...this.listeners]) l();
  };

  private cancel(): void {
    if (this.timer === undefined) return;
    this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
