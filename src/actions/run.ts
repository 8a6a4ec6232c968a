// The run form's work (n, `:run TEMPLATE`): a draft from a template, every field editable, the
// GPU picker, the start — with its faults said in the form, the draft kept — and then the new
// container: an interactive one gets the terminal (like a) and the new row is selected when it
// ends or is detached; a detached one is selected and its log follows.
import { shownEngines } from '../store/select.js';
import type { Engine } from '../engine/engine.js';
import { RunError, type Created } from '../engine/create.js';
import type { SessionEnd } from '../engine/exec.js';
import type { Action, AppState } from '../store/state.js';
import type { Store } from '../store/store.js';
import { holderText } from '../run/gpuPick.js';
import { draftFromTemplate, engineTarget, resolveGpus, specFromDraft, startRun, type RunDraft } from '../run/run.js';
import { TemplateError, templatesDir, type Template, type TemplateContext } from '../run/templates.js';
import { refusedReadOnly } from './readOnly.js';
import { fieldDef, fieldText, isListField, listItems, removeItem, setItem, setText, type FieldId } from './runForm.js';
import { gpuChoices, rowIndexOf, runView, visibleRows, type Question, type RunFormState, type RunView } from './runView.js';
import { RunPicker } from './runPicker.js';
import { whenPresent } from './whenPresent.js';

/** The template files' code (with the YAML parser, 113 KiB): loaded when the run form first opens. */
let files: typeof import('../run/templateFiles.js') | undefined;
export function loadTemplateFiles(): Promise<typeof import('../run/templateFiles.js')> {
  return import('../run/templateFiles.js').then((m) => (files = m));
}

export interface RunDeps {
  templates: TemplateContext;
  /** Hands the terminal to a container's main process (InsideController.attach). */
  attach(c: { engineId: string; id: string; name: string }, o: { replay: boolean }): Promise<(SessionEnd & { error?: string }) | undefined>;
  /** Re-lists an engine's containers (the new row comes sooner than its event). */
  refresh(engineId: string): void;
  /** Loads the images (for the image field's Tab completion). */
  loadImages(): void;
}

/** What the run form's keys call (src/ui/modes/run.tsx). */
export interface RunControls {
  open(o?: { template?: string; image?: string; engineId?: string }): void;
  view(): RunView | undefined;
  move(delta: number): void;
  /** Enter: edit the row's text (returns the prompt to open), toggle, cycle a choice, or open the GPU picker. */
  enter(): { text: string; completeImages: boolean } | undefined;
  /** The edited text accepted: undefined, or what is wrong with it (the prompt stays open). */
  commit(text: string): string | undefined;
  cancelEdit(): void;
  add(): { text: string; completeImages: boolean } | undefined;
  remove(): void;
  start(): void;
  answer(yes: boolean): void;
  /** c: the whole command line in place of the fields, and back. */
  toggleCommand(): void;
  /** Esc while the whole command line shows: back to the fields (true), else false. */
  closeCommand(): boolean;
  close(): void;
  readonly picker: RunPicker;
}

export class RunController implements RunControls {
  private f: RunFormState | undefined;
  /** While the first open loads the template files' code (tests wait on it). */
  loading: Promise<void> | undefined;
  private version = 0;
  /** Mount sources the user agreed to have created. */
  private createMounts = false;
  /** What the open question's answers do, and the stage to go back to. */
  private onAnswer: { yes: () => void; no: () => void; back: RunFormState['stage'] } | undefined;
  readonly picker: RunPicker;

  constructor(
    private readonly store: Store<AppState, Action>,
    private readonly engines: ReadonlyMap<string, Engine>,
    private readonly deps: RunDeps,
  ) {
    this.picker = new RunPicker(store, {
      form: () => this.f,
      set: (patch) => this.set(patch),
      askBusy: (indices, then, no) => this.askBusy(indices, then, 'Use a busy GPU?', no, 'leave it out'),
    });
  }

  private say(text: string, level: 'info' | 'ok' | 'error' = 'info'): void {
    this.store.dispatch({ type: 'message', level, text });
  }

  /** Changes the form's state and redraws it. */
  private set(patch: Partial<RunFormState>): void {
    if (!this.f) return;
    this.f = { ...this.f, ...patch };
    for (const k of Object.keys(patch) as (keyof RunFormState)[]) if (patch[k] === undefined) delete this.f[k];
    this.store.dispatch({ type: 'run', run: { stage: this.f.stage, version: ++this.version } });
  }

