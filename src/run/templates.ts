// Run templates: YAML files in $XDG_CONFIG_HOME/gantry/templates/*.yaml (else ~/.config/gantry/
// templates), one per template, named by the file. Validated like config.yaml: an unknown key or
// a wrong type is named with its file and line. Mount sources expand ~, $HOME, $USER and $PWD
// ($PWD: where gantry was started). One template is built in: gpu-dev, the lab wiki's long
// `docker run -it --rm --gpus … --ipc=host …` with an editable image. Here: the template's shape
// and the fields' parsers (the run form uses them too); reading the YAML files is templateFiles.ts.
import { join } from 'node:path';
import { ULIMIT_NAMES, type MountSpec, type PortSpec, type RestartName, type RunSpec, type UlimitSpec } from '../engine/runSpec.js';

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

export function templatesDir(env: Record<string, string | undefined>, home: string): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(home, '.config');
  return join(base, 'gantry', 'templates');
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
