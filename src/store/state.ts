// The application state and its reducer. Pure: no I/O here.
import type { Container, EngineInfo } from '../engine/models.js';
import type { AttributedProcess } from '../gpu/attribute.js';
import type { GpuStatus } from '../gpu/monitor.js';
import type { GpuSample } from '../gpu/parse.js';
import type { GpuGrantInput } from '../gpu/reservations.js';
import type { FilterMode } from '../engine/logs/search.js';
import type { ContainerVerb, ImageRow, NetworkRow, VolumeRow } from '../engine/models.js';
import type { DiskUsage } from '../engine/resources/disk.js';
import type { PruneCategory, PrunePreview } from '../engine/resources/prune.js';

export interface GpuState {
  enabled: boolean;
  status: GpuStatus | { state: 'off' };
  gpus: GpuSample[];
  processes: AttributedProcess[];
  at: number;
  /** Per GPU index: since when (ms) its utilisation has been 0; absent while it is busy. */
  zeroSince: Record<number, number>;
  /** Holding memory at 0 % utilisation this long marks a container idle. */
  idleMs: number;
}

export type PaneId = 'containers' | 'images' | 'volumes' | 'networks' | 'gpus' | 'system';
export const PANES: readonly PaneId[] = ['containers', 'images', 'volumes', 'networks', 'gpus', 'system'];

export type ContainerCommand = ContainerVerb | 'force-remove';

export interface ConfirmChoice {
  key: string;
  label: string;
  /** A container command, or for images/volumes/networks/marked rows: 'remove' / 'force-remove'. */
  command: ContainerCommand;
}

/** The lists of the Images, Volumes and Networks panes. */
export type ResourcePane = 'images' | 'volumes' | 'networks';
export const RESOURCE_PANES: readonly ResourcePane[] = ['images', 'volumes', 'networks'];
export type ResourceRow = ImageRow | VolumeRow | NetworkRow;

export interface ResourcesState {
  images: Record<string, ImageRow[]>;
  volumes: Record<string, VolumeRow[]>;
  networks: Record<string, NetworkRow[]>;
  /** Per engine: the disk usage, or why it could not be read. */
  df: Record<string, DiskUsage | { error: string }>;
  /** Per pane: loaded at least once. */
  loaded: Partial<Record<ResourcePane | 'system', boolean>>;
  /** Per pane and engine: why the last load failed. */
  errors: Record<string, string>;
}

export type ImageSort = 'size' | 'age' | 'name';

/** The prune dialog: choose → preview → (running) → result. */
export interface PruneUi {
  stage: 'choose' | 'loading' | 'preview' | 'running' | 'result';
  choice: PruneCategory[];
  engines: string[];
  cursor: number;
  previews: PrunePreview[];
  /** Preview/result lines scrolled past. */
  scroll: number;
  result: string[];
  error?: string;
}

export interface Confirm {
  title: string;
  lines: string[];
  target: string; // container key
  choices: ConfirmChoice[];
}

/** The main panel beside (or under) the container list. */
export type PanelTab = 'logs' | 'inspect' | 'env' | 'stats' | 'top';
export const PANEL_TABS: readonly PanelTab[] = ['logs', 'inspect', 'env', 'stats', 'top'];

/** Since-keys, like k9s: 0 the tail only, then 1m 5m 15m 1h 24h, 6 everything. */
export const SINCE: readonly { key: string; label: string; seconds?: number; all?: boolean }[] = [
  { key: '0', label: 'tail' },
  { key: '1', label: '1m', seconds: 60 },
  { key: '2', label: '5m', seconds: 300 },
  { key: '3', label: '15m', seconds: 900 },
  { key: '4', label: '1h', seconds: 3600 },
  { key: '5', label: '24h', seconds: 86_400 },
  { key: '6', label: 'all', all: true },
];

