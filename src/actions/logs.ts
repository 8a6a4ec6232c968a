// The log panel's engine side: follows the selected container's log into a LogSession, switches
// when the selection settles, resumes after a restart or an engine reconnect, applies the search,
// and saves. The screen reads the session; everything it changes goes through the store.
import type { Engine } from '../engine/engine.js';
import { explainActionError, httpStatus, isNotFound } from '../engine/errors.js';
import { normaliseState } from '../engine/status.js';
import { displayName, type Container, type ContainerJson } from '../engine/models.js';
import { tsKey, type Follow } from '../engine/logs/follow.js';
import { saveLog } from './logSave.js';
import { compileQuery } from '../engine/logs/search.js';
import { LogSession } from '../store/logs.js';
import { SINCE, type Action, type AppState } from '../store/state.js';
import { selectedContainer } from '../store/select.js';
import type { Store } from '../store/store.js';
import { SelectionTask } from '../store/task.js';

export interface LogsOptions {
  tail: number;
  maxLines: number;
  maxLineBytes: number;
  /** Where saved logs go; '' for the default. */
  dir: string;
  /** ms the selection must rest before the panel switches containers. */
  settleMs?: number;
  /** ms between redraws while lines stream in. */
  tickMs?: number;
  /**
   * Draws the panel's lines again without a render of the whole screen (the frame writer's
   * region); without it, a new line is a store update.
   */
  redraw?: () => void;
}

/** The texts of the last lines stamped `ts` (what a resumed stream must not repeat). */
function linesAt(session: LogSession, ts: string): string[] {
  const k = tsKey(ts);
  const out: string[] = [];
  for (let i = session.buffer.length - 1; i >= 0; i--) {
    const l = session.buffer.at(i)!;
    if (l.stream === 'meta') continue;
    if (!l.ts || tsKey(l.ts) !== k) break;
    out.push(l.text);
  }
  return out;
}

export class LogsController {
  session: LogSession | undefined;
  private follow: Follow | undefined;
  private unsubscribe: (() => void) | undefined;
  private switchTimer: NodeJS.Timeout | undefined;
  /** The selected container's log: another selection cancels it. */
  private readonly task = new SelectionTask();
  private tickTimer: NodeJS.Timeout | undefined;
  private resumeTimer: NodeJS.Timeout | undefined;
  private shownVersion = -1;
  /** The session the screen last drew: another one needs a render, not just its lines. */
  private shownSession: LogSession | undefined;
  private query = '';
  private since = 0;
  private tty = false;
  private openedAt = 0;
  private linesSinceOpen = 0;
  private retryMs = 1000;
  private seenDown = false;
  private minLagMs = Infinity;
  private skippedAt = 0;
  private tickSeq = 0;
  /** Times a flood made the stream skip ahead (for tests and the bench). */
  skips = 0;

  constructor(
    private readonly store: Store<AppState, Action>,
    private readonly engines: ReadonlyMap<string, Engine>,
    private readonly opts: LogsOptions,
  ) {}

  start(): void {
    this.unsubscribe = this.store.subscribe(() => this.onState());
    this.onState();
  }

  stop(): void {
    this.unsubscribe?.();
    clearTimeout(this.switchTimer);
    clearTimeout(this.tickTimer);
    this.task.cancel();
  }

  /** The panel is on screen: lines arriving now are worth a redraw. */
  private visible(s: AppState): boolean {
    return s.ui.pane === 'containers' && s.ui.logs.tab === 'logs' && !s.ui.help && !s.ui.confirm;
  }

  private onState(): void {
    const s = this.store.getState();
    const c = selectedContainer(s);
    const key = c?.key;
    if (key !== this.session?.key) {
      // j held down crosses many containers: open a stream only where the selection rests.
      clearTimeout(this.switchTimer);
      // With the keys on the panel, keys typed now are meant for the selected container: no wait.
      if (!this.session || s.ui.logs.focus) this.switchTo(c);
      else this.switchTimer = setTimeout(() => this.switchTo(selectedContainer(this.store.getState())), this.opts.settleMs ?? 150);
    }
    const ui = s.ui.logs;
    if (this.session && ui.query !== this.query) {
      this.query = ui.query;
      this.applyQuery();
    }
    if (this.session && c && ui.since !== this.since) {
      this.since = ui.since;
      this.open(c, false);
    }
    if (this.session && c && key === this.session.key) {
      this.syncLive(c);
      this.maybeResume(s, c);
    }
  }

  /**
   * A live stream's words follow the container: opened while it was stopped (the lines so far)
   * and started since, its stream follows the new lines — it says "following", not "exited".
   */
  private syncLive(c: Container): void {
    const session = this.session;
    if (session?.state === 'live' && c.state === 'running' && session.stateText !== 'following') {
      session.setState('live', 'following');
      this.tick();
    }
  }

  private applyQuery(): void {
    const q = this.query ? compileQuery(this.query) : undefined;
    this.session?.setQuery(q?.re);
    this.tick();
  }

