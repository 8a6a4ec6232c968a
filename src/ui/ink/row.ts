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

// A set of styles, as Ink's reducer leaves them after a run of SGR codes: one object per distinct
// set (interned by its codes), so that a row compares styles by identity, and what each one
// becomes after a given SGR sequence, and the codes between two of them, are worked out once.
interface Style {
  codes: AnsiCode[];
  /** The codes that turn this style on from none. */
  open: string;
  /** The style after each SGR sequence seen after this one (null: not SGR codes alone). */
  after: Map<string, Style | null>;
  /** The codes from this style to another, as Ink's Output writes them between two cells. */
  to: Map<Style, string>;
}

const styles = new Map<string, Style>();

function styleOf(codes: AnsiCode[]): Style {
  const key = codes.map((c) => c.code).join('');
  let s = styles.get(key);
  if (s === undefined) {
    // Bounded: the sets a terminal UI uses are few. Styles already handed out stay correct; an
    // equal set made after the clear is another object, and the codes between them are worked out.
    if (styles.size >= 1024) styles.clear();
    s = { codes, open: ansiCodesToString(codes), after: new Map(), to: new Map() };
    styles.set(key, s);
  }
  return s;
}

const NONE = styleOf([]);

/** The style after the SGR sequence `seq` (ESC [ digits and semicolons m), or undefined when Ink's tokenizer must read it. */
function after(style: Style, seq: string): Style | undefined {
  let next = style.after.get(seq);
  if (next === undefined) {
    const tokens = tokenize(seq);
    next = tokens.length > 0 && tokens.every((t) => t.type === 'ansi') ? styleOf(reduceAnsiCodesIncremental(style.codes, tokens as AnsiCode[])) : null;
    if (style.after.size >= 256) style.after.clear();
    style.after.set(seq, next);
  }
  return next ?? undefined;
}

function between(from: Style, to: Style): string {
  let codes = from.to.get(to);
  if (codes === undefined) {
    codes = ansiCodesToString(diffAnsiCodes(from.codes, to.codes));
    if (from.to.size >= 256) from.to.clear();
    from.to.set(to, codes);
  }
  return codes;
}

// The row being composed: a character and its style per column (undefined: no cell there). Reused
// from row to row (composing is synchronous), so a frame makes no object per cell.
const chars: (string | undefined)[] = [];
const looks: Style[] = [];

/**
 * The row Ink's Output (one row high, `width` wide) gives for these writes ([x, text] in order,
 * already clipped and transformed), or undefined where Ink's own must draw it.
 */
export function composeRow(width: number, writes: readonly (readonly [number, string])[]): string | undefined {
  let len = width;
  for (let i = 0; i < width; i++) {
    chars[i] = ' ';
    looks[i] = NONE;
  }
  for (const [x, line] of writes) {
    // As Ink: one cell per character from x on; the row grows past the width (with no cells
    // between its end and a write that starts further on); places left of 0 are not cells.
    let at = x;
    let style = NONE;
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
        const next = after(style, line.slice(i, j + 1));
        if (!next) return undefined;
        style = next;
        i = j + 1;
        continue;
      }
      if (!isSimple(c)) return undefined;
      if (at >= 0) {
        for (; len < at; len++) chars[len] = undefined;
        chars[at] = line[i];
        looks[at] = style;
        if (at >= len) len = at + 1;
      }
      at++;
      i++;
    }
  }
  let out = '';
  let prev: Style | undefined;
  for (let i = 0; i < len; i++) {
    const ch = chars[i];
    if (ch === undefined) continue;
    const style = looks[i]!;
    if (prev === undefined) out += style.open;
    else if (style !== prev) out += between(prev, style);
    out += ch;
    prev = style;
  }
  if (prev !== undefined) out += between(prev, NONE);
  return out.trimEnd();
}
