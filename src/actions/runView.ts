// What the run form shows, from the form's state and the store: each row's label and value, the
// name the pattern makes, the GPUs (auto's choice and why, or who is on a chosen busy one), the
// GPU picker's ranked list, and the equivalent `docker run` / `podman run` line. Pure.
import type { AppState } from '../store/state.js';
import type { EngineKind } from '../engine/models.js';
import { commandArgv } from '../run/commandLine.js';
import { autoPick, gpuList, holderText, rankGpus, type GpuChoice } from '../run/gpuPick.js';
import { nameFromPattern, specFromDraft, type RunDraft } from '../run/run.js';
import type { GpuRequest, Template } from '../run/templates.js';
import { fieldDef, fieldText, formRows, isListField, listItems, type FieldKind, type FormRow } from './runForm.js';

export type RunStage = 'form' | 'gpus' | 'ask' | 'starting';

export interface Question {
  title: string;
  lines: string[];
  /** What y does, in words. */
  yes: string;
  no: string;
}

/** The form's own state (the controller's), that the view is made from. */
export interface RunFormState {
  stage: RunStage;
  templates: Template[];
  template: number;
  /** Broken template files, in words (file and line). */
  problems: string[];
  engines: { id: string; kind: EngineKind }[];
  engine: number;
  draft: RunDraft;
  cursor: number;
  editing?: FormRow;
  /** The GPU picker: the GPU under the cursor, the chosen ones, or auto with its count (chosen live). */
  picker?: { at: number; selected: number[]; auto: boolean; count: number };
  question?: Question;
  acceptBusy: number[];
  /** The whole command line in place of the fields (c). */
  showCommand?: boolean;
  error?: string;
  notice?: string;
}

export interface RunRowView {
  row: FormRow;
  label: string;
  value: string;
  kind: FieldKind | 'item';
  /** A list field's heading: how many items. */
  count?: number;
  note?: string;
}

export interface GpuPickerView {
  choices: GpuChoice[];
  /** Index into choices. */
  cursor: number;
  selected: number[];
  auto: boolean;
  note: string;
  /** Why there is nothing to choose from. */
  unavailable?: string;
}

export interface RunView {
  stage: RunStage;
  template: { name: string; file: string; description?: string; count: number };
  problems: string[];
  engine: { id: string; kind: EngineKind; count: number };
  rows: RunRowView[];
  cursor: number;
  editing?: FormRow;
  /** The container's name as the pattern makes it now. */
  name: string;
  /** The GPU ids the start would use now (auto resolved), and a note: why, or what is wrong. */
  gpuIds: string[];
  gpuNote: string;
  gpuProblem: boolean;
  command: string[];
  picker?: GpuPickerView;
  question?: Question;
  showCommand: boolean;
  error?: string;
  notice?: string;
}

/** The GPUs ranked from the store, or why there are none to rank. */
export function gpuChoices(s: AppState, engineId?: string): { choices: GpuChoice[]; unavailable?: string } {
  // A remote server's engine starts containers on that server's GPUs, never on this machine's.
  const server = engineId === undefined ? undefined : s.servers.list.find((e) => e.engineIds.includes(engineId));
  if (server && !server.local) {
    const g = server.gpu;
    if (!g || g.gpus.length === 0) {
      const why = g && 'message' in g.status && g.status.message ? g.status.message : 'nvidia-smi there has not answered yet';
      return { choices: [], unavailable: `${server.name}: ${why}` };
    }
    return { choices: rankGpus({ gpu: { ...s.gpu, gpus: g.gpus, processes: g.processes }, containers: containersOf(s, server.engineIds), grants: s.grants }) };
  }
  if (!s.gpu.enabled) return { choices: [], unavailable: 'GPUs are not watched (started with --no-gpu, or gpu: false in the config): gantry cannot choose or check them' };
  const st = s.gpu.status;
  if (s.gpu.gpus.length === 0) {
    const why = 'message' in st && st.message ? st.message : st.state === 'starting' ? 'nvidia-smi has not answered yet' : 'nvidia-smi reported no GPU';
    return { choices: [], unavailable: why };
  }
  // This machine's GPUs are held only by this machine's containers.
  const here = server ? containersOf(s, server.engineIds) : s.containers;
  return { choices: rankGpus({ gpu: s.gpu, containers: here, grants: s.grants }) };
}

function containersOf(s: AppState, engineIds: readonly string[]): AppState['containers'] {
  return Object.fromEntries(engineIds.map((id) => [id, s.containers[id] ?? []]));
}

/** The ids a GPU request resolves to now, with its note. */
export function resolveForView(req: GpuRequest, ranked: readonly GpuChoice[], unavailable: string | undefined): { ids: string[]; note: string; problem: boolean } {
  if (req.mode === 'none') return { ids: [], note: 'no GPU', problem: false };
  if (req.mode === 'all') return { ids: ['all'], note: 'every GPU', problem: false };
  if (req.mode === 'auto') {
    if (unavailable) return { ids: [], note: `auto: ${req.count} cannot choose: ${unavailable}`, problem: true };
    const pick = autoPick(ranked, req.count);
    return 'error' in pick ? { ids: [], note: pick.error, problem: true } : { ids: pick.indices.map(String), note: pick.reason, problem: false };
  }
  const busy = req.ids.map((id) => ranked.find((g) => String(g.index) === id || g.uuid === id)).filter((g): g is GpuChoice => !!g && !g.idle);
  const note = busy.length ? busy.map((g) => `GPU ${g.index} is busy: ${g.holders.map(holderText).join(', ')}`).join('; ') : unavailable ? `not checked: ${unavailable}` : 'chosen by hand';
  return { ids: [...req.ids], note, problem: busy.length > 0 };
}

