// Grapheme clusters and their display widths at the cost of a table lookup per character.
// Intl.Segmenter costs tens of µs per call and grows faster than the length of the text (65,536
// CJK characters took minutes), and string-width runs it over its whole input: neither may see a
// long line. Here most characters are classified once (cached per code point) and stepped over
// directly; only the rare sequences whose boundaries need Unicode's full rules (ZWJ emoji, flags,
// Hangul jamo, Indic conjuncts, prepended marks) go to Intl.Segmenter, a short window at a time.
// Widths are string-width's, so text measured here agrees with Ink's measuring of the same text.
import stringWidth from './stringWidth.js';

/** Kinds of code point, for finding cluster boundaries. */
const SIMPLE = 0; // starts a cluster; marks after it join it
const EXTEND = 1; // joins the cluster before it (combining marks, variation selectors, skin tones)
const CONTROL = 2; // a cluster of its own: nothing joins it
const COMPLEX = 3; // needs the full rules: segmented by Intl.Segmenter

// Per code point: bits 0-1 the width of the lone code point, bits 2-3 its kind, bit 4 "known",
// bit 5 Extended_Pictographic (emoji joined by ZWJ), bit 6 a regional indicator (flags are pairs).
const KNOWN = 16;
const PICT = 32;
const REGIONAL = 64;
const ZWJ = 0x200d;
const bmp = new Uint8Array(0x10000);
const astral = new Map<number, number>();

const EXTEND_RE = /[\p{Grapheme_Extend}\p{Emoji_Modifier}]/u;
const SPACING_MARK_RE = /\p{Mc}/u;
const CONTROL_RE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
const UNASSIGNED_IGNORABLE_RE = /^(?=\p{Cn})\p{Default_Ignorable_Code_Point}$/u;
const REGIONAL_RE = /\p{Regional_Indicator}/u;
const PICT_RE = /\p{Extended_Pictographic}/u;

/** Prepend characters (they join what follows): Unicode's Grapheme_Cluster_Break=Prepend. */
function isPrepend(cp: number): boolean {
  return (
    (cp >= 0x600 && cp <= 0x605) || cp === 0x6dd || cp === 0x70f || cp === 0x890 || cp === 0x891 || cp === 0x8e2 || cp === 0xd4e ||
    cp === 0x110bd || cp === 0x110cd || cp === 0x111c2 || cp === 0x111c3 || cp === 0x1193f || cp === 0x11941 || cp === 0x11a3a ||
    (cp >= 0x11a84 && cp <= 0x11a89) || cp === 0x11d46 || cp === 0x11f02
  );
}

/** Scripts whose marks take part in conjuncts and other script-specific joining rules. */
function inComplexScript(cp: number): boolean {
  return (
    (cp >= 0x900 && cp <= 0xdff) || (cp >= 0x1000 && cp <= 0x109f) || (cp >= 0x1780 && cp <= 0x17ff) || (cp >= 0x1a20 && cp <= 0x1aaf) ||
    (cp >= 0xa8e0 && cp <= 0xa8ff) || (cp >= 0xa9e0 && cp <= 0xa9ff) || (cp >= 0xaa60 && cp <= 0xaa7f) || (cp >= 0x11000 && cp <= 0x11fff)
  );
}

function isHangulJamo(cp: number): boolean {
  return (cp >= 0x1100 && cp <= 0x11ff) || (cp >= 0xa960 && cp <= 0xa97f) || (cp >= 0xd7b0 && cp <= 0xd7ff);
}

