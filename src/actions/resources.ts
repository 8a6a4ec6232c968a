// Images, volumes, networks and disk usage: loads what the visible pane shows, and asks before
// removing (one question for every marked row, containers included) — then removes exactly what
// the question listed. The prune dialog is in prune.ts; each kind's words in kinds.ts.
import { whileAnswering } from './answered.js';
import type { Engine } from '../engine/engine.js';
import { explainActionError } from '../engine/errors.js';
import { displayName, type Container, type ResourceRowOf } from '../engine/models.js';
import { RESOURCE_PANES, type Action, type AppState, type ContainerCommand, type PaneId, type ResourcePane, type ResourceRow } from '../store/state.js';
import type { Store } from '../store/store.js';
import { resourceRows, selectedResource, visibleContainers } from '../store/select.js';
import { COMMANDS, runContainerCommand, type ActionContext } from './containers.js';
import { KINDS, rowDisplayName, someNames, type ResourceKind } from './kinds.js';
import { refusedReadOnly } from './readOnly.js';
import { SelectionTask } from '../store/task.js';

const REFRESH_MS = 10_000;
/** Panes that show the engines' disk use: the System pane, and the Servers pane's RECLAIM column. */
const DISK_PANES: readonly PaneId[] = ['system', 'servers'];

export class ResourcesController {
  private unsubscribe: (() => void) | undefined;
  /** The pane on screen is loaded now and every REFRESH_MS while it stays; another pane cancels it. */
  private readonly task = new SelectionTask();
  /** What the open confirmation will remove. */
  private pending: { pane: ResourcePane | 'containers' | 'bulk'; rows: (ResourceRow | Container)[] } | undefined;
  private loading = new Set<string>();

  constructor(
    private readonly store: Store<AppState, Action>,
    private readonly engines: ReadonlyMap<string, Engine>,
    private readonly ctx: ActionContext,
  ) {}

  start(): void {
    const onState = () => {
      const pane = this.store.getState().ui.pane;
      const loads = (RESOURCE_PANES as readonly string[]).includes(pane) || DISK_PANES.includes(pane);
      this.task.run(loads ? pane : undefined, (signal) => {
        this.refreshVisible();
        const timer = setInterval(() => this.refreshVisible(), REFRESH_MS);
        timer.unref?.();
        signal.addEventListener('abort', () => clearInterval(timer));
      });
    };
    this.unsubscribe = this.store.subscribe(onState);
    onState();
  }

  stop(): void {
    this.unsubscribe?.();
    this.task.cancel();
  }

  private upEngines(): Engine[] {
    const s = this.store.getState();
    return [...this.engines.values()].filter((e) => s.engines.find((x) => x.id === e.id)?.status !== 'down');
  }

  refreshVisible(): void {
    const pane = this.store.getState().ui.pane;
    if ((RESOURCE_PANES as readonly string[]).includes(pane)) void this.load(pane as ResourcePane);
    else if (DISK_PANES.includes(pane)) void this.loadSystem();
  }

  async load(pane: ResourcePane): Promise<void> {
    await Promise.all(
      this.upEngines().map(async (e) => {
        const k = `${pane}/${e.id}`;
        if (this.loading.has(k)) return;
        this.loading.add(k);
        try {
          const rows = await e.listResources(pane);
          this.store.dispatch({ type: 'res/set', pane, engineId: e.id, rows });
        } catch (err) {
          this.store.dispatch({ type: 'res/error', pane, engineId: e.id, error: `cannot list ${pane}: ${explainActionError(err)}` });
        } finally {
          this.loading.delete(k);
        }
      }),
    );
  }

  async loadSystem(): Promise<void> {
    await Promise.all(
      this.upEngines().map(async (e) => {
        const k = `system/${e.id}`;
        if (this.loading.has(k)) return;
        this.loading.add(k);
        try {
          this.store.dispatch({ type: 'df/set', engineId: e.id, df: await e.diskUsage() });
        } catch (err) {
          this.store.dispatch({ type: 'df/set', engineId: e.id, df: { error: `cannot read disk usage: ${explainActionError(err)}` } });
        } finally {
          this.loading.delete(k);
        }
      }),
    );
  }

  private say(text: string, level: 'info' | 'ok' | 'error' = 'info'): void {
    this.store.dispatch({ type: 'message', level, text });
  }

  private readOnly(what = 'removing'): boolean {
    return refusedReadOnly(this.store, what);
  }

  /** d in a resource pane: the marked rows of that pane, else the selected one; asks first. */
  requestRemove<K extends ResourcePane>(pane: K): void {
    if (this.readOnly()) return;
    const s = this.store.getState();
    const kind = KINDS[pane] as ResourceKind<K>;
    const marked = resourceRows(s, pane).filter((r) => s.ui.marks[r.key]);
    const sel = selectedResource(s, pane);
    const picked = marked.length ? marked : sel ? [sel] : [];
    if (picked.length === 0) return this.say(`no ${kind.singular} selected`);
    const refused = picked.filter((r) => kind.refuse?.(r));
    const rows = picked.filter((r) => !kind.refuse?.(r));
    if (rows.length === 0) return this.say(`${someNames(refused.map(kind.name))}: ${kind.refuse!(refused[0]!)}`);
    const names = rows.map((r) => rowDisplayName(pane, r));
    const lines = [...kind.warn(rows), ...preview(names)];
    const choices: { key: string; label: string; command: ContainerCommand }[] = [{ key: 'y', label: 'remove', command: 'remove' }];
    if (kind.offerForce(rows)) choices.push({ key: 'f', label: 'force remove', command: 'force-remove' });
    this.pending = { pane, rows };
    this.store.dispatch({
      type: 'confirm',
      confirm: { title: `Remove ${rows.length === 1 ? `${kind.singular} ${names[0]}` : `${rows.length} ${pane}`}?`, lines, target: `res:${pane}`, choices },
    });
  }

