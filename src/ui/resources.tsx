// The Images, Volumes, Networks and System panes, and the prune dialog.
import React from 'react';
import { Box, Text } from 'ink';
import { shortImageId, type ImageRow, type NetworkRow, type VolumeRow } from '../engine/models.js';
import type { DiskUsage, UsageFigures } from '../engine/resources/disk.js';
import { PRUNE_CATEGORIES, type PruneCategory } from '../engine/resources/prune.js';
import { bar } from '../present/bars.js';
import { decimalBytes } from '../present/bytes.js';
import { CATEGORY_WORDS } from '../present/prune.js';
import { resourceRows, type AppState, type PruneUi, type ResourcePane } from '../store/state.js';
import { shortDuration } from '../present/container.js';
import { cell, printable, truncate } from '../text/width.js';
import type { Theme } from './theme.js';

interface Col {
  title: string;
  width: number;
  right?: boolean;
}

function columns(pane: ResourcePane, width: number): Col[] {
  const fixed = (cols: Col[]) => cols.reduce((n, c) => n + c.width + 1, 0);
  if (pane === 'images') {
    const cols: Col[] = [
      { title: 'ENGINE', width: 6 },
      { title: '', width: 0 },
      { title: 'ID', width: 12 },
      { title: 'SIZE', width: 9, right: true },
      { title: 'CREATED', width: 8, right: true },
      { title: 'USED BY', width: 0 },
    ];
    const rest = Math.max(20, width - 3 - fixed(cols));
    cols[1] = { title: 'REPOSITORY:TAG', width: Math.floor(rest * 0.6) };
    cols[5] = { title: 'USED BY', width: rest - cols[1].width };
    return cols;
  }
  if (pane === 'volumes') {
    const cols: Col[] = [
      { title: 'ENGINE', width: 6 },
      { title: 'NAME', width: 0 },
      { title: 'DRIVER', width: 7 },
      { title: 'SIZE', width: 9, right: true },
      { title: 'KIND', width: 9 },
      { title: 'USED BY', width: 0 },
    ];
    const rest = Math.max(20, width - 3 - fixed(cols));
    cols[1] = { title: 'NAME', width: Math.floor(rest * 0.55) };
    cols[5] = { title: 'USED BY', width: rest - cols[1].width };
    return cols;
  }
  const cols: Col[] = [
    { title: 'ENGINE', width: 6 },
    { title: 'NAME', width: 0 },
    { title: 'DRIVER', width: 8 },
    { title: 'SCOPE', width: 6 },
    { title: 'ID', width: 12 },
    { title: 'CONTAINERS', width: 0 },
  ];
  const rest = Math.max(20, width - 3 - fixed(cols));
  cols[1] = { title: 'NAME', width: Math.floor(rest * 0.45) };
  cols[5] = { title: 'CONTAINERS', width: rest - cols[1].width };
  return cols;
}

function cells(pane: ResourcePane, r: ImageRow | VolumeRow | NetworkRow, now: number): string[] {
  if (pane === 'images') {
    const i = r as ImageRow;
    const tag = i.repoTags.length ? i.repoTags.join(', ') : '<none> (dangling)';
    const used = i.containers === 0 ? 'unused' : `${i.containers}: ${i.containerNames.join(', ')}`;
    return [i.engineId, tag, shortImageId(i.id), decimalBytes(i.size), shortDuration(now - i.created * 1000), used];
  }
  if (pane === 'volumes') {
    const v = r as VolumeRow;
    return [v.engineId, v.name, v.driver, v.size === undefined ? '?' : decimalBytes(v.size), v.anonymous ? 'anonymous' : 'named', v.containers.length ? v.containers.join(', ') : 'unused'];
  }
  const n = r as NetworkRow;
  return [n.engineId, n.builtin ? `${n.name} (built-in)` : n.name, n.driver, n.scope, n.id.slice(0, 12), n.containers.length ? n.containers.join(', ') : '-'];
}