function classify(cp: number): number {
  const ch = String.fromCodePoint(cp);
  let kind: number;
  if (cp === 0x0d || isPrepend(cp) || isHangulJamo(cp)) kind = COMPLEX;
  else if (cp === ZWJ) kind = EXTEND;
  else if (EXTEND_RE.test(ch) || SPACING_MARK_RE.test(ch) || cp === 0xe33 || cp === 0xeb3) kind = inComplexScript(cp) ? COMPLEX : EXTEND;
  else if (CONTROL_RE.test(ch) || UNASSIGNED_IGNORABLE_RE.test(ch)) kind = CONTROL;
  else kind = SIMPLE;
  const width = Math.min(2, stringWidth(ch));
  return KNOWN | (kind << 2) | width | (PICT_RE.test(ch) ? PICT : 0) | (REGIONAL_RE.test(ch) ? REGIONAL : 0);
}

function info(cp: number): number {
  if (cp < 0x10000) {
    const v = bmp[cp]!;
    if (v !== 0) return v;
    const c = classify(cp);
    bmp[cp] = c;
    return c;
  }
  let v = astral.get(cp);
  if (v === undefined) {
    v = classify(cp);
    astral.set(cp, v);
  }
  return v;
}

const kindOf = (v: number) => (v >> 2) & 3;

/** Width of the cluster s[i, j): a lone code point from the table, others cached (bounded). */
const multiWidth = new Map<string, number>();
function clusterWidth(s: string, i: number, j: number): number {
  const cp = s.codePointAt(i)!;
  if (j - i === (cp > 0xffff ? 2 : 1)) return info(cp) & 3;
  // Clusters can be long (hundreds of stacked marks): measure a bounded piece, never the rest.
  const key = s.slice(i, Math.min(j, i + 64));
  let w = multiWidth.get(key);
  if (w === undefined) {
    w = stringWidth(key);
    if (multiWidth.size >= 4096) multiWidth.clear();
    multiWidth.set(key, w);
  }
  return w;
}

/** Made on first use: its ICU set-up costs ~18 ms, and most text never needs it. */
let segmenter: Intl.Segmenter | undefined;
/** A window of this many code units is segmented at a time; a cluster longer than the cap is cut. */
const WINDOW = 64;
const MAX_CLUSTER = 256;

/**
 * Walks a string cluster by cluster: after `next()` returns true, [start, end) is one grapheme
 * cluster and `width` its columns. Allocates nothing per cluster on the common path.
 */
export class Clusters {
  start = 0;
  end = 0;
  width = 0;
  /** Clusters found by a segmenter window, not yet handed out: [end, width] pairs. */
  private queue: number[] = [];
  private q = 0;

  constructor(
    readonly s: string,
    from = 0,
  ) {
    this.end = from;
  }

  next(): boolean {
    const s = this.s;
    const i = this.end;
    this.start = i;
    if (this.q < this.queue.length) {
      this.end = this.queue[this.q++]!;
      this.width = this.queue[this.q++]!;
      return true;
    }
    if (i >= s.length) return false;
    const c = s.charCodeAt(i);
    // Printable ASCII followed by printable ASCII (or the end): the overwhelmingly common case.
    if (c >= 0x20 && c < 0x7f) {
      const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0x20;
      if (d >= 0x20 && d < 0x7f) {
        this.end = i + 1;
        this.width = 1;
        return true;
      }
    }
    const cp = s.codePointAt(i)!;
    const v = info(cp);
    let j = i + (cp > 0xffff ? 2 : 1);
    const kind = kindOf(v);
    if (kind === COMPLEX) return this.segment(i);
    if (kind === CONTROL) {
      this.end = j;
      this.width = v & 3;
      return true;
    }
    // SIMPLE or a stray EXTEND: marks after it join it; a flag is two regional indicators; an
    // emoji, ZWJ and an emoji are one.
    let multi = false;
    if (v & REGIONAL && j < s.length && info(s.codePointAt(j)!) & REGIONAL) {
      j += 2;
      multi = true;
    }
    // pict: an emoji and marks so far; zwj: the last was a ZWJ after those (an emoji joins).
    let pict = (v & PICT) !== 0;
    let zwj = false;
    while (j < s.length) {
      const ncp = s.codePointAt(j)!;
      const nv = info(ncp);
      const nk = kindOf(nv);
      if (nk === COMPLEX) return this.segment(i);
      if (nk === EXTEND) {
        zwj = ncp === ZWJ && pict;
        if (ncp === ZWJ) pict = false;
      } else if (zwj && nv & PICT) {
        zwj = false;
        pict = true;
      } else break;
      multi = true;
      j += ncp > 0xffff ? 2 : 1;
      if (j - i >= MAX_CLUSTER) break;
    }
    this.end = j;
    this.width = multi ? clusterWidth(s, i, j) : v & 3;
    return true;
  }

