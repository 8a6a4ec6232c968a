// `?` help: every binding from the table, by where it works, scrolled like any text view.
import React from 'react';
import { Box, Text } from 'ink';
import { helpRows } from '../keys/resolve.js';
import { clampScroll, scrollPosition } from '../list/window.js';
import type { Theme } from '../theme.js';
import type { CommandHandler } from './context.js';

export function Help({ rows, width, scroll, theme }: { rows: number; width: number; scroll: number; theme: Theme }) {
  // The box has one column of padding on the left.
  const lines = helpRows(width - 1);
  const start = clampScroll(scroll, rows, lines.length);
  const where = scrollPosition(start, rows, lines.length);
  return (
    <Box flexDirection="column" width={width} height={rows + 1} overflow="hidden" paddingLeft={1}>
      <Text bold color={theme.accent} wrap="truncate">
        {`Keys — Esc or ? closes${where ? `   (j/k, PgUp/PgDn scroll: ${where})` : ''}`}
      </Text>
      {lines.slice(start, start + rows).map((l, i) => (
        <Text key={i} bold={l.head} wrap="truncate">
          {l.text}
        </Text>
      ))}
    </Box>
  );
}

export const HELP_COMMANDS: Record<string, CommandHandler> = {
  'help.close': (ctx) => ctx.store.dispatch({ type: 'help', open: false }),
};
