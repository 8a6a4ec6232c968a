// Run templates: YAML files in $XDG_CONFIG_HOME/gantry/templates/*.yaml (else ~/.config/gantry/
// templates), one per template, named by the file. Validated like config.yaml: an unknown key or
// a wrong type is named with its file and line. Mount sources expand ~, $HOME, $USER and $PWD
// ($PWD: where gantry was started). One template is built in: gpu-dev, the lab wiki's long
// `docker run -it --rm --gpus … --ipc=host …` with an editable image.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar, isSeq } from 'yaml';
import { ULIMIT_NAMES, type MountSpec, type PortSpec, type RestartName, type RunSpec, type UlimitSpec } from '../engine/runSpec.js';
import { describeYaml, readYamlMap, type YamlNode } from '../yamlMap.js';
import { parseSize, splitCommand } from './commandLine.js';

export type GpuRequest = { mode: 'none' } | { mode: 'all' } | { mode: 'auto'; count: number } | { mode: 'devices'; ids: string[] };

/** A template as read: a RunSpec's fields, with a name pattern, an optional image and a GPU request. */
export interface Template extends Omit<RunSpec, 'name' | 'gpus' | 'image'> {
  /** The template's name (its file's name). */
  name: string;
  /** The file it came from, or "built-in". */
  file: string;
  description?: string;
  image?: string;
  /** The container name, with {user}, {template}, {image} and {n} (the first free number). */
  namePattern: string;
  gpus: GpuRequest;
}

export interface TemplateContext {
  env: Record<string, string | undefined>;
  home: string;
  /** Where gantry was started: $PWD in mount sources. */
  pwd: string;
  user: string;
}

export class TemplateError extends Error {}

export const DEFAULT_NAME_PATTERN = '{user}-{template}-{n}';
export const BUILTIN_NAME = 'gpu-dev';
export const BUILTIN_GPU_DEV = `# The lab wiki's command: docker run -it --rm --gpus … --ipc=host --ulimit memlock=-1
# --ulimit stack=67108864 -e HF_HOME=… -v $PWD:/workspace -v $HOME/.cache/vla:/cache -w /workspace
# -p 7860:7860 IMAGE bash
description: an interactive PyTorch shell on the freest GPU, with the Hugging Face caches in ~/.cache/vla
image: nvcr.io/nvidia/pytorch:25.06-py3
name: "{user}-{template}-{n}"
command: bash
interactive: true
remove: true
gpus: {auto: 1}
ipc: host
ulimits:
  memlock: -1
  stack: 67108864
env:
  HF_HOME: /cache/hf
  TRANSFORMERS_CACHE: /cache/hf/transformers
  HF_DATASETS_CACHE: /cache/hf/datasets
  TORCH_HOME: /cache/torch
  PIP_CACHE_DIR: /cache/pip
mounts:
  - $PWD:/workspace
  - $HOME/.cache/vla:/cache
workdir: /workspace
ports:
  - "7860:7860"
`;

const KEYS = ['description', 'image', 'name', 'command', 'interactive', 'gpus', 'ipc', 'shmSize', 'ulimits', 'env', 'mounts', 'workdir', 'ports', 'network', 'restart', 'remove', 'labels'] as const;
type Key = (typeof KEYS)[number];

export function templatesDir(env: Record<string, string | undefined>, home: string): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(home, '.config');
  return join(base, 'gantry', 'templates');
}

/** Reads one template's fields; `at` locates nodes for messages. */
class Reader {
  constructor(
    private readonly at: (n: YamlNode | null | undefined) => string,
    private readonly ctx: TemplateContext,
  ) {}

  fail(node: YamlNode | null | undefined, msg: string): never {
    throw new TemplateError(`${this.at(node)}: ${msg}`);
  }

  str(n: YamlNode | null, key: string, allowNumber = false): string {
    if (isScalar(n) && (typeof n.value === 'string' || (allowNumber && (typeof n.value === 'number' || typeof n.value === 'boolean'))) && String(n.value).trim())
      return String(n.value);
    return this.fail(n, `"${key}" must be a non-empty string, not ${describeYaml(n)}`);
  }

  bool(n: YamlNode | null, key: string): boolean {
    if (isScalar(n) && typeof n.value === 'boolean') return n.value;
    return this.fail(n, `"${key}" must be true or false, not ${describeYaml(n)}`);
  }

