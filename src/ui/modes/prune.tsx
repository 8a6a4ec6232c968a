// The prune dialog: choose what and on which engines, a preview of every item and its bytes,
// then the result. Nothing is removed until y on the preview.
import React from 'react';
import { Box, Text } from 'ink';
import { narrowPreview, PRUNE_CATEGORIES, type PruneCategory } from '../../engine/resources/prune.js';
import { ticked } from '../../actions/prune.js';
import { PANE_DEFS } from '../panes/registry.js';
import { decimalBytes as formatBytes } from '../../present/bytes.js';
import { CATEGORY_WORDS } from '../../present/prune.js';
import type { AppState, PruneUi } from '../../store/state.js';
import { cell, printable, truncate } from '../../text/width.js';
import { clampScroll, listWindow, scrollPosition } from '../list/window.js';
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

export interface PruneLine {
  text: string;
  bold?: boolean;
  warn?: boolean;
  selected?: boolean;
  /** The preview item this line shows (its index over every engine's items). */
  item?: number;
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

function chooseLines(state: AppState, p: PruneUi): PruneLine[] {
  const out: PruneLine[] = [{ text: 'What to remove (space toggles):', bold: true }];
  pruneChoices(state).forEach((c, i) => {
    if (c.kind === 'engine' && (i === 0 || pruneChoices(state)[i - 1]!.kind === 'category')) out.push({ text: 'On which engines:', bold: true });
    const on = c.kind === 'category' ? p.choice.includes(c.id as PruneCategory) : p.engines.includes(c.id);
    const label = c.kind === 'category' ? CATEGORY_WORDS[c.id as PruneCategory] : c.id;
    const note = c.kind === 'category' ? CATEGORY_NOTES[c.id as PruneCategory] : state.engines.find((e) => e.id === c.id)?.status === 'down' ? 'down' : '';
    out.push({ text: `  [${on ? 'x' : ' '}] ${label}${note ? `  (${note})` : ''}`, selected: i === p.cursor, warn: c.id === 'unusedVolumes' });
  });
  if (p.scope) out.push({ text: `Only items matching "${printable(p.scope.text)}" (the ${PANE_DEFS[p.scope.list].title} filter) will be listed.` });
  return out;
}

/** The preview: each engine's items with a tick, the totals of what is ticked, and the filter in force. */
function previewLines(p: PruneUi): PruneLine[] {
  const out: PruneLine[] = [];
  const off = p.off ?? {};
  const effective = ticked(p);
  let n = 0;
  let all = 0;
  p.previews.forEach((pv, e) => {
    const eff = effective[e]!;
    const held = new Map(narrowPreview(pv, (it) => !off[it.key]).held.map((h) => [h.item.key, h.by]));
    all += pv.items.length;
    out.push({ text: `${pv.engineId}: ${eff.items.length} of ${plural(pv.items.length, 'item')}, ${formatBytes(eff.bytes)}`, bold: true });
    for (const it of pv.items) {
      const by = held.get(it.key);
      const tick = off[it.key] ? ' ' : by ? '-' : 'x';
      const stays = by ? `  stays: ${by.map((b) => printable(b.name)).join(', ')} ${by.length === 1 ? 'uses' : 'use'} it` : '';
      out.push({ text: `  [${tick}] ${cell(it.kind, 10)} ${cell(printable(it.name), 40)} ${cell(it.bytesKnown ? formatBytes(it.bytes) : '?', 9, 'right')}${stays}`, warn: it.kind === 'volume', selected: n === (p.item ?? 0), item: n });
      n++;
    }
    for (const r of pv.refused) out.push({ text: `  not pruned: ${r.reason}` });
  });
  const count = effective.reduce((k, pv) => k + pv.items.length, 0);
  const total = effective.reduce((k, pv) => k + pv.bytes, 0);
  const head: PruneLine[] = [
    { text: all === 0 ? 'Nothing to remove: nothing matches what was chosen.' : `Will remove ${count} of ${plural(all, 'item')}, freeing ${formatBytes(total)} in all (space unticks):`, bold: true },
  ];
  if (p.scope) head.push({ text: `Only items matching "${printable(p.scope.text)}" (the ${PANE_DEFS[p.scope.list].title} filter); ${plural(p.filteredOut ?? 0, 'other item')} left out.`, warn: true });
  if (effective.some((pv) => pv.items.some((i) => i.kind === 'volume'))) head.push({ text: 'Volumes are in this prune: the data in them is lost for good.', warn: true, bold: true });
  return [...head, ...out];
}

export function pruneLines(state: AppState, p: PruneUi): PruneLine[] {
  if (p.stage === 'choose' || p.stage === 'loading') return chooseLines(state, p);
  if (p.stage === 'preview' || p.stage === 'running') return previewLines(p);
  return p.result.map((text, i) => ({ text, bold: i === 0 }));
}

/** Rows of the dialog's lines: its title, an error and the keys row take the rest. */
export function pruneRoom(rows: number, p: PruneUi): number {
  return Math.max(1, rows - 3 - (p.error ? 1 : 0));
}

export function PruneDialog({ state, rows, width, theme }: { state: AppState; rows: number; width: number; theme: Theme }) {
  const p = state.ui.prune!;
  const all = pruneLines(state, p);
  const room = pruneRoom(rows, p);
  const start = p.stage === 'choose' ? 0 : p.stage === 'preview' ? previewTop(all, p, room) : clampScroll(p.scroll, room, all.length);
  const where = scrollPosition(start, room, all.length);
  const keys =
    p.stage === 'choose'
      ? 'j/k move  space toggle  Enter preview  Esc cancel'
      : p.stage === 'loading'
        ? 'reading what would go…'
        : p.stage === 'preview'
          ? `y remove the ticked  space tick  a all/none  j/k move  Esc cancel${where ? `  (${where})` : ''}`
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

/** The first preview line on screen: the cursor's line in view, moving as little as possible. */
function previewTop(lines: readonly PruneLine[], p: PruneUi, room: number): number {
  const at = lines.findIndex((l) => l.item === (p.item ?? 0));
  // Keep the lines above the first item (the totals, the filter) in view while they fit.
  const top = listWindow(p.scroll, at < 0 ? 0 : at, room, lines.length);
  return at >= 0 && at < room ? 0 : top;
}

function previewCount(p: PruneUi): number {
  return p.previews.reduce((n, pv) => n + pv.items.length, 0);
}

/** Moves the preview's cursor to `to(current, count, page)`, and its window with it. */
function moveItem(ctx: KeyContext, to: (cur: number, count: number, page: number) => number): void {
  const p = ctx.store.getState().ui.prune;
  if (!p || p.stage !== 'preview') return;
  const count = previewCount(p);
  if (count === 0) return;
  const room = pruneRoom(ctx.sizes.listRows, p);
  const item = Math.max(0, Math.min(count - 1, to(p.item ?? 0, count, Math.max(1, room - 1))));
  const next = { ...p, item };
  setPrune(ctx, { item, scroll: previewTop(pruneLines(ctx.store.getState(), next), next, room) });
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
  'prune.item': (ctx, n) => moveItem(ctx, (cur) => cur + Number(n)),
  'prune.item-page': (ctx, n) => moveItem(ctx, (cur, _count, page) => cur + Number(n) * page),
  'prune.item-to': (ctx, where) => moveItem(ctx, (_cur, count) => (where === 'top' ? 0 : count - 1)),
  'prune.tick': (ctx) => {
    const p = ctx.store.getState().ui.prune;
    const it = p?.previews.flatMap((pv) => pv.items)[p.item ?? 0];
    if (!p || !it) return;
    const off = { ...p.off };
    if (off[it.key]) delete off[it.key];
    else off[it.key] = true;
    setPrune(ctx, { off });
    moveItem(ctx, (cur) => cur + 1);
  },
  'prune.tick-all': (ctx) => {
    const p = ctx.store.getState().ui.prune;
    if (!p) return;
    const items = p.previews.flatMap((pv) => pv.items);
    const anyOn = items.some((it) => !p.off?.[it.key]);
    setPrune(ctx, { off: anyOn ? Object.fromEntries(items.map((it) => [it.key, true as const])) : {} });
  },
  'prune.execute': (ctx) => ctx.controller.resources?.executePrune(),
};
