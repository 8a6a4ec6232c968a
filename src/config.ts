// The optional config file, $XDG_CONFIG_HOME/gantry/config.yaml (else ~/.config/gantry/).
// Validated whole before gantry starts: an unknown key or a wrong type is named with its line,
// and gantry never runs on a half-read config.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { isScalar, isSeq } from 'yaml';
import { CONTROL, quoteForMessage } from './text/controls.js';
import { describeYaml, readYamlMap, type YamlNode } from './yamlMap.js';
import { parseServersNode } from './remote/configEntry.js';
import { ConfigError, DEFAULT_CONFIG, defaultConfig, MAX_CONFIG_BYTES, type Config } from './configDefaults.js';

// What every start reads without parsing YAML (the file's absence is the defaults): src/configDefaults.ts.
export { ConfigError, configPath, DEFAULT_CONFIG, defaultConfig, MAX_CONFIG_BYTES, type Config } from './configDefaults.js';

/** The most entries a list may have, and the longest string value. */
const MAX_LIST = 64;
const MAX_STRING = 4096;

type Kind = 'boolean' | 'string-list' | 'number' | 'string' | 'servers';
const SCHEMA: Record<keyof Config, { kind: Kind; min?: number; max?: number }> = {
  hosts: { kind: 'string-list', max: MAX_LIST },
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
  insecureRegistries: { kind: 'string-list', max: MAX_LIST },
  confirmStop: { kind: 'boolean' },
  servers: { kind: 'servers' },
  sshConfig: { kind: 'string' },
};

/** Parses and validates config text. Throws ConfigError naming the file, line and problem. */
export function parseConfig(text: string, file = 'config.yaml'): Config {
  const { entries, at } = readYamlMap(text, file, 'the config', (m) => new ConfigError(m));
  const cfg: Config = { ...DEFAULT_CONFIG, hosts: [], insecureRegistries: [] };
  const known = Object.keys(SCHEMA).join(', ');
  for (const { key, keyNode, value: valueNode } of entries) {
    const where = at(keyNode);
    if (!(key in SCHEMA)) throw new ConfigError(`${where}: unknown key ${quoteForMessage(key, 60)} (known keys: ${known})`);
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
    } else if (spec.kind === 'servers') {
      cfg.servers = parseServersNode(valueNode, (n) => (n ? at(n) : vwhere), (m) => new ConfigError(m));
    } else if (spec.kind === 'string') {
      (cfg as unknown as Record<string, unknown>)[key] = stringValue(valueNode, vwhere, `"${key}" must be`);
    } else {
      if (!isSeq(valueNode)) throw new ConfigError(`${vwhere}: "${key}" must be a list of strings, not ${describe(valueNode)}`);
      if (spec.max !== undefined && valueNode.items.length > spec.max)
        throw new ConfigError(`${vwhere}: "${key}" has ${valueNode.items.length} entries; the most it takes is ${spec.max}`);
      const out: string[] = [];
      for (const item of valueNode.items) {
        const n = item as YamlNode;
        out.push(stringValue(n, at(n), `each entry of "${key}" must be`));
      }
      (cfg as unknown as Record<string, unknown>)[key] = out;
    }
  }
  return cfg;
}

const describe = describeYaml;

/** A string value: not empty, not huge, no control characters (a path or URL never has them). */
function stringValue(node: YamlNode | null, where: string, must: string): string {
  if (!isScalar(node) || typeof node.value !== 'string' || !node.value.trim()) throw new ConfigError(`${where}: ${must} a non-empty string, not ${describe(node)}`);
  const v = node.value;
  if (v.length > MAX_STRING) throw new ConfigError(`${where}: ${must} at most ${MAX_STRING} characters, not ${v.length}`);
  if (CONTROL.test(v)) throw new ConfigError(`${where}: ${must} free of control characters: ${quoteForMessage(v, 80)}`);
  return v;
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a named pipe';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

const NOT_A_CONFIG = 'Point --config (or $XDG_CONFIG_HOME/gantry/config.yaml) at a YAML file, or remove it to use the defaults.';

/**
 * The file's text, refused when it is no regular file (a device, a pipe, a directory: reading
 * /dev/zero never ends) or larger than MAX_CONFIG_BYTES. Opened without blocking, so a named pipe
 * with no writer is refused rather than waited on; read through the one descriptor that was checked.
 */
function readConfigText(path: string): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new ConfigError(`${path}: ${kindOf(st)}, not a config file`, NOT_A_CONFIG);
    const tooBig = (n: string) =>
      new ConfigError(`${path}: ${n} is too large for a config file (the most gantry reads is ${MAX_CONFIG_BYTES / 1024 / 1024} MiB)`, NOT_A_CONFIG);
    if (st.size > MAX_CONFIG_BYTES) throw tooBig(`${(st.size / 1024 / 1024).toFixed(1)} MiB`);
    // Read one byte past the limit: a file that grew since fstat is refused too.
    const buf = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    let n = 0;
    for (;;) {
      const r = n < buf.length ? readSync(fd, buf, n, buf.length - n, null) : 0;
      if (r === 0) break;
      n += r;
    }
    if (n > MAX_CONFIG_BYTES) throw tooBig('it');
    return buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** Loads the config file if it exists. A missing file is the defaults; a broken one throws. */
export function loadConfig(path: string): { config: Config; loaded: boolean } {
  let text: string;
  try {
    text = readConfigText(path);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { config: defaultConfig(), loaded: false };
    throw new ConfigError(`${path}: cannot read it (${(e as Error).message})`);
  }
  return { config: parseConfig(text, path), loaded: true };
}
