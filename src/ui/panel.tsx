// The main panel's tab row and its Inspect, Env, Stats, Top and Exec tabs.
import React from 'react';
import { Text } from 'ink';
import { envEntries } from '../engine/inspect.js';
// Binary units (MiB), as `docker stats` shows memory; disk panes use decimal ones, as `docker images`.
import { binaryBytes } from '../present/bytes.js';
import { sparkline } from '../present/bars.js';
import { summaryLines } from '../present/inspect.js';
import { maskCommandLine, maskInspect, maskValue } from '../text/secrets.js';
import type { PanelData } from '../actions/panel.js';
import { PANEL_TABS, type LogsUi, type PanelTab } from '../store/state.js';
import { cell, printable, truncate } from '../text/width.js';
import type { Theme } from './theme.js';
import { execTabLines, type TabLine } from './execTab.js';

const TAB_NAMES: Record<PanelTab, string> = { logs: 'Logs', inspect: 'Inspect', env: 'Env', stats: 'Stats', top: 'Top', exec: 'Exec' };

export function TabTitle({ ui, title, theme }: { ui: LogsUi; title?: string; theme: Theme }) {
  return (
    <Text wrap="truncate">
      {PANEL_TABS.map((t) => (
        <Text key={t} bold={t === ui.tab} inverse={t === ui.tab && ui.focus} color={t === ui.tab ? (ui.focus ? undefined : theme.accent) : theme.dim}>
          {` ${TAB_NAMES[t]} `}
        </Text>
      ))}
      <Text color={theme.dim}>{' ([ ] switch)'}</Text>
      {title ? <Text bold>{`  ${printable(title)}`}</Text> : null}
    </Text>
  );
}

/** The lines of a text tab (Inspect, Env, Top, Exec), before scrolling. */
export function tabLines(tab: PanelTab, data: PanelData, ui: LogsUi, width: number, now = Date.now()): TabLine[] {
  if (tab === 'exec') return execTabLines(data.exec, now);
  if (tab === 'inspect') {
    const i = data.inspect;
    if (!i) return [{ text: ' reading…', dim: true }];
    if ('error' in i) return [{ text: ` ${i.error}` }];
    // The list's clock: the Inspect tab's ages agree with the list's.
    const out = summaryLines(i.summary, now).map((t) => ({ text: ` ${t}` }));
    out.push({ text: '' }, { text: ' Full inspect JSON (j/k, PgUp/PgDn scroll):', bold: true } as { text: string; bold: boolean });
    // Secrets masked wherever they stand (env, command lines, labels, any string by its shape) until v.
    const json = JSON.stringify(ui.reveal ? i.raw : maskInspect(i.raw), null, 2);
    for (const l of json.split('\n')) out.push({ text: ` ${printable(l)}` });
    return out;
  }
  if (tab === 'env') {
    const i = data.inspect;
    if (!i) return [{ text: ' reading…', dim: true }];
    if ('error' in i) return [{ text: ` ${i.error}` }];
    const entries = envEntries(((i.raw as { Config?: { Env?: string[] | null } }).Config?.Env ?? []) as string[]);
    const secrets = entries.filter((e) => e.secret).length;
    const head = secrets ? ` ${entries.length} variables, ${secrets} look secret: ${ui.reveal ? 'shown (v hides them)' : 'masked (v shows them)'}` : ` ${entries.length} variables`;
    const w = Math.min(40, Math.max(...entries.map((e) => e.name.length), 4));
    return [
      { text: head, dim: true },
      ...entries.map((e) => ({ text: ` ${cell(printable(e.name), w)} ${printable(e.secret && !ui.reveal ? maskValue(e.value) : e.value)}` })),
    ];
  }
  if (tab === 'top') {
    const t = data.top;
    if (!t) return [{ text: ' reading…', dim: true }];
    if ('error' in t) return [{ text: ` ${t.error}` }];
    const cmdW = Math.max(10, width - 40);
    return [
      { text: ` ${cell('PID', 8, 'right')} ${cell('USER', 10)} ${cell('CPU%', 6, 'right')} ${cell('MEM', 9, 'right')}  COMMAND`, bold: true },
      ...t.rows.map((p) => ({
        text: ` ${cell(String(p.pid), 8, 'right')} ${cell(printable(p.user), 10)} ${cell(p.cpu === undefined ? '-' : p.cpu.toFixed(1), 6, 'right')} ${cell(p.rss === undefined ? (p.mem === undefined ? '-' : `${p.mem.toFixed(1)}%`) : binaryBytes(p.rss), 9, 'right')}  ${truncate(printable(ui.reveal ? p.command : maskCommandLine(p.command)), cmdW)}`,
      })),
      { text: ` ${t.rows.length} processes · every 3 s`, dim: true },
    ];
  }
  return [];
}

