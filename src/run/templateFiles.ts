// Template files: the YAML in $XDG_CONFIG_HOME/gantry/templates/*.yaml read into templates, and the
// built-in gpu-dev. Apart from templates.ts (the fields' own parsers, shared with the run form) so
// that the YAML parser (113 KiB of code) is loaded when the run form first opens, not at start-up.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar, isSeq } from 'yaml';
import { ULIMIT_NAMES, type MountSpec, type PortSpec, type UlimitSpec } from '../engine/runSpec.js';
import { describeYaml, readYamlMap, type YamlNode } from '../yamlMap.js';
import { parseSize, splitCommand } from './commandLine.js';
import {
  BUILTIN_GPU_DEV,
  BUILTIN_NAME,
  DEFAULT_NAME_PATTERN,
  namePatternProblem,
  parseMount,
  parsePort,
  parseRestart,
  parseUlimit,
  templatesDir,
  TemplateError,
  type GpuRequest,
  type Template,
  type TemplateContext,
} from './templates.js';

const KEYS = ['description', 'image', 'name', 'command', 'interactive', 'gpus', 'ipc', 'shmSize', 'ulimits', 'env', 'mounts', 'workdir', 'ports', 'network', 'restart', 'remove', 'labels'] as const;
type Key = (typeof KEYS)[number];

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
