// The System pane: each engine's disk use (images, containers, volumes, build cache) as bars to
// scale, with what could be reclaimed.
import React from 'react';
import { Box, Text } from 'ink';
import type { DiskUsage, UsageFigures } from '../../engine/resources/disk.js';
import { bar } from '../../present/bars.js';
import { decimalBytes as formatBytes } from '../../present/bytes.js';
import type { AppState } from '../../store/state.js';
import { engineLabel, shownEngines } from '../../store/select.js';
import { cell, printable, textWidth } from '../../text/width.js';
import { wordWrap } from '../../text/words.js';
import type { Theme } from '../theme.js';

/** The figures' columns before the bar: label 12, count 6, active 7, size 10, reclaimable 12, with their gaps. */
const FIGURES = 2 + 12 + 1 + 6 + 1 + 7 + 1 + 10 + 1 + 12 + 2;
const ESTIMATED = ' *';

/** A category's row (rows: a note in its place is broken at spaces under its own start). */
function usageLines(label: string, u: UsageFigures | undefined, max: number, barWidth: number, width: number, note?: string): string[] {
  if (!u) {
    const words = wordWrap(note ?? 'not kept by this engine', Math.max(20, width - 16));
    return words.map((w, i) => `  ${cell(i === 0 ? label : '', 12)} ${w}`);
  }
  return [`  ${cell(label, 12)} ${cell(String(u.count), 6, 'right')} ${cell(String(u.active), 7, 'right')} ${cell(formatBytes(u.size), 10, 'right')} ${cell(formatBytes(u.reclaimable), 12, 'right')}  ${bar(u.size, max, barWidth)}`];
}

/** Facts joined by " · ", a row as full as the width allows; a fact is never broken. */
function packFacts(facts: readonly string[], width: number): string[] {
  const rows: string[] = [];
  let cur = '';
  for (const f of facts) {
    const next = cur ? `${cur} · ${f}` : f;
    if (cur && textWidth(next) > width) {
      rows.push(cur);
      cur = f;
    } else cur = next;
  }
  if (cur) rows.push(cur);
  return rows;
}

export function SystemPane({ state, rows, width, theme }: { state: AppState; rows: number; width: number; theme: Theme }) {
  const lines: { text: string; bold?: boolean; color?: string | undefined }[] = [];
  // Room for the estimate's mark after the bar, at 80 columns too.
  const barWidth = Math.max(8, Math.min(40, width - FIGURES - ESTIMATED.length - 1));
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
      const facts = [`${f.kind} ${f.version}`, f.storageDriver && `storage ${f.storageDriver}`, f.rootDir, f.cgroupVersion && `cgroup v${f.cgroupVersion}`];
      for (const t of packFacts(facts.filter((x): x is string => !!x).map(printable), width - 3)) lines.push({ text: `  ${t}`, color: theme.dim });
      lines.push({ text: `  ${cell('', 12)} ${cell('COUNT', 6, 'right')} ${cell('ACTIVE', 7, 'right')} ${cell('SIZE', 10, 'right')} ${cell('RECLAIMABLE', 12, 'right')}`, color: theme.dim });
      const max = Math.max(d.images.size, d.containers.size, d.volumes.size, d.buildCache?.size ?? 0, 1);
      lines.push({ text: usageLines('images', d.images, max, barWidth, width)[0]! + (d.imagesSizeEstimated ? ESTIMATED : '') });
      for (const t of usageLines('containers', d.containers, max, barWidth, width)) lines.push({ text: t });
      for (const t of usageLines('volumes', d.volumes, max, barWidth, width)) lines.push({ text: t });
      for (const t of usageLines('build cache', d.buildCache, max, barWidth, width, d.buildCacheNote)) lines.push({ text: t });
      if (d.imagesSizeEstimated) lines.push({ text: "  * added up by gantry: this engine's disk use gives no total for images", color: theme.dim });
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