  /** A mapping of names to scalars (env, labels). */
  dict(n: YamlNode | null, key: string): Record<string, string> {
    if (!isMap(n)) return this.fail(n, `"${key}" must be a mapping of names to values, not ${describeYaml(n)}`);
    const out: Record<string, string> = {};
    for (const p of n.items) {
      const k = p.key as YamlNode;
      const v = p.value as YamlNode | null;
      if (!isScalar(k) || !String(k.value).trim()) this.fail(k, `each name in "${key}" must be a string`);
      if (!isScalar(v) || v.value === null || typeof v.value === 'object') this.fail(v ?? k, `"${key}.${String(k.value)}" must be a string or a number, not ${describeYaml(v)}`);
      out[String(k.value)] = String(v.value);
    }
    return out;
  }

  list(n: YamlNode | null, key: string): YamlNode[] {
    if (!isSeq(n)) return this.fail(n, `"${key}" must be a list, not ${describeYaml(n)}`);
    return n.items as YamlNode[];
  }

  command(n: YamlNode | null): string[] {
    if (isSeq(n)) return (n.items as YamlNode[]).map((i) => this.str(i, 'command', true));
    const words = splitCommand(this.str(n, 'command'));
    return typeof words === 'string' ? this.fail(n, `"command" has ${words}`) : words;
  }

  gpus(n: YamlNode | null): GpuRequest {
    if (isScalar(n) && typeof n.value === 'string' && ['none', 'all', 'auto'].includes(n.value))
      return n.value === 'auto' ? { mode: 'auto', count: 1 } : { mode: n.value as 'none' | 'all' };
    if (isScalar(n) && typeof n.value === 'number' && Number.isInteger(n.value) && n.value >= 0) return { mode: 'devices', ids: [String(n.value)] };
    if (isMap(n) && n.items.length === 1 && isScalar(n.items[0]!.key) && (n.items[0]!.key as { value: unknown }).value === 'auto') {
      const v = n.items[0]!.value as YamlNode | null;
      if (isScalar(v) && typeof v.value === 'number' && Number.isInteger(v.value) && v.value >= 1 && v.value <= 64) return { mode: 'auto', count: v.value };
      return this.fail(v, `"gpus: {auto: N}" takes a number of GPUs from 1 to 64, not ${describeYaml(v)}`);
    }
    if (isSeq(n)) {
      const ids = (n.items as YamlNode[]).map((i) => {
        if (isScalar(i) && typeof i.value === 'number' && Number.isInteger(i.value) && i.value >= 0) return String(i.value);
        if (isScalar(i) && typeof i.value === 'string' && /^(\d+|(GPU|MIG)-[\w-]+)$/i.test(i.value)) return i.value;
        return this.fail(i, `each GPU in "gpus" must be an index (0, 1, …) or a UUID (GPU-…), not ${describeYaml(i)}`);
      });
      if (ids.length === 0) this.fail(n, '"gpus" lists no GPU: write gpus: none');
      return { mode: 'devices', ids };
    }
    return this.fail(n, `"gpus" must be none, all, {auto: N}, or a list of indices or UUIDs, not ${describeYaml(n)}`);
  }

  ulimits(n: YamlNode | null): UlimitSpec[] {
    if (!isMap(n)) return this.fail(n, `"ulimits" must be a mapping such as {memlock: -1, stack: 67108864, nofile: "1024:4096"}, not ${describeYaml(n)}`);
    return n.items.map((p) => {
      const k = p.key as YamlNode;
      const v = p.value as YamlNode | null;
      const name = isScalar(k) ? String(k.value) : '';
      const u = parseUlimit(name, isScalar(v) ? String(v.value) : '', describeYaml(v));
      return typeof u === 'string' ? this.fail(u.startsWith('unknown') ? k : (v ?? k), u) : u;
    });
  }

  mounts(n: YamlNode | null): MountSpec[] {
    return this.list(n, 'mounts').map((i) => {
      const m = parseMount(this.str(i, 'mounts'), this.ctx);
      return typeof m === 'string' ? this.fail(i, m) : m;
    });
  }

  ports(n: YamlNode | null): PortSpec[] {
    return this.list(n, 'ports').map((i) => {
      const p = parsePort(this.str(i, 'ports', true));
      return typeof p === 'string' ? this.fail(i, p) : p;
    });
  }

  restart(n: YamlNode | null): Template['restart'] {
    const r = parseRestart(isScalar(n) ? String(n.value) : '', describeYaml(n));
    return typeof r === 'string' ? this.fail(n, r) : r;
  }

  namePattern(n: YamlNode | null): string {
    const p = this.str(n, 'name');
    const bad = namePatternProblem(p);
    return bad ? this.fail(n, bad) : p;
  }
}

// The fields that read from text, for a template's YAML and for the run form alike: each returns
// the value, or a string saying what is wrong.

