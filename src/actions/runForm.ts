// The run form's fields: the rows it shows (a list field is a heading and one row per item), each
// field's text, and how typed text changes the draft — through the template's own parsers, so a
// typed port or mount is read, and refused, in the same words as in a template file. Pure.
import type { RunDraft } from '../run/run.js';
import { commandText, parseSize, portFlag, sizeFlag, splitCommand } from '../run/commandLine.js';
import { namePatternProblem, parseMount, parsePort, parseRestart, parseUlimit, type TemplateContext } from '../run/templates.js';
import { parseImageRef } from '../engine/reference.js';
import type { MountSpec, UlimitSpec } from '../engine/runSpec.js';

export type ListField = 'env' | 'mounts' | 'ports' | 'ulimits' | 'labels';
export type FieldId = 'template' | 'engine' | 'image' | 'name' | 'command' | 'interactive' | 'gpus' | 'shm' | 'workdir' | 'network' | 'restart' | 'remove' | ListField;
export type FieldKind = 'choice' | 'text' | 'toggle' | 'list' | 'gpus';

export interface FieldDef {
  id: FieldId;
  label: string;
  kind: FieldKind;
  /** What to type, shown while the field is edited. */
  example?: string;
}

export const FIELDS: readonly FieldDef[] = [
  { id: 'template', label: 'template', kind: 'choice' },
  { id: 'engine', label: 'engine', kind: 'choice' },
  { id: 'image', label: 'image', kind: 'text', example: 'nvcr.io/nvidia/pytorch:25.06-py3 (Tab completes from the images here)' },
  { id: 'name', label: 'name', kind: 'text', example: 'a name, or a pattern with {user} {template} {image} {n}' },
  { id: 'command', label: 'command', kind: 'text', example: "words as a shell splits them: python train.py --lr 3e-4; empty: the image's own" },
  { id: 'interactive', label: 'mode', kind: 'toggle' },
  { id: 'gpus', label: 'GPUs', kind: 'gpus' },
  { id: 'shm', label: 'ipc / shm', kind: 'text', example: "host (share the host's /dev/shm), or a size such as 16g; empty: the engine's 64m" },
  { id: 'env', label: 'env', kind: 'list', example: 'NAME=VALUE' },
  { id: 'mounts', label: 'mounts', kind: 'list', example: 'SOURCE:TARGET or SOURCE:TARGET:ro (~, $HOME, $PWD)' },
  { id: 'workdir', label: 'workdir', kind: 'text', example: "an absolute path; empty: the image's" },
  { id: 'ports', label: 'ports', kind: 'list', example: '[HOST_IP:]HOST_PORT:CONTAINER_PORT[/udp], e.g. 7860:7860' },
  { id: 'network', label: 'network', kind: 'text', example: "host, none, or a network's name; empty: the engine's default" },
  { id: 'restart', label: 'restart', kind: 'text', example: 'no, always, unless-stopped, on-failure or on-failure:N' },
  { id: 'remove', label: 'remove on exit', kind: 'toggle' },
  { id: 'ulimits', label: 'ulimits', kind: 'list', example: 'NAME=SOFT[:HARD], e.g. memlock=-1, nofile=1024:4096' },
  { id: 'labels', label: 'labels', kind: 'list', example: 'NAME=VALUE' },
];

export function fieldDef(id: FieldId): FieldDef {
  return FIELDS.find((f) => f.id === id)!;
}

/** A row of the form: a field, or one item of a list field (a list field's own row is its heading). */
export interface FormRow {
  field: FieldId;
  item?: number;
}

export function formRows(d: RunDraft): FormRow[] {
  const out: FormRow[] = [];
  for (const f of FIELDS) {
    out.push({ field: f.id });
    if (f.kind === 'list') listItems(d, f.id as ListField).forEach((_, item) => out.push({ field: f.id, item }));
  }
  return out;
}

const pairs = (r: Record<string, string>) => Object.entries(r).map(([k, v]) => `${k}=${v}`);
const ulimitText = (u: UlimitSpec) => `${u.name}=${u.soft === u.hard ? u.soft : `${u.soft}:${u.hard}`}`;
const mountText = (m: MountSpec) => `${m.source}:${m.target}${m.readOnly ? ':ro' : ''}`;

/** The items of a list field, as typed. */
export function listItems(d: RunDraft, f: ListField): string[] {
  switch (f) {
    case 'env':
      return pairs(d.env);
    case 'labels':
      return pairs(d.labels);
    case 'mounts':
      return d.mounts.map(mountText);
    case 'ports':
      return d.ports.map(portFlag);
    case 'ulimits':
      return d.ulimits.map(ulimitText);
  }
}

