// The System pane: each engine's disk use (images, containers, volumes, build cache) as bars to
// scale, with what could be reclaimed.
import React from 'react';
import { Box, Text } from 'ink';
import type { DiskUsage, UsageFigures } from '../../engine/resources/disk.js';
import { bar } from '../../present/bars.js';
import { decimalBytes as formatBytes } from '../../present/bytes.js';
import type { AppState } from '../../store/state.js';
import { engineLabel, shownEngines } from '../../store/select.js';
import { cell, printable } from '../../text/width.js';
import type { Theme } from '../theme.js';

function usageLine(label: string, u: UsageFigures | undefined, max: number, barWidth: number, note?: string): string {
  if (!u) return `  ${cell(label, 12)} ${note ?? 'not kept by this engine'}`;
  return `  ${cell(label, 12)} ${cell(String(u.count), 6, 'right')} ${cell(String(u.active), 7, 'right')} ${cell(formatBytes(u.size), 10, 'right')} ${cell(formatBytes(u.reclaimable), 12, 'right')}  ${bar(u.size, max, barWidth)}`;
}

export function SystemPane({ state, rows, width, theme }: { state: AppState; rows: number; width: number; theme: Theme }) {
  const lines: { text: string; bold?: boolean; color?: string | undefined }[] = [];
  const barWidth = Math.max(8, Math.min(40, width - 60));
  const unreachable = new Map(state.servers.list.filter((x) => x.state === 'unreachable').flatMap((x) => x.engineIds.map((id) => [id, x.reason ?? `${x.name} is unreachable`])));
  for (const e of shownEngines(state)) {
    const df = state.resources.df[e.id];
    lines.push({ text: ` ${engineLabel(state, e.id)} — ${e.label}`, bold: true, color: theme.accent });
    const away = unreachable.get(e.id);
    if (away) lines.push({ text: `  ${away} (figures from before, if any)`, color: theme.error });
    if (!df) {
      lines.push({ text: e.status === 'down' ? '  the engine is down' : '  reading disk usage…', color: theme.dim });
    } else if ('error' in df) {
      lines.push({ text: `  ${df.error}`, color: theme.error });
    } else {
      const d = df as DiskUsage;
      const f = d.facts;
      lines.push({ text: `  ${f.kind} ${f.version}${f.storageDriver ? ` · storage ${f.storageDriver}` : ''}${f.rootDir ? ` · ${f.rootDir}` : ''}${f.cgroupVersion ? ` · cgroup v${f.cgroupVersion}` : ''}`, color: theme.dim });
      lines.push({ text: `  ${cell('', 12)} ${cell('COUNT', 6, 'right')} ${cell('ACTIVE', 7, 'right')} ${cell('SIZE', 10, 'right')} ${cell('RECLAIMABLE', 12, 'right')}`, color: theme.dim });
      const max = Math.max(d.images.size, d.containers.size, d.volumes.size, d.buildCache?.size ?? 0, 1);
      lines.push({ text: usageLine('images', d.images, max, barWidth) + (d.imagesSizeEstimated ? ' (added up by gantry)' : '') });
      lines.push({ text: usageLine('containers', d.containers, max, barWidth) });
      lines.push({ text: usageLine('volumes', d.volumes, max, barWidth) });
      lines.push({ text: usageLine('build cache', d.buildCache, max, barWidth, d.buildCacheNote) });
      const total = d.images.reclaimable + d.containers.reclaimable + d.volumes.reclaimable + (d.buildCache?.reclaimable ?? 0);
      lines.push({ text: `  reclaimable in all: ${formatBytes(total)} — D opens the prune dialog (a preview comes first)`, color: theme.warn });
    }
    lines.push({ text: '' });
  }
  return (
    <Box flexDirection="column" width={width} height={rows + 1} overflow="hidden">
      <Text bold wrap="truncate">
        {' System: disk use per engine (bars to scale)'}
      </Text>
      {lines.slice(0, rows).map((l, i) => (
        <Text key={i} bold={l.bold} color={l.color} wrap="truncate">
          {printable(l.text) || ' '}
        </Text>
      ))}
    </Box>
  );
}
