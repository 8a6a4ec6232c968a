// The shape of the application state and of the actions that change it. Pure types.
import type { Container, EngineInfo } from '../engine/models.js';
import type { AttributedProcess } from '../gpu/attribute.js';
import type { GpuStatus } from '../gpu/monitor.js';
import type { GpuSample } from '../gpu/parse.js';
import type { GpuGrantInput } from '../gpu/reservations.js';
import type { FilterMode } from '../engine/logs/search.js';
import type { ContainerVerb, ImageRow, NetworkRow, ResourceRowOf, VolumeRow } from '../engine/models.js';
import type { DiskUsage } from '../engine/resources/disk.js';
import type { PruneCategory, PrunePreview } from '../engine/resources/prune.js';
import type { ServersAction, ServersState } from './servers.js';
import type { LayerProgress, PullTotals } from '../engine/pullProgress.js';

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

export type PaneId = 'containers' | 'images' | 'volumes' | 'networks' | 'gpus' | 'system' | 'servers';
/** In number-key order; Servers is on the tab row only when servers are configured (select.ts shownPanes). */
export const PANES: readonly PaneId[] = ['containers', 'images', 'volumes', 'networks', 'gpus', 'system', 'servers'];

/** The panes that are lists: each has one cursor and one filter. */
export type ListId = 'containers' | 'images' | 'volumes' | 'networks' | 'gpus' | 'servers';
export const LISTS: readonly ListId[] = ['containers', 'images', 'volumes', 'networks', 'gpus', 'servers'];

/** The engine verbs on a container, and a forced removal. */
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
export type { ResourceRowOf };
export type ResourceRow = ResourceRowOf[ResourcePane];

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

/** What the container list is sorted by (o), and which way (O). */
export type ContainerSortBy = 'state' | 'name' | 'vram' | 'cpu' | 'mem' | 'created';
export interface ListSort {
  by: ContainerSortBy;
  desc: boolean;
}

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
  /** The filter of the list it was opened from: the preview shows only the items it matches. */
  scope?: { list: ListId; text: string };
  /** Items of the engines' previews that the filter left out. */
  filteredOut?: number;
  /** Preview: the item under the cursor, an index over every engine's items in order. */
  item?: number;
  /** Preview: the items unticked (by key); the rest are removed on y. */
  off?: Record<string, true>;
}

export interface Confirm {
  title: string;
  lines: string[];
  target: string; // container key
  choices: ConfirmChoice[];
  /** Only something to read (no choices): Esc closes it. */
  note?: boolean;
}

/** The main panel beside (or under) the container list. */
export type PanelTab = 'logs' | 'inspect' | 'env' | 'stats' | 'top' | 'exec';
export const PANEL_TABS: readonly PanelTab[] = ['logs', 'inspect', 'env', 'stats', 'top', 'exec'];

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
  /** The panel fills the screen (m). */
  full: boolean;
  /** The panel is hidden: the list alone, full width (+, as lazydocker's). */
  listOnly: boolean;
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
  filter: FilterMode;
  /** The search hit n/N went to. */
  hit?: number;
  /** Moves whenever the shown log changes: the panel redraws. */
  version: number;
  /** Lines scrolled in the Inspect, Env, Top and Exec tabs. */
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

/** A list's selection: the row's key (followed through re-sorts once the user moved) and its index. */
export interface Cursor {
  index: number;
  key?: string;
  /** Set once the user moved: from then on the selection follows its row through re-sorts. */
  user?: boolean;
}

/**
 * A line being typed: a list filter, a log search, a `:` command, an image reference to pull, or a
 * field of the run form.
 */
export interface Prompt {
  kind: 'filter' | 'search' | 'command' | 'pull-ref' | 'run-field';
  text: string;
  /** Where the cursor is, in characters. */
  cursor: number;
  /** Tab completes image references from the images already present. */
  completeImages?: boolean;
}

/** The pull dialog: choose the engine → type the reference (a 'pull-ref' prompt) → watch it come in. */
export interface PullUi {
  stage: 'engine' | 'ref' | 'pulling';
  /** Engines to choose from, and the one chosen. */
  engines: string[];
  cursor: number;
  engineId?: string;
  /** The reference: typed, or being pulled (kept when a pull fails, to be corrected). */
  ref: string;
  layers: LayerProgress[];
  totals?: PullTotals;
  /** The engine's last line that is not about one layer ("Pulling from …", "Digest: …"). */
  status: string;
  startedAt?: number;
  error?: string;
}

/** The run form is open; what it shows is the run controller's (Controller.run.view), redrawn when `version` moves. */
export interface RunUi {
  stage: 'form' | 'gpus' | 'ask' | 'starting';
  version: number;
}

