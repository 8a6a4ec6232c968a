// The prune dialog: choose what and on which engines, a preview of every item and its bytes,
// then the result. Nothing is removed until y on the preview.
import React from 'react';
import { Box, Text } from 'ink';
import { PRUNE_CATEGORIES, type PruneCategory } from '../../engine/resources/prune.js';
import { decimalBytes as formatBytes } from '../../present/bytes.js';
import { CATEGORY_WORDS } from '../../present/prune.js';
import type { AppState, PruneUi } from '../../store/state.js';
import { cell, printable, truncate } from '../../text/width.js';
import { clampScroll, scrollPosition } from '../list/window.js';
import type { Theme } from '../theme.js';
import { say, type CommandHandler, type KeyContext } from './context.js';

/** The rows of the choose stage: the categories, then the engines. */
export function pruneChoices(state: AppState): { kind: 'category' | 'engine'; id: string }[] {
  return [...PRUNE_CATEGORIES.map((id) => ({ kind: 'category' as const, id })), ...state.engines.map((e) => ({ kind: 'engine' as const, id: e.id }))];
}

const CATEGORY_NOTES: Partial<Record<PruneCategory, string>> = {
  allUnusedImages: 'every image no container uses, tagged ones too',
  buildCache: 'Docker only',
  unusedVolumes: 'THE DATA IN THEM IS LOST; never chosen for you',
};

export function pruneLines(state: AppState, p: PruneUi): { text: string; bold?: boolean; warn?: boolean; selected?: boolean }[] {
  if (p.stage === 'choose' || p.stage === 'loading') {
    const out: { text: string; bold?: boolean; warn?: boolean; selected?: boolean }[] = [{ text: 'What to remove (space toggles):', bold: true }];
    pruneChoices(state).forEach((c, i) => {
      if (c.kind === 'engine' && (i === 0 || pruneChoices(state)[i - 1]!.kind === 'category')) out.push({ text: 'On which engines:', bold: true });
      const on = c.kind === 'category' ? p.choice.includes(c.id as PruneCategory) : p.engines.includes(c.id);
      const label = c.kind === 'category' ? CATEGORY_WORDS[c.id as PruneCategory] : c.id;
      const note = c.kind === 'category' ? CATEGORY_NOTES[c.id as PruneCategory] : state.engines.find((e) => e.id === c.id)?.status === 'down' ? 'down' : '';
      out.push({ text: `  [${on ? 'x' : ' '}] ${label}${note ? `  (${note})` : ''}`, selected: i === p.cursor, warn: c.id === 'unusedVolumes' });
    });
    return out;
  }
  if (p.stage === 'preview' || p.stage === 'running') {
    const out: { text: string; bold?: boolean; warn?: boolean }[] = [];
    let total = 0;
    let count = 0;
    for (const pv of p.previews) {
      total += pv.bytes;
      count += pv.items.length;
      out.push({ text: `${pv.engineId}: ${pv.items.length} item${pv.items.length === 1 ? '' : 's'}, ${formatBytes(pv.bytes)}`, bold: true });
      for (const it of pv.items) out.push({ text: `  ${cell(it.kind, 10)} ${cell(printable(it.name), 48)} ${cell(it.bytesKnown ? formatBytes(it.bytes) : '?', 10, 'right')}`, warn: it.kind === 'volume' });
      for (const r of pv.refused) out.push({ text: `  not pruned: ${r.reason}` });
    }
    out.unshift({ text: count === 0 ? 'Nothing to remove: nothing matches what was chosen.' : `Will remove ${count} item${count === 1 ? '' : 's'}, freeing ${formatBytes(total)} in all:`, bold: true });
    if (p.previews.some((pv) => pv.items.some((i) => i.kind === 'volume'))) out.splice(1, 0, { text: 'Volumes are in this prune: the data in them is lost for good.', warn: true, bold: true });
    return out;
  }
  return p.result.map((text, i) => ({ text, bold: i === 0 }));
}

export function PruneDialog({ state, rows, width, theme }: { state: AppState; rows: number; width: number; theme: Theme }) {
  const p = state.ui.prune!;
  const all = pruneLines(state, p);
  const room = Math.max(1, rows - 3);
  const start = p.stage === 'choose' ? 0 : clampScroll(p.scroll, room, all.length);
  const where = scrollPosition(start, room, all.length);
  const keys =
    p.stage === 'choose'
      ? 'j/k move  space toggle  Enter preview  Esc cancel'
      : p.stage === 'loading'
        ? 'reading what would go…'
        : p.stage === 'preview'
          ? `y remove these  j/k scroll  Esc cancel${where ? `  (${where})` : ''}`
          : p.stage === 'running'
            ? 'removing…'
            : 'Esc or Enter close  j/k scroll';
  return (
    <Box flexDirection="column" width={width} height={rows + 1} overflow="hidden" paddingLeft={1}>
      <Text bold color={theme.warn} wrap="truncate">
        {`Prune — ${p.stage === 'choose' ? 'choose' : p.stage === 'result' ? 'result' : 'preview: nothing is removed until you press y'}`}
      </Text>
      {p.error ? (
        <Text color={theme.error} wrap="truncate">
          {p.error}
        </Text>
      ) : null}
      {all.slice(start, start + room).map((l, i) => (
        <Text key={i} bold={l.bold} inverse={'selected' in l && l.selected} color={l.warn ? theme.warn : undefined} wrap="truncate">
          {truncate(l.text, width - 2) || ' '}
        </Text>
      ))}
      <Text color={theme.accent} wrap="truncate">
        {keys}
      </Text>
    </Box>
  );
}

function setPrune(ctx: KeyContext, patch: Partial<PruneUi>): void {
  const p = ctx.store.getState().ui.prune;
  if (p) ctx.store.dispatch({ type: 'prune', prune: { ...p, ...patch } });
}

function close(ctx: KeyContext, text?: string): void {
  ctx.store.dispatch({ type: 'prune' });
  if (text) say(ctx, text);
}

export const PRUNE_COMMANDS: Record<string, CommandHandler> = {
  'prune.cancel': (ctx) => close(ctx, 'prune cancelled: nothing removed'),
  'prune.close': (ctx) => close(ctx),
  'prune.move': (ctx, n) => {
    const s = ctx.store.getState();
    const p = s.ui.prune!;
    setPrune(ctx, { cursor: Math.max(0, Math.min(pruneChoices(s).length - 1, p.cursor + Number(n))) });
  },
  'prune.toggle': (ctx) => {
    const s = ctx.store.getState();
    const p = s.ui.prune!;
    const c = pruneChoices(s)[p.cursor];
    if (!c) return;
    if (c.kind === 'category') {
      const id = c.id as PruneCategory;
      setPrune(ctx, { choice: p.choice.includes(id) ? p.choice.filter((x) => x !== id) : [...p.choice, id], error: undefined });
    } else setPrune(ctx, { engines: p.engines.includes(c.id) ? p.engines.filter((x) => x !== c.id) : [...p.engines, c.id], error: undefined });
  },
  'prune.preview': (ctx) => ctx.controller.resources?.previewPrune(),
  'prune.execute': (ctx) => ctx.controller.resources?.executePrune(),
};