export interface LogsUi {
  tab: PanelTab;
  /** Keys go to the panel (Enter), not to the list. */
  focus: boolean;
  /** The panel fills the screen (m or +). */
  full: boolean;
  follow: boolean;
  /** While paused: the seq of the line at the bottom of the panel. */
  anchor?: number;
  /** Index into SINCE. */
  since: number;
  timestamps: boolean;
  wrap: boolean;
  /** Keep SGR colour from the container (c toggles). */
  color: boolean;
  hscroll: number;
  query: string;
  searchEditing: boolean;
  filter: FilterMode;
  /** The search hit n/N went to. */
  hit?: number;
  /** Moves whenever the shown log changes: the panel redraws. */
  version: number;
  /** Lines scrolled in the Inspect, Env and Top tabs. */
  scroll: number;
  /** Env: secret values shown (v). */
  reveal: boolean;
}

export type MessageLevel = 'info' | 'ok' | 'error';

export interface Message {
  text: string;
  level: MessageLevel;
  at: number;
}

export interface UiState {
  pane: PaneId;
  selectedKey?: string;
  /** Index of the selection in the visible list, kept when the selected container goes away. */
  cursor: number;
  /** Set once the user moved: from then on the selection follows its container through re-sorts. */
  userSelected: boolean;
  filter: string;
  filterEditing: boolean;
  showStopped: boolean;
  help: boolean;
  confirm?: Confirm;
  message?: Message;
  /** The selected row of the GPUs pane. */
  gpuCursor: number;
  /** Actions in flight, by container key: "stopping", "removing", … */
  pending: Record<string, string>;
  logs: LogsUi;
  /** Cursor per resource pane. */
  resCursor: Record<ResourcePane, number>;
  imageSort: ImageSort;
  /** Rows marked with space (container, image, volume or network keys). */
  marks: Record<string, true>;
  prune?: PruneUi;
  /** The `:` command line while it is typed. */
  command?: string;
}

export interface AppState {
  engines: EngineInfo[];
  containers: Record<string, Container[]>;
  /** Engines whose container list has been loaded at least once. */
  loaded: Record<string, boolean>;
  readOnly: boolean;
  gpu: GpuState;
  /** What each container was given (from inspect), by container key; null: nothing GPU-related. */
  grants: Record<string, GpuGrantInput | null>;
  resources: ResourcesState;
  ui: UiState;
}

export type Action =
  | { type: 'engines/set'; engines: EngineInfo[] }
  | { type: 'engine/status'; id: string; status: EngineInfo['status']; error?: string }
  | { type: 'containers/set'; engineId: string; containers: Container[] }
  | { type: 'pane'; pane: PaneId }
  | { type: 'move'; delta?: number; to?: 'top' | 'bottom' }
  | { type: 'select'; key: string }
  | { type: 'filter/start' }
  | { type: 'filter/set'; text: string }
  | { type: 'filter/end' }
  | { type: 'filter/clear' }
  | { type: 'toggle-stopped' }
  | { type: 'help'; open: boolean }
  | { type: 'confirm'; confirm?: Confirm }
  | { type: 'message'; text: string; level: MessageLevel; at?: number }
  | { type: 'message/clear' }
  | { type: 'pending'; key: string; label?: string }
  | { type: 'gpu/update'; status: GpuState['status']; gpus: GpuSample[]; processes: AttributedProcess[]; at: number }
  | { type: 'grants/set'; grants: Record<string, GpuGrantInput | null> }
  | { type: 'gpu/move'; delta?: number; to?: 'top' | 'bottom'; rows: number }
  | { type: 'jump'; key: string }
  | { type: 'logs/set'; patch: Partial<LogsUi> }
  | { type: 'res/set'; pane: ResourcePane; engineId: string; rows: ResourceRow[] }
  | { type: 'res/error'; pane: ResourcePane | 'system'; engineId: string; error?: string }
  | { type: 'df/set'; engineId: string; df: DiskUsage | { error: string } }
  | { type: 'res/move'; pane: ResourcePane; delta?: number; to?: 'top' | 'bottom' }
  | { type: 'image-sort' }
  | { type: 'mark'; key: string }
  | { type: 'marks/clear' }
  | { type: 'prune'; prune?: PruneUi }
  | { type: 'command'; text?: string }
  | { type: 'logs/tick' };