/** The action menu (x): the pane's actions for its selected row; the cursor is on one. */
export interface MenuUi {
  cursor: number;
}

export interface UiState {
  pane: PaneId;
  cursors: Record<ListId, Cursor>;
  /** Each list's own filter. */
  filters: Record<ListId, string>;
  /** Each list's own order, where it was chosen with o (the images keep `imageSort`). */
  sorts: Partial<Record<ListId, ListSort>>;
  prompt?: Prompt;
  showStopped: boolean;
  help: boolean;
  /** Lines of help scrolled past. */
  helpScroll: number;
  confirm?: Confirm;
  menu?: MenuUi;
  message?: Message;
  /** Actions in flight, by container key: "stopping", "removing", … */
  pending: Record<string, string>;
  logs: LogsUi;
  imageSort: ImageSort;
  /** Rows marked with space (container, image, volume or network keys). */
  marks: Record<string, true>;
  prune?: PruneUi;
  pull?: PullUi;
  run?: RunUi;
  /** Every pane shows this server's engines only (Enter on the Servers pane; `*` shows all again). */
  server?: string;
}

/** A running container's CPU (% of one core; undefined until two readings) and memory in use. */
export interface ContainerUsage {
  cpuPct?: number;
  memBytes: number;
}

export interface AppState {
  engines: EngineInfo[];
  /** Places on this machine still being tried (as shown: a socket path), before an engine answers there. */
  connecting?: string[];
  /** CPU and memory by container key (local engines: every running one; remote: the selected). */
  usage: Record<string, ContainerUsage>;
  containers: Record<string, Container[]>;
  /** Engines whose container list has been loaded at least once. */
  loaded: Record<string, boolean>;
  readOnly: boolean;
  gpu: GpuState;
  /** What each container was given (from inspect), by container key; null: nothing GPU-related. */
  grants: Record<string, GpuGrantInput | null>;
  resources: ResourcesState;
  /** This machine and the remote servers (empty list: no servers configured). */
  servers: ServersState;
  ui: UiState;
}

export type Action =
  | { type: 'engines/set'; engines: EngineInfo[] }
  | { type: 'engines/trying'; places: string[] }
  | { type: 'engine/status'; id: string; status: EngineInfo['status']; error?: string }
  | { type: 'engine/list-error'; id: string; error?: string }
  | { type: 'containers/set'; engineId: string; containers: Container[] }
  | { type: 'usage/set'; usage: Record<string, ContainerUsage> }
  /** The engine's StartedAt / FinishedAt for rows still in the state they were inspected in. */
  | { type: 'containers/since'; engineId: string; since: Record<string, { state: Container['state']; since: number }> }
  | { type: 'pane'; pane: PaneId }
  | { type: 'move'; list: ListId; delta?: number; to?: 'top' | 'bottom' }
  | { type: 'filter/set'; list: ListId; text: string }
  | { type: 'prompt'; prompt?: Prompt }
  | { type: 'toggle-stopped' }
  | { type: 'help'; open: boolean; scroll?: number }
  | { type: 'confirm'; confirm?: Confirm }
  | { type: 'menu'; menu?: MenuUi }
  | { type: 'message'; text: string; level: MessageLevel; at?: number }
  | { type: 'message/clear' }
  | { type: 'pending'; key: string; label?: string }
  | { type: 'gpu/update'; status: GpuState['status']; gpus: GpuSample[]; processes: AttributedProcess[]; at: number }
  | { type: 'grants/set'; grants: Record<string, GpuGrantInput | null> }
  | { type: 'jump'; key: string }
  | { type: 'logs/set'; patch: Partial<LogsUi> }
  | { type: 'res/set'; pane: ResourcePane; engineId: string; rows: ResourceRow[] }
  | { type: 'res/error'; pane: ResourcePane | 'system'; engineId: string; error?: string }
  | { type: 'df/set'; engineId: string; df: DiskUsage | { error: string } }
  | { type: 'image-sort' }
  /** o: the list sorted by its next column; O (flip): the other way. */
  | { type: 'list-sort'; list: 'containers'; flip?: boolean }
  | { type: 'mark'; key: string }
  | { type: 'marks/clear' }
  | { type: 'prune'; prune?: PruneUi }
  | { type: 'pull'; pull?: PullUi }
  | { type: 'run'; run?: RunUi }
  /** Selects a row of a list by key, clearing that list's filter when it hides the row. */
  | { type: 'select'; list: ListId; key: string }
  | { type: 'logs/tick' }
  /** Every pane to one server's engines (a name), or to every server again (none). */
  | { type: 'narrow'; server?: string }
  | ServersAction;
