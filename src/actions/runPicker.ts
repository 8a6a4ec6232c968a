// The run form's GPU picker: every GPU ranked (idle first, by free memory) with who holds the busy
// ones; space chooses or leaves out (a busy one asks first, naming who is on it), a goes back to
// auto (the N idle GPUs with the most free memory), n to none; Enter takes the choice into the form.
import type { Action, AppState } from '../store/state.js';
import type { Store } from '../store/store.js';
import { autoPick } from '../run/gpuPick.js';
import { gpuChoices, type RunFormState } from './runView.js';

export interface PickerHost {
  form(): RunFormState | undefined;
  set(patch: Partial<RunFormState>): void;
  /** Asks before choosing busy GPUs; `then` on yes, `no` on no. */
  askBusy(indices: number[], then: () => void, no: () => void): void;
}

export class RunPicker {
  constructor(
    private readonly store: Store<AppState, Action>,
    private readonly host: PickerHost,
  ) {}

  private choices() {
    const f = this.host.form();
    return gpuChoices(this.store.getState(), f ? f.engines[f.engine]?.id : undefined).choices;
  }

  private picker() {
    return this.host.form()?.picker;
  }

  private setPicker(patch: Partial<NonNullable<RunFormState['picker']>>): void {
    const p = this.picker();
    if (p) this.host.set({ picker: { ...p, ...patch } });
  }

  /** Opens the picker on the draft's GPUs (auto: N pre-selects, live, the N it would take). */
  open(): void {
    const f = this.host.form();
    if (!f) return;
    const ranked = this.choices();
    const req = f.draft.gpus;
    const selected = req.mode === 'devices' ? req.ids.map((id) => ranked.find((g) => String(g.index) === id || g.uuid === id)?.index).filter((i): i is number => i !== undefined) : req.mode === 'all' ? ranked.map((g) => g.index) : [];
    const count = req.mode === 'auto' ? req.count : Math.max(1, selected.length);
    const auto = req.mode === 'auto';
    const first = auto ? autoPick(ranked, count) : undefined;
    const at = (first && !('error' in first) ? first.indices[0] : selected[0]) ?? ranked[0]?.index ?? 0;
    this.host.set({ stage: 'gpus', picker: { at, selected, auto, count }, error: undefined });
  }

  move(delta: number): void {
    const p = this.picker();
    const ranked = this.choices();
    if (!p || ranked.length === 0) return;
    const i = Math.max(0, ranked.findIndex((g) => g.index === p.at));
    this.setPicker({ at: ranked[Math.max(0, Math.min(ranked.length - 1, i + delta))]!.index });
  }

  /** The chosen GPUs as they are shown now (auto: what it would take). */
  private shown(): number[] {
    const p = this.picker();
    if (!p) return [];
    if (!p.auto) return p.selected;
    const pick = autoPick(this.choices(), p.count);
    return 'error' in pick ? [] : pick.indices;
  }

  /** space: choose or leave out the GPU under the cursor; a busy one asks first. */
  toggle(): void {
    const p = this.picker();
    const f = this.host.form();
    const g = this.choices().find((x) => x.index === p?.at);
    if (!p || !f || !g) return;
    const now = this.shown();
    if (now.includes(g.index)) return this.setPicker({ auto: false, selected: now.filter((i) => i !== g.index) });
    // What is chosen then (auto's choice, if auto was on), and this one.
    const add = () => this.setPicker({ auto: false, selected: [...this.shown(), g.index] });
    if (!g.idle && !f.acceptBusy.includes(g.index)) return this.host.askBusy([g.index], add, () => undefined);
    add();
  }

  /** a: auto, taking as many GPUs as are chosen now (at least one). */
  auto(): void {
    const p = this.picker();
    if (p) this.setPicker({ auto: true, count: Math.max(1, p.auto ? p.count : p.selected.length) });
  }

  /** n: no GPU. */
  none(): void {
    this.setPicker({ auto: false, selected: [] });
  }

  /** Enter: the choice goes into the form. */
  accept(): void {
    const f = this.host.form();
    const p = f?.picker;
    if (!f || !p) return;
    const gpus = p.auto ? { mode: 'auto' as const, count: p.count } : p.selected.length ? { mode: 'devices' as const, ids: p.selected.map(String) } : { mode: 'none' as const };
    this.host.set({ stage: 'form', picker: undefined, draft: { ...f.draft, gpus } });
  }

  /** Esc: back to the form, the GPUs as they were. */
  back(): void {
    this.host.set({ stage: 'form', picker: undefined });
  }
}