  /** d in the Containers pane with marked rows: one confirmation for all of them. */
  requestRemoveMarkedContainers(): boolean {
    const s = this.store.getState();
    const rows = visibleContainers(s).filter((c) => s.ui.marks[c.key]);
    if (rows.length === 0) return false;
    if (this.readOnly()) return true;
    const running = rows.filter((c) => COMMANDS.remove.refuse(c));
    const lines = [
      running.length ? `${running.length} of them running: force removal kills those first.` : 'Their writable layers go with them (anonymous volumes stay).',
      ...preview(rows.map(displayName)),
    ];
    this.pending = { pane: 'containers', rows };
    this.store.dispatch({
      type: 'confirm',
      confirm: {
        title: `Remove ${rows.length} containers?`,
        lines,
        target: 'res:containers',
        choices: running.length
          ? [
              { key: 'f', label: 'force remove all', command: 'force-remove' },
              ...(running.length < rows.length ? [{ key: 'y', label: 'remove the stopped ones', command: 'remove' as const }] : []),
            ]
          : [{ key: 'y', label: 'remove', command: 'remove' }],
      },
    });
    return true;
  }

  /** b: actions on every marked container, or on every container the list shows. */
  requestBulk(): void {
    if (this.readOnly('bulk actions')) return;
    const s = this.store.getState();
    const shown = visibleContainers(s);
    const marked = shown.filter((c) => s.ui.marks[c.key]);
    const rows = marked.length ? marked : shown;
    if (rows.length === 0) return this.say('no containers to act on');
    const count = (cmd: ContainerCommand) => rows.filter((c) => !COMMANDS[cmd].refuse(c)).length;
    const choices: { key: string; label: string; command: ContainerCommand }[] = [];
    const stop = count('stop');
    const start = count('start');
    const remove = count('remove');
    if (stop) choices.push({ key: 's', label: `stop ${stop} running`, command: 'stop' });
    if (stop) choices.push({ key: 'r', label: `restart ${stop}`, command: 'restart' });
    if (start) choices.push({ key: 'S', label: `start ${start} stopped`, command: 'start' });
    if (remove) choices.push({ key: 'd', label: `remove ${remove} stopped`, command: 'remove' });
    if (choices.length === 0) return this.say('nothing to do for these containers');
    this.pending = { pane: 'bulk', rows };
    this.store.dispatch({
      type: 'confirm',
      confirm: {
        title: `Bulk actions on ${rows.length} ${marked.length ? 'marked' : 'listed'} container${rows.length === 1 ? '' : 's'}`,
        lines: [marked.length ? 'The marked containers (space marks, Esc cancels):' : 'Every container the list shows (filter with /, or mark with space):', ...preview(rows.map(displayName))],
        target: 'res:bulk',
        choices,
      },
    });
  }

  /** The confirmation was answered: remove exactly what it listed. */
  async confirmed(command: ContainerCommand): Promise<void> {
    const p = this.pending;
    this.pending = undefined;
    if (!p) return;
    const force = command === 'force-remove';
    const done: string[] = [];
    const failed: string[] = [];
    if (p.pane === 'bulk') {
      for (const c of p.rows as Container[]) {
        if (COMMANDS[command].refuse(c)) continue;
        await runContainerCommand(this.ctx, c.key, command);
        const m = this.store.getState().ui.message;
        (m?.level === 'error' ? failed : done).push(m?.level === 'error' ? m.text : displayName(c));
      }
      this.store.dispatch({ type: 'marks/clear' });
      const verb = COMMANDS[command].done;
      this.say([done.length ? `${verb} ${done.length}: ${someNames(done)}` : '', failed.length ? `failed: ${failed.join('; ')}` : ''].filter(Boolean).join(' · ') || 'nothing done', failed.length ? 'error' : 'ok');
      return;
    }
    if (p.pane === 'containers') {
      for (const c of p.rows as Container[]) {
        if (!force && COMMANDS.remove.refuse(c)) continue;
        await runContainerCommand(this.ctx, c.key, force ? 'force-remove' : 'remove');
        const m = this.store.getState().ui.message;
        (m?.level === 'error' ? failed : done).push(m?.level === 'error' ? m.text : displayName(c));
      }
    } else {
      const pane = p.pane;
      for (const r of p.rows as ResourceRow[]) {
        const e = this.engines.get(r.engineId);
        const name = rowDisplayName(pane, r as ResourceRowOf[typeof pane]);
        if (!e) {
          failed.push(`${name}: its engine is not connected`);
          continue;
        }
        try {
          // A hung engine is given up on (the request stays with it); the others' rows go on.
          const res = await whileAnswering(e, `remove ${name}`, () => e.removeResource(pane, r, { force }), this.ctx.patience);
          done.push(res.removedContainers.length ? `${name} (and containers ${res.removedContainers.join(', ')})` : name);
        } catch (err) {
          failed.push(err instanceof Error ? err.message : String(err));
        }
      }
      void this.load(pane);
    }
    this.store.dispatch({ type: 'marks/clear' });
    const text = [done.length ? `removed ${someNames(done)}` : '', failed.length ? `not removed: ${failed.join('; ')}` : ''].filter(Boolean).join(' · ');
    this.say(text || 'nothing removed', failed.length ? 'error' : 'ok');
  }
}

/** The names a question lists (a long list ends with a count). */
export function preview(names: readonly string[]): string[] {
  const shown = names.slice(0, 8).map((n) => `  • ${n}`);
  if (names.length > 8) shown.push(`  … and ${names.length - 8} more`);
  return shown;
}