export function initialLogsUi(color = true): LogsUi {
  return { tab: 'logs', focus: false, full: false, follow: true, since: 0, timestamps: false, wrap: false, color, hscroll: 0, query: '', searchEditing: false, filter: 'none', version: 0, scroll: 0, reveal: false };
}

export function initialState(
  opts: { readOnly?: boolean; showStopped?: boolean; gpu?: boolean; gpuIdleMinutes?: number; logColor?: boolean } = {},
): AppState {
  return {
    engines: [],
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
    ui: {
      pane: 'containers',
      cursor: 0,
      userSelected: false,
      filter: '',
      filterEditing: false,
      showStopped: opts.showStopped ?? true,
      help: false,
      gpuCursor: 0,
      pending: {},
      logs: initialLogsUi(opts.logColor ?? true),
      resCursor: { images: 0, volumes: 0, networks: 0 },
      imageSort: 'size',
      marks: {},
    },
  };
}

const ACTIVE: ReadonlySet<string> = new Set(['running', 'restarting', 'paused', 'removing']);

export function isActive(c: Container): boolean {
  return ACTIVE.has(c.state);
}

function compareContainers(a: Container, b: Container): number {
  const ga = isActive(a) ? 0 : 1;
  const gb = isActive(b) ? 0 : 1;
  if (ga !== gb) return ga - gb;
  const n = a.name.localeCompare(b.name, undefined, { numeric: true, sensitivity: 'base' });
  if (n !== 0) return n;
  return a.engineId.localeCompare(b.engineId) || a.id.localeCompare(b.id);
}

let memo: { containers: AppState['containers']; filter: string; showStopped: boolean; engines: EngineInfo[]; out: Container[] } | undefined;

/** The containers the list shows, in order: filtered, stopped ones hidden if asked, sorted. */
export function visibleContainers(s: AppState): Container[] {
  const { filter, showStopped } = s.ui;
  if (memo && memo.containers === s.containers && memo.filter === filter && memo.showStopped === showStopped && memo.engines === s.engines) {
    return memo.out;
  }
  const q = filter.trim().toLowerCase();
  const out: Container[] = [];
  for (const e of s.engines) {
    for (const c of s.containers[e.id] ?? []) {
      if (!showStopped && !isActive(c)) continue;
      if (q && !c.name.toLowerCase().includes(q) && !c.image.toLowerCase().includes(q)) continue;
      out.push(c);
    }
  }
  out.sort(compareContainers);
  memo = { containers: s.containers, filter, showStopped, engines: s.engines, out };
  return out;
}

const rowMemo = new WeakMap<object, Map<string, ResourceRow[]>>();

/** A resource pane's rows, all engines, in display order (images by the chosen sort). */
export function resourceRows(s: AppState, pane: ResourcePane): ResourceRow[] {
  const src = s.resources[pane];
  const memoKey = `${s.ui.imageSort}|${s.engines.map((e) => e.id).join(',')}`;
  const hit = rowMemo.get(src)?.get(memoKey);
  if (hit) return hit;
  const out: ResourceRow[] = [];
  for (const e of s.engines) out.push(...((src[e.id] ?? []) as ResourceRow[]));
  if (pane === 'images') {
    const imgs = out as ImageRow[];
    const name = (i: ImageRow) => i.repoTags[0] ?? '\uffff' + i.id;
    if (s.ui.imageSort === 'size') imgs.sort((a, b) => b.size - a.size || name(a).localeCompare(name(b)));
    else if (s.ui.imageSort === 'age') imgs.sort((a, b) => b.created - a.created || name(a).localeCompare(name(b)));
    else imgs.sort((a, b) => name(a).localeCompare(name(b)));
  } else {
    out.sort((a, b) => (a as VolumeRow | NetworkRow).name.localeCompare((b as VolumeRow | NetworkRow).name) || a.engineId.localeCompare(b.engineId));
  }
  let m = rowMemo.get(src);
  if (!m) rowMemo.set(src, (m = new Map()));
  m.set(memoKey, out);
  return out;
}

