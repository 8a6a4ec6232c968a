// The optional config file, $XDG_CONFIG_HOME/gantry/config.yaml (else ~/.config/gantry/).
// Validated whole before gantry starts: an unknown key or a wrong type is named with its line,
// and gantry never runs on a half-read config.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isScalar, isSeq } from 'yaml';
import { describeYaml, readYamlMap, type YamlNode } from './yamlMap.js';

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
};

type Kind = 'boolean' | 'string-list' | 'number' | 'string';
const SCHEMA: Record<keyof Config, { kind: Kind; min?: number; max?: number }> = {
  hosts: { kind: 'string-list' },
  readOnly: { kind: 'boolean' },
  showStopped: { kind: 'boolean' },
  podmanService: { kind: 'boolean' },
  resyncSeconds: { kind: 'number', min: 1, max: 3600 },
  gpu: { kind: 'boolean' },
  nvidiaSmi: { kind: 'string' },
  gpuIntervalMs: { kind: 'number', min: 100, max: 60_000 },
  gpuIdleMinutes: { kind: 'number', min: 1, max: 10_080 },
  logTail: { kind: 'number', min: 0, max: 1_000_000 },
  logLines: { kind: 'number', min: 100, max: 1_000_000 },
  logLineMax: { kind: 'number', min: 256, max: 16_777_216 },
  logColor: { kind: 'boolean' },
  logDir: { kind: 'string' },
  shell: { kind: 'string' },
  insecureRegistries: { kind: 'string-list' },
};

export class ConfigError extends Error {}

export function configPath(env: Record<string, string | undefined> = process.env, home = homedir()): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(home, '.config');
  return join(base, 'gantry', 'config.yaml');
}

/** Parses and validates config text. Throws ConfigError naming the file, line and problem. */
export function parseConfig(text: string, file = 'config.yaml'): Config {
  const { entries, at } = readYamlMap(text, file, 'the config', (m) => new ConfigError(m));
  const cfg: Config = { ...DEFAULT_CONFIG, hosts: [], insecureRegistries: [] };
  const known = Object.keys(SCHEMA).join(', ');
  for (const { key, keyNode, value: valueNode } of entries) {
    const where = at(keyNode);
    if (!(key in SCHEMA)) throw new ConfigError(`${where}: unknown key "${key}" (known keys: ${known})`);
    const spec = SCHEMA[key as keyof Config];
    const vwhere = valueNode ? at(valueNode) : where;
    if (spec.kind === 'boolean') {
      if (!isScalar(valueNode) || typeof valueNode.value !== 'boolean')
        throw new ConfigError(`${vwhere}: "${key}" must be true or false, not ${describe(valueNode)}`);
      (cfg as unknown as Record<string, unknown>)[key] = valueNode.value;
    } else if (spec.kind === 'number') {
      if (!isScalar(valueNode) || typeof valueNode.value !== 'number' || !Number.isFinite(valueNode.value))
        throw new ConfigError(`${vwhere}: "${key}" must be a number, not ${describe(valueNode)}`);
      const n = valueNode.value;
      if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max))
        throw new ConfigError(`${vwhere}: "${key}" must be between ${spec.min} and ${spec.max}, not ${n}`);
      (cfg as unknown as Record<string, unknown>)[key] = n;
    } else if (spec.kind === 'string') {
      if (!isScalar(valueNode) || typeof valueNode.value !== 'string' || !valueNode.value.trim())
        throw new ConfigError(`${vwhere}: "${key}" must be a non-empty string, not ${describe(valueNode)}`);
      (cfg as unknown as Record<string, unknown>)[key] = valueNode.value;
    } else {
      if (!isSeq(valueNode)) throw new ConfigError(`${vwhere}: "${key}" must be a list of strings, not ${describe(valueNode)}`);
      const out: string[] = [];
      for (const item of valueNode.items) {
        const n = item as YamlNode;
        if (!isScalar(n) || typeof n.value !== 'string' || !n.value.trim())
          throw new ConfigError(`${at(n)}: each entry of "${key}" must be a non-empty string, not ${describe(n)}`);
        out.push(n.value);
      }
      (cfg as unknown as Record<string, unknown>)[key] = out;
    }
  }
  return cfg;
}

const describe = describeYaml;

/** Loads the config file if it exists. A missing file is the defaults; a broken one throws. */
export function loadConfig(path: string): { config: Config; loaded: boolean } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { config: { ...DEFAULT_CONFIG, hosts: [], insecureRegistries: [] }, loaded: false };
    throw new ConfigError(`${path}: cannot read it (${(e as Error).message})`);
  }
  return { config: parseConfig(text, path), loaded: true };
}