/** A ulimit's value: a number, -1 or unlimited, or "soft:hard". `shown`: how the value is quoted in a message. */
export function parseUlimit(name: string, raw: string, shown = JSON.stringify(raw)): UlimitSpec | string {
  if (!(ULIMIT_NAMES as readonly string[]).includes(name)) return `unknown ulimit "${name}" (known: ${ULIMIT_NAMES.join(', ')})`;
  const m = /^(-1|\d+|unlimited)(?::(-1|\d+|unlimited))?$/.exec(raw.trim());
  if (!m) return `ulimit "${name}" must be a number, -1 (unlimited), or "soft:hard", not ${shown}`;
  const num = (s: string) => (s === 'unlimited' ? -1 : Number(s));
  const soft = num(m[1]!);
  const hard = num(m[2] ?? m[1]!);
  if (hard !== -1 && (soft === -1 || soft > hard)) return `ulimit "${name}": the soft limit ${soft} is above the hard limit ${hard}`;
  return { name, soft, hard };
}

/** Expands ~, $HOME, $USER, $PWD (and ${…}) at the start or inside a mount source. */
function expandSource(s: string, ctx: TemplateContext): string | { unknown: string } {
  const vars: Record<string, string> = { HOME: ctx.home, USER: ctx.user, PWD: ctx.pwd };
  let unknown: string | undefined;
  const out = s.replace(/^~(?=\/|$)/, ctx.home).replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, a: string | undefined, b: string | undefined) => {
    const name = (a ?? b)!;
    if (!(name in vars)) unknown ??= name;
    return vars[name] ?? whole;
  });
  return unknown === undefined ? out : { unknown };
}

/** "SOURCE:TARGET[:ro]", the source expanded (~, $HOME, $USER, $PWD). */
export function parseMount(text: string, ctx: TemplateContext): MountSpec | string {
  const parts = text.split(':');
  const mode = parts.length === 3 ? parts[2] : undefined;
  if (parts.length < 2 || parts.length > 3 || (mode !== undefined && mode !== 'ro' && mode !== 'rw')) return `mount "${text}" must read SOURCE:TARGET or SOURCE:TARGET:ro`;
  const source = expandSource(parts[0]!, ctx);
  if (typeof source !== 'string') return `mount "${parts[0]}": $${source.unknown} is not known here (use ~, $HOME, $USER or $PWD)`;
  if (!source.startsWith('/')) return `mount "${text}": the source must be an absolute path (or start with ~, $HOME or $PWD); named volumes are not offered`;
  if (!parts[1]!.startsWith('/')) return `mount "${text}": the target must be an absolute path`;
  return { source, target: parts[1]!, readOnly: mode === 'ro' };
}

/** "[HOST_IP:]HOST_PORT:CONTAINER_PORT[/tcp|udp|sctp]". */
export function parsePort(text: string): PortSpec | string {
  const m = /^(?:(?:(\[[0-9a-fA-F:]+\]|[\d.]+|[\w.-]+):)?(\d*):)?(\d+)(?:\/(tcp|udp|sctp))?$/.exec(text.trim());
  const ok = (s: string | undefined) => s === undefined || s === '' || (Number(s) >= 1 && Number(s) <= 65535);
  if (!m || !ok(m[2]) || !ok(m[3])) return `port "${text}" must read [HOST_IP:]HOST_PORT:CONTAINER_PORT[/tcp|udp], e.g. "7860:7860" or "127.0.0.1:8888:8888"`;
  const p: PortSpec = { containerPort: Number(m[3]), protocol: (m[4] as PortSpec['protocol'] | undefined) ?? 'tcp' };
  if (m[1]) p.hostIp = m[1].replace(/^\[|\]$/g, '');
  if (m[2]) p.hostPort = Number(m[2]);
  return p;
}

/** no, always, unless-stopped, on-failure or on-failure:N. */
export function parseRestart(text: string, shown = JSON.stringify(text)): Template['restart'] | string {
  const m = /^(no|always|unless-stopped|on-failure)(?::(\d+))?$/.exec(text);
  if (!m || (m[2] !== undefined && m[1] !== 'on-failure')) return `"restart" must be no, always, unless-stopped, on-failure or on-failure:N, not ${shown}`;
  return m[2] !== undefined ? { name: 'on-failure', maxRetries: Number(m[2]) } : { name: m[1] as RestartName };
}

