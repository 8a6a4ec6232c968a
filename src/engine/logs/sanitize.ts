// Log lines are untrusted input. Before a line reaches the screen every terminal control sequence
// is removed — cursor moves, screen clears, mode switches, title changes, OSC 52 clipboard writes,
// hyperlinks (their text is kept), device queries, bells — except SGR colour, which is kept only
// when asked. Other controls are shown visibly (^X, <U+202E>: src/text/controls.ts says which),
// tabs become spaces, and a `\r` progress bar shows what a terminal would: the text after the last
// carriage return.
import { isControl, visibleControl } from '../../text/controls.js';

const ESC = 0x1b;

export interface SanitizeOptions {
  /** Keep SGR colour sequences (ESC [ … m) instead of dropping them. */
  keepColor: boolean;
  tabWidth?: number;
}

/** True when the line holds nothing that needs work: no control at all. */
function isPlain(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (isControl(s.charCodeAt(i))) return false;
  return true;
}

/** Skips a string sequence body (OSC, DCS, APC, PM, SOS) from i; returns the index after its end. */
function skipString(s: string, i: number): { end: number; body: string } {
  let j = i;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    if (c === 0x07 || c === 0x9c) return { end: j + 1, body: s.slice(i, j) };
    if (c === ESC && s.charCodeAt(j + 1) === 0x5c) return { end: j + 2, body: s.slice(i, j) };
    j++;
  }
  // Unterminated: the rest of the line is the sequence.
  return { end: s.length, body: s.slice(i) };
}

/** Skips a CSI sequence body from i (after ESC [ or 0x9b); returns its end and whether it is SGR. */
function skipCsi(s: string, i: number): { end: number; sgr: boolean; params: string } {
  let j = i;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    if (c >= 0x40 && c <= 0x7e) return { end: j + 1, sgr: c === 0x6d, params: s.slice(i, j) };
    if (c < 0x20 || c > 0x3f) return { end: j, sgr: false, params: '' }; // malformed: stop here
    j++;
  }
  return { end: s.length, sgr: false, params: '' };
}

export function sanitizeLine(raw: string, opts: SanitizeOptions): string {
  // A progress bar redraws its line after \r: keep what a terminal would finally show.
  let s = raw;
  const cr = s.lastIndexOf('\r');
  if (cr >= 0) {
    s = cr === s.length - 1 ? s.slice(0, cr) : s;
    const last = s.lastIndexOf('\r');
    if (last >= 0) s = s.slice(last + 1);
  }
  if (isPlain(s)) return s;
  const tab = opts.tabWidth ?? 8;
  let out = '';
  let col = 0;
  for (let i = 0; i < s.length; ) {
    const c = s.charCodeAt(i);
    if (c === ESC || c === 0x9b || c === 0x9d || c === 0x90 || c === 0x9e || c === 0x9f || c === 0x98) {
      const introducer = c === ESC ? s.charCodeAt(i + 1) : c;
      const bodyStart = c === ESC ? i + 2 : i + 1;
      if (introducer === 0x5b || c === 0x9b) {
        // CSI: keep a valid SGR when colour is kept; drop everything else.
        const r = skipCsi(s, bodyStart);
        if (r.sgr && opts.keepColor && /^[\d;:]*$/.test(r.params)) out += `\x1b[${r.params}m`;
        i = Math.max(r.end, bodyStart);
        continue;
      }
      if (introducer === 0x5d || c === 0x9d) {
        // OSC: hyperlinks keep their text (the text is outside the sequence); all else goes.
        i = skipString(s, bodyStart).end;
        continue;
      }
      if (introducer === 0x50 || introducer === 0x5f || introducer === 0x5e || introducer === 0x58 || c === 0x90 || c === 0x9e || c === 0x9f || c === 0x98) {
        // DCS, APC, PM, SOS
        i = skipString(s, bodyStart).end;
        continue;
      }
      if (c === ESC) {
        // Two- and three-byte escapes: ESC c, ESC 7/8, ESC D/E/M, ESC ( B, ESC # 8, …
        if (introducer >= 0x20 && introducer <= 0x2f) i = Math.min(s.length, i + 3);
        else i = Math.min(s.length, i + 2);
        continue;
      }
    }
    if (c === 0x09) {
      const n = tab - (col % tab);
      out += ' '.repeat(n);
      col += n;
      i++;
      continue;
    }
    if (isControl(c)) {
      // Other C0 and C1 controls, bidirectional controls: shown, never obeyed.
      const v = visibleControl(c);
      out += v;
      col += v.length;
      i++;
      continue;
    }
    out += s[i];
    col++;
    i++;
  }
  return out;
}

/** A streaming UTF-8 decoder: invalid bytes become U+FFFD, characters split across chunks survive. */
export class Utf8Stream {
  private readonly dec = new TextDecoder('utf-8', { fatal: false });
  write(chunk: Uint8Array): string {
    return this.dec.decode(chunk, { stream: true });
  }
  end(): string {
    return this.dec.decode();
  }
}
