// The binding table and what is made from it: the resolver per mode, help, the hints row and
// the read-only refusal; and the keys split out of one terminal read.
import { describe, expect, it } from 'vitest';
import { BINDINGS } from '../../src/ui/keys/bindings.js';
import { helpLines, hintsFor, keyLabel, resolve } from '../../src/ui/keys/resolve.js';
import { keysOf } from '../../src/ui/keys/parse.js';
import { unboundCommands } from '../../src/ui/modes/index.js';
import { scopesFor, topMode } from '../../src/ui/modes/top.js';
import { initialState, type AppState } from '../../src/store/state.js';

const listIn = (pane: AppState['ui']['pane']): AppState => {
  const s = initialState();
  return { ...s, ui: { ...s.ui, pane } };
};
const cmd = (key: string, s: AppState) => {
  const b = resolve(key, scopesFor(s));
  return b ? { command: b.command, ...(b.arg !== undefined ? { arg: b.arg } : {}) } : undefined;
};

describe('bindings', () => {
  it('maps the container keys of lazydocker', () => {
    const s = listIn('containers');
    expect(cmd('s', s)).toEqual({ command: 'container', arg: 'stop' });
    expect(cmd('S', s)).toEqual({ command: 'container', arg: 'start' });
    expect(cmd('r', s)).toEqual({ command: 'container', arg: 'restart' });
    expect(cmd('p', s)).toEqual({ command: 'container', arg: 'pause-toggle' });
    expect(cmd('K', s)).toEqual({ command: 'container', arg: 'kill' });
    expect(cmd('d', s)).toEqual({ command: 'container', arg: 'remove' });
    expect(cmd('e', s)).toEqual({ command: 'toggle-stopped' });
  });
  it('finds nothing for input that only names an object property', () => {
    for (const k of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) expect(cmd(k, listIn('containers'))).toBeUndefined();
  });
  it('does not act on containers from other panes', () => {
    expect(cmd('s', listIn('images'))).toBeUndefined();
    expect(cmd('d', listIn('gpus'))).toBeUndefined();
    expect(cmd('d', listIn('images'))).toEqual({ command: 'resource.remove' });
  });
  it('moves and switches panes', () => {
    const s = listIn('containers');
    expect(cmd('j', s)).toEqual({ command: 'move', arg: 1 });
    expect(cmd('up', s)).toEqual({ command: 'move', arg: -1 });
    expect(cmd('G', s)).toEqual({ command: 'move-to', arg: 'bottom' });
    expect(cmd('5', s)).toEqual({ command: 'pane', arg: 'gpus' });
    expect(cmd('shift+tab', s)).toEqual({ command: 'pane-next', arg: -1 });
    expect(cmd('ctrl+c', s)).toEqual({ command: 'quit' });
    expect(cmd('q', s)).toEqual({ command: 'quit' });
  });
  it('gives the log panel its own keys once it has them', () => {
    const s0 = listIn('containers');
    const s: AppState = { ...s0, ui: { ...s0.ui, logs: { ...s0.ui.logs, focus: true } } };
    expect(topMode(s)).toBe('logs');
    expect(cmd('s', s)).toEqual({ command: 'logs.save' });
    expect(cmd('3', s)).toEqual({ command: 'logs.since', arg: 3 });
    expect(cmd('q', s)).toEqual({ command: 'panel.leave' });
    expect(cmd('ctrl+c', s)).toEqual({ command: 'quit' });
  });
  it('puts the modes on top in one order: help, prune, a question, a prompt, the panel, the list', () => {
    const s = listIn('containers');
    const withUi = (ui: Partial<AppState['ui']>): AppState => ({ ...s, ui: { ...s.ui, ...ui } });
    const prune = { stage: 'choose' as const, choice: [], engines: [], cursor: 0, previews: [], scroll: 0, result: [] };
    const confirm = { title: 't', lines: [], target: 'x', choices: [] };
    expect(topMode(withUi({ help: true, prune, confirm }))).toBe('help');
    expect(topMode(withUi({ prune, confirm }))).toBe('prune');
    expect(topMode(withUi({ confirm, prompt: { kind: 'filter', text: '', cursor: 0 } }))).toBe('confirm');
    expect(topMode(withUi({ prompt: { kind: 'search', text: '', cursor: 0 }, logs: { ...s.ui.logs, focus: true } }))).toBe('search');
    expect(topMode(withUi({ logs: { ...s.ui.logs, focus: true, tab: 'env' } }))).toBe('tab');
    expect(topMode(s)).toBe('list');
  });
  it('puts the pull dialog and the run form above the panel and the list, under a line being typed in them', () => {
    const s = listIn('containers');
    const withUi = (ui: Partial<AppState['ui']>): AppState => ({ ...s, ui: { ...s.ui, ...ui } });
    const pull = { stage: 'pulling' as const, engines: ['docker'], cursor: 0, ref: 'busybox', layers: [], status: '' };
    const run = { stage: 'form' as const, version: 1 };
    const focus = { logs: { ...s.ui.logs, focus: true } };
    expect(topMode(withUi({ pull, run, ...focus }))).toBe('pull');
    expect(topMode(withUi({ run, ...focus }))).toBe('run');
    expect(topMode(withUi({ run, prompt: { kind: 'run-field', text: '', cursor: 0 } }))).toBe('run-field');
    expect(topMode(withUi({ pull, prompt: { kind: 'pull-ref', text: '', cursor: 0 } }))).toBe('pull-ref');
    expect(topMode(withUi({ run, help: true }))).toBe('help');
    // Each stage has its own keys; Tab completes only where an image is typed.
    expect(cmd('esc', withUi({ pull }))).toEqual({ command: 'pull.cancel' });
    expect(cmd('j', withUi({ pull: { ...pull, stage: 'engine' } }))).toEqual({ command: 'pull.move', arg: 1 });
    expect(cmd('s', withUi({ run }))).toEqual({ command: 'run.start' });
    expect(cmd('space', withUi({ run: { stage: 'gpus', version: 1 } }))).toEqual({ command: 'run.gpu-toggle' });
    expect(cmd('y', withUi({ run: { stage: 'ask', version: 1 } }))).toEqual({ command: 'run.answer', arg: 'yes' });
    expect(cmd('s', withUi({ run: { stage: 'starting', version: 1 } }))).toBeUndefined();
    expect(cmd('tab', withUi({ pull, prompt: { kind: 'pull-ref', text: '', cursor: 0 } }))).toEqual({ command: 'prompt.complete' });
    expect(cmd('tab', withUi({ run, prompt: { kind: 'run-field', text: '', cursor: 0 } }))).toBeUndefined();
    expect(cmd('tab', withUi({ run, prompt: { kind: 'run-field', text: '', cursor: 0, completeImages: true } }))).toEqual({ command: 'prompt.complete' });
    // n in Containers and on an image, P on an image: refused when read-only.
    expect(cmd('n', s)).toEqual({ command: 'run.open' });
    expect(cmd('P', listIn('images'))).toEqual({ command: 'pull.open' });
    expect(hintsFor(scopesFor(listIn('images')), 200, { readOnly: true })).not.toMatch(/P pull|n run/);
  });
  it('has a handler for every command the table names, and a binding for every handler', () => {
    expect(unboundCommands()).toEqual({ missing: [], unused: [] });
  });
  it('puts every binding in help, and every help line names keys of a binding', () => {
    const lines = helpLines().filter((l) => !l.head);
    const helpText = lines.map((l) => l.text).join('\n');
    for (const b of BINDINGS) {
      for (const k of b.keys) expect(lines.some((l) => l.keys!.split(', ').includes(keyLabel(k)) && l.text.includes(b.help)), `${k} (${b.command}) in help`).toBe(true);
    }
    for (const l of lines) expect(BINDINGS.some((b) => b.keys.map(keyLabel).some((k) => l.keys!.split(', ').includes(k))), l.text).toBe(true);
    expect(helpText).toContain('kill (asks first)');
  });
  it('fits the most useful hints first and leaves out changing keys when read-only', () => {
    const scopes = scopesFor(listIn('containers'));
    const wide = hintsFor(scopes, 200);
    expect(wide).toMatch(/^Enter logs {2}E shell .*s stop.* \/ filter.*\? help.*q quit/);
    const narrow = hintsFor(scopes, 60);
    expect(narrow.length).toBeLessThanOrEqual(60);
    for (const h of ['Enter logs', 's stop', 'd remove', '/ filter', '? help', 'q quit']) expect(narrow).toContain(h);
    const ro = hintsFor(scopes, 200, { readOnly: true });
    for (const h of ['s stop', 'd remove', 'E shell', 'D prune']) expect(ro).not.toContain(h);
    expect(ro).toContain('/ filter');
  });
});