  private switchTo(c: Container | undefined): void {
    // The previous container's stream and its pending resume stop here, and only here.
    this.task.run(c?.key ?? '', (signal) =>
      signal.addEventListener('abort', () => {
        this.follow?.cancel();
        this.follow = undefined;
        clearTimeout(this.resumeTimer);
        this.resumeTimer = undefined;
      }),
    );
    const s = this.store.getState();
    const old = this.session;
    if (old && !Object.values(s.containers).some((list) => list.some((x) => x.key === old.key))) {
      // The container whose log was on screen is gone: say so, or the switch looks like a glitch.
      this.store.dispatch({ type: 'message', level: 'info', text: `${old.title} was removed${c ? `: showing the log of ${displayName(c)}` : ''}` });
    }
    if (!c) {
      this.session = undefined;
      this.tick();
      return;
    }
    this.session = new LogSession(c.key, displayName(c), { maxLines: this.opts.maxLines, maxLineBytes: this.opts.maxLineBytes });
    this.query = s.ui.logs.query;
    this.since = s.ui.logs.since;
    if (this.query) this.applyQuery();
    // A new container starts at its newest line.
    this.store.dispatch({ type: 'logs/set', patch: { follow: true, anchor: undefined, hscroll: 0, hit: undefined } });
    this.retryMs = 1000;
    this.open(c, false);
  }

  /**
   * (Re)opens the stream. `resume`: after a restart, continue after the last line shown. `skip`:
   * the stream fell behind a flood; keep what is shown and jump to the newest lines.
   */
  private open(c: Container, resume: boolean, skip = false): void {
    const session = this.session;
    const engine = this.engines.get(c.engineId);
    if (!session || !engine) return;
    this.follow?.cancel();
    this.follow = undefined;
    this.minLagMs = Infinity;
    if (!resume && !skip) {
      session.buffer.clear();
      session.lastTs = undefined;
      session.append([]);
    }
    if (!skip) session.setState('loading', resume ? 'following again…' : 'loading…');
    this.tick();
    const since = SINCE[this.since] ?? SINCE[0]!;
    this.openedAt = Date.now();
    this.linesSinceOpen = 0;
    this.seenDown = false;
    engine.inspect(c.id).then(
      (info) => {
        if (this.session !== session) return;
        this.tty = info.Config?.Tty === true;
        if (resume && !info.State?.Running) {
          // The engine says it does not run yet (a restart under way): no "running again" until it does.
          this.retryMs = Math.min(30_000, this.retryMs * 2);
          session.setState('ended', stoppedText(info.State));
          this.tick();
          return;
        }
        if (resume) session.note('— the container is running again: following —');
        let tail: number | 'all' = skip ? Math.min(this.opts.tail, 100) : since.seconds !== undefined || since.all ? 'all' : this.opts.tail;
        let sinceSec = since.seconds !== undefined && !skip ? Math.floor(Date.now() / 1000) - since.seconds : undefined;
        const after = resume && session.lastTs ? { ts: session.lastTs, texts: linesAt(session, session.lastTs) } : undefined;
        if (after) {
          // Everything after the last line shown (the engine's `since` has whole seconds).
          tail = 'all';
          sinceSec = Math.floor(new Date(after.ts).getTime() / 1000);
        }
        session.setState('live', info.State?.Running ? 'following' : `${info.State?.Status ?? 'stopped'}`);
        this.follow = engine.followLogs(
          c.id,
          {
            tty: this.tty,
            tail,
            keepColor: true,
            maxLineBytes: this.opts.maxLineBytes,
            ...(sinceSec !== undefined ? { since: sinceSec } : {}),
            ...(after ? { after } : {}),
          },
          (lines) => {
            if (this.session !== session) return;
            this.linesSinceOpen += lines.length;
            session.append(lines);
            this.tick();
            this.checkLag(c, lines);
          },
          (reason) => {
            if (this.session !== session) return;
            this.follow = undefined;
            this.ended(c, reason);
          },
        );
      },
      (e: unknown) => {
        if (this.session !== session) return;
        if (resume && httpStatus(e) === undefined) {
          // Following again after the end of a stream, and the engine does not answer (no HTTP
          // status: the connection failed): it went away before the list could say so. The stream
          // stays ended (not failed) and is tried again, less and less often, until the engine and
          // the container are back.
          this.retryMs = Math.min(30_000, this.retryMs * 2);
          const up = this.store.getState().engines.find((x) => x.id === c.engineId);
          session.setState('ended', `the engine went away (${up?.error ?? explainActionError(e)}); it resumes when the engine is back`);
          this.tick();
          this.maybeResume(this.store.getState(), c);
          return;
        }
        session.setState('error', `cannot read its logs: ${explainActionError(e)}`);
        session.note(`— cannot read the log: ${explainActionError(e)} —`);
        this.tick();
      },
    );
  }

