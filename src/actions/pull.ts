// The pull dialog's work (P in Images, `:pull IMAGE`): choose the engine when there are several,
// take the reference, and own the one PullTask — its progress into the dialog a few times a
// second, Esc (or quitting) cancels it, and the result goes to the status line with the new image
// selected in the Images pane. A failure keeps the dialog and the reference, said in words.
import { shownEngines } from '../store/select.js';
import type { AuthEnv } from '../engine/auth.js';
import type { Engine } from '../engine/engine.js';
import type { PullOutcome, PullTask } from '../engine/pull.js';
import { parseImageRef } from '../engine/reference.js';
import { decimalBytes } from '../present/bytes.js';
import type { Action, AppState, PullUi } from '../store/state.js';
import type { Store } from '../store/store.js';
import { refusedReadOnly } from './readOnly.js';
import { whenPresent } from './whenPresent.js';

export interface PullDeps {
  insecureRegistries: readonly string[];
  authEnv: AuthEnv;
  /** Loads the Images pane's rows (completion, and the new image to select); resolves when loaded. */
  loadImages(): Promise<void>;
  /** How often the dialog is redrawn while a pull streams (ms). */
  frameMs?: number;
  now?: () => number;
}

/** What the pull dialog's keys call (src/ui/modes/pull.tsx). */
export interface PullControls {
  open(o?: { ref?: string; engineId?: string }): void;
  /** The engine chosen (Enter on the engine list). */
  chooseEngine(id: string): void;
  /** The reference typed: pull it. */
  start(ref: string): void;
  /** Esc: cancels a pull under way, else closes the dialog. */
  cancel(): void;
}

export class PullController implements PullControls {
  private task: PullTask | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Store<AppState, Action>,
    private readonly engines: ReadonlyMap<string, Engine>,
    private readonly deps: PullDeps,
  ) {}

  private say(text: string, level: 'info' | 'ok' | 'error' = 'info'): void {
    this.store.dispatch({ type: 'message', level, text });
  }

  private ui(): PullUi | undefined {
    return this.store.getState().ui.pull;
  }

  private setUi(patch: Partial<PullUi>): void {
    const p = this.ui();
    if (!p) return;
    const next = { ...p, ...patch };
    for (const k of Object.keys(patch) as (keyof PullUi)[]) if (patch[k] === undefined) delete next[k];
    this.store.dispatch({ type: 'pull', pull: next });
  }

  /** The reference line, for typing (a prompt with Tab completion). */
  private askRef(text: string): void {
    this.setUi({ stage: 'ref' });
    this.store.dispatch({ type: 'prompt', prompt: { kind: 'pull-ref', text, cursor: [...text].length, completeImages: true } });
  }

  open(o: { ref?: string; engineId?: string } = {}): void {
    if (refusedReadOnly(this.store, 'pull')) return;
    if (this.task) return this.say(`a pull of ${this.task.ref} is under way`);
    const s = this.store.getState();
    // Narrowed to one server (the Servers pane): its engines only.
    const engines = shownEngines(s).filter((e) => e.status !== 'down' && this.engines.has(e.id)).map((e) => e.id);
    if (engines.length === 0) return this.say('no engine is connected: nothing to pull with', 'error');
    const given = o.engineId && engines.includes(o.engineId) ? o.engineId : undefined;
    const cursor = Math.max(0, engines.indexOf(given ?? ''));
    const pull: PullUi = { stage: 'engine', engines, cursor, ref: o.ref ?? '', layers: [], status: '' };
    this.store.dispatch({ type: 'pull', pull });
    void this.deps.loadImages().catch(() => undefined);
    if (engines.length === 1) this.chooseEngine(engines[0]!);
  }

  chooseEngine(id: string): void {
    const p = this.ui();
    if (!p || p.stage !== 'engine') return;
    this.setUi({ engineId: id });
    if (p.ref && typeof parseImageRef(p.ref) !== 'string') this.start(p.ref);
    else this.askRef(p.ref);
  }

  start(raw: string): void {
    const p = this.ui();
    const e = this.engines.get(p?.engineId ?? '');
    if (!p || !e || this.task) return;
    if (refusedReadOnly(this.store, 'pull')) return this.close();
    const ref = raw.trim();
    const bad = parseImageRef(ref);
    if (typeof bad === 'string') {
      this.setUi({ error: bad, ref });
      return this.askRef(ref);
    }
    const now = this.deps.now ?? Date.now;
    const task = e.pull(ref, { insecureRegistries: this.deps.insecureRegistries, authEnv: this.deps.authEnv, onEvent: (ev) => this.progress(ev.type === 'status' ? ev.text : undefined) });
    this.task = task;
    this.setUi({ stage: 'pulling', ref: task.ref, layers: [], totals: undefined, status: `pulling ${task.ref} on ${e.id}`, startedAt: now(), error: undefined });
    void task.done.then((r) => this.finished(e.id, r, now() - (this.ui()?.startedAt ?? now())));
  }

  private latestStatus: string | undefined;

  /** Progress: the dialog redrawn at most every frameMs, however fast the engine streams. */
  private progress(status: string | undefined): void {
    if (status) this.latestStatus = status;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.deps.frameMs ?? 200);
    this.timer.unref?.();
  }

  private flush(): void {
    const t = this.task;
    if (!t || this.ui()?.stage !== 'pulling') return;
    this.setUi({ layers: t.layers(), totals: t.totals(), ...(this.latestStatus ? { status: this.latestStatus } : {}) });
  }

  private finished(engineId: string, r: PullOutcome, ms: number): void {
    const t = this.task;
    this.task = undefined;
    this.latestStatus = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (r.status === 'cancelled') {
      this.close();
      return this.say(r.message);
    }
    if (r.status === 'failed') {
      this.say(r.message, 'error');
      if (!this.ui()) return;
      this.setUi({ error: r.message, layers: t?.layers() ?? [], totals: t?.totals() });
      return this.askRef(r.ref);
    }
    this.close();
    const bytes = r.totals.bytesKnown ? `${decimalBytes(r.totals.currentBytes)} ` : '';
    this.say(`pulled ${r.ref} on ${engineId} (${r.imageId.replace(/^sha256:/, '').slice(0, 12)}): ${bytes}in ${(ms / 1000).toFixed(1)} s`, 'ok');
    this.store.dispatch({ type: 'pane', pane: 'images' });
    const key = `${engineId}/${r.imageId}`;
    void this.deps.loadImages().catch(() => undefined);
    whenPresent(this.store, (s) => (s.resources.images[engineId] ?? []).some((i) => i.key === key), () => this.store.dispatch({ type: 'select', list: 'images', key }));
  }

  cancel(): void {
    if (this.task) {
      this.task.cancel();
      return this.setUi({ status: 'cancelling…' });
    }
    this.close();
    this.say('pull cancelled: nothing was pulled');
  }

  private close(): void {
    if (this.store.getState().ui.prompt?.kind === 'pull-ref') this.store.dispatch({ type: 'prompt' });
    if (this.ui()) this.store.dispatch({ type: 'pull' });
  }

  /** Quitting: a pull under way is cancelled (the engine cleans up what it half-pulled). */
  stop(): void {
    this.task?.cancel();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
