// Ink's output stage, drawing only the rows that changed. Ink (6.8.0, pinned) builds each frame
// from scratch: a cell object for every one of width × height cells, every line of a clipped box
// through slice-ansi, every line tokenized — about 20 ms at 160×45 whatever changed. This class
// replaces Ink's Output at bundle time (scripts/ink-output.mjs): it clips and transforms each write
// as Ink does, groups what lands on each row, and reuses a row's text from an earlier frame when
// the same writes land on it. A row that did change is drawn by Ink's own Output, so every row is
// exactly what Ink would draw (test/ui/ink-output.test.tsx compares them frame by frame).
import sliceAnsi from 'slice-ansi';
import stringWidth from '../../text/stringWidth.js';
import InkOutput from '../../../node_modules/ink/build/output.js';
import { composeRow, isPlain } from './row.js';
import { Recent } from './recent.js';

type Transformer = (s: string, index: number) => string;

interface Clip {
  x1: number | undefined;
  x2: number | undefined;
  y1: number | undefined;
  y2: number | undefined;
}

type Operation = { type: 'write'; x: number; y: number; text: string; transformers: Transformer[] } | { type: 'clip'; clip: Clip } | { type: 'unclip' };

// Shared by every frame, bounded: what a frame's text looks like changes slowly (./recent.ts).
const widths = new Recent<number>(512);
const slices = new Recent<string>(512);
const rowsDrawn = new Recent<string>(256);

/** Forgets every row and text kept from earlier frames (the bench measures a frame drawn cold). */
export function forgetFrames(): void {
  for (const r of [widths, slices, rowsDrawn]) r.clear();
}

const width = (s: string) => widths.get(s, () => stringWidth(s));

/**
 * Columns `from` to `to` of a line, as slice-ansi cuts them. Text of one-column characters and no
 * escape sequences is cut as a string is (slice-ansi gives the same, at many times the cost).
 */
export function sliceColumns(line: string, from: number, to: number): string {
  return isPlain(line) ? line.slice(from, Math.max(from, to)) : sliceAnsi(line, from, to);
}

function widest(text: string): number {
  let w = 0;
  for (const line of text.split('\n')) w = Math.max(w, width(line));
  return w;
}

/** The row as Ink's own Output draws it. */
export function inkRow(width: number, writes: readonly (readonly [number, string])[]): string {
  const one = new InkOutput({ width, height: 1 });
  for (const [x, line] of writes) one.write(x, 0, line, { transformers: [] });
  return one.get().output;
}

export default class Output {
  readonly width: number;
  readonly height: number;
  private readonly operations: Operation[] = [];

  constructor(options: { width: number; height: number }) {
    this.width = options.width;
    this.height = options.height;
  }

  write(x: number, y: number, text: string, options: { transformers: Transformer[] }): void {
    if (!text) return;
    this.operations.push({ type: 'write', x, y, text, transformers: options.transformers });
  }

  clip(clip: Clip): void {
    this.operations.push({ type: 'clip', clip });
  }

  unclip(): void {
    this.operations.push({ type: 'unclip' });
  }

  /** The writes that land on each row, in order, as [x, line] after clipping and transforming. */
  private rows(): [number, string][][] {
    const rows: [number, string][][] = Array.from({ length: this.height }, () => []);
    const clips: Clip[] = [];
    for (const op of this.operations) {
      if (op.type === 'clip') clips.push(op.clip);
      else if (op.type === 'unclip') clips.pop();
      else this.place(op, clips[clips.length - 1], rows);
    }
    return rows;
  }

  private place(op: Extract<Operation, { type: 'write' }>, clip: Clip | undefined, rows: [number, string][][]): void {
    let { x, y } = op;
    let lines = op.text.split('\n');
    if (clip) {
      const { x1, x2, y1, y2 } = clip;
      const across = typeof x1 === 'number' && typeof x2 === 'number';
      const down = typeof y1 === 'number' && typeof y2 === 'number';
      if (across && (x + widest(op.text) < x1 || x > x2)) return;
      if (down && (y + lines.length < y1 || y > y2)) return;
      if (across) {
        const left = x < x1 ? x1 - x : 0;
        lines = lines.map((line) => {
          const w = width(line);
          const right = x + w > x2 ? x2 - x : w;
          // A line the clip leaves whole (most rows: they are cut to width before Ink sees them)
          // is drawn as it is; slice-ansi would only append closing codes, which style no cell.
          if (left === 0 && right >= w) return line;
          return slices.get(`${left}:${right}:${line}`, () => sliceColumns(line, left, right));
        });
        if (x < x1) x = x1;
      }
      if (down) {
        const from = y < y1 ? y1 - y : 0;
        const to = y + lines.length > y2 ? y2 - y : lines.length;
        lines = lines.slice(from, to);
        if (y < y1) y = y1;
      }
    }
    // As in Ink: a line that falls off the frame ends the write (one above it draws nothing).
    for (let i = 0; i < lines.length; i++) {
      const row = rows[y + i];
      if (!row) return;
      let line = lines[i]!;
      for (const t of op.transformers) line = t(line, i);
      row.push([x, line]);
    }
  }

  get(): { output: string; height: number } {
    const out: string[] = [];
    for (const writes of this.rows()) {
      const key = `${this.width}\u0000${writes.map(([x, line]) => `${x}\u0001${line}`).join('\u0002')}`;
      out.push(
        rowsDrawn.get(key, () => composeRow(this.width, writes) ?? inkRow(this.width, writes)),
      );
    }
    return { output: out.join('\n'), height: this.height };
  }
}
