// One row of Ink's frame composed as Ink's Output composes it (a cell per column, each write's
// characters laid over them in order, the cells turned back into text with the fewest SGR codes
// between neighbours, trailing blanks cut), without its per-character cost where it is not
// needed. Ink tokenizes every write through a grapheme segmenter and measures each character;
// for text whose every character is one column wide and stands alone as a grapheme (ASCII, Latin,
// punctuation, arrows, box drawing, blocks — what gantry's chrome and lists are made of), with
// only SGR escape sequences in between, the characters are read here directly, and the SGR codes
// through Ink's own tokenizer and reducer. Anything else (wide or combining characters, emoji,
// links, other escapes) returns undefined and the row is drawn by Ink's Output itself.
import { ansiCodesToString, diffAnsiCodes, reduceAnsiCodesIncremental, tokenize, type AnsiCode } from '@alcalzone/ansi-tokenize';
import stringWidth from '../../text/stringWidth.js';

interface Cell {
  value: string;
  styles: AnsiCode[];
}

const NONE: AnsiCode[] = [];
const BLANK: Cell = { value: ' ', styles: NONE };

// 0 not decided yet, 1 a lone one-column grapheme, 2 not.
const simple = new Uint8Array(0x2c00);
const OTHER = /[\p{M}\p{C}\p{Zl}\p{Zp}]/u;

/** Whether the character is one column wide and never joins a neighbour into one grapheme. */
function isSimple(c: number): boolean {
  if (c >= 0x20 && c <= 0x7e) return true;
  if (c < 0xa0 || c >= 0x2c00) return false;
  let k = simple[c]!;
  if (k === 0) {
    // Latin, general punctuation, and the symbol blocks up to the supplemental arrows; no marks,
    // no format or control characters (which the grapheme rules join or set apart), one column.
    const ch = String.fromCharCode(c);
    const inBlocks = c <= 0x2ff || (c >= 0x2010 && c <= 0x205e) || c >= 0x2070;
    k = inBlocks && !OTHER.test(ch) && stringWidth(ch) === 1 ? 1 : 2;
    simple[c] = k;
  }
  return k === 1;
}

/** Whether every character of the text is one column and a grapheme alone, with no escape sequence. */
export function isPlain(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (!isSimple(text.charCodeAt(i))) return false;
  return true;
}

// An SGR sequence → its codes, as Ink's tokenizer splits them (bounded: sequences are few).
const sgrCodes = new Map<string, AnsiCode[] | null>();

function codesOf(seq: string): AnsiCode[] | undefined {
  let codes = sgrCodes.get(seq);
  if (codes === undefined) {
    const tokens = tokenize(seq);
    codes = tokens.length > 0 && tokens.every((t) => t.type === 'ansi') ? (tokens as AnsiCode[]) : null;
    if (sgrCodes.size >= 1024) sgrCodes.clear();
    sgrCodes.set(seq, codes);
  }
  return codes ?? undefined;
}

/** A write's characters with their styles, or undefined when Ink's tokenizer must read it. */
function cellsOf(line: string): Cell[] | undefined {
  const out: Cell[] = [];
  let styles = NONE;
  const n = line.length;
  for (let i = 0; i < n; ) {
    const c = line.charCodeAt(i);
    if (c === 0x1b) {
      // ESC [ digits and semicolons m, as Ink's tokenizer finds an SGR sequence; nothing else.
      if (line.charCodeAt(i + 1) !== 0x5b) return undefined;
      let j = i + 2;
      for (; j < n; j++) {
        const d = line.charCodeAt(j);
        if (d === 0x6d) break;
        if (d !== 0x3b && (d < 0x30 || d > 0x39)) return undefined;
      }
      if (j >= n) return undefined;
      const codes = codesOf(line.slice(i, j + 1));
      if (!codes) return undefined;
      styles = reduceAnsiCodesIncremental(styles, codes);
      i = j + 1;
      continue;
    }
    if (!isSimple(c)) return undefined;
    out.push({ value: line[i]!, styles });
    i++;
  }
  return out;
}

/**
 * The row Ink's Output (one row high, `width` wide) gives for these writes ([x, text] in order,
 * already clipped and transformed), or undefined where Ink's own must draw it.
 */
export function composeRow(width: number, writes: readonly (readonly [number, string])[]): string | undefined {
  const row: (Cell | undefined)[] = new Array<Cell>(width).fill(BLANK);
  for (const [x, line] of writes) {
    const cells = cellsOf(line);
    if (!cells) return undefined;
    // As Ink: one cell per character from x on (the row grows past the width; places left of 0 are not cells).
    let at = x;
    for (const cell of cells) row[at++] = cell;
  }
  let out = '';
  let prev: AnsiCode[] | undefined;
  for (let i = 0; i < row.length; i++) {
    const cell = row[i];
    if (cell === undefined) continue;
    if (prev === undefined) out += ansiCodesToString(cell.styles);
    else if (cell.styles !== prev) out += ansiCodesToString(diffAnsiCodes(prev, cell.styles));
    out += cell.value;
    prev = cell.styles;
  }
  if (prev !== undefined) out += ansiCodesToString(diffAnsiCodes(prev, []));
  return out.trimEnd();
}