export function selectedResource(s: AppState, pane: ResourcePane): ResourceRow | undefined {
  const rows = resourceRows(s, pane);
  return rows[Math.min(s.ui.resCursor[pane], rows.length - 1)];
}

export function containerCounts(s: AppState): { shown: number; total: number; running: number } {
  let total = 0;
  let running = 0;
  for (const e of s.engines) {
    for (const c of s.containers[e.id] ?? []) {
      total++;
      if (c.state === 'running') running++;
    }
  }
  return { shown: visibleContainers(s).length, total, running };
}

export function selectedContainer(s: AppState): Container | undefined {
  const list = visibleContainers(s);
  if (list.length === 0) return undefined;
  if (s.ui.selectedKey) {
    const found = list.find((c) => c.key === s.ui.selectedKey);
    if (found) return found;
  }
  return list[Math.min(Math.max(s.ui.cursor, 0), list.length - 1)];
}

/** Re-anchors the selection after the visible list changed: same container if still there, else same row. */
function reselect(s: AppState): AppState {
  const list = visibleContainers(s);
  if (list.length === 0) return s.ui.selectedKey === undefined && s.ui.cursor === 0 ? s : { ...s, ui: { ...s.ui, selectedKey: undefined, cursor: 0 } };
  let idx = s.ui.selectedKey && s.ui.userSelected ? list.findIndex((c) => c.key === s.ui.selectedKey) : -1;
  if (idx < 0) idx = Math.min(Math.max(s.ui.cursor, 0), list.length - 1);
  const key = list[idx]!.key;
  if (key === s.ui.selectedKey && idx === s.ui.cursor) return s;
  return { ...s, ui: { ...s.ui, selectedKey: key, cursor: idx } };
}

function setUi(s: AppState, patch: Partial<UiState>): AppState {
  return { ...s, ui: { ...s.ui, ...patch } };
}

