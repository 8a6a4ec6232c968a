// The prune dialog's work: open it, preview exactly what would go on each chosen engine (every
// item and its bytes), then remove exactly that list — never the engines' own prune endpoints,
// which would also take whatever appeared after the preview — and say what happened.
import type { Engine } from '../engine/engine.js';
import { explainActionError } from '../engine/errors.js';
import type { PruneCategory } from '../engine/resources/prune.js';
import { decimalBytes } from '../present/bytes.js';
import { describeResult } from '../present/prune.js';
import type { Action, AppState, PruneUi } from '../store/state.js';
import type { Store } from '../store/store.js';
import { refusedReadOnly } from './readOnly.js';

export class PruneController {
  constructor(
    private readonly store: Store<AppState, Action>,
    private readonly engines: ReadonlyMap<string, Engine>,
    /** After a prune: re-list every engine and the pane on screen. */
    private readonly refresh: () => void,
  ) {}

  private say(text: string, level: 'info' | 'ok' | 'error' = 'info'): void {
    this.store.dispatch({ type: 'message', level, text });
  }

  openPrune(): void {
    if (refusedReadOnly(this.store, 'pruning')) return;
    const s = this.store.getState();
    const engines = s.engines.filter((e) => e.status !== 'down').map((e) => e.id);
    this.store.dispatch({ type: 'prune', prune: { stage: 'choose', choice: ['stoppedContainers', 'danglingImages'], engines, cursor: 0, previews: [], scroll: 0, result: [] } });
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
      const previews = await Promise.all(
        p.engines.map((id) => {
          const e = this.engines.get(id);
          if (!e) throw new Error(`${id} is not connected`);
          return e.previewPrune(p.choice as PruneCategory[]);
        }),
      );
      this.setPrune({ stage: 'preview', previews, scroll: 0 });
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
    for (const pv of p.previews) {
      const e = this.engines.get(pv.engineId);
      if (!e) {
        result.push(`${pv.engineId}: not connected, nothing removed`);
        continue;
      }
      try {
        const r = await e.executePrune(pv);
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