  view(): RunView | undefined {
    return this.f && runView(this.store.getState(), this.f, this.deps.templates.user);
  }

  open(o: { template?: string; image?: string; engineId?: string } = {}): void {
    if (refusedReadOnly(this.store, 'run')) return;
    const s = this.store.getState();
    // Narrowed to one server (the Servers pane): its engines only.
    const engines = shownEngines(s).filter((e) => e.status !== 'down' && this.engines.has(e.id)).map((e) => ({ id: e.id, kind: e.kind }));
    if (engines.length === 0) return this.say('no engine is connected: nothing to run on', 'error');
    if (!files) {
      this.loading ??= loadTemplateFiles().then(
        () => {
          this.loading = undefined;
          this.open(o);
        },
        (e: Error) => {
          this.loading = undefined;
          this.say(`the run form could not load: ${e.message}`, 'error');
        },
      );
      return;
    }
    const { builtinTemplate, listTemplates, loadTemplate } = files;
    const listed = listTemplates(this.deps.templates);
    let templates: Template[] = listed.templates.length ? listed.templates : [builtinTemplate(this.deps.templates)];
    if (o.template) {
      let t: Template;
      try {
        t = templates.find((x) => x.name === o.template) ?? loadTemplate(o.template, this.deps.templates);
      } catch (e) {
        return this.say(e instanceof TemplateError ? e.message : String(e), 'error');
      }
      templates = [t, ...templates.filter((x) => x.name !== t.name)];
    }
    const draft = draftFromTemplate(templates[0]!);
    if (o.image) draft.image = o.image;
    const engine = Math.max(0, engines.findIndex((e) => e.id === o.engineId));
    this.f = { stage: 'form', templates, template: 0, problems: listed.problems, engines, engine, draft, cursor: 0, acceptBusy: [] };
    this.createMounts = false;
    if (o.image) this.f.notice = `the image ${o.image} in the template ${templates[0]!.name}: every field can be changed before starting`;
    this.deps.loadImages();
    this.set({ cursor: Math.max(0, rowIndexOf(this.f, o.image ? 'gpus' : 'image')) });
  }

  close(): void {
    if (!this.f) return;
    this.f = undefined;
    this.store.dispatch({ type: 'run' });
  }

  private rows() {
    return this.f ? visibleRows(this.f) : [];
  }

  move(delta: number): void {
    if (!this.f) return;
    const n = this.rows().length;
    this.set({ cursor: Math.max(0, Math.min(n - 1, this.f.cursor + delta)), error: undefined });
  }

  private draftChanged(draft: RunDraft, patch: Partial<RunFormState> = {}): void {
    this.set({ draft, error: undefined, ...patch });
  }

  enter(): { text: string; completeImages: boolean } | undefined {
    const f = this.f;
    const row = this.rows()[f?.cursor ?? -1];
    if (!f || !row) return undefined;
    const def = fieldDef(row.field);
    if (row.item !== undefined && isListField(row.field)) {
      this.set({ editing: row, error: undefined });
      return { text: listItems(f.draft, row.field)[row.item] ?? '', completeImages: false };
    }
    switch (def.kind) {
      case 'list':
        return this.add();
      case 'toggle':
        this.draftChanged(row.field === 'remove' ? { ...f.draft, remove: !f.draft.remove } : { ...f.draft, interactive: !f.draft.interactive });
        return undefined;
      case 'gpus':
        this.picker.open();
        return undefined;
      case 'choice':
        if (row.field === 'engine') this.set({ engine: (f.engine + 1) % f.engines.length, error: undefined });
        else this.nextTemplate();
        return undefined;
      default:
        this.set({ editing: row, error: undefined });
        return { text: fieldText(f.draft, row.field), completeImages: row.field === 'image' };
    }
  }

  private nextTemplate(): void {
    const f = this.f!;
    if (f.templates.length < 2) return this.set({ notice: `${f.templates[0]!.name} is the only template: add others as YAML files in ${this.templatesDir()}` });
    const template = (f.template + 1) % f.templates.length;
    const draft = draftFromTemplate(f.templates[template]!);
    this.set({ template, draft, acceptBusy: [], error: undefined, notice: `the template ${draft.template}: its fields replace the form's` });
  }

  private templatesDir(): string {
    return templatesDir(this.deps.templates.env, this.deps.templates.home);
  }

