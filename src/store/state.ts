// The application state: its initial value and its reducer. Pure: no I/O here. The shape is in
// types.ts, the selectors in select.ts, the one cursor of every list in cursor.ts.
import type { EngineInfo } from '../engine/models.js';
import { anchor, moveCursor, reselect, selectKey } from './cursor.js';
import { isServersAction, NO_SERVERS, serversReducer } from './servers.js';
import { listRows, rowKey } from './select.js';
import { DEFAULT_SORT, nextSort } from './sort.js';
import { LISTS, type Action, type AppState, type ImageSort, type ListId, type LogsUi, type UiState } from './types.js';

export * from './types.js';

export function initialLogsUi(color = true): LogsUi {
  return { tab: 'logs', focus: false, full: false, listOnly: false, follow: true, since: 0, timestamps: false, wrap: false, color, hscroll: 0, query: '', filter: 'none', version: 0, scroll: 0, reveal: false };
}

const perList = <T>(make: () => T) => Object.fromEntries(LISTS.map((l) => [l, make()])) as Record<ListId, T>;

export function initialState(
  opts: { readOnly?: boolean; showStopped?: boolean; gpu?: boolean; gpuIdleMinutes?: number; logColor?: boolean } = {},
): AppState {
  return {
    engines: [],
    usage: {},
    containers: {},
    loaded: {},
    readOnly: opts.readOnly ?? false,
    gpu: {
      enabled: opts.gpu ?? false,
      status: opts.gpu ? { state: 'starting' } : { state: 'off' },
      gpus: [],
      processes: [],
      at: 0,
      zeroSince: {},
      idleMs: (opts.gpuIdleMinutes ?? 30) * 60_000,
    },
    grants: {},
    resources: { images: {}, volumes: {}, networks: {}, df: {}, loaded: {}, errors: {} },
    servers: NO_SERVERS,
    ui: {
      pane: 'containers',
      cursors: perList(() => ({ index: 0 })),
      filters: perList(() => ''),
      sorts: {},
      showStopped: opts.showStopped ?? true,
      help: false,
      helpScroll: 0,
      pending: {},
      logs: initialLogsUi(opts.logColor ?? true),
      imageSort: 'size',
      marks: {},
    },
  };
}

function setUi(s: AppState, patch: Partial<UiState>): AppState {
  return { ...s, ui: { ...s.ui, ...patch } };
}

function setEngineStatus(s: AppState, a: Extract<Action, { type: 'engine/status' }>): AppState {
  const engines = s.engines.map((e) => {
    if (e.id !== a.id) return e;
    const next: EngineInfo = { ...e, status: a.status };
    if (a.error) next.error = a.error;
    else delete next.error;
    // A lost connection says more than a failed list.
    if (a.status === 'down') delete next.listError;
    return next;
  });
  return { ...s, engines };
}

function setListError(s: AppState, id: string, error: string | undefined): AppState {
  const e = s.engines.find((x) => x.id === id);
  if (!e || e.listError === error) return s;
  return {
    ...s,
    engines: s.engines.map((x) => {
      if (x.id !== id) return x;
      const next: EngineInfo = { ...x };
      if (error) next.listError = error;
      else delete next.listError;
      return next;
    }),
  };
}

function setContainers(s: AppState, a: Extract<Action, { type: 'containers/set' }>): AppState {
  const pending = { ...s.ui.pending };
  // A container that no longer exists has no action in flight, and its GPU settings are forgotten.
  const keys = new Set(a.containers.map((c) => c.key));
  for (const k of Object.keys(pending)) if (k.startsWith(`${a.engineId}/`) && !keys.has(k)) delete pending[k];
  let grants = s.grants;
  for (const k of Object.keys(grants)) {
    if (k.startsWith(`${a.engineId}/`) && !keys.has(k)) {
      if (grants === s.grants) grants = { ...s.grants };
      delete grants[k];
    }
  }
  return reselect(
    {
      ...s,
      grants,
      containers: { ...s.containers, [a.engineId]: a.containers },
      loaded: s.loaded[a.engineId] ? s.loaded : { ...s.loaded, [a.engineId]: true },
      ui: { ...s.ui, pending },
    },
    'containers',
  );
}

function setSince(s: AppState, a: Extract<Action, { type: 'containers/since' }>): AppState {
  const list = s.containers[a.engineId];
  if (!list) return s;
  let changed = false;
  const next = list.map((c) => {
    const t = a.since[c.id];
    if (!t || t.state !== c.state || t.since === c.since) return c;
    changed = true;
    return { ...c, since: t.since };
  });
  return changed ? { ...s, containers: { ...s.containers, [a.engineId]: next } } : s;
}

function updateGpu(s: AppState, a: Extract<Action, { type: 'gpu/update' }>): AppState {
  const zeroSince: Record<number, number> = {};
  for (const g of a.gpus) {
    if (g.utilizationPct === 0) zeroSince[g.index] = s.gpu.zeroSince[g.index] ?? a.at;
  }
  return reselect({ ...s, gpu: { ...s.gpu, status: a.status, gpus: a.gpus, processes: a.processes, at: a.at, zeroSince } }, 'gpus');
}

/** Shows a container whatever hid it (its filter, stopped ones hidden) and selects it. */
function jump(s: AppState, key: string): AppState {
  const shown = setUi(s, { pane: 'containers', filters: { ...s.ui.filters, containers: '' }, showStopped: true, prompt: undefined });
  return selectKey(shown, 'containers', key);
}