describe('keys from one read', () => {
  it('splits runs of keys, Backspaces and arrows included', () => {
    expect(keysOf('/vla').map((k) => k.name)).toEqual(['/', 'v', 'l', 'a']);
    expect(keysOf('\x7f\x7f\x7f').map((k) => k.name)).toEqual(['backspace', 'backspace', 'backspace']);
    expect(keysOf('\x1b[A').map((k) => k.name)).toEqual(['up']);
    expect(keysOf('\x1b[1;5C').map((k) => k.name)).toEqual(['ctrl+right']);
    expect(keysOf('\x1b[6~').map((k) => k.name)).toEqual(['pagedown']);
    expect(keysOf('\x1b[Z').map((k) => k.name)).toEqual(['shift+tab']);
    expect(keysOf('\x1b').map((k) => k.name)).toEqual(['esc']);
    expect(keysOf('\x03\x17\r\t ').map((k) => k.name)).toEqual(['ctrl+c', 'ctrl+w', 'enter', 'tab', 'space']);
    expect(keysOf('日本').map((k) => k.text)).toEqual(['日', '本']);
  });
});

describe('escape sequences in one read', () => {
  it('keeps each sequence whole and splits several of them', () => {
    expect(keysOf('\x1b[D\x1b[Dx\x1b[3~').map((k) => k.name)).toEqual(['left', 'left', 'x', 'delete']);
    expect(keysOf('\x1bOA\x1bb').map((k) => k.name)).toEqual(['up', 'alt+b']);
  });
});