  /**
   * How many of the clusters from `end` on are single printable ASCII characters (one column
   * each), at most `max`: callers step over them with `skip` instead of one `next` each.
   */
  asciiRun(max: number): number {
    if (this.q < this.queue.length) return 0;
    const s = this.s;
    const from = this.end;
    const lim = Math.min(s.length, from + max);
    let j = from;
    while (j < lim) {
      const c = s.charCodeAt(j);
      if (c < 0x20 || c > 0x7e) break;
      j++;
    }
    // The last one may carry marks that follow it: it is left to `next`.
    if (j < lim) j--;
    else if (j < s.length) {
      const c = s.charCodeAt(j);
      if (c < 0x20 || c > 0x7e) j--;
    }
    return Math.max(0, j - from);
  }

  /** Steps over `n` clusters that `asciiRun` counted. */
  skip(n: number): void {
    this.start = this.end + n - 1;
    this.end += n;
    this.width = 1;
  }

  /** The full rules, from Intl.Segmenter on a short window starting at the cluster boundary `i`. */
  private segment(i: number): boolean {
    const s = this.s;
    let size = WINDOW;
    for (;;) {
      const end = Math.min(s.length, i + size);
      const win = s.slice(i, end);
      const ends: number[] = [];
      for (const { index, segment } of (segmenter ??= new Intl.Segmenter()).segment(win)) ends.push(i + index + segment.length);
      // The last cluster may go on past the window: keep it only when the window reached the end.
      if (end < s.length && ends.length > 1) ends.pop();
      if (ends.length > 1 || end >= s.length || size >= MAX_CLUSTER) {
        this.queue = [];
        this.q = 0;
        let at = i;
        for (const e of ends) {
          this.queue.push(e, clusterWidth(s, at, e));
          at = e;
        }
        return this.next();
      }
      size *= 2;
    }
  }
}

/** Printable ASCII only: one column per character. */
export const ASCII = /^[\x20-\x7e]*$/;

/** Columns the plain text takes (no escape sequences in it). */
export function plainWidth(s: string): number {
  if (ASCII.test(s)) return s.length;
  const c = new Clusters(s);
  let w = 0;
  for (;;) {
    const k = c.asciiRun(s.length);
    if (k > 0) {
      c.skip(k);
      w += k;
    }
    if (!c.next()) return w;
    w += c.width;
  }
}

/** Whether plain text is wider than `limit` columns, looking at no more than limit + 1 of them. */
export function widerThan(s: string, limit: number): boolean {
  if (ASCII.test(s.length > limit + 1 ? s.slice(0, limit + 1) : s)) return s.length > limit;
  const c = new Clusters(s);
  let w = 0;
  for (;;) {
    const k = c.asciiRun(limit + 1 - w);
    if (k > 0) {
      c.skip(k);
      w += k;
      if (w > limit) return true;
    }
    if (!c.next()) return false;
    w += c.width;
    if (w > limit) return true;
  }
}

/** The longest start of `s` made of whole clusters that fits in `cols` columns: its end and width. */
export function prefix(s: string, cols: number): { end: number; width: number } {
  const c = new Clusters(s);
  let w = 0;
  let end = 0;
  for (;;) {
    const k = c.asciiRun(cols - w);
    if (k > 0) {
      c.skip(k);
      w += k;
      end = c.end;
    }
    if (!c.next() || w + c.width > cols) return { end, width: w };
    w += c.width;
    end = c.end;
  }
}