function gpuValue(req: GpuRequest, ids: readonly string[]): string {
  if (req.mode === 'none') return 'none';
  if (req.mode === 'all') return 'all';
  if (req.mode === 'auto') return `auto: ${req.count}${ids.length ? ` → ${gpuList(ids)}` : ''}`;
  return gpuList(req.ids);
}

function rowView(f: RunFormState, row: FormRow, gpu: { ids: string[]; note: string }, name: string): RunRowView {
  const def = fieldDef(row.field);
  const d = f.draft;
  if (row.item !== undefined) return { row, label: '', value: listItems(d, row.field as never)[row.item] ?? '', kind: 'item' };
  const base = { row, label: def.label, kind: def.kind };
  switch (row.field) {
    case 'template': {
      const t = f.templates[f.template]!;
      return { ...base, value: t.name, note: t.file === 'built-in' ? 'built-in' : t.file };
    }
    case 'engine':
      return { ...base, value: `${f.engines[f.engine]?.id ?? '?'}` };
    case 'name':
      return { ...base, value: d.name, ...(name !== d.name ? { note: `→ ${name}` } : {}) };
    case 'interactive':
      return { ...base, value: d.interactive ? 'interactive (-it): the terminal goes to it' : 'detached (-d): its log follows' };
    case 'remove':
      return { ...base, value: d.remove ? 'yes (--rm)' : 'no' };
    case 'gpus':
      // "auto: 1 → GPU 3", then why: "the most free memory, idle" (the reason without what the value says).
      return { ...base, value: gpuValue(d.gpus, gpu.ids), note: gpu.note.replace(/^auto: \d+ picked [^:]+: /, '') };
    case 'command':
      return { ...base, value: fieldText(d, 'command') || "(the image's own)" };
    default: {
      if (isListField(row.field)) {
        const n = listItems(d, row.field).length;
        return { ...base, value: n ? '' : '(none)', count: n };
      }
      return { ...base, value: fieldText(d, row.field) || '(default)' };
    }
  }
}

export function runView(s: AppState, f: RunFormState, user: string): RunView {
  const t = f.templates[f.template]!;
  const e = f.engines[f.engine] ?? { id: '?', kind: 'docker' as const };
  const taken = new Set((s.containers[e.id] ?? []).map((c) => c.name));
  const name = nameFromPattern(f.draft.name, { user, template: f.draft.template, image: f.draft.image }, taken);
  const { choices, unavailable } = gpuChoices(s, e.id);
  const gpu = resolveForView(f.draft.gpus, choices, unavailable);
  const rows = visibleRows(f).map((r) => rowView(f, r, gpu, name));
  let cursor = Math.min(f.cursor, rows.length - 1);
  const adding = f.editing;
  if (adding?.item !== undefined && !rows.some((r) => r.row.field === adding.field && r.row.item === adding.item)) {
    // A new item being typed: its row comes after the list's last.
    let at = rows.length;
    for (let i = 0; i < rows.length; i++) if (rows[i]!.row.field === adding.field) at = i + 1;
    rows.splice(at, 0, { row: adding, label: '', value: '', kind: 'item' });
    cursor = at;
  }
  const v: RunView = {
    stage: f.stage,
    template: { name: t.name, file: t.file, ...(t.description ? { description: t.description } : {}), count: f.templates.length },
    problems: f.problems,
    engine: { ...e, count: f.engines.length },
    rows,
    cursor,
    name,
    gpuIds: gpu.ids,
    gpuNote: gpu.note,
    gpuProblem: gpu.problem,
    command: commandArgv(e.kind, specFromDraft(f.draft, name, gpu.ids)),
    showCommand: f.showCommand === true,
  };
  if (f.editing) v.editing = f.editing;
  if (f.question) v.question = f.question;
  if (f.error) v.error = f.error;
  if (f.notice) v.notice = f.notice;
  if (f.picker) {
    const p = f.picker;
    const cursor = Math.max(0, choices.findIndex((g) => g.index === p.at));
    const pick = p.auto ? autoPick(choices, p.count) : undefined;
    const selected = pick ? ('error' in pick ? [] : pick.indices) : p.selected;
    const note = pick ? ('error' in pick ? pick.error : pick.reason) : selected.length ? `chosen by hand: ${gpuList(selected)}` : 'no GPU (none)';
    v.picker = { choices, cursor, selected, auto: p.auto, note, ...(unavailable ? { unavailable } : {}) };
  }
  return v;
}

/** The form's rows: every field (the engine only when there is a choice) and every list item. */
export function visibleRows(f: Pick<RunFormState, 'draft' | 'engines'>): FormRow[] {
  return formRows(f.draft).filter((r) => r.field !== 'engine' || f.engines.length > 1);
}

/** Where a field's own row is. */
export function rowIndexOf(f: Pick<RunFormState, 'draft' | 'engines'>, field: string): number {
  return visibleRows(f).findIndex((r) => r.field === field && r.item === undefined);
}
