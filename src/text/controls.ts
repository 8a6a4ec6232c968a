// The one definition of a character a terminal would act on rather than show — C0 controls, DEL,
// C1 controls and the Unicode bidirectional controls — and the visible form gantry shows instead.

/**
 * Characters never written raw: C0 (ESC, BEL, CR, …), DEL, C1 (8-bit CSI, OSC, …), and the
 * bidirectional controls that reorder what follows them (U+061C, U+200E, U+200F, U+202A–U+202E,
 * U+2066–U+2069: `\u202Elive` shows as `evil`).
 */
const C0 = '\\x00-\\x1f';
const BEYOND_C0 = '\\x7f-\\x9f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';
export const CONTROL = new RegExp(`[${C0}${BEYOND_C0}]`);
const CONTROLS = new RegExp(CONTROL.source, 'g');
/** The controls JSON.stringify leaves raw (it escapes C0 itself). */
const JSON_RAW = new RegExp(`[${BEYOND_C0}]`, 'g');

// CONTROL as a table, for loops over code units (every control is below U+2070).
const TABLE = new Uint8Array(0x2070);
for (let c = 0; c < TABLE.length; c++) TABLE[c] = CONTROL.test(String.fromCharCode(c)) ? 1 : 0;

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
