import { describe, expect, it } from 'vitest';
import { KEY_HELP, resolveKey } from '../../src/ui/keymap.js';

describe('keymap', () => {
  it('maps the container keys of lazydocker', () => {
    const k = (input: string) => resolveKey(input, {}, 'containers');
    expect(k('s')).toEqual({ kind: 'container', action: 'stop' });
    expect(k('S')).toEqual({ kind: 'container', action: 'start' });
    expect(k('r')).toEqual({ kind: 'container', action: 'restart' });
    expect(k('p')).toEqual({ kind: 'container', action: 'pause-toggle' });
    expect(k('K')).toEqual({ kind: 'container', action: 'kill' });
    expect(k('d')).toEqual({ kind: 'container', action: 'remove' });
    expect(k('e')).toEqual({ kind: 'toggle-stopped' });
  });
  it('ignores input that only names an object property', () => {
    for (const k of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) expect(resolveKey(k, {}, 'containers')).toEqual({ kind: 'none' });
  });
  it('does not act on containers from other panes', () => {
    expect(resolveKey('s', {}, 'images')).toEqual({ kind: 'none' });
    expect(resolveKey('d', {}, 'gpus')).toEqual({ kind: 'none' });
  });
  it('moves and switches panes', () => {
    expect(resolveKey('j', {}, 'containers')).toEqual({ kind: 'move', delta: 1 });
    expect(resolveKey('', { upArrow: true }, 'containers')).toEqual({ kind: 'move', delta: -1 });
    expect(resolveKey('G', {}, 'containers')).toEqual({ kind: 'move-to', to: 'bottom' });
    expect(resolveKey('5', {}, 'containers')).toEqual({ kind: 'pane', pane: 'gpus' });
    expect(resolveKey('', { tab: true, shift: true }, 'containers')).toEqual({ kind: 'pane-next', delta: -1 });
    expect(resolveKey('c', { ctrl: true }, 'containers')).toEqual({ kind: 'quit' });
    expect(resolveKey('q', {}, 'containers')).toEqual({ kind: 'quit' });
  });
  it('documents every single-letter container key in the help', () => {
    const helpKeys = KEY_HELP.filter((h) => h.section === 'Containers').flatMap((h) => h.keys.split(/,\s*/));
    for (const key of ['s', 'S', 'r', 'p', 'K', 'd', 'e']) {
      expect(helpKeys).toContain(key);
      expect(resolveKey(key, {}, 'containers').kind).not.toBe('none');
    }
  });
});
