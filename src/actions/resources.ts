// Images, volumes, networks, disk usage and prune: loads what the visible pane shows, asks before
// removing (one confirmation for every marked row), runs the prune dialog's preview and execution.
import type { Engine } from '../engine/engine.js';
import { explainActionError } from '../engine/errors.js';
import { displayName, shortImageId, type Container, type ImageRow, type NetworkRow, type VolumeRow } from '../engine/models.js';
import type { PruneCategory } from '../engine/resources/prune.js';
import { decimalBytes } from '../present/bytes.js';
import { describeResult } from '../present/prune.js';
import {
  RESOURCE_PANES,
  type Action,
  type AppState,
  type ContainerCommand,
  type PruneUi,
  type ResourcePane,
  type ResourceRow,
} from '../store/state.js';
import type { Store } from '../store/store.js';
import { resourceRows, selectedResource, visibleContainers } from '../store/select.js';
import { COMMANDS, runContainerCommand, type ActionContext } from './containers.js';

const REFRESH_MS = 10_000;

export function rowName(pane: ResourcePane, r: ResourceRow): string {
  if (pane === 'images') {
    const i = r as ImageRow;
    return i.repoTags[0] ?? `<none> ${shortImageId(i.id)}`;
  }
  return (r as VolumeRow | NetworkRow).name;
}

const SINGULAR: Record<ResourcePane, string> = { images: 'image', volumes: 'volume', networks: 'network' };

export class ResourcesController {
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private lastPane = '';
  /** What the open confirmation will remove. */
  private pending: { pane: ResourcePane | 'containers' | 'bulk'; rows: (ResourceRow | Container)[] } | undefined;
  private loading = new Set<string>();

  constructor(
    private readonly store: Store<AppState, Action>,
    private readonly engines: ReadonlyMap<string, Engine>,
    private readonly ctx: ActionContext,
  ) {}

  start(): void {
    this.unsubscribe = this.store.subscribe(() => {
      const pane = this.store.getState().ui.pane;
      if (pane !== this.lastPane) {
        this.lastPane = pane;
        this.refreshVisible();
      }
    });
    this.timer = setInterval(() => this.refreshVisible(), REFRESH_MS);
    this.timer.unref?.();
  }

  stop(): void {
    this.unsubscribe?.();
    clearInterval(this.timer);
  }

  private upEngines(): Engine[] {
    const s = this.store.getState();
    return [...this.engines.values()].filter((e) => s.engines.find((x) => x.id === e.id)?.status !== 'down');
  }

  refreshVisible(): void {
    const pane = this.store.getState().ui.pane;
    if ((RESOURCE_PANES as readonly string[]).includes(pane)) void this.load(pane as ResourcePane);
    else if (pane === 'system') void this.loadSystem();
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

  private readOnly(): boolean {
    if (!this.store.getState().readOnly) return false;
    this.say('read-only mode: removing and pruning are disabled (started with --read-only)', 'error');
    return true;
  }

  /** d in a resource pane: the marked rows of that pane, else the selected one; asks first. */
  requestRemove(pane: ResourcePane): void {
    if (this.readOnly()) return;
    const s = this.store.getState();
    const marked = resourceRows(s, pane).filter((r) => s.ui.marks[r.key]);
    const rows = marked.length ? marked : [selectedResource(s, pane)].filter((r): r is ResourceRow => !!r);
    if (rows.length === 0) return this.say(`no ${SINGULAR[pane]} selected`);
    if (pane === 'networks') {
      const builtin = rows.filter((r) => (r as NetworkRow).builtin);
      if (builtin.length === rows.length) return this.say(`${listNames(builtin.map((r) => rowName(pane, r)))}: built into the engine, cannot be removed`);
    }
    const names = rows.map((r) => displayName({ engineId: r.engineId, name: rowName(pane, r) }));
    const lines: string[] = [];
    if (pane === 'images') {
      const size = rows.reduce((n, r) => n + (r as ImageRow).size, 0);
      lines.push(`${decimalBytes(size)} of images (layers shared with other images stay).`);
      const used = rows.filter((r) => (r as ImageRow).containers > 0);
      if (used.length) lines.push(`In use by ${listNames(used.flatMap((r) => (r as ImageRow).containerNames))}: force also removes those containers if they are stopped.`);
    } else if (pane === 'volumes') {
      lines.push('The data in them is lost for good.');
      const used = rows.filter((r) => (r as VolumeRow).containers.length > 0);
      if (used.length) lines.push(`In use by ${listNames(used.flatMap((r) => (r as VolumeRow).containers))}: the engine refuses those.`);
    } else {
      const used = rows.filter((r) => (r as NetworkRow).containers.length > 0);
      if (used.length) lines.push(`Containers attached: ${listNames(used.flatMap((r) => (r as NetworkRow).containers))}: those are refused.`);
    }
    lines.push(...preview(names));
    const choices: { key: string; label: string; command: ContainerCommand }[] = [{ key: 'y', label: 'remove', command: 'remove' }];
    if (pane === 'images' && rows.some((r) => (r as ImageRow).containers > 0 || (r as ImageRow).repoTags.length > 1))
      choices.push({ key: 'f', label: 'force remove', command: 'force-remove' });
    this.pending = { pane, rows };
    this.store.dispatch({
      type: 'confirm',
      confirm: { title: `Remove ${rows.length === 1 ? `${SINGULAR[pane]} ${names[0]}` : `${rows.length} ${pane}`}?`, lines, target: `res:${pane}`, choices },
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
    if (this.readOnly()) return;
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
      this.say([done.length ? `${verb} ${done.length}: ${listNames(done)}` : '', failed.length ? `failed: ${failed.join('; ')}` : ''].filter(Boolean).join(' · ') || 'nothing done', failed.length ? 'error' : 'ok');
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
        const name = displayName({ engineId: r.engineId, name: rowName(pane, r) });
        if (!e) {
          failed.push(`${name}: its engine is not connected`);
          continue;
        }
        try {
          const res = await e.removeResource(pane, r, { force });
          done.push(res.removedContainers.length ? `${name} (and containers ${res.removedContainers.join(', ')})` : name);
        } catch (err) {
          failed.push(err instanceof Error ? err.message : String(err));
        }
      }
      void this.load(pane);
    }
    this.store.dispatch({ type: 'marks/clear' });
    const text = [done.length ? `removed ${listNames(done)}` : '', failed.length ? `not removed: ${failed.join('; ')}` : ''].filter(Boolean).join(' · ');
    this.say(text || 'nothing removed', failed.length ? 'error' : 'ok');
  }

  // ── prune ──────────────────────────────────────────────────────────────────────────────────────

  openPrune(): void {
    if (this.readOnly()) return;
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
    if (this.readOnly()) return;
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
    for (const e of this.engines.keys()) this.ctx.refresh(e);
    this.refreshVisible();
  }
}

function listNames(names: readonly string[]): string {
  if (names.length <= 4) return names.join(', ');
  return `${names.slice(0, 4).join(', ')} and ${names.length - 4} more`;
}

/** The names a confirmation lists (a long list ends with a count). */
function preview(names: readonly string[]): string[] {
  const shown = names.slice(0, 8).map((n) => `  • ${n}`);
  if (names.length > 8) shown.push(`  … and ${names.length - 8} more`);
  return shown;
}
