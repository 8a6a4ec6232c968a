// From a key to its binding, in a chain of scopes; and the texts made from the same table: `?`
// help's lines, the hints row, and the one wording of a read-only refusal.
import { BINDINGS, SCOPE_TITLES, type Binding, type Scope } from './bindings.js';

const byScope = new Map<Scope, Map<string, Binding>>();
for (const b of BINDINGS) {
  let m = byScope.get(b.where);
  if (!m) byScope.set(b.where, (m = new Map()));
  for (const k of b.keys) if (!m.has(k)) m.set(k, b);
}

/** The binding of `key` in the first scope of the chain that has one (Map lookups: no prototype keys). */
export function resolve(key: string, scopes: readonly Scope[]): Binding | undefined {
  for (const s of scopes) {
    const b = byScope.get(s)?.get(key);
    if (b) return b;
  }
  return undefined;
}

const KEY_NAMES: Record<string, string> = {
  enter: 'Enter', esc: 'Esc', space: 'space', tab: 'Tab', 'shift+tab': 'Shift-Tab', backspace: 'Backspace', delete: 'Delete',
  up: '↑', down: '↓', left: '←', right: '→', pageup: 'PgUp', pagedown: 'PgDn', home: 'Home', end: 'End', 'alt+backspace': 'Alt-Backspace',
};

/** A key as people write it: Enter, Ctrl-D, ↑. */
export function keyLabel(k: string): string {
  if (KEY_NAMES[k]) return KEY_NAMES[k]!;
  const m = /^(ctrl|alt)\+(.)$/.exec(k);
  if (m) return `${m[1] === 'ctrl' ? 'Ctrl' : 'Alt'}-${m[2]!.toUpperCase()}`;
  return k;
}

/** What a binding is called in a refusal or a hint: its hint label, else its help. */
export function bindingName(b: Binding): string {
  return b.hint ?? (typeof b.arg === 'string' ? b.arg : b.help.split(/[(;:]/)[0]!.trim());
}

export interface HelpLine {
  text: string;
  head?: boolean;
  keys?: string;
}

let helpMemo: HelpLine[] | undefined;

/** `?` help: a section per scope title, a line per binding (a group is one line). */
export function helpLines(): HelpLine[] {
  if (helpMemo) return helpMemo;
  const out: HelpLine[] = [];
  const seenTitle = new Set<string>();
  for (const [, title] of SCOPE_TITLES) {
    if (seenTitle.has(title)) continue;
    seenTitle.add(title);
    const scopes = new Set(SCOPE_TITLES.filter(([, t]) => t === title).map(([s]) => s));
    const lines: { keys: string[]; help: string; group?: string }[] = [];
    for (const b of BINDINGS) {
      if (!scopes.has(b.where)) continue;
      const last = lines[lines.length - 1];
      if (b.group && last?.group === b.group) {
        for (const k of b.keys) if (!last.keys.includes(k)) last.keys.push(k);
        continue;
      }
      const same = lines.find((l) => l.help === b.help && !b.group && !l.group);
      if (same) {
        for (const k of b.keys) if (!same.keys.includes(k)) same.keys.push(k);
        continue;
      }
      lines.push({ keys: [...b.keys], help: b.help, ...(b.group ? { group: b.group } : {}) });
    }
    if (lines.length === 0) continue;
    out.push({ text: title, head: true });
    for (const l of lines) {
      const keys = l.keys.map(keyLabel).join(', ');
      out.push({ text: `  ${keys.padEnd(Math.max(26, keys.length))} ${l.help}`, keys });
    }
  }
  helpMemo = out;
  return out;
}

const rowsMemo = new Map<number, HelpLine[]>();

/**
 * Help as screen rows `width` wide: a line too long wraps at a space, its continuation indented
 * under the description (never cut with "…").
 */
export function helpRows(width: number): HelpLine[] {
  const hit = rowsMemo.get(width);
  if (hit) return hit;
  const out: HelpLine[] = [];
  for (const l of helpLines()) {
    if (l.head || l.text.length <= width) {
      out.push(l);
      continue;
    }
    const indent = l.keys ? l.text.indexOf(l.keys) + Math.max(26, l.keys.length) + 1 : 2;
    const room = Math.max(10, width - indent);
    let rest = l.text;
    let first = true;
    while (rest.length > 0) {
      const max = first ? width : room;
      let cut = rest.length <= max ? rest.length : rest.lastIndexOf(' ', max);
      if (cut <= (first ? indent : 0)) cut = max;
      out.push(first ? { ...l, text: rest.slice(0, cut) } : { text: ' '.repeat(indent) + rest.slice(0, cut) });
      rest = rest.slice(cut).replace(/^ +/, '');
      first = false;
    }
  }
  rowsMemo.set(width, out);
  return out;
}

/**
 * The hints row for a chain of scopes: the hinted bindings, the most useful first until `width`
 * is full, shown in table order. Read-only leaves out what would be refused.
 */
export function hintsFor(scopes: readonly Scope[], width: number, opts: { readOnly?: boolean; text?: (b: Binding) => string | undefined } = {}): string {
  const seen = new Set<string>();
  const cands: { b: Binding; text: string; order: number }[] = [];
  let order = 0;
  for (const s of scopes) {
    for (const b of BINDINGS) {
      if (b.where !== s || !b.hint || (opts.readOnly && b.changes)) continue;
      const key = b.keys[0]!;
      if (seen.has(b.hint) || seen.has(`k:${key}`)) continue;
      const text = opts.text?.(b) ?? `${keyLabel(key)} ${b.hint}`;
      // A hint that says nothing now (`*` while every server is shown) takes no room.
      if (text === '') continue;
      seen.add(b.hint);
      seen.add(`k:${key}`);
      cands.push({ b, text, order: order++ });
    }
  }
  const byRank = [...cands].sort((a, b) => (a.b.rank ?? 50) - (b.b.rank ?? 50) || a.order - b.order);
  const chosen = new Set<(typeof cands)[number]>();
  let used = 0;
  for (const c of byRank) {
    const w = c.text.length + 2;
    if (used + w > width) continue;
    used += w;
    chosen.add(c);
  }
  return cands.filter((c) => chosen.has(c)).map((c) => c.text).join('  ');
}