export function ResourceList({ state, pane, rows, width, now, theme }: { state: AppState; pane: ResourcePane; rows: number; width: number; now: number; theme: Theme }) {
  const list = resourceRows(state, pane);
  const cols = columns(pane, width);
  const cursor = Math.min(state.ui.resCursor[pane], Math.max(0, list.length - 1));
  const top = Math.max(0, Math.min(cursor - Math.floor(rows / 2), list.length - rows));
  const header = '  ' + cols.map((c) => cell(c.title, c.width, c.right ? 'right' : 'left')).join(' ');
  const errors = Object.entries(state.resources.errors).filter(([k]) => k.startsWith(`${pane}/`));
  const out: React.ReactNode[] = [];
  for (const [k, e] of errors) out.push(<Text key={`e${k}`} color={theme.error} wrap="truncate">{` ${printable(e)}`}</Text>);
  if (list.length === 0) {
    out.push(
      <Text key="empty" color={theme.dim}>
        {state.resources.loaded[pane] ? ` no ${pane} on any engine` : ` loading ${pane}…`}
      </Text>,
    );
  }
  const room = Math.max(0, rows - out.length);
  list.slice(top, top + room).forEach((r, i) => {
    const idx = top + i;
    const c = cells(pane, r, now);
    const mark = state.ui.marks[r.key] ? '●' : ' ';
    const dangling = pane === 'images' && (r as ImageRow).dangling;
    const unused = (pane === 'images' && (r as ImageRow).containers === 0) || (pane === 'volumes' && (r as VolumeRow).containers.length === 0);
    out.push(
      <Text key={r.key} inverse={idx === cursor} wrap="truncate" color={idx === cursor ? undefined : dangling ? theme.warn : unused ? theme.dim : undefined}>
        {`${mark} ` + cols.map((col, j) => cell(printable(c[j] ?? ''), col.width, col.right ? 'right' : 'left')).join(' ')}
      </Text>,
    );
  });
  return (
    <Box flexDirection="column" width={width} height={rows + 1} overflow="hidden">
      <Text bold color={theme.dim} wrap="truncate">
        {header}
      </Text>
      {out}
    </Box>
  );
}

function usageLine(label: string, u: UsageFigures | undefined, max: number, barWidth: number, note?: string): string {
  if (!u) return `  ${cell(label, 12)} ${note ?? 'not kept by this engine'}`;
  return `  ${cell(label, 12)} ${cell(String(u.count), 6, 'right')} ${cell(String(u.active), 7, 'right')} ${cell(decimalBytes(u.size), 10, 'right')} ${cell(decimalBytes(u.reclaimable), 12, 'right')}  ${bar(u.size, max, barWidth)}`;
}

export function SystemPane({ state, rows, width, theme }: { state: AppState; rows: number; width: number; theme: Theme }) {
  const lines: { text: string; bold?: boolean; color?: string | undefined }[] = [];
  const barWidth = Math.max(8, Math.min(40, width - 60));
  for (const e of state.engines) {
    const df = state.resources.df[e.id];
    lines.push({ text: ` ${e.id} — ${e.label}`, bold: true, color: theme.accent });
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
      lines.push({ text: `  reclaimable in all: ${decimalBytes(total)} — D opens the prune dialog (a preview comes first)`, color: theme.warn });
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
          {l.text || ' '}
        </Text>
      ))}
    </Box>
  );
}

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
      out.push({ text: `${pv.engineId}: ${pv.items.length} item${pv.items.length === 1 ? '' : 's'}, ${decimalBytes(pv.bytes)}`, bold: true });
      for (const it of pv.items) out.push({ text: `  ${cell(it.kind, 10)} ${cell(printable(it.name), 48)} ${cell(it.bytesKnown ? decimalBytes(it.bytes) : '?', 10, 'right')}`, warn: it.kind === 'volume' });
      for (const r of pv.refused) out.push({ text: `  not pruned: ${r.reason}` });
    }
    out.unshift({ text: count === 0 ? 'Nothing to remove: nothing matches what was chosen.' : `Will remove ${count} item${count === 1 ? '' : 's'}, freeing ${decimalBytes(total)} in all:`, bold: true });
    if (p.previews.some((pv) => pv.items.some((i) => i.kind === 'volume'))) out.splice(1, 0, { text: 'Volumes are in this prune: the data in them is lost for good.', warn: true, bold: true });
    return out;
  }
  return p.result.map((text, i) => ({ text, bold: i === 0 }));
}

export function PruneDialog({ state, rows, width, theme }: { state: AppState; rows: number; width: number; theme: Theme }) {
  const p = state.ui.prune!;
  const all = pruneLines(state, p);
  const room = Math.max(1, rows - 3);
  const start = p.stage === 'choose' ? 0 : Math.max(0, Math.min(p.scroll, all.length - room));
  const keys =
    p.stage === 'choose'
      ? 'j/k move  space toggle  Enter preview  Esc cancel'
      : p.stage === 'loading'
        ? 'reading what would go…'
        : p.stage === 'preview'
          ? `y remove these  j/k scroll  Esc cancel${all.length > room ? `  (${start + 1}-${Math.min(all.length, start + room)} of ${all.length})` : ''}`
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
