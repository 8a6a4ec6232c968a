// The run form: every field of the template, one per row (a list one item per row), j/k to move,
// Enter to edit with the line editor; the GPU picker; a question when the start needs an answer;
// and the equivalent `docker run` / `podman run` line, always in view. Its work is the
// RunController's (src/actions/run.ts); this draws its view and sends it the keys.
import React, { useRef } from 'react';
import { Box, Text } from 'ink';
import type { RunRowView, RunView } from '../../actions/runView.js';
import { fieldDef } from '../../actions/runForm.js';
import { presentTags, tagMatches } from '../../actions/imageRefs.js';
import { shellLines } from '../../present/shellLines.js';
import { selectedResource } from '../../store/select.js';
import type { AppState, Prompt } from '../../store/state.js';
import { cell, printable, truncate } from '../../text/width.js';
import { wordWrap } from '../../text/words.js';
import { listWindow } from '../list/window.js';
import { PromptText } from '../prompt.js';
import type { Theme } from '../theme.js';
import type { CommandHandler, KeyContext } from './context.js';
import { GpuPicker } from './gpuPicker.js';

const LABEL = 16;

function FieldRow({ r, selected, prompt, width, theme }: { r: RunRowView; selected: boolean; prompt?: Prompt; width: number; theme: Theme }) {
  const label = r.kind === 'item' ? '' : r.count !== undefined ? `${r.label} (${r.count})` : r.label;
  const lead = `${selected ? '▸' : ' '} ${cell(label, LABEL)}${r.kind === 'item' ? '  ' : ''}`;
  if (prompt) {
    return (
      <Text wrap="truncate">
        <Text bold>{lead}</Text>
        <PromptText prompt={prompt} />
      </Text>
    );
  }
  const room = width - lead.length - 2;
  const value = truncate(printable(r.value), Math.max(8, room));
  const note = r.note && room - value.length > 6 ? truncate(`  ${printable(r.note)}`, room - value.length) : '';
  return (
    <Text inverse={selected} wrap="truncate">
      {lead}
      {value}
      <Text color={theme.dim}>{note}</Text>
    </Text>
  );
}

/** What editing a field shows under it: what to type, and the images a reference may complete to. */
function EditHelp({ state, v, width, theme }: { state: AppState; v: RunView; width: number; theme: Theme }) {
  const p = state.ui.prompt;
  if (!v.editing || p?.kind !== 'run-field') return null;
  const m = p.completeImages ? tagMatches(p.text, presentTags(state, v.engine.id)).filter((t) => t !== p.text.trim()) : [];
  const text = m.length ? `Tab: ${m.slice(0, 6).join('  ')}${m.length > 6 ? `  (+${m.length - 6})` : ''}` : (fieldDef(v.editing.field).example ?? '');
  return (
    <Text color={theme.dim} wrap="truncate">
      {truncate(`${' '.repeat(LABEL + 2)}${printable(text)}   Enter keep · Esc leave as it was`, width - 2)}
    </Text>
  );
}

/** A question's lines, broken to fit its box (the box is as tall as they are). */
export function questionLines(v: RunView, width: number): string[] {
  return (v.question?.lines ?? []).flatMap((l) => wordWrap(printable(l), questionWidth(width) - 4));
}

const questionWidth = (width: number) => Math.min(width - 2, 100);

function Question({ v, width, theme }: { v: RunView; width: number; theme: Theme }) {
  const q = v.question!;
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.warn} width={questionWidth(width)} paddingX={1}>
      <Text bold wrap="truncate">
        {printable(q.title)}
      </Text>
      {questionLines(v, width).map((l, i) => (
        <Text key={i} wrap="truncate">
          {l}
        </Text>
      ))}
      <Text bold color={theme.warn} wrap="truncate">{`[y] ${q.yes}   [n] ${q.no}`}</Text>
    </Box>
  );
}

/**
 * The form's messages as screen rows, broken at spaces: an error gets up to 4 rows (what went wrong
 * and the command that fixes it), anything else 2; what is left over ends the last row with "…".
 */
export function messageRows(messages: readonly { text: string; color: string | undefined }[], width: number): { text: string; color: string | undefined }[] {
  return messages.flatMap((m, i) => {
    const lines = wordWrap(printable(m.text), width);
    const max = i === 0 ? 4 : 2;
    const shown = lines.length > max ? [...lines.slice(0, max - 1), truncate(lines.slice(max - 1).join(' '), width)] : lines.map((l) => truncate(l, width));
    return shown.map((text) => ({ text, color: m.color }));
  });
}

