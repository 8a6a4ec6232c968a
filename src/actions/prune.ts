// The prune dialog's work: open it, preview exactly what would go on each chosen engine (every
// item and its bytes), then remove exactly that list — never the engines' own prune endpoints,
// which would also take whatever appeared after the preview — and say what happened.
import { shownEngines } from '../store/select.js';
import type { Engine } from '../engine/engine.js';
import { explainActionError } from '../engine/errors.js';
import { plural } from '../engine/resources/shared.js';
import { narrowPreview, type PruneCategory, type PruneItem, type PrunePreview } from '../engine/resources/prune.js';
import { decimalBytes } from '../present/bytes.js';
import { describeResult } from '../present/prune.js';
import { LISTS, type Action, type AppState, type ListId, type PruneUi } from '../store/state.js';
import type { Store } from '../store/store.js';
import { refusedReadOnly } from './readOnly.js';
import { DEFAULT_PATIENCE, whileAnswering, type Patience } from './answered.js';

export class PruneController {
  constructor(
    private readonly store: Store<AppState, Action>,
    private readonly engines: ReadonlyMap<string, Engine>,
    /** After a prune: re-list every engine and the pane on screen. */
    private readonly refresh: () => void,
    /** A hung engine's preview or prune is given up in words (see answered.ts). */
    private readonly patience: Patience = DEFAULT_PATIENCE,
  ) {}

  private say(text: string, level: 'info' | 'ok' | 'error' = 'info'): void {
    this.store.dispatch({ type: 'message', level, text });
  }

  openPrune(): void {
    if (refusedReadOnly(this.store, 'pruning')) return;
    const s = this.store.getState();
    // Narrowed to one server (the Servers pane): its engines only.
    const engines = shownEngines(s).filter((e) => e.status !== 'down').map((e) => e.id);
    // Opened from a filtered list: the preview keeps to what that filter matches.
    const list = (LISTS as readonly string[]).includes(s.ui.pane) ? (s.ui.pane as ListId) : undefined;
    const text = list ? s.ui.filters[list].trim() : '';
    this.store.dispatch({
      type: 'prune',
      prune: { stage: 'choose', choice: ['stoppedContainers', 'danglingImages'], engines, cursor: 0, previews: [], scroll: 0, result: [], ...(list && text ? { scope: { list, text } } : {}) },
    });
  }

  private setPrune(patch: Partial<PruneUi>): void {
    const p = this.store.getState().ui.prune;
    if (p) this.store.dispatch({ type: 'prune', prune: { ...p, ...patch } });
  }

  async preview(): Promise<void> {
    const p = this.store.getState().ui.prune;
    if (!p) return;
    if (p.choice.length === 0 || p.engines.length === 0) return this.setPrune({ error: p.choice.length === 0 ? 'choose at least one kind of thing to prune (space)' : 'choose at least one engine (space)' });
    this.setPrune({ stage: 'loading', error: undefined });
    try {
      const whole = await Promise.all(
        p.engines.map((id) => {
          const e = this.engines.get(id);
          if (!e) throw new Error(`${id} is not connected`);
          return whileAnswering(e, 'the prune preview', () => e.previewPrune(p.choice as PruneCategory[]), this.patience);
        }),
      );
      const match = matcher(p.scope?.text);
      const previews = whole.map((pv) => narrowPreview(pv, match).preview);
      const filteredOut = whole.reduce((n, pv, i) => n + pv.items.length - previews[i]!.items.length, 0);
      this.setPrune({ stage: 'preview', previews, filteredOut, scroll: 0, item: 0, off: {} });
    } catch (err) {
      this.setPrune({ stage: 'choose', error: `cannot preview: ${explainActionError(err)}` });
    }
  }

  async execute(): Promise<void> {
    const p = this.store.getState().ui.prune;
    if (!p || p.stage !== 'preview') return;
    if (refusedReadOnly(this.store, 'pruning')) return;
    this.setPrune({ stage: 'running' });
    const result: string[] = [];
    let bytes = 0;
    for (const pv of ticked(p)) {
      const e = this.engines.get(pv.engineId);
      if (!e) {
        result.push(`${pv.engineId}: not connected, nothing removed`);
        continue;
      }
      try {
        const r = await whileAnswering(e, `the prune of ${pv.items.length} ${plural(pv.items.length, 'item')}`, () => e.executePrune(pv), this.patience);
        bytes += r.bytes;
        result.push(`${pv.engineId}: ${describeResult(r)}`);
        for (const it of r.removed) result.push(`  removed ${it.kind} ${it.name}  ${decimalBytes(it.bytes)}`);
        for (const it of r.gone) result.push(`  already gone: ${it.kind} ${it.name}`);
        for (const f of r.refused) result.push(`  refused: ${f.item.kind} ${f.item.name}: ${f.reason}`);
      } catch (err) {
        result.push(`${pv.engineId}: the prune stopped: ${explainActionError(err)}`);
      }
    }
    result.unshift(`Reclaimed ${decimalBytes(bytes)} in all.`);
    this.setPrune({ stage: 'result', result, scroll: 0 });
    this.say(`prune done: reclaimed ${decimalBytes(bytes)}`, 'ok');
    this.refresh();
  }
}

/** Whether an item matches a list filter: its name or one of its tags contains the text. */
export function matcher(text: string | undefined): (it: PruneItem) => boolean {
  const q = text?.trim().toLowerCase();
  if (!q) return () => true;
  return (it) => [it.name, ...(it.kind === 'image' ? (it.refs ?? []) : [])].some((n) => n.toLowerCase().includes(q));
}

/** Each engine's preview narrowed to the ticked items (and the items they need gone first): what y removes. */
export function ticked(p: PruneUi): PrunePreview[] {
  const off = p.off ?? {};
  return p.previews.map((pv) => narrowPreview(pv, (it) => !off[it.key]).preview);
}
