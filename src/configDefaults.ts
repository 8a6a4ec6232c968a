// The config's shape, its defaults and where it lives: what every start needs, without the YAML
// parser (src/config.ts reads and validates the file, loaded only when there is one).
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ServerSpec } from './remote/spec.js';

export interface Config {
  /** Engines to use instead of discovery, like repeated --host. */
  hosts: string[];
  readOnly: boolean;
  showStopped: boolean;
  /** Start `podman system service` for the session when no Podman socket answers. */
  podmanService: boolean;
  /** Seconds between full re-lists of each engine (events drive updates in between). */
  resyncSeconds: number;
  /** Watch GPUs with nvidia-smi. */
  gpu: boolean;
  /** The nvidia-smi binary (default: nvidia-smi on PATH). */
  nvidiaSmi: string;
  /** GPU sampling period, ms. */
  gpuIntervalMs: number;
  /** A container holding GPU memory at 0 % utilisation this long is marked idle. */
  gpuIdleMinutes: number;
  /** Lines of a log shown when it opens (the since-key 0). */
  logTail: number;
  /** Lines a log panel keeps (a ring buffer: the oldest go first). */
  logLines: number;
  /** One log line longer than this many characters is cut with a marker. */
  logLineMax: number;
  /** Keep the containers' own colours in logs (c toggles). */
  logColor: boolean;
  /** Where s and S save logs (default: $XDG_STATE_HOME/gantry/logs, else ~/.local/state/gantry/logs). */
  logDir: string;
  /** What E runs in a container ('' : bash if it has one, else sh). */
  shell: string;
  /**
   * Registries (host or host:port) that may be pulled over plain HTTP / without TLS verification.
   * Podman pulls these through libpod with tlsVerify=false; Docker decides for itself (127.0.0.0/8
   * and its daemon.json insecure-registries).
   */
  insecureRegistries: string[];
  /** s (stop) and r (restart) ask first, naming the container and its GPU memory. */
  confirmStop: boolean;
  /** Remote servers shown beside this machine, reached by ssh. */
  servers: ServerSpec[];
  /** The ssh config gantry's ssh reads ('' : ssh's own, ~/.ssh/config); GANTRY_SSH_CONFIG wins. */
  sshConfig: string;
}

export const DEFAULT_CONFIG: Config = {
  hosts: [],
  readOnly: false,
  showStopped: true,
  podmanService: true,
  resyncSeconds: 10,
  gpu: true,
  nvidiaSmi: 'nvidia-smi',
  gpuIntervalMs: 1000,
  gpuIdleMinutes: 30,
  logTail: 200,
  logLines: 10_000,
  logLineMax: 65_536,
  logColor: true,
  logDir: '',
  shell: '',
  insecureRegistries: [],
  confirmStop: true,
  servers: [],
  sshConfig: '',
};

/** The largest config read: a real one is a few hundred bytes. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

export class ConfigError extends Error {
  /** What to do about it, when "fix or remove that line" is not it. */
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

export function configPath(env: Record<string, string | undefined> = process.env, home = homedir()): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(home, '.config');
  return join(base, 'gantry', 'config.yaml');
}

/** The defaults, as a config of its own (lists not shared with DEFAULT_CONFIG). */
export function defaultConfig(): Config {
  return { ...DEFAULT_CONFIG, hosts: [], insecureRegistries: [], servers: [] };
}
