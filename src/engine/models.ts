// Engine-neutral models. Everything the UI shows about an engine's objects is normalised into
// these shapes here, so that panes never see a Docker/Podman difference.

export type EngineKind = 'docker' | 'podman';

export type ContainerState =
  | 'running'
  | 'paused'
  | 'restarting'
  | 'exited'
  | 'created'
  | 'dead'
  | 'removing'
  | 'unknown';

export interface PortMapping {
  hostIp?: string;
  hostPort?: number;
  containerPort: number;
  protocol: string;
}

export interface Container {
  /** `<engineId>/<full id>`: unique across engines (names may repeat). */
  key: string;
  engineId: string;
  id: string;
  name: string;
  image: string;
  state: ContainerState;
  /** The engine's own status text, e.g. "Up 3 hours" or "Exited (1) 5 minutes ago". */
  status: string;
  exitCode?: number;
  health?: 'healthy' | 'unhealthy' | 'starting';
  /** Seconds since the epoch. */
  created: number;
  /**
   * When it started (running, paused) or finished (exited), ms since the epoch: the engine's own
   * State.StartedAt / FinishedAt (from inspect), never the list's rounded status words; absent
   * until known.
   */
  since?: number;
  ports: PortMapping[];
  command: string;
  labels: Record<string, string>;
}

/** A container name as people type it: Docker's API puts a '/' before it, Podman's not everywhere. Strips one only where there is one. */
export function bareName(name: string): string {
  return name.startsWith('/') ? name.slice(1) : name;
}

/** An image's id without `sha256:`, 12 digits, as `docker images` shows it. */
export function shortImageId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

/** `engine/name`: how a container is named in messages and titles (names may repeat across engines). */
export function displayName(c: { engineId: string; name: string }): string {
  return `${c.engineId}/${c.name}`;
}

/** What can be done to a container through the engine's API. */
export const CONTAINER_VERBS = ['start', 'stop', 'restart', 'pause', 'unpause', 'kill', 'remove'] as const;
export type ContainerVerb = (typeof CONTAINER_VERBS)[number];

export type EngineStatus = 'connecting' | 'up' | 'down';

export interface EngineInfo {
  id: string;
  kind: EngineKind;
  /** How the user knows this engine: the socket path, "rootless", a host name. */
  label: string;
  endpoint: string;
  status: EngineStatus;
  version?: string;
  /** Plain words: why the engine is down, and what to do. */
  error?: string;
  /** The engine answers, but its last container list failed: what failed (the rows shown are older). */
  listError?: string;
  /** True when gantry started this engine's API service itself for the session. */
  sessionService?: boolean;
}

/** What gantry reads of a container's inspect answer outside the engine layer; the rest is there too. */
export interface ContainerJson {
  Name?: string;
  Config?: { Tty?: boolean; OpenStdin?: boolean; Env?: string[] | null };
  State?: { Running?: boolean; Status?: string; ExitCode?: number; StartedAt?: string; FinishedAt?: string; Pid?: number };
  [field: string]: unknown;
}

// ───────────────────────────── images, volumes, networks ─────────────────────────────

/** The kinds of thing besides containers that the engines list and remove. */
export type ResourceKindId = 'images' | 'volumes' | 'networks';

export interface ImageRow {
  /** `<engineId>/<image id>`. */
  key: string;
  engineId: string;
  /** The full id, `sha256:<64 hex>`. */
  id: string;
  /** `repo:tag` names; empty for an untagged (dangling) image. */
  repoTags: string[];
  dangling: boolean;
  /** Bytes, layers shared with other images included (what `docker images` shows). */
  size: number;
  /** Seconds since the epoch. */
  created: number;
  /** How many containers (any state) were created from it. */
  containers: number;
  containerNames: string[];
  labels: Record<string, string>;
  parentId?: string;
}

export interface VolumeRow {
  /** `<engineId>/<volume name>`. */
  key: string;
  engineId: string;
  name: string;
  driver: string;
  /** Bytes, from `/system/df`; undefined when the engine did not report it. */
  size?: number;
  /** A volume made for a container's anonymous mount (a 64-hex name). */
  anonymous: boolean;
  /** Names of the containers (any state) that mount it. */
  containers: string[];
  mountpoint: string;
  /** Seconds since the epoch. */
  created?: number;
  labels: Record<string, string>;
}

export interface NetworkRow {
  /** `<engineId>/<network id>`. */
  key: string;
  engineId: string;
  id: string;
  name: string;
  driver: string;
  scope: string;
  /** Made by the engine itself (bridge, host, none, podman): it cannot be removed. */
  builtin: boolean;
  /** Names of the containers (any state) attached to it. */
  containers: string[];
  internal: boolean;
  /** Seconds since the epoch. */
  created?: number;
  labels: Record<string, string>;
}

/** The row type of each resource kind. */
export interface ResourceRowOf {
  images: ImageRow;
  volumes: VolumeRow;
  networks: NetworkRow;
}
