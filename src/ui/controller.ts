// What the UI may ask of the rest of gantry: one interface, implemented by the Ink-free
// controllers in src/actions/ (wired in src/app/wire.ts) and by stand-ins in the UI tests.
import type { Container } from '../engine/models.js';
import type { ContainerCommand, ResourcePane } from '../store/state.js';
import type { LogSession } from '../store/logs.js';
import type { GpuRow } from '../store/gpu.js';
import type { PanelData } from '../actions/panel.js';
import type { ContainerKeyCommand } from '../actions/containers.js';
import type { PullControls } from '../actions/pull.js';
import type { RunControls } from '../actions/run.js';

export interface Controller {
  containerKey(c: Container | undefined, action: ContainerKeyCommand): void;
  confirmed(key: string, command: ContainerCommand): void;
  quit(): void;
  /** The log of the selected container, as followed (undefined: none yet). */
  logSession?(): LogSession | undefined;
  saveLogs?(whole: boolean): void;
  /** What the Inspect, Env, Stats, Top and Exec tabs show. */
  panelData?(): PanelData | undefined;
  /** E (a shell) or `:exec -it CMD…`; the TUI steps aside while it runs. */
  exec?(cmd?: string[]): void;
  /** `:exec CMD…`: run without a terminal, the output in the panel's Exec tab. */
  execOutput?(cmd: string[]): void;
  /** w: open the selected container's published port (or show its URL and how to forward it). */
  openPort?(): void;
  /** a: attach to the main process. */
  attach?(): void;
  /** K in the GPUs pane: kill the selected process (asks first). */
  killGpuProcess?(row: GpuRow | undefined): void;
  resources?: {
    remove(pane: ResourcePane): void;
    /** d with marked containers: true when it took the key. */
    removeMarkedContainers(): boolean;
    openPrune(): void;
    /** b: bulk actions on marked (or listed) containers. */
    bulk(): void;
    previewPrune(): void;
    executePrune(): void;
  };
  /** P, `:pull IMAGE`: the pull dialog's work. */
  pull?: PullControls;
  /** n, `:run TEMPLATE`: the run form's work. */
  run?: RunControls;
}
