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
  /** Estimated start (running) or finish (exited) time in ms since the epoch, from the status text. */
  since?: number;
  ports: PortMapping[];
  command: string;
  labels: Record<string, string>;
}

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
  /** True when gantry started this engine's API service itself for the session. */
  sessionService?: boolean;
}
