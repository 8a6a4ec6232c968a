// Keys from the terminal: what Ink hands over as one input event (a whole read: several typed
// keys, a run of Backspaces over SSH, a paste) split into single keys, each named the way the
// binding table names them ("j", "S", "enter", "ctrl+d", "shift+tab", "backspace", "up").
export interface Key {
  /** The binding name: a printable character itself, "space", or a named key with modifiers. */
  name: string;
  /** The character typed, for text fields; '' for a control or named key. */
  text: string;
}

const CSI_NAMES: Record<string, string> = {
  A: 'up', B: 'down', C: 'right', D: 'left', H: 'home', F: 'end', Z: 'shift+tab',
  '1~': 'home', '7~': 'home', '4~': 'end', '8~': 'end', '2~': 'insert', '3~': 'delete', '5~': 'pageup', '6~': 'pagedown',
};

const MODS: Record<string, string> = { '2': 'shift+', '3': 'alt+', '4': 'alt+shift+', '5': 'ctrl+', '6': 'ctrl+shift+', '7': 'ctrl+alt+', '8': 'ctrl+alt+shift+' };

// An escape sequence at the start of a string: CSI (ESC [ params final), SS3 (ESC O x), Alt+key.
const SEQ = /^\x1b(?:\[[\d;:?]*[~A-Za-z]|O[A-Za-z]|[\s\S])?/u;

/** One input event → the keys in it: each escape sequence whole, every other character alone. */
export function splitKeys(event: string): string[] {
  const out: string[] = [];
  let rest = event;
  while (rest.length > 0) {
    const m = rest.startsWith('\x1b') ? SEQ.exec(rest) : null;
    const one = m ? m[0] : String.fromCodePoint(rest.codePointAt(0)!);
    out.push(one);
    rest = rest.slice(one.length);
  }
  return out;
}

function named(name: string): Key {
  return { name, text: '' };
}

/** Names an escape sequence: arrows and friends (with modifiers), Alt+key, Esc itself. */
function escapeKey(seq: string): Key {
  if (seq === '\x1b' || seq === '\x1b\x1b') return named('esc');
  const csi = /^\x1b\[(?:(\d+)(?:;(\d+))?)?([~A-Z])$/.exec(seq);
  if (csi) {
    const [, num, mod, final] = csi;
    const base = CSI_NAMES[final === '~' ? `${num}~` : final!];
    if (!base) return named('unknown');
    return named(`${mod ? (MODS[mod] ?? '') : ''}${base}`);
  }
  const ss3 = /^\x1bO([A-DHF])$/.exec(seq);
  if (ss3) return named(CSI_NAMES[ss3[1]!]!);
  const alt = /^\x1b([\s\S])$/u.exec(seq);
  if (alt) return alt[1] === '\x7f' ? named('alt+backspace') : named(`alt+${alt[1]}`);
  return named('unknown');
}

/** One key (an element of `splitKeys`) → its name and text. */
export function parseKey(seq: string): Key {
  if (seq.startsWith('\x1b')) return escapeKey(seq);
  const code = seq.codePointAt(0) ?? 0;
  if (seq === '\r' || seq === '\n') return named('enter');
  if (seq === '\t') return named('tab');
  if (seq === '\x7f' || seq === '\x08') return named('backspace');
  if (seq === ' ') return { name: 'space', text: ' ' };
  if (code === 0) return named('ctrl+space');
  if (code < 0x20) return named(`ctrl+${String.fromCharCode(code + 0x60)}`);
  if (code >= 0x80 && code < 0xa0) return named('unknown');
  return { name: seq, text: seq };
}

/** Every key of one input event, in order. */
export function keysOf(event: string): Key[] {
  return splitKeys(event).map(parseKey);
}
