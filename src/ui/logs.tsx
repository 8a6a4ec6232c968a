// The log panel: the selected container's log, following or paused, with search highlights, the
// & filters, timestamps, wrap and sideways scrolling. It draws exactly `rows` rows.
import React, { useContext } from 'react';
import { Text } from 'ink';
import type { LogLine } from '../engine/logs/buffer.js';
import { compileQuery, matchRanges } from '../engine/logs/search.js';
import { logWindow, type LogSession, type WindowRow } from '../store/logs.js';
import { SINCE, type LogsUi, type Prompt } from '../store/state.js';
import { colRange, sliceSgrText } from '../text/ansi.js';
import { lineView, matchesIn } from '../store/lineView.js';
import { printable, truncate } from '../text/width.js';
import { paint, type Theme } from './theme.js';
import { TabTitle } from './panel.js';
import { Region, RegionHost } from './region.js';
import { LOG_REGION } from './screen.js';

export const TS_WIDTH = 19;

/** "11-22 14:03:07.123 ": the engine's timestamp in local time, to the millisecond. */
export function shortTs(ts: string | undefined): string {
  if (!ts) return ' '.repeat(TS_WIDTH);
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return ' '.repeat(TS_WIDTH);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)} `;
}

export interface LogPanelProps {
  session: LogSession | undefined;
  /** The selected container (key and name): while the log has not switched to it yet, it is named at once. */
  selected?: { key: string; title: string } | undefined;
  ui: LogsUi;
  /** The search being typed, if it is. */
  search?: Prompt | undefined;
  rows: number;
  width: number;
  theme: Theme;
}

/** The panel's status words: following / paused with new lines / ended, and the settings in force. */
export function panelStatus(session: LogSession, ui: LogsUi, below: number): string {
  const parts: string[] = [];
  if (session.state !== 'live') parts.push(session.stateText);
  else if (ui.follow) parts.push(session.stateText === 'following' ? 'following' : session.stateText);
  else parts.push(below > 0 ? `PAUSED · ${below} new line${below === 1 ? '' : 's'} below (G resumes)` : 'PAUSED (G resumes)');
  const since = SINCE[ui.since];
  if (since && ui.since !== 0) parts.push(`since ${since.label}`);
  if (ui.wrap) parts.push('wrap');
  if (ui.hscroll > 0) parts.push(`→${ui.hscroll}`);
  if (!ui.color) parts.push('no colour');
  return parts.join(' · ');
}

function searchStatus(session: LogSession, ui: LogsUi): { text: string; error: boolean } | undefined {
  if (!ui.query) return undefined;
  const q = compileQuery(ui.query);
  if (q.error) return { text: q.error, error: true };
  const total = session.hits.length;
  let pos = '';
  if (ui.hit !== undefined && total > 0) {
    const i = session.hits.floorIndex(ui.hit);
    if (i >= 0 && session.hits.at(i) === ui.hit) pos = `${i + 1}/`;
  }
  const mode = ui.filter === 'only' ? ' · & only matching' : ui.filter === 'except' ? ' · !& only not matching' : '';
  return { text: `/${ui.query}  ${pos}${total} match${total === 1 ? '' : 'es'}${mode}`, error: false };
}

/** Wraps text in an SGR sequence (codes like "31" or "1;30;43") and a reset; nothing when no codes. */
const sgr = (codes: string | undefined, text: string) => (codes && text ? `\x1b[${codes}m${text}\x1b[0m` : text);

/**
 * One row of the log as a single string with its own SGR codes: a row drawn as one Ink text node
 * costs far less to lay out than nested ones, and a log panel redraws often.
 */
export function rowText(row: WindowRow, ui: LogsUi, re: RegExp | undefined, current: boolean, color: boolean): string {
  const line: LogLine = row.line;
  const dim = color ? '90' : undefined;
  let out = line.stream === 'stderr' ? sgr(color ? '31' : undefined, '▌') : line.stream === 'meta' ? sgr(dim, '·') : ' ';
  if (ui.timestamps) out += sgr(dim, row.first ? shortTs(line.ts) : ' '.repeat(TS_WIDTH));
  const left = row.cutLeft ? 1 : 0;
  const right = row.cutRight ? 1 : 0;
  const start = row.startCol + left;
  const w = Math.max(0, row.width - left - right);
  if (row.cutLeft) out += sgr(dim, '…');
  const text = lineView(line).text;
  const plain = text.plain;
  if (line.stream === 'meta') return out + sgr(dim, truncate(plain, row.width));
  // The code units this row shows: known for a wrapped row, else found from its columns (which
  // costs the columns up to its right edge, never the rest of the line).
  const span = row.span;
  const { si, ei } = span?.ei !== undefined ? { si: span.si, ei: span.ei } : colRange(plain, start, w, span ? { idx: span.si, col: row.startCol } : undefined);
  const ranges = re ? matchesIn(line, re) : [];
  if (ranges.length > 0) {
    const mark = current ? (color ? '1;30;43' : '1;7') : '7';
    let at = si;
    for (const [a, b] of ranges) {
      const s0 = Math.max(a, si);
      const e0 = Math.min(b, ei);
      if (e0 <= s0) continue;
      if (s0 > at) out += plain.slice(at, s0);
      out += sgr(mark, plain.slice(s0, e0));
      at = e0;
    }
    if (at < ei) out += plain.slice(at, ei);
  } else if (ui.color && color && text.at.length > 0) out += sliceSgrText(text, si, ei);
  else out += sgr(line.stream === 'stderr' && color ? '91' : undefined, plain.slice(si, ei));
  if (row.cutRight) out += sgr(dim, '…');
  return out;
}

export interface LogRowsInput {
  session: LogSession;
  ui: LogsUi;
  /** The search being typed, if it is. */
  typing: Prompt | undefined;
  theme: Theme;
}

/** The typed text with its cursor (as PromptText draws it), as a string. */
function promptText(p: Prompt): string {
  const chars = [...printable(p.text)];
  const at = Math.min(p.cursor, chars.length);
  if (at >= chars.length) return `${chars.join('')}█`;
  return chars.slice(0, at).join('') + paint(chars[at]!, { inverse: true }) + chars.slice(at + 1).join('');
}

/**
 * Everything of the log panel below its tab row, as text rows with their own colours: the lines
 * (following or paused, filtered, searched, wrapped), the status row and, while a search is
 * typed, its row. `more()` is called when a long line is not wrapped to its end yet.
 */
export function logPanelRows({ session, ui, typing, theme }: LogRowsInput, width: number, height: number, more?: () => void): string[] {
  const editing = typing !== undefined;
  const search = searchStatus(session, ui);
  const bodyRows = Math.max(1, height - 1 - (editing ? 1 : 0));
  const re = ui.query ? (session.query ?? compileQuery(ui.query).re) : undefined;
  const win = logWindow(session, {
    follow: ui.follow,
    ...(ui.anchor !== undefined ? { anchor: ui.anchor } : {}),
    mode: re ? ui.filter : 'none',
    wrap: ui.wrap,
    width: width - 1,
    rows: bodyRows,
    hscroll: ui.wrap ? 0 : ui.hscroll,
    tsWidth: ui.timestamps ? TS_WIDTH : 0,
    // Wrapping a long line goes on at the next frame rather than holding this one up.
    ...(more ? { wrapUntil: performance.now() + 4 } : {}),
  });
  if (win.incomplete) more?.();
  const empty =
    win.rows.length === 0
      ? session.state === 'loading'
        ? 'loading…'
        : re && ui.filter !== 'none'
          ? `no line ${ui.filter === 'only' ? 'matches' : 'is without'} /${ui.query}/ (& or ! again shows all lines)`
          : session.state === 'live'
            ? 'no log lines yet: waiting for output (0 shows the last lines, 6 the whole log)'
            : `no log lines (${session.stateText})`
      : undefined;
  const out: string[] = [];
  if (empty) out.push(paint(truncate(` ${empty}`, width), { color: theme.dim }));
  for (const r of win.rows) out.push(rowText(r, ui, re, r.line.seq === ui.hit, theme.color));
  while (out.length < bodyRows) out.push('');
  const statusColor = !ui.follow ? theme.warn : session.state === 'ended' || session.state === 'error' ? theme.dim : theme.ok;
  const status = paint(` ${panelStatus(session, ui, win.below)}`, { color: statusColor });
  out.push(search && !editing ? status + paint(`   ${search.text}`, { color: search.error ? theme.error : theme.accent }) : status);
  if (editing) {
    const count = search ? (search.error ? `   ${search.text}` : `   ${session.hits.length} matches`) : '';
    out.push(paint(' /', { color: theme.accent }) + promptText(typing) + paint(count, { color: search?.error ? theme.error : theme.dim }) + paint('   (Enter keep · Esc clear)', { color: theme.dim }));
  }
  return out;
}

/** The panel's rows while the log switches to the newly selected container (it opens once the selection rests). */
function switchingRows(width: number, height: number, theme: Theme): string[] {
  const out = [paint(truncate(' loading…', width), { color: theme.dim })];
  while (out.length < height) out.push('');
  return out;
}

export function LogPanel({ session, selected, ui, search: typing, rows, width, theme }: LogPanelProps) {
  const host = useContext(RegionHost);
  // The selection moved and the log follows it in a moment: the panel names the new container
  // now, and shows none of the old one's lines under that name.
  const switching = session && selected && selected.key !== session.key ? selected : undefined;
  const title = <TabTitle ui={ui} {...(switching ? { title: switching.title } : session ? { title: session.title } : {})} theme={theme} />;
  if (switching) {
    return (
      <>
        {title}
        <Region id={LOG_REGION} width={width} height={Math.max(1, rows - 1)} rows={(w, h) => switchingRows(w, h, theme)} />
      </>
    );
  }
  if (!session) {
    return (
      <>
        {title}
        <Text color={theme.dim}> no container selected</Text>
      </>
    );
  }
  const input: LogRowsInput = { session, ui, typing, theme };
  return (
    <>
      {title}
      <Region id={LOG_REGION} width={width} height={Math.max(1, rows - 1)} rows={(w, h) => logPanelRows(input, w, h, host ? () => host.redrawRegions([LOG_REGION]) : undefined)} />
    </>
  );
}