/** Selects a row by key; a filter that hides it is cleared first. */
function selectShown(s: AppState, list: ListId, key: string): AppState {
  const shown = !s.ui.filters[list] || listRows(s, list).some((r) => rowKey(r) === key);
  return selectKey(shown ? s : reselect(setUi(s, { filters: { ...s.ui.filters, [list]: '' } }), list), list, key);
}

function resources(s: AppState, a: Extract<Action, { type: 'res/set' | 'res/error' | 'df/set' }>): AppState {
  const r = s.resources;
  if (a.type === 'df/set') return { ...s, resources: { ...r, df: { ...r.df, [a.engineId]: a.df }, loaded: { ...r.loaded, system: true } } };
  const errors = { ...r.errors };
  const errKey = `${a.pane}/${a.engineId}`;
  if (a.type === 'res/error' && a.error) errors[errKey] = a.error;
  else delete errors[errKey];
  if (a.type === 'res/error') return { ...s, resources: { ...r, errors, loaded: { ...r.loaded, [a.pane]: true } } };
  return reselect({ ...s, resources: { ...r, [a.pane]: { ...r[a.pane], [a.engineId]: a.rows }, loaded: { ...r.loaded, [a.pane]: true }, errors } }, a.pane);
}

/** Every pane to one server's engines, or to all again: each list keeps its selection where it can. */
function narrow(s: AppState, server: string | undefined): AppState {
  if (s.ui.server === server) return s;
  let next = setUi(s, { server });
  for (const l of LISTS) next = reselect(next, l);
  return next;
}

const IMAGE_SORTS: readonly ImageSort[] = ['size', 'age', 'name'];

export function reducer(s: AppState, a: Action): AppState {
  if (isServersAction(a)) {
    const servers = serversReducer(s.servers, a);
    // A server's GPUs and state move the Servers pane's order and the GPUs pane's rows.
    return servers === s.servers ? s : reselect(reselect({ ...s, servers }, 'servers'), 'gpus');
  }
  switch (a.type) {
    case 'engines/set':
      return reselect({ ...s, engines: a.engines }, 'containers');
    case 'engines/trying':
      return { ...s, connecting: a.places };
    case 'engine/status':
      return setEngineStatus(s, a);
    case 'engine/list-error':
      return setListError(s, a.id, a.error);
    case 'containers/set':
      return setContainers(s, a);
    case 'usage/set':
      return { ...s, usage: a.usage };
    case 'containers/since':
      return setSince(s, a);
    case 'pane':
      return s.ui.pane === a.pane ? s : setUi(s, { pane: a.pane });
    case 'move':
      return moveCursor(s, a.list, a);
    case 'filter/set':
      return anchor(reselect(setUi(s, { filters: { ...s.ui.filters, [a.list]: a.text } }), a.list), a.list);
    case 'prompt':
      return setUi(s, { prompt: a.prompt });
    case 'toggle-stopped':
      return reselect(setUi(s, { showStopped: !s.ui.showStopped }), 'containers');
    case 'help':
      return setUi(s, { help: a.open, helpScroll: a.scroll ?? 0 });
    case 'confirm':
      return setUi(s, { confirm: a.confirm });
    case 'menu':
      return setUi(s, { menu: a.menu });
    case 'message':
      return setUi(s, { message: { text: a.text, level: a.level, at: a.at ?? Date.now() } });
    case 'message/clear':
      return s.ui.message ? setUi(s, { message: undefined }) : s;
    case 'gpu/update':
      return updateGpu(s, a);
    case 'grants/set':
      return { ...s, grants: { ...s.grants, ...a.grants } };
    case 'jump':
      return jump(s, a.key);
    case 'res/set':
    case 'res/error':
    case 'df/set':
      return resources(s, a);
    case 'image-sort':
      return reselect(setUi(s, { imageSort: IMAGE_SORTS[(IMAGE_SORTS.indexOf(s.ui.imageSort) + 1) % IMAGE_SORTS.length]! }), 'images');
    case 'list-sort': {
      const sort = nextSort(s, s.ui.sorts[a.list] ?? DEFAULT_SORT, a.flip === true);
      // The selected row stays selected wherever the new order puts it.
      return reselect(anchor(setUi(s, { sorts: { ...s.ui.sorts, [a.list]: sort } }), a.list), a.list);
    }
    case 'mark': {
      const marks = { ...s.ui.marks };
      if (marks[a.key]) delete marks[a.key];
      else marks[a.key] = true;
      return setUi(s, { marks });
    }
    case 'marks/clear':
      return Object.keys(s.ui.marks).length ? setUi(s, { marks: {} }) : s;
    case 'prune':
      return setUi(s, { prune: a.prune });
    case 'pull':
      return setUi(s, { pull: a.pull });
    case 'run':
      return setUi(s, { run: a.run });
    case 'select':
      return selectShown(s, a.list, a.key);
    case 'narrow':
      return narrow(s, a.server);
    case 'logs/set':
      return setUi(s, { logs: { ...s.ui.logs, ...a.patch } });
    case 'logs/tick':
      return setUi(s, { logs: { ...s.ui.logs, version: s.ui.logs.version + 1 } });
    case 'pending': {
      const pending = { ...s.ui.pending };
      if (a.label) pending[a.key] = a.label;
      else delete pending[a.key];
      return setUi(s, { pending });
    }
  }
}