  add(): { text: string; completeImages: boolean } | undefined {
    const f = this.f;
    const row = this.rows()[f?.cursor ?? -1];
    if (!f || !row || !isListField(row.field)) return undefined;
    const item = listItems(f.draft, row.field).length;
    this.set({ editing: { field: row.field, item }, error: undefined });
    return { text: '', completeImages: false };
  }

  remove(): void {
    const f = this.f;
    const row = this.rows()[f?.cursor ?? -1];
    if (!f || !row || row.item === undefined || !isListField(row.field)) return;
    const draft = removeItem(f.draft, row.field, row.item, this.deps.templates);
    this.draftChanged(draft, { cursor: Math.min(f.cursor, visibleRows({ ...f, draft }).length - 1) });
  }

  commit(text: string): string | undefined {
    const f = this.f;
    const row = f?.editing;
    if (!f || !row) return undefined;
    const next = row.item !== undefined && isListField(row.field) ? setItem(f.draft, row.field, row.item, text, this.deps.templates) : setText(f.draft, row.field, text);
    if (typeof next === 'string') {
      this.set({ error: next });
      return next;
    }
    const rows = visibleRows({ ...f, draft: next });
    // A new item: the cursor goes to it; an emptied one is gone.
    const at = row.item !== undefined ? rows.findIndex((r) => r.field === row.field && r.item === row.item) : -1;
    this.draftChanged(next, { editing: undefined, cursor: at >= 0 ? at : Math.min(f.cursor, rows.length - 1) });
    return undefined;
  }

  toggleCommand(): void {
    if (this.f) this.set({ showCommand: !this.f.showCommand });
  }

  closeCommand(): boolean {
    if (!this.f?.showCommand) return false;
    this.set({ showCommand: false });
    return true;
  }

  cancelEdit(): void {
    this.set({ editing: undefined, error: undefined });
  }

  private ask(question: Question, onYes: () => void, onNo: () => void): void {
    this.onAnswer = { yes: onYes, no: onNo, back: this.f!.stage === 'ask' ? 'form' : this.f!.stage };
    this.set({ stage: 'ask', question });
  }

  answer(yes: boolean): void {
    const a = this.onAnswer;
    if (!this.f || !a) return;
    this.onAnswer = undefined;
    this.set({ stage: a.back === 'starting' ? 'form' : a.back, question: undefined });
    (yes ? a.yes : a.no)();
  }

  /** The engine the form starts on (its GPUs are the ones offered). */
  private engineId(): string | undefined {
    const f = this.f;
    return f ? f.engines[f.engine]?.id : undefined;
  }

  /** Asks about a GPU that is busy now, naming who is on it. */
  askBusy(indices: number[], then: () => void, title = 'Start on a busy GPU?', onNo = () => this.picker.open(), noWords = 'choose again'): void {
    const ranked = gpuChoices(this.store.getState(), this.engineId()).choices;
    const lines = indices.map((i) => {
      const g = ranked.find((x) => x.index === i);
      return `GPU ${i} is busy: ${g ? g.holders.map(holderText).join(', ') : 'someone is on it'}.`;
    });
    this.ask(
      { title, lines: [...lines, 'Sharing a GPU slows both jobs down, and either may run out of its memory.'], yes: 'use it anyway', no: noWords },
      () => {
        this.set({ acceptBusy: [...new Set([...this.f!.acceptBusy, ...indices])] });
        then();
      },
      onNo,
    );
  }

  /** s: checks, asks what must be asked, creates and starts. */
  start(): void {
    void this.startNow();
  }

  private async startNow(): Promise<void> {
    const f = this.f;
    if (!f || f.stage === 'starting' || refusedReadOnly(this.store, 'run')) return;
    const e = this.engines.get(f.engines[f.engine]?.id ?? '');
    if (!e) return this.set({ error: `${f.engines[f.engine]?.id ?? 'the engine'} is not connected` });
    const { choices, unavailable } = gpuChoices(this.store.getState(), this.engineId());
    let gpus;
    try {
      gpus = resolveGpus(f.draft.gpus, unavailable ? undefined : choices);
    } catch (err) {
      return this.fault(err);
    }
    const busy = gpus.busy.map((g) => g.index).filter((i) => !f.acceptBusy.includes(i));
    if (busy.length) return this.askBusy(busy, () => this.start());
    const view = this.view()!;
    const spec = specFromDraft(f.draft, view.name, gpus.ids);
    this.set({ stage: 'starting', error: undefined, notice: `starting ${spec.name} on ${e.id}…` });
    try {
      const created = await startRun(engineTarget(e), spec, {
        gpus: async () => (gpuChoices(this.store.getState(), this.engineId()).unavailable ? undefined : gpuChoices(this.store.getState(), this.engineId()).choices),
        acceptBusy: this.f?.acceptBusy ?? [],
        createMounts: this.createMounts,
      });
      this.close();
      await this.started(e, created, spec.interactive, gpus.ids, spec.remove);
    } catch (err) {
      if (this.f) this.set({ stage: 'form', notice: undefined });
      this.fault(err);
    }
  }