export function TextTab({ tab, data, ui, rows, width, now, title, theme }: { tab: PanelTab; data: PanelData; ui: LogsUi; rows: number; width: number; now: number; title?: string; theme: Theme }) {
  const lines = tabLines(tab, data, ui, width, now);
  const room = Math.max(1, rows - 1);
  const start = Math.max(0, Math.min(ui.scroll, lines.length - room));
  return (
    <>
      <TabTitle ui={ui} title={title} theme={theme} />
      {lines.slice(start, start + room).map((l, i) => (
        <Text key={i} color={l.error ? theme.error : l.dim ? theme.dim : undefined} bold={l.bold} wrap="truncate">
          {printable(l.text) || ' '}
        </Text>
      ))}
    </>
  );
}

export function StatsTab({ data, ui, rows, width, title, theme }: { data: PanelData; ui: LogsUi; rows: number; width: number; title?: string; theme: Theme }) {
  const s = data.stats;
  const last = s[s.length - 1];
  const w = Math.max(10, width - 37);
  const rate = (f: (x: (typeof s)[number]) => number) =>
    s.slice(1).map((x, i) => {
      const dt = (x.at - s[i]!.at) / 1000;
      return dt > 0 ? Math.max(0, (f(x) - f(s[i]!)) / dt) : 0;
    });
  const lines: { label: string; value: string; spark: string }[] = [];
  if (last) {
    const cpu = s.map((x) => x.cpuPct ?? 0);
    lines.push({ label: 'CPU', value: last.cpuPct === undefined ? 'measuring…' : `${last.cpuPct.toFixed(1)} %`, spark: sparkline(cpu, w) });
    lines.push({ label: 'memory', value: `${binaryBytes(last.memUsed)} / ${binaryBytes(last.memLimit)}`, spark: sparkline(s.map((x) => x.memUsed), w, last.memLimit) });
    const rx = rate((x) => x.netRx);
    const tx = rate((x) => x.netTx);
    lines.push({ label: 'net rx', value: `${binaryBytes(rx[rx.length - 1] ?? 0)}/s`, spark: sparkline(rx, w) });
    lines.push({ label: 'net tx', value: `${binaryBytes(tx[tx.length - 1] ?? 0)}/s`, spark: sparkline(tx, w) });
    const br = rate((x) => x.blkRead);
    const bw = rate((x) => x.blkWrite);
    lines.push({ label: 'disk read', value: `${binaryBytes(br[br.length - 1] ?? 0)}/s`, spark: sparkline(br, w) });
    lines.push({ label: 'disk write', value: `${binaryBytes(bw[bw.length - 1] ?? 0)}/s`, spark: sparkline(bw, w) });
    lines.push({ label: 'PIDs', value: String(last.pids), spark: sparkline(s.map((x) => x.pids), w) });
  }
  const span = s.length > 1 ? Math.round((s[s.length - 1]!.at - s[0]!.at) / 1000) : 0;
  return (
    <>
      <TabTitle ui={ui} title={title} theme={theme} />
      {data.statsNote ? <Text color={theme.dim} wrap="truncate">{` ${data.statsNote}`}</Text> : null}
      {!last && !data.statsNote ? <Text color={theme.dim}> waiting for the first reading…</Text> : null}
      {lines.slice(0, Math.max(0, rows - 3)).map((l) => (
        <Text key={l.label} wrap="truncate">
          {` ${cell(l.label, 10)} ${cell(l.value, 21, 'right')}  `}
          <Text color={theme.accent}>{l.spark}</Text>
        </Text>
      ))}
      {last ? <Text color={theme.dim}>{` last ${span} s, ${s.length} readings`}</Text> : null}
    </>
  );
}