export function reducer(s: AppState, a: Action): AppState {
  switch (a.type) {
    case 'engines/set':
      return reselect({ ...s, engines: a.engines });
    case 'engine/status': {
      const engines = s.engines.map((e) => {
        if (e.id !== a.id) return e;
        const next: EngineInfo = { ...e, status: a.status };
        if (a.error) next.error = a.error;
        else delete next.error;
        return next;
      });
      return { ...s, engines };
    }
    case 'containers/set': {
      const pending = { ...s.ui.pending };
      // A container that no longer exists has no action in flight.
      const keys = new Set(a.containers.map((c) => c.key));
      for (const k of Object.keys(pending)) if (k.startsWith(`${a.engineId}/`) && !keys.has(k)) delete pending[k];
      // Forget what removed containers were given.
      let grants = s.grants;
      for (const k of Object.keys(grants)) {
        if (k.startsWith(`${a.engineId}/`) && !keys.has(k)) {
          if (grants === s.grants) grants = { ...s.grants };
          delete grants[k];
        }
      }
      return reselect({
        ...s,
        grants,
        containers: { ...s.containers, [a.engineId]: a.containers },
        loaded: s.loaded[a.engineId] ? s.loaded : { ...s.loaded, [a.engineId]: true },
        ui: { ...s.ui, pending },
      });
    }
    case 'pane':
      return s.ui.pane === a.pane ? s : setUi(s, { pane: a.pane });
    case 'move': {
      const list = visibleContainers(s);
      if (list.length === 0) return s;
      let idx = s.ui.selectedKey ? list.findIndex((c) => c.key === s.ui.selectedKey) : s.ui.cursor;
      if (idx < 0) idx = Math.min(s.ui.cursor, list.length - 1);
      if (a.to === 'top') idx = 0;
      else if (a.to === 'bottom') idx = list.length - 1;
      else idx = Math.min(Math.max(idx + (a.delta ?? 0), 0), list.length - 1);
      return setUi(s, { cursor: idx, selectedKey: list[idx]!.key, userSelected: true });
    }
    case 'select': {
      const idx = visibleContainers(s).findIndex((c) => c.key === a.key);
      return idx < 0 ? s : setUi(s, { selectedKey: a.key, cursor: idx, userSelected: true });
    }
    case 'filter/start':
      return setUi(s, { filterEditing: true });
    case 'filter/set':
      return reselect(setUi(s, { filter: a.text }));
    case 'filter/end':
      return setUi(s, { filterEditing: false });
    case 'filter/clear':
      return reselect(setUi(s, { filter: '', filterEditing: false }));
    case 'toggle-stopped':
      return reselect(setUi(s, { showStopped: !s.ui.showStopped }));
    case 'help':
      return setUi(s, { help: a.open });
    case 'confirm':
      return a.confirm ? setUi(s, { confirm: a.confirm }) : setUi(s, { confirm: undefined });
    case 'message':
      return setUi(s, { message: { text: a.text, level: a.level, at: a.at ?? Date.now() } });
    case 'message/clear':
      return s.ui.message ? setUi(s, { message: undefined }) : s;
    case 'gpu/update': {
      const zeroSince: Record<number, number> = {};
      for (const g of a.gpus) {
        if (g.utilizationPct === 0) zeroSince[g.index] = s.gpu.zeroSince[g.index] ?? a.at;
      }
      return { ...s, gpu: { ...s.gpu, status: a.status, gpus: a.gpus, processes: a.processes, at: a.at, zeroSince } };
    }
    case 'grants/set':
      return { ...s, grants: { ...s.grants, ...a.grants } };
    case 'gpu/move': {
      if (a.rows === 0) return s;
      const idx = a.to === 'top' ? 0 : a.to === 'bottom' ? a.rows - 1 : Math.min(Math.max(s.ui.gpuCursor + (a.delta ?? 0), 0), a.rows - 1);
      return idx === s.ui.gpuCursor ? s : setUi(s, { gpuCursor: idx });
    }
    case 'jump': {
      // Show the container, whatever hid it: clear the filter, show stopped ones.
      const s2 = setUi(s, { pane: 'containers', filter: '', filterEditing: false, showStopped: true });
      const idx = visibleContainers(s2).findIndex((c) => c.key === a.key);
      return idx < 0 ? s2 : setUi(s2, { selectedKey: a.key, cursor: idx, userSelected: true });
    }
    case 'res/set': {
      const r = s.resources;
      const errors = { ...r.errors };
      delete errors[`${a.pane}/${a.engineId}`];
      return {
        ...s,
        resources: { ...r, [a.pane]: { ...r[a.pane], [a.engineId]: a.rows }, loaded: { ...r.loaded, [a.pane]: true }, errors },
      };
    }
    case 'res/error': {
      const errors = { ...s.resources.errors };
      if (a.error) errors[`${a.pane}/${a.engineId}`] = a.error;
      else delete errors[`${a.pane}/${a.engineId}`];
      return { ...s, resources: { ...s.resources, errors, loaded: { ...s.resources.loaded, [a.pane]: true } } };
    }
    case 'df/set':
      return { ...s, resources: { ...s.resources, df: { ...s.resources.df, [a.engineId]: a.df }, loaded: { ...s.resources.loaded, system: true } } };
    case 'res/move': {
      const n = resourceRows(s, a.pane).length;
      if (n === 0) return s;
      const cur = s.ui.resCursor[a.pane];
      const idx = a.to === 'top' ? 0 : a.to === 'bottom' ? n - 1 : Math.min(Math.max(cur + (a.delta ?? 0), 0), n - 1);
      return idx === cur ? s : setUi(s, { resCursor: { ...s.ui.resCursor, [a.pane]: idx } });
    }
    case 'image-sort': {
      const order: ImageSort[] = ['size', 'age', 'name'];
      return setUi(s, { imageSort: order[(order.indexOf(s.ui.imageSort) + 1) % order.length]! });
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
    case 'command':
      return setUi(s, { command: a.text });
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