  /** A start that did not happen, said in the form, with a question where there is a way on. */
  private fault(err: unknown): void {
    if (!this.f) return this.say(err instanceof Error ? err.message : String(err), 'error');
    if (!(err instanceof RunError)) return this.set({ error: `could not start: ${err instanceof Error ? err.message : String(err)}` });
    const at = (field: FieldId) => Math.max(0, rowIndexOf(this.f!, field));
    switch (err.problem) {
      case 'name-in-use':
        if (err.suggestion) {
          const free = err.suggestion;
          return this.ask(
            { title: 'The name is taken', lines: [`${err.message}.`], yes: `start it as ${free}`, no: 'change the name myself' },
            () => {
              this.draftChanged({ ...this.f!.draft, name: free });
              this.start();
            },
            () => this.set({ cursor: at('name') }),
          );
        }
        return this.set({ error: err.message, cursor: at('name') });
      case 'mount-missing':
        return this.ask(
          { title: 'Create the missing mount source?', lines: [`${err.message}.`, `y creates it as ${this.deps.templates.user}, the user gantry runs as (mode 755).`], yes: 'create and start', no: 'change the mounts' },
          () => {
            this.createMounts = true;
            this.start();
          },
          () => this.set({ cursor: at('mounts') }),
        );
      case 'gpu-busy': {
        const ranked = gpuChoices(this.store.getState(), this.engineId()).choices;
        const ids = this.view()?.gpuIds ?? [];
        const busy = ranked.filter((g) => !g.idle && ids.includes(String(g.index))).map((g) => g.index);
        if (busy.length && this.f.draft.gpus.mode !== 'auto') return this.askBusy(busy, () => this.start(), 'A GPU became busy');
        return this.set({ error: err.message, cursor: at('gpus') });
      }
      case 'port-in-use':
        return this.set({ error: err.message, cursor: at('ports') });
      case 'gpu-unknown':
        return this.set({ error: err.message, cursor: at('gpus') });
      case 'image-missing':
        return this.set({ error: `${err.message} (P in the Images pane pulls it)`, cursor: at('image') });
      default:
        return this.set({ error: err.message });
    }
  }

  /** After the start: the terminal to an interactive one, or its log; the new row selected. */
  private async started(e: Engine, created: Created, interactive: boolean, gpus: string[], removeOnExit: boolean): Promise<void> {
    const key = `${e.id}/${created.id}`;
    const where = `${created.name} on ${e.id}${gpus.length ? ` (${gpus.includes('all') ? 'all GPUs' : `GPU ${gpus.join(', ')}`})` : ''}`;
    const warn = created.warnings.length ? ` — ${e.id} warns: ${created.warnings.join('; ')}` : '';
    this.deps.refresh(e.id);
    this.store.batch(() => {
      this.store.dispatch({ type: 'pane', pane: 'containers' });
      this.store.dispatch({ type: 'logs/set', patch: { tab: 'logs', follow: true, focus: false } });
    });
    if (!interactive) {
      this.selectWhenListed(key);
      return this.say(`started ${where}: its log follows${warn}`, 'ok');
    }
    const end = await this.deps.attach({ engineId: e.id, id: created.id, name: created.name }, { replay: true });
    this.deps.refresh(e.id);
    if (end && !end.detached && !end.error && removeOnExit) this.say(`${created.name} on ${e.id} exited${end.exitCode !== undefined ? ` (exit code ${end.exitCode})` : ''} and was removed (remove on exit)`, end.exitCode ? 'error' : 'info');
    else this.selectWhenListed(key);
  }

  /** Selects a container as soon as the list has it (its create event, or the re-list). */
  private selectWhenListed(key: string): void {
    const engineId = key.slice(0, key.indexOf('/'));
    whenPresent(this.store, (s) => (s.containers[engineId] ?? []).some((c) => c.key === key), () => this.store.dispatch({ type: 'jump', key }));
  }
}