export function RunForm({ state, view: v, rows, width, theme }: { state: AppState; view: RunView; rows: number; width: number; theme: Theme }) {
  const height = rows + 1;
  const cmd = shellLines(v.command, width - 3);
  const messages = [v.error ? { text: v.error, color: theme.error } : undefined, v.notice && !v.error ? { text: v.notice, color: theme.dim } : undefined, ...v.problems.map((text) => ({ text: `template problem: ${text}`, color: theme.warn }))].filter(
    (m): m is { text: string; color: string | undefined } => !!m,
  );
  const shownMessages = messageRows(messages.slice(0, 2), width - 2);
  const cmdRoom = v.question ? 0 : Math.min(cmd.length, Math.max(2, Math.floor(height / 3)));
  const questionRows = v.question ? questionLines(v, width).length + 4 : 0;
  const editRows = v.editing ? 1 : 0;
  const bodyRows = Math.max(3, height - 1 - shownMessages.length - (cmdRoom ? cmdRoom + 1 : 0) - questionRows - editRows);
  // The window moves only when the cursor leaves it.
  const topRef = useRef(0);
  const top = listWindow(topRef.current, v.cursor, bodyRows, v.rows.length);
  topRef.current = top;
  const title = `Run a container — template ${v.template.name}${v.template.description ? `: ${v.template.description}` : ''}`;
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden" paddingLeft={1}>
      <Text bold color={theme.accent} wrap="truncate">
        {truncate(printable(title), width - 2)}
      </Text>
      {v.picker ? (
        <GpuPicker picker={v.picker} rows={bodyRows + editRows} width={width - 1} theme={theme} />
      ) : (
        <Box flexDirection="column" height={Math.min(bodyRows, v.rows.length) + editRows}>
          {v.rows.slice(top, top + bodyRows).map((r, i) => {
            const at = top + i;
            const editing = v.editing && at === v.cursor && state.ui.prompt?.kind === 'run-field' ? state.ui.prompt : undefined;
            return (
              <React.Fragment key={`${r.row.field}-${r.row.item ?? 'f'}`}>
                <FieldRow r={r} selected={at === v.cursor && v.stage !== 'ask'} prompt={editing} width={width - 1} theme={theme} />
                {editing ? <EditHelp state={state} v={v} width={width - 1} theme={theme} /> : null}
              </React.Fragment>
            );
          })}
        </Box>
      )}
      {shownMessages.map((m, i) => (
        <Text key={i} color={m.color} wrap="truncate">
          {m.text}
        </Text>
      ))}
      {v.question ? <Question v={v} width={width} theme={theme} /> : null}
      {cmdRoom ? (
        <>
          <Text color={theme.dim} wrap="truncate">{`The same as${cmd.length > cmdRoom ? ` (${cmdRoom} of ${cmd.length} lines; c shows it all)` : ''}:`}</Text>
          {cmd.slice(0, cmdRoom).map((l, i) => (
            <Text key={i} wrap="truncate">
              {printable(l)}
            </Text>
          ))}
        </>
      ) : null}
    </Box>
  );
}

/** c: the whole command line, to read or copy (a shell takes it as it is, line breaks and all). */
export function RunCommand({ view: v, rows, width, theme }: { view: RunView; rows: number; width: number; theme: Theme }) {
  const cmd = shellLines(v.command, width - 3);
  return (
    <Box flexDirection="column" width={width} height={rows + 1} overflow="hidden" paddingLeft={1}>
      <Text bold color={theme.accent}>{`The ${v.engine.kind} run command this form makes (c or Esc: back to the form)`}</Text>
      {cmd.slice(0, rows).map((l, i) => (
        <Text key={i} wrap="truncate">
          {printable(l)}
        </Text>
      ))}
    </Box>
  );
}

const run = (ctx: KeyContext) => ctx.controller.run;

/** Opens the line editor on a field (what Enter or a on a list returned). */
function edit(ctx: KeyContext, e: { text: string; completeImages: boolean } | undefined): void {
  if (!e) return;
  ctx.store.dispatch({ type: 'prompt', prompt: { kind: 'run-field', text: e.text, cursor: [...e.text].length, ...(e.completeImages ? { completeImages: true } : {}) } });
}

export const RUN_COMMANDS: Record<string, CommandHandler> = {
  'run.open': (ctx) => {
    const s = ctx.store.getState();
    const img = s.ui.pane === 'images' ? selectedResource(s, 'images') : undefined;
    if (s.ui.pane === 'images' && !img) return void ctx.store.dispatch({ type: 'message', level: 'info', text: 'no image selected: n runs the selected image (n in Containers opens the form with the template image)' });
    run(ctx)?.open(img ? { image: img.repoTags[0] ?? img.id, engineId: img.engineId } : {});
  },
  'run.move': (ctx, n) => run(ctx)?.move(Number(n)),
  'run.enter': (ctx) => edit(ctx, run(ctx)?.enter()),
  'run.add': (ctx) => edit(ctx, run(ctx)?.add()),
  'run.remove': (ctx) => run(ctx)?.remove(),
  'run.start': (ctx) => run(ctx)?.start(),
  'run.command': (ctx) => run(ctx)?.toggleCommand(),
  'run.close': (ctx) => {
    if (run(ctx)?.closeCommand()) return;
    run(ctx)?.close();
    ctx.store.dispatch({ type: 'message', level: 'info', text: 'run cancelled: nothing was started' });
  },
  'run.gpu-move': (ctx, n) => run(ctx)?.picker.move(Number(n)),
  'run.gpu-toggle': (ctx) => run(ctx)?.picker.toggle(),
  'run.gpu-auto': (ctx) => run(ctx)?.picker.auto(),
  'run.gpu-none': (ctx) => run(ctx)?.picker.none(),
  'run.gpu-accept': (ctx) => run(ctx)?.picker.accept(),
  'run.gpu-back': (ctx) => run(ctx)?.picker.back(),
  'run.answer': (ctx, a) => run(ctx)?.answer(a === 'yes'),
};