/** A text field as typed (toggles and choices are the controller's). */
export function fieldText(d: RunDraft, f: FieldId): string {
  switch (f) {
    case 'image':
      return d.image;
    case 'name':
      return d.name;
    case 'command':
      return commandText(d.command);
    case 'shm':
      return d.ipc === 'host' ? 'host' : d.shmSize !== undefined ? sizeFlag(d.shmSize) : '';
    case 'workdir':
      return d.workdir ?? '';
    case 'network':
      return d.network ?? '';
    case 'restart':
      return d.restart.maxRetries !== undefined ? `${d.restart.name}:${d.restart.maxRetries}` : d.restart.name;
    default:
      return '';
  }
}

/** Sets an optional field, or leaves it out when empty. */
function optional<K extends 'workdir' | 'network'>(d: RunDraft, k: K, v: string): RunDraft {
  const next = { ...d };
  if (v) next[k] = v;
  else delete next[k];
  return next;
}

/** The draft with a text field set from what was typed, or what is wrong with it. */
export function setText(d: RunDraft, f: FieldId, raw: string): RunDraft | string {
  const text = raw.trim();
  switch (f) {
    case 'image': {
      const r = parseImageRef(text);
      return typeof r === 'string' ? r : { ...d, image: text };
    }
    case 'name':
      return namePatternProblem(text) ?? { ...d, name: text };
    case 'command': {
      const words = splitCommand(text);
      return typeof words === 'string' ? `the command has ${words}` : { ...d, command: words };
    }
    case 'shm': {
      const next = { ...d };
      delete next.ipc;
      delete next.shmSize;
      if (!text) return next;
      if (text === 'host' || text === 'ipc=host') return { ...next, ipc: 'host' };
      const size = parseSize(text);
      return size === undefined ? `"${text}" is neither host nor a size: write host (share the host's /dev/shm) or a size such as 16g, 512m` : { ...next, shmSize: size };
    }
    case 'workdir':
      return text && !text.startsWith('/') ? `workdir "${text}" must be an absolute path (or empty: the image's)` : optional(d, 'workdir', text);
    case 'network':
      return /^[\w.:-]*$/.test(text) ? optional(d, 'network', text) : `"${text}" is not a network name (letters, digits, _ . : -)`;
    case 'restart': {
      const r = parseRestart(text || 'no');
      return typeof r === 'string' ? r : { ...d, restart: r };
    }
    default:
      return d;
  }
}

/** "NAME=VALUE" lines into a mapping, or what is wrong. */
function readPairs(items: readonly string[], what: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const it of items) {
    const eq = it.indexOf('=');
    const k = eq < 0 ? it : it.slice(0, eq);
    if (eq <= 0 || !/^[^=\s]+$/.test(k)) return `${what} "${it}" must read NAME=VALUE`;
    out[k] = it.slice(eq + 1);
  }
  return out;
}

/** Every item or the first problem. */
function readAll<T>(items: readonly string[], read: (s: string) => T | string): T[] | string {
  const out: T[] = [];
  for (const it of items) {
    const v = read(it);
    if (typeof v === 'string') return v;
    out.push(v);
  }
  return out;
}

/** The draft with a list field's items replaced, or what is wrong with one of them. */
export function setList(d: RunDraft, f: ListField, raw: readonly string[], ctx: TemplateContext): RunDraft | string {
  const items = raw.map((s) => s.trim()).filter(Boolean);
  switch (f) {
    case 'env':
    case 'labels': {
      const r = readPairs(items, f === 'env' ? 'variable' : 'label');
      return typeof r === 'string' ? r : { ...d, [f]: r };
    }
    case 'mounts': {
      const r = readAll(items, (s) => parseMount(s, ctx));
      return typeof r === 'string' ? r : { ...d, mounts: r };
    }
    case 'ports': {
      const r = readAll(items, parsePort);
      return typeof r === 'string' ? r : { ...d, ports: r };
    }
    case 'ulimits': {
      const r = readAll(items, (s) => {
        const eq = s.indexOf('=');
        return eq < 0 ? `ulimit "${s}" must read NAME=SOFT[:HARD], e.g. memlock=-1` : parseUlimit(s.slice(0, eq).trim(), s.slice(eq + 1));
      });
      return typeof r === 'string' ? r : { ...d, ulimits: r };
    }
  }
}

/** One item of a list field set (an empty text removes it; `item` past the end adds one). */
export function setItem(d: RunDraft, f: ListField, item: number, text: string, ctx: TemplateContext): RunDraft | string {
  const items = listItems(d, f);
  items[item] = text;
  return setList(d, f, items, ctx);
}

/** One item of a list field removed. */
export function removeItem(d: RunDraft, f: ListField, item: number, ctx: TemplateContext): RunDraft {
  const items = listItems(d, f).filter((_, i) => i !== item);
  const next = setList(d, f, items, ctx);
  return typeof next === 'string' ? d : next;
}

export const isListField = (f: FieldId): f is ListField => fieldDef(f).kind === 'list';
