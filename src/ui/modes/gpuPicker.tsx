// The run form's GPU picker: every GPU, idle ones first by free memory, each with its free memory,
// utilisation and who is on it; the chosen ones checked, and auto's reason above them.
import React from 'react';
import { Box, Text } from 'ink';
import type { GpuPickerView } from '../../actions/runView.js';
import { holderText } from '../../run/gpuPick.js';
import { cell, printable, truncate } from '../../text/width.js';
import { listWindow } from '../list/window.js';
import type { Theme } from '../theme.js';

const gib = (mib: number | undefined) => (mib === undefined ? '?' : `${(mib / 1024).toFixed(1)} GiB`);

export function GpuPicker({ picker: p, rows, width, theme }: { picker: GpuPickerView; rows: number; width: number; theme: Theme }) {
  const room = Math.max(1, rows - 2);
  const top = listWindow(0, p.cursor, room, p.choices.length);
  // The model's name only where there is room: who holds a GPU matters more.
  const nameWidth = width >= 110 ? Math.min(32, width - 80) : 0;
  return (
    <Box flexDirection="column" height={rows}>
      <Text bold wrap="truncate">
        {truncate(`GPUs — ${printable(p.note)}`, width - 1)}
      </Text>
      {p.unavailable ? (
        <Text color={theme.warn} wrap="truncate">
          {truncate(printable(`No GPU to choose from: ${p.unavailable}. n: no GPU; Esc: back.`), width - 1)}
        </Text>
      ) : (
        <Text color={theme.dim} wrap="truncate">
          {truncate(`      ${cell('GPU', 6)}${cell('NAME', nameWidth)}  ${cell('FREE', 20)} ${cell('UTIL', 5, 'right')}  WHO`, width - 1)}
        </Text>
      )}
      {p.choices.slice(top, top + room).map((g, i) => {
        const at = top + i;
        const mark = p.selected.includes(g.index) ? '[x]' : '[ ]';
        const free = `${gib(g.freeMiB)} of ${gib(g.totalMiB)}`;
        const who = g.idle ? 'idle' : `busy: ${g.holders.map(holderText).join(', ')}`;
        const line = `${at === p.cursor ? '▸' : ' '} ${mark} ${cell(`GPU ${g.index}`, 6)}${cell(printable(g.name), nameWidth)}  ${cell(free, 20)} ${cell(g.utilizationPct === undefined ? '?' : `${g.utilizationPct}%`, 5, 'right')}  ${printable(who)}`;
        return (
          <Text key={g.index} inverse={at === p.cursor} color={g.idle ? undefined : theme.warn} wrap="truncate">
            {truncate(line, width - 1)}
          </Text>
        );
      })}
    </Box>
  );
}
