// The pull dialog: the engine (when there are several), the reference (typed, Tab completes from
// the images here), then every layer as it comes in — a bar each, like `docker pull` — with the
// total bytes and rate; Esc cancels. Its work is the PullController's (src/actions/pull.ts).
import React from 'react';
import { Box, Text } from 'ink';
import type { LayerProgress } from '../../engine/pullProgress.js';
import { presentTags, tagMatches } from '../../actions/imageRefs.js';
import { bar } from '../../present/bars.js';
import { layerLine, pullTotalsText } from '../../present/pull.js';
import { selectedResource } from '../../store/select.js';
import type { AppState, PullUi } from '../../store/state.js';
import { printable, truncate } from '../../text/width.js';
import { wordWrap } from '../../text/words.js';
import { PromptText } from '../prompt.js';
import type { Theme } from '../theme.js';
import type { CommandHandler } from './context.js';

const FINISHED = new Set(['done', 'exists']);

/** The layers that fit in `room` rows: unfinished ones first to stay, in the engine's order. */
export function layersThatFit(layers: readonly LayerProgress[], room: number): { shown: LayerProgress[]; hidden: number } {
  if (layers.length <= room) return { shown: [...layers], hidden: 0 };
  const keep = Math.max(0, room - 1);
  const open = layers.filter((l) => !FINISHED.has(l.phase));
  const finished = layers.filter((l) => FINISHED.has(l.phase));
  const chosen = new Set([...open.slice(0, keep), ...finished.slice(Math.max(0, finished.length - Math.max(0, keep - open.length)))]);
  const shown = layers.filter((l) => chosen.has(l));
  return { shown, hidden: layers.length - shown.length };
}

function Matches({ state, p, width, theme }: { state: AppState; p: PullUi; width: number; theme: Theme }) {
  const prompt = state.ui.prompt;
  if (prompt?.kind !== 'pull-ref') return null;
  const m = tagMatches(prompt.text, presentTags(state, p.engineId));
  if (m.length === 0 || (m.length === 1 && m[0] === prompt.text.trim())) return null;
  return (
    <Text color={theme.dim} wrap="truncate">
      {truncate(`  Tab: ${m.slice(0, 8).map(printable).join('  ')}${m.length > 8 ? `  (+${m.length - 8})` : ''}`, width - 2)}
    </Text>
  );
}

function Progress({ p, rows, width, theme }: { p: PullUi; rows: number; width: number; theme: Theme }) {
  const barWidth = Math.max(10, Math.min(40, width - 62));
  const { shown, hidden } = layersThatFit(p.layers, Math.max(1, rows));
  const t = p.totals;
  const secs = p.startedAt ? Math.max(0, Math.round((Date.now() - p.startedAt) / 1000)) : 0;
  const total = t ? `${'total'.padEnd(32)}  ${t.bytesKnown && t.totalBytes > 0 ? bar(t.currentBytes, t.totalBytes, barWidth) : ' '.repeat(barWidth)}  ${pullTotalsText(t)}  ${secs} s` : '';
  return (
    <>
      {shown.map((l) => (
        <Text key={l.id} color={FINISHED.has(l.phase) ? theme.dim : undefined} wrap="truncate">
          {truncate(printable(`  ${layerLine(l, barWidth)}`), width - 2)}
        </Text>
      ))}
      {hidden ? <Text color={theme.dim}>{`  (${hidden} more layers, complete)`}</Text> : null}
      {total ? (
        <Text bold wrap="truncate">
          {truncate(`  ${total}`, width - 2)}
        </Text>
      ) : null}
    </>
  );
}

export function PullDialog({ state, rows, width, theme }: { state: AppState; rows: number; width: number; theme: Theme }) {
  const p = state.ui.pull!;
  const prompt = state.ui.prompt?.kind === 'pull-ref' ? state.ui.prompt : undefined;
  const where = `${p.stage === 'pulling' ? ` ${p.ref}` : ' an image'}${p.engineId ? ` on ${p.engineId}` : ''}`;
  const keys =
    p.stage === 'engine'
      ? 'j/k move  Enter choose  Esc cancel'
      : p.stage === 'ref'
        ? 'Enter pull  Tab complete  Esc cancel'
        : "Esc cancels: what was half-pulled is the engine's to clean up (finished layers stay)";
  // The error in at most 4 lines (the status line has it too); title, status, keys and the
  // prompt or the totals take 5 rows; layers get the rest.
  const wrapped = p.error ? wordWrap(printable(p.error), width - 2) : [];
  const errorLines = wrapped.length > 4 ? [...wrapped.slice(0, 3), truncate(wrapped.slice(3).join(' '), width - 2)] : wrapped;
  const layerRows = rows - 5 - errorLines.length;
  return (
    <Box flexDirection="column" width={width} height={rows + 1} overflow="hidden" paddingLeft={1}>
      <Text bold color={theme.accent} wrap="truncate">
        {truncate(printable(`Pull${where}`), width - 2)}
      </Text>
      {p.stage === 'engine'
        ? [
            <Text key="h">With which engine?</Text>,
            ...p.engines.map((id, i) => (
              <Text key={id} inverse={i === p.cursor} wrap="truncate">
                {`${i === p.cursor ? '▸' : ' '} ${id}  ${printable(state.engines.find((e) => e.id === id)?.label ?? '')}`}
              </Text>
            )),
          ]
        : null}
      {p.stage === 'ref' ? (
        <Text wrap="truncate">
          {'Image: '}
          {prompt ? <PromptText prompt={prompt} /> : printable(p.ref)}
        </Text>
      ) : null}
      {p.stage === 'ref' ? <Matches state={state} p={p} width={width} theme={theme} /> : null}
      {errorLines.map((l, i) => (
        <Text key={`e${i}`} color={theme.error} wrap="truncate">
          {l}
        </Text>
      ))}
      {p.stage === 'pulling' ? (
        <Text wrap="truncate">{truncate(printable(p.status), width - 2)}</Text>
      ) : null}
      {p.stage !== 'engine' && p.layers.length ? <Progress p={p} rows={layerRows} width={width} theme={theme} /> : null}
      <Text color={theme.dim} wrap="truncate">
        {keys}
      </Text>
    </Box>
  );
}

export const PULL_COMMANDS: Record<string, CommandHandler> = {
  'pull.open': (ctx) => {
    const s = ctx.store.getState();
    const img = s.ui.pane === 'images' ? selectedResource(s, 'images') : undefined;
    ctx.controller.pull?.open(img ? { engineId: img.engineId } : {});
  },
  'pull.move': (ctx, n) => {
    const p = ctx.store.getState().ui.pull;
    if (p) ctx.store.dispatch({ type: 'pull', pull: { ...p, cursor: Math.max(0, Math.min(p.engines.length - 1, p.cursor + Number(n))) } });
  },
  'pull.choose': (ctx) => {
    const p = ctx.store.getState().ui.pull;
    const id = p?.engines[p.cursor];
    if (id) ctx.controller.pull?.chooseEngine(id);
  },
  'pull.cancel': (ctx) => ctx.controller.pull?.cancel(),
};
