// The one definition of a character a terminal would act on rather than show — C0 controls, DEL,
// C1 controls and the Unicode bidirectional controls — and the visible form gantry shows instead.

/**
 * Characters never written raw: C0 (ESC, BEL, CR, …), DEL, C1 (8-bit CSI, OSC, …), and the
 * bidirectional controls that reorder what follows them (U+061C, U+200E, U+200F, U+202A–U+202E,
 * U+2066–U+2069: `\u202Elive` shows as `evil`).
 */
const C0: readonly (readonly [number, number])[] = [[0x00, 0x1f]];
const BEYOND_C0: readonly (readonly [number, number])[] = [[0x7f, 0x9f], [0x61c, 0x61c], [0x200e, 0x200f], [0x202a, 0x202e], [0x2066, 0x2069]];
const hex = (c: number) => `\\u${c.toString(16).padStart(4, '0')}`;
const charClass = (ranges: typeof C0) => `[${ranges.map(([a, b]) => (a === b ? hex(a) : `${hex(a)}-${hex(b)}`)).join('')}]`;
export const CONTROL = new RegExp(charClass([...C0, ...BEYOND_C0]));
const CONTROLS = new RegExp(CONTROL.source, 'g');
/** The controls JSON.stringify leaves raw (it escapes C0 itself). */
const JSON_RAW = new RegExp(charClass(BEYOND_C0), 'g');

// CONTROL as a table, for loops over code units (every control is below U+2070), filled from the
// same ranges (testing the pattern on each of 8,304 code units cost ~2 ms of every start).
const TABLE = new Uint8Array(0x2070);
for (const [a, b] of [...C0, ...BEYOND_C0]) TABLE.fill(1, a, b + 1);

/** True for a UTF-16 code unit in CONTROL. */
export function isControl(code: number): boolean {
  return code < 0x2070 && TABLE[code] === 1;
}

/** How a control is shown: ^X for C0 and DEL (as a terminal echoes them), <U+XXXX> for the others. */
export function visibleControl(code: number): string {
  if (code < 0x20) return `^${String.fromCharCode(code + 0x40)}`;
  if (code === 0x7f) return '^?';
  return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
}

/** The text with every control shown visibly (ESC as ^[, U+202E as <U+202E>); unchanged when it has none. */
export function showControls(s: string): string {
  return CONTROL.test(s) ? s.replace(CONTROLS, (c) => visibleControl(c.charCodeAt(0))) : s;
}

/** Text from outside quoted for a message: controls shown, cut to `max` characters. */
export function quoteForMessage(s: string, max = 160): string {
  const cut = s.length > max ? `${s.slice(0, max)}…` : s;
  return `"${showControls(cut)}"`;
}

/**
 * JSON text (from JSON.stringify) with the controls it leaves raw — DEL, C1, bidirectional — written
 * as \\u escapes: parsed, it is the same exact data; printed on a terminal, it is inert.
 */
export function inertJson(json: string): string {
  return json.replace(JSON_RAW, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
