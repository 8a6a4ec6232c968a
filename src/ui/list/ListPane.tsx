// The one list pane: a header, then rows of columns cut to width, the selection in inverse,
// marks, per-row and per-cell colours, the scroll window, and a line when there are no rows.
// Containers, Images, Volumes, Networks and GPUs all draw through it.
import React, { useRef } from 'react';
import { Box, Text } from 'ink';
import { cell, printable, truncate } from '../../text/width.js';
import type { Theme } from '../theme.js';
import { fitColumns, headerText, type Column, type Fitted } from './columns.js';
import { listWindow } from './window.js';
import { wrapWithin } from '../../text/words.js';

export interface RowStyle {
  color?: string | undefined;
  dim?: boolean;
  bold?: boolean;
}

export interface ListPaneProps<R> {
  rows: readonly R[];
  columns: readonly Column<R>[];
  /** The selected row's index, -1 for none. */
  cursor: number;
  width: number;
  /** Rows on screen, the header included. */
  height: number;
  theme: Theme;
  rowKey(row: R): string;
  marked?(row: R): boolean;
  style?(row: R): RowStyle | undefined;
  /** A row drawn whole instead of in columns (a GPU's own line in the GPUs pane). */
  line?(row: R, width: number): string | undefined;
  /** Shown instead of rows when there are none. */
  empty?: string;
  /** Cells are measured again when this changes (ages, GPU memory), besides when the rows do. */
  measureKey?: string;
  /** Lines above the rows (an engine's error). */
  notices?: readonly { text: string; color?: string | undefined }[];
}

/** A row as drawn: its text in runs of one colour, and the row's own style. */
interface RowDraw {
  runs: { text: string; color?: string | undefined }[];
  selected: boolean;
  style: RowStyle | undefined;
  /** Everything above as one string: a row whose signature is unchanged is not rendered again. */
  sig: string;
}

function rowDraw<R>(row: R, p: ListPaneProps<R>, fit: Fitted<R>, selected: boolean): RowDraw {
  const style = p.style?.(row);
  const whole = p.line?.(row, p.width);
  let runs: RowDraw['runs'];
  if (whole !== undefined) runs = [{ text: truncate(printable(whole), p.width) }];
  else {
    // Cells with their own colour break the row into runs; the rest is one string.
    runs = [{ text: p.marked?.(row) ? '●' : ' ' }];
    fit.columns.forEach((c, i) => {
      const text = (i > 0 ? ' ' : '') + cell(printable(c.text(row)), fit.widths[i]!, c.align);
      const color = selected ? undefined : c.color?.(row);
      const last = runs[runs.length - 1]!;
      if (color === undefined && last.color === undefined) last.text += text;
      else runs.push({ text, color });
    });
  }
  let sig = `${selected ? 1 : 0}${style?.bold ? 1 : 0}${style?.dim ? 1 : 0}${style?.color ?? ''}`;
  for (const r of runs) sig += `\u0000${r.color ?? ''}\u0001${r.text}`;
  return { runs, selected, style, sig };
}

/** One row; the rows whose text, colours and selection did not change are left as they were (an age ticking redraws its own row). */
const RowView = React.memo(
  function RowView({ d }: { d: RowDraw }) {
    const { style, selected } = d;
    return (
      <Text inverse={selected} bold={style?.bold} color={selected ? undefined : style?.color} dimColor={style?.dim} wrap="truncate">
        {d.runs.map((r, i) => (r.color === undefined ? r.text : <Text key={i} color={r.color}>{r.text}</Text>))}
      </Text>
    );
  },
  (a, b) => a.d.sig === b.d.sig,
);

const NOTICE_ROWS = 3;

export function ListPane<R>(p: ListPaneProps<R>) {
  const top = useRef(0);
  const fit = fitColumns(p.columns, p.rows, p.width, p.measureKey);
  // A notice that does not fit the width (a warning and its fix) takes up to NOTICE_ROWS rows.
  const notices = (p.notices ?? []).flatMap((n) => wrapWithin(printable(n.text), p.width - 1, NOTICE_ROWS).map((text) => ({ text, color: n.color })));
  const body = Math.max(0, p.height - 1 - notices.length);
  top.current = listWindow(top.current, p.cursor, body, p.rows.length);
  const shown = p.rows.slice(top.current, top.current + body);
  return (
    <Box flexDirection="column" width={p.width} height={p.height} overflow="hidden">
      <Text bold color={p.theme.dim} wrap="truncate">
        {headerText(fit.columns, fit.widths)}
      </Text>
      {notices.map((n, i) => (
        <Text key={`n${i}`} color={n.color} wrap="truncate">
          {` ${n.text}`}
        </Text>
      ))}
      {p.rows.length === 0 && p.empty ? (
        <Text color={p.theme.dim} wrap="truncate">
          {` ${p.empty}`}
        </Text>
      ) : (
        shown.map((r, i) => <RowView key={p.rowKey(r)} d={rowDraw(r, p, fit, top.current + i === p.cursor)} />)
      )}
    </Box>
  );
}