/** What is wrong with a name pattern, if anything. */
export function namePatternProblem(p: string): string | undefined {
  const bad = [...p.matchAll(/\{(\w*)\}/g)].map((x) => x[1]).find((x) => !['user', 'template', 'image', 'n'].includes(x ?? ''));
  if (bad !== undefined) return `"name": {${bad}} is not known (use {user}, {template}, {image}, {n})`;
  if (!/^[a-zA-Z0-9{][a-zA-Z0-9_.{}-]*$/.test(p)) return `"name" "${p}" makes no valid container name (letters, digits, _ . - and {placeholders})`;
  return undefined;
}

/** Parses a template's text. Throws TemplateError naming the file, line and problem. */
export function parseTemplate(text: string, file: string, name: string, ctx: TemplateContext): Template {
  const { entries, at } = readYamlMap(text, file, 'a template', (m) => new TemplateError(m));
  const r = new Reader(at, ctx);
  const t: Template = { name, file, namePattern: DEFAULT_NAME_PATTERN, command: [], interactive: false, gpus: { mode: 'none' }, ulimits: [], env: {}, mounts: [], ports: [], restart: { name: 'no' }, remove: false, labels: {} };
  for (const { key, keyNode, value: v } of entries) {
    if (!(KEYS as readonly string[]).includes(key)) r.fail(keyNode, `unknown key "${key}" (known keys: ${KEYS.join(', ')})`);
    switch (key as Key) {
      case 'description': t.description = r.str(v, key); break;
      case 'image': t.image = r.str(v, key); break;
      case 'name': t.namePattern = r.namePattern(v); break;
      case 'command': t.command = r.command(v); break;
      case 'interactive': t.interactive = r.bool(v, key); break;
      case 'gpus': t.gpus = r.gpus(v); break;
      case 'ipc':
        if (!isScalar(v) || v.value !== 'host') r.fail(v, `"ipc" can only be host (or leave it out and set shmSize), not ${describeYaml(v)}`);
        t.ipc = 'host';
        break;
      case 'shmSize': {
        const size = isScalar(v) ? parseSize(String(v.value)) : undefined;
        if (size === undefined) r.fail(v, `"shmSize" must be a size such as 16g, 512m or a number of bytes, not ${describeYaml(v)}`);
        t.shmSize = size;
        break;
      }
      case 'ulimits': t.ulimits = r.ulimits(v); break;
      case 'env': t.env = r.dict(v, key); break;
      case 'mounts': t.mounts = r.mounts(v); break;
      case 'workdir':
        t.workdir = r.str(v, key);
        if (!t.workdir.startsWith('/')) r.fail(v, `"workdir" must be an absolute path, not "${t.workdir}"`);
        break;
      case 'ports': t.ports = r.ports(v); break;
      case 'network': t.network = r.str(v, key); break;
      case 'restart': t.restart = r.restart(v); break;
      case 'remove': t.remove = r.bool(v, key); break;
      case 'labels': t.labels = r.dict(v, key); break;
    }
  }
  if (t.ipc && t.shmSize !== undefined) throw new TemplateError(`${file}: "ipc: host" shares the host /dev/shm, so "shmSize" does not apply: keep one of them`);
  if (t.remove && t.restart.name !== 'no') throw new TemplateError(`${file}: "remove: true" and "restart: ${t.restart.name}" contradict each other: keep one of them`);
  return t;
}

export function builtinTemplate(ctx: TemplateContext): Template {
  return parseTemplate(BUILTIN_GPU_DEV, 'built-in', BUILTIN_NAME, ctx);
}

function templateFiles(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => /^[\w.-]+\.ya?ml$/.test(f)).sort();
  } catch {
    return [];
  }
}

/** Every template: the user's (broken ones named in `problems`), or the built-in when there are none. */
export function listTemplates(ctx: TemplateContext): { templates: Template[]; problems: string[]; dir: string } {
  const dir = templatesDir(ctx.env, ctx.home);
  const templates: Template[] = [];
  const problems: string[] = [];
  for (const f of templateFiles(dir)) {
    const path = join(dir, f);
    try {
      templates.push(parseTemplate(readFileSync(path, 'utf8'), path, f.replace(/\.ya?ml$/, ''), ctx));
    } catch (e) {
      problems.push(e instanceof TemplateError ? e.message : `${path}: cannot read it (${(e as Error).message})`);
    }
  }
  if (templates.length === 0 && problems.length === 0) templates.push(builtinTemplate(ctx));
  return { templates, problems, dir };
}

/** One template by name: the user's file, else the built-in gpu-dev. Throws TemplateError. */
export function loadTemplate(name: string, ctx: TemplateContext): Template {
  const dir = templatesDir(ctx.env, ctx.home);
  const file = templateFiles(dir).find((f) => f.replace(/\.ya?ml$/, '') === name);
  if (file) {
    const path = join(dir, file);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new TemplateError(`${path}: cannot read it (${(e as Error).message})`);
    }
    return parseTemplate(text, path, name, ctx);
  }
  if (name === BUILTIN_NAME) return builtinTemplate(ctx);
  const have = [...templateFiles(dir).map((f) => f.replace(/\.ya?ml$/, '')), BUILTIN_NAME];
  throw new TemplateError(`no template "${name}" (templates: ${[...new Set(have)].join(', ')}; they live in ${dir}/NAME.yaml)`);
}
