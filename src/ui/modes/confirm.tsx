// A question before something that cannot be undone: what will go, its choices, Esc cancels.
import React from 'react';
import { Box, Text } from 'ink';
import type { Confirm } from '../../store/state.js';
import { printable, textWidth } from '../../text/width.js';
import { wordWrap } from '../../text/words.js';
import type { Theme } from '../theme.js';
import { say, type CommandHandler, type KeyContext } from './context.js';

/**
 * The question's lines as rows of the box, broken at spaces (what will go is never cut off at the
 * box's edge), at most `max`: past that, the last row says how many more there were.
 */
export function confirmRows(lines: readonly string[], width: number, max: number): string[] {
  const rows = lines.flatMap((l) => wrapLine(printable(l), width));
  if (rows.length <= Math.max(1, max)) return rows;
  const keep = Math.max(0, max - 1);
  return [...rows.slice(0, keep), `… ${rows.length - keep} more rows (a bigger window shows them)`];
}

/** A line that fits stays as it is (its spacing lines things up); a longer one is broken at spaces, its indent kept. */
function wrapLine(text: string, width: number): string[] {
  if (textWidth(text) <= width) return [text];
  const indent = /^\s*/.exec(text)![0];
  return wordWrap(text.slice(indent.length), Math.max(10, width - indent.length)).map((r) => indent + r);
}

export function ConfirmBox({ confirm, rows, width, theme }: { confirm: Confirm; rows: number; width: number; theme: Theme }) {
  const w = Math.min(width - 4, 76);
  const choices = confirm.note ? '[Esc] close' : confirm.choices.map((ch) => `[${ch.key}] ${ch.label}`).join('   ') + '   [Esc] cancel';
  return (
    <Box width={width} height={rows + 1} alignItems="center" justifyContent="center">
      <Box flexDirection="column" borderStyle="round" borderColor={theme.warn} width={w} paddingX={1}>
        <Text bold wrap="truncate">
          {printable(confirm.title)}
        </Text>
        {confirmRows(confirm.lines, w - 4, rows - 4).map((l, i) => (
          <Text key={i} wrap="truncate">
            {l}
          </Text>
        ))}
        <Text> </Text>
        <Text bold color={theme.warn} wrap="truncate">
          {choices}
        </Text>
      </Box>
    </Box>
  );
}

/** A key that is one of the question's own choices: answers it. True when it was one. */
export function answer(ctx: KeyContext): boolean {
  const conf = ctx.store.getState().ui.confirm;
  const choice = conf?.choices.find((ch) => ch.key === ctx.key.text && ctx.key.text !== '');
  if (!conf || !choice) return false;
  ctx.store.dispatch({ type: 'confirm' });
  ctx.controller.confirmed(conf.target, choice.command);
  return true;
}

export const CONFIRM_COMMANDS: Record<string, CommandHandler> = {
  'confirm.cancel': (ctx) => {
    const note = ctx.store.getState().ui.confirm?.note;
    ctx.store.dispatch({ type: 'confirm' });
    if (!note) say(ctx, 'cancelled');
  },
};