  /**
   * Under a flood the engine sends the log slower than the container writes it, and a followed
   * stream falls further and further behind. When the lines arriving are seconds older than the
   * freshest seen since opening (so a remote engine's clock does not matter), jump ahead.
   */
  private checkLag(c: Container, lines: readonly { ts?: string }[]): void {
    const ts = lines[lines.length - 1]?.ts;
    if (!ts || lines.length < 200) {
      if (ts) this.minLagMs = Math.min(this.minLagMs, Date.now() - Date.parse(ts));
      return;
    }
    const lag = Date.now() - Date.parse(ts);
    if (!Number.isFinite(lag)) return;
    this.minLagMs = Math.min(this.minLagMs, lag);
    if (lag - this.minLagMs < 400 || Date.now() - this.skippedAt < 1000) return;
    this.skippedAt = Date.now();
    this.skips++;
    this.session?.note(`— the container writes faster than the engine sends its log: ${(lag / 1000).toFixed(1)} s behind, skipped to the newest lines (s saves the buffer, S the whole log) —`);
    this.open(c, false, true);
  }

  private ended(c: Container, reason: string): void {
    const session = this.session!;
    // A quick end with nothing new (the stream of a container still stopping) backs off.
    if (Date.now() - this.openedAt < 1500 && this.linesSinceOpen === 0) this.retryMs = Math.min(30_000, this.retryMs * 2);
    else this.retryMs = 1000;
    const finish = (text: string) => {
      if (this.session !== session) return;
      session.setState('ended', text);
      session.note(`— end of stream: ${text} —`);
      this.tick();
      this.maybeResume(this.store.getState(), this.store.getState().containers[c.engineId]?.find((x) => x.key === c.key));
    };
    const engine = this.engines.get(c.engineId);
    if (!engine) return finish(reason);
    // The list may not know yet (a kill a moment ago): the engine says why the stream ended.
    engine.inspect(c.id).then(
      (info) => finish(info.State?.Running ? reason : stoppedText(info.State)),
      (e: unknown) => {
        const up = this.store.getState().engines.find((x) => x.id === c.engineId);
        if (isNotFound(e)) finish('the container was removed');
        else finish(`the engine went away (${up?.error ?? explainActionError(e)}); it resumes when the engine is back`);
      },
    );
  }

  /** An ended stream whose container runs again (restart, engine back) is followed again. */
  private maybeResume(s: AppState, c: Container | undefined): void {
    const session = this.session;
    if (!session || session.state !== 'ended' || !c || this.follow || this.resumeTimer) return;
    const engine = s.engines.find((e) => e.id === c.engineId);
    if (engine?.status === 'down' || c.state !== 'running') {
      this.seenDown = true;
      return;
    }
    const wait = this.seenDown ? 0 : Math.max(0, this.openedAt + this.retryMs - Date.now());
    this.resumeTimer = setTimeout(() => {
      this.resumeTimer = undefined;
      const st = this.store.getState();
      const cur = selectedContainer(st);
      if (this.session !== session || !cur || cur.key !== session.key || cur.state !== 'running' || this.follow) return;
      this.open(cur, true);
    }, wait);
    this.resumeTimer.unref?.();
  }

  /** Redraw soon (at most every tickMs), when the panel is on screen and something changed. */
  private tick(): void {
    if (this.tickTimer) return;
    // Under a flood, 4 frames a second instead of 10: the keys stay answered.
    const seq = this.session?.buffer.lastSeq ?? 0;
    const flood = seq - this.tickSeq > 1000;
    this.tickSeq = seq;
    const ms = this.opts.tickMs ?? 100;
    this.tickTimer = setTimeout(() => {
      this.tickTimer = undefined;
      const s = this.store.getState();
      const v = this.session?.version ?? -1;
      if (!this.visible(s) || v === this.shownVersion) return;
      this.shownVersion = v;
      if (this.opts.redraw && this.session === this.shownSession) this.opts.redraw();
      else this.store.dispatch({ type: 'logs/tick' });
      this.shownSession = this.session;
    }, flood ? Math.max(ms, 250) : ms);
    this.tickTimer.unref?.();
  }

  /** s: the buffer as shown to a file. S (whole): the engine's whole log. Leaves a message either way. */
  save(whole: boolean): Promise<void> {
    return saveLog(this.session, whole, { dispatch: this.store.dispatch, engines: this.engines, dir: this.opts.dir, tty: this.tty });
  }
}

/** Why a stopped container's stream ended, from the engine's State: "the container is exited (137); …". */
function stoppedText(state: ContainerJson['State']): string {
  // Podman's inspect says "stopped" for a moment before "exited": one word for both.
  const known = normaliseState(state?.Status, '');
  const status = known === 'unknown' ? (state?.Status ?? 'stopped') : known;
  const code = status === 'exited' && typeof state?.ExitCode === 'number' ? ` (${state.ExitCode})` : '';
  return `the container is ${status}${code}; it resumes when it starts again`;
}
