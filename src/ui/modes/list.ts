// The list panes' keys: moving, filtering, marking, switching panes, and the actions on the
// selected row (containers, images, volumes, networks, a GPU process).
import { LISTS, type AppState, type ListId, type PaneId, type ResourcePane } from '../../store/state.js';
import { listRows, rowKey, selectedContainer, selectedRow, shownPanes } from '../../store/select.js';
import type { ServerSummary } from '../../store/servers.js';
import type { GpuRow } from '../../store/gpu.js';
import type { ContainerKeyCommand } from '../../actions/containers.js';
import { displayName } from '../../engine/models.js';
import { say, type CommandHandler, type KeyContext } from './context.js';
import { SORT_TITLES } from '../../store/sort.js';

/** The list of the pane on screen, if it is a list. */
export function currentList(s: AppState): ListId | undefined {
  return (LISTS as readonly string[]).includes(s.ui.pane) ? (s.ui.pane as ListId) : undefined;
}

function move(ctx: KeyContext, m: { delta?: number; to?: 'top' | 'bottom' }): void {
  const list = currentList(ctx.store.getState());
  if (list) ctx.store.dispatch({ type: 'move', list, ...m });
}

const NO_SERVERS_TEXT = 'no servers configured: add servers: to the config or start with --server (README: Servers)';

const isResource = (l: ListId | undefined): l is ResourcePane => l === 'images' || l === 'volumes' || l === 'networks';

function sortList(ctx: KeyContext, flip: boolean): void {
  ctx.store.dispatch({ type: 'list-sort', list: 'containers', flip });
  const sort = ctx.store.getState().ui.sorts.containers!;
  say(ctx, `containers sorted by ${SORT_TITLES[sort.by]} ${sort.desc ? '▼ (descending)' : '▲ (ascending)'}: o the next column, O the other way`);
}

export const LIST_COMMANDS: Record<string, CommandHandler> = {
  quit: (ctx) => ctx.controller.quit(),
  help: (ctx) => ctx.store.dispatch({ type: 'help', open: true }),
  pane: (ctx, pane) => {
    if (!shownPanes(ctx.store.getState()).includes(pane as PaneId)) return say(ctx, NO_SERVERS_TEXT);
    ctx.store.dispatch({ type: 'pane', pane: pane as PaneId });
  },
  'pane-next': (ctx, delta) => {
    const panes = shownPanes(ctx.store.getState());
    const i = panes.indexOf(ctx.store.getState().ui.pane);
    ctx.store.dispatch({ type: 'pane', pane: panes[(i + Number(delta) + panes.length) % panes.length]! });
  },
  'servers.narrow': (ctx) => {
    const row = selectedRow(ctx.store.getState(), 'servers') as ServerSummary | undefined;
    if (!row) return;
    ctx.store.dispatch({ type: 'narrow', server: row.name });
    ctx.store.dispatch({ type: 'pane', pane: 'containers' });
    const why = row.state === 'connected' ? '' : ` (${row.state}: its rows come when it answers)`;
    say(ctx, `showing ${row.name} only in every pane${why} — * shows every server`);
  },
  'servers.all': (ctx) => {
    const s = ctx.store.getState();
    if (s.ui.server === undefined) return say(ctx, s.servers.list.length ? 'every server is shown already' : NO_SERVERS_TEXT);
    ctx.store.dispatch({ type: 'narrow' });
    say(ctx, `showing every server (${s.servers.list.length})`);
  },
  move: (ctx, delta) => move(ctx, { delta: Number(delta) }),
  'move-to': (ctx, to) => move(ctx, { to: to as 'top' | 'bottom' }),
  'move-page': (ctx, dir) => move(ctx, { delta: Number(dir) * Math.max(1, ctx.sizes.listRows - 1) }),
  filter: (ctx) => {
    const s = ctx.store.getState();
    const list = currentList(s);
    if (!list) return;
    const text = s.ui.filters[list];
    ctx.store.dispatch({ type: 'prompt', prompt: { kind: 'filter', text, cursor: [...text].length } });
  },
  escape: (ctx) => {
    const s = ctx.store.getState();
    const list = currentList(s);
    if (list && s.ui.filters[list]) ctx.store.dispatch({ type: 'filter/set', list, text: '' });
    else ctx.store.dispatch({ type: 'message/clear' });
  },
  mark: (ctx) => {
    const s = ctx.store.getState();
    const list = currentList(s);
    const row = list ? selectedRow(s, list) : undefined;
    if (!list || !row) return;
    ctx.store.dispatch({ type: 'mark', key: rowKey(row) });
    const n = Object.keys(ctx.store.getState().ui.marks).length;
    say(ctx, n ? `${n} marked: d removes them all (after one question); space again unmarks` : 'no rows marked');
    ctx.store.dispatch({ type: 'move', list, delta: 1 });
  },
  'command-line': (ctx) => ctx.store.dispatch({ type: 'prompt', prompt: { kind: 'command', text: '', cursor: 0 } }),
  prune: (ctx) => ctx.controller.resources?.openPrune(),
  sort: (ctx) => {
    ctx.store.dispatch({ type: 'image-sort' });
    say(ctx, `images sorted by ${ctx.store.getState().ui.imageSort}`);
  },
  'list.sort': (ctx) => sortList(ctx, false),
  'list.sort-flip': (ctx) => sortList(ctx, true),
  'toggle-stopped': (ctx) => {
    const shown = ctx.store.getState().ui.showStopped;
    ctx.store.dispatch({ type: 'toggle-stopped' });
    say(ctx, shown ? 'stopped containers hidden (e shows them)' : 'showing stopped containers');
  },
  container: (ctx, action) => {
    if (action === 'remove' && ctx.controller.resources?.removeMarkedContainers()) return;
    ctx.controller.containerKey(selectedContainer(ctx.store.getState()), action as ContainerKeyCommand);
  },
  exec: (ctx) => ctx.controller.exec?.(),
  attach: (ctx) => ctx.controller.attach?.(),
  'open-port': (ctx) => ctx.controller.openPort?.(),
  bulk: (ctx) => ctx.controller.resources?.bulk(),
  'resource.remove': (ctx) => {
    const list = currentList(ctx.store.getState());
    if (isResource(list)) ctx.controller.resources?.remove(list);
  },
  'gpu.kill': (ctx) => {
    const row = selectedRow(ctx.store.getState(), 'gpus') as GpuRow | undefined;
    // Its pid is the server's, not this machine's: killing it here would hit another process.
    if (row?.kind === 'proc' && row.remote) {
      const go = row.container ? ' — Enter goes to its container, s stops it' : '';
      return say(ctx, `pid ${row.proc.pid} runs on ${row.server}: gantry kills GPU processes of this machine only${go}`, 'error');
    }
    ctx.controller.killGpuProcess?.(row);
  },
  'gpu.go': (ctx) => {
    const s = ctx.store.getState();
    const row = selectedRow(s, 'gpus') as GpuRow | undefined;
    if (!row || row.kind !== 'proc') return say(ctx, listRows(s, 'gpus').length ? 'no GPU process to go to' : 'no GPU processes');
    if (!row.container) return say(ctx, `pid ${row.proc.pid} is not in a container of a connected engine`);
    ctx.store.dispatch({ type: 'jump', key: row.container.key });
    say(ctx, `GPU ${row.proc.gpuIndex ?? '?'} pid ${row.proc.pid}: ${displayName(row.container)}`);
  },
};
