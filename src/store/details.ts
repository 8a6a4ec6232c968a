// What one engine's inspect says of its containers that the list cannot: when each started or
// finished by the engine's own clock (State.StartedAt / FinishedAt — the list has only rounded
// words such as "Up About a minute") and, for a running one, its GPU settings. One inspect per
// container per state, four at a time; an event that changes those times (start, die, restart)
// forgets a container's, a reconnect forgets them all. Ages drawn from these never run backwards.
import type { ContainerDetails, Engine } from '../engine/engine.js';
import { isNotFound } from '../engine/errors.js';
import type { Container, ContainerState } from '../engine/models.js';
import type { GpuGrantInput } from '../gpu/reservations.js';
import type { Store } from './store.js';
import type { Action, AppState } from './state.js';

/** States whose age is shown: since it started (running, paused) or finished (exited, dead). */
const AGED: ReadonlySet<ContainerState> = new Set(['running', 'paused', 'exited', 'dead']);

/** Events after which a container's StartedAt or FinishedAt is another one. */
const TIME_EVENTS: ReadonlySet<string> = new Set(['start', 'restart', 'die', 'died', 'exited', 'init']);

export function changesTimes(action: string): boolean {
  return TIME_EVENTS.has(action.split(':')[0]!.trim());
}

/** The time a row's age counts from: StartedAt while it runs, FinishedAt once it stopped. */
function sinceOf(state: ContainerState, d: ContainerDetails): number | undefined {
  return state === 'running' || state === 'paused' ? d.startedAt : d.finishedAt;
}

const FLUSH_MS = 200;
const WORKERS = 4;
/** After an inspect that failed (timed out, the engine answered 500): ask again in 1 s, 2 s, … 30 s. */
const RETRY_MS: readonly [number, number] = [1000, 30_000];

export class DetailsReader {
  /** Per container id: the state it was inspected in, and the time its age counts from then. */
  private readonly known = new Map<string, { state: ContainerState; since?: number }>();
  private filling = false;
  private again = false;
  private retryMs = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  /** Inspects done since the reader started (for tests and the bench). */
  inspects = 0;

  constructor(
    private readonly engine: Engine,
    private readonly store: Store<AppState, Action>,
    private readonly gpuGrants: boolean,
    private readonly stopped: () => boolean,
  ) {}

  /** The rows with the engine's times, where they are known for the state each row is in. */
  apply(rows: readonly Container[]): Container[] {
    return rows.map((c) => {
      const k = this.known.get(c.id);
      if (!k || k.state !== c.state || k.since === undefined || c.since === k.since) return c;
      return { ...c, since: k.since };
    });
  }

  forget(id: string): void {
    this.known.delete(id);
  }

  clear(): void {
    this.known.clear();
  }

  stop(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private needs(c: Container, s: AppState): boolean {
    if (AGED.has(c.state) && this.known.get(c.id)?.state !== c.state) return true;
    return this.gpuGrants && c.state === 'running' && !(c.key in s.grants);
  }

  /** Inspects every listed container whose details are not known yet, and puts them in the store. */
  async fill(): Promise<void> {
    if (this.filling) {
      this.again = true;
      return;
    }
    this.filling = true;
    try {
      do {
        this.again = false;
        await this.fillOnce();
      } while (this.again && !this.stopped());
    } finally {
      this.filling = false;
    }
  }

  private async fillOnce(): Promise<void> {
    const s = this.store.getState();
    const todo = (s.containers[this.engine.id] ?? []).filter((c) => this.needs(c, s));
    if (todo.length === 0) return;
    let next = 0;
    let times: Record<string, { state: ContainerState; since: number }> = {};
    let grants: Record<string, GpuGrantInput | null> = {};
    let flushed = Date.now();
    let failed = false;
    const flush = () => {
      if (this.stopped()) return;
      if (Object.keys(grants).length) this.store.dispatch({ type: 'grants/set', grants });
      if (Object.keys(times).length) this.store.dispatch({ type: 'containers/since', engineId: this.engine.id, since: times });
      times = {};
      grants = {};
      flushed = Date.now();
    };
    const worker = async () => {
      while (next < todo.length && !this.stopped()) {
        const c = todo[next++]!;
        this.inspects++;
        let d: ContainerDetails | undefined;
        try {
          d = await this.engine.details(c.id);
        } catch (e) {
          // Gone (404): not asked again until a list shows it in another state. Any other failure: asked again later.
          if (!isNotFound(e)) {
            failed = true;
            continue;
          }
        }
        const since = d ? sinceOf(c.state, d) : undefined;
        this.known.set(c.id, since === undefined ? { state: c.state } : { state: c.state, since });
        if (since !== undefined) times[c.id] = { state: c.state, since };
        if (this.gpuGrants && c.state === 'running') grants[c.key] = d ? d.grant : null;
        // One redraw per FLUSH_MS, not one per inspect: 1,000 containers are 1,000 inspects.
        if (Date.now() - flushed >= FLUSH_MS) flush();
      }
    };
    await Promise.all(Array.from({ length: Math.min(WORKERS, todo.length) }, worker));
    flush();
    if (failed) this.retryLater();
    else this.retryMs = 0;
  }

  /**
   * An inspect that failed for a reason that can pass (a timeout on a loaded engine, a 500) leaves
   * its container unknown, and the reader asks again after a while: without this, the row would
   * show no age until its state changed.
   */
  private retryLater(): void {
    if (this.retryTimer || this.stopped()) return;
    this.retryMs = this.retryMs ? Math.min(this.retryMs * 2, RETRY_MS[1]) : RETRY_MS[0];
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.stopped()) void this.fill();
    }, this.retryMs);
    this.retryTimer.unref?.();
  }
}
