// x, the action menu: the actions of the pane on screen for its selected row, with their keys,
// read from the binding table (help says the same); Enter or an action's key runs it, Esc closes;
// read-only and the container's state leave out what cannot apply.
import React from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Controller } from '../../src/ui/App.js';
import { renderApp } from '../helpers/inkApp.js';
import { createStore } from '../../src/store/store.js';
import { initialState, reducer, type Action, type AppState } from '../../src/store/state.js';
import type { Container } from '../../src/engine/models.js';
import { menuItems } from '../../src/ui/modes/menu.js';
import { helpLines } from '../../src/ui/keys/resolve.js';

function ctr(name: string, state: Container['state']): Container {
  return { key: `docker/${name}`, engineId: 'docker', id: name, name, image: 'busybox', state, status: '', created: 0, ports: [], command: 'sleep 1', labels: {} };
}

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function setup(readOnly = false, size = { cols: 100, rows: 30 }) {
  const store = createStore<AppState, Action>(reducer, initialState({ readOnly }));
  store.dispatch({ type: 'engines/set', engines: [{ id: 'docker', kind: 'docker', label: 'd', endpoint: 'unix:///d', status: 'up' }] });
  store.dispatch({ type: 'containers/set', engineId: 'docker', containers: [ctr('alice-llama', 'running'), ctr('bob-done', 'exited')] });
  const controller: Controller = { containerKey: vi.fn(), confirmed: vi.fn(), quit: vi.fn(), exec: vi.fn() };
  const r = renderApp(store, controller, size, 5);
  cleanup = r.unmount;
  const press = r.press;
  return { ...r, store, controller, press };
}

describe('the action menu (x)', () => {
  it("lists the selected running container's actions with their keys, as help words them", async () => {
    const { lastFrame, press } = setup();
    await press('x');
    const f = lastFrame()!;
    expect(f).toContain('Actions: docker/alice-llama');
    for (const [key, words] of [['s', 'stop (asks first'], ['r', 'restart'], ['E', 'a shell inside'], ['K', 'kill'], ['d', 'remove'], ['[ ]', 'panel tab']] as const) {
      expect(f).toMatch(new RegExp(`${key.replace(/[[\]]/g, '\\$&')}\\s+${words.replace(/[()]/g, '\\$&')}`));
      // The same words as ? help.
      expect(helpLines().some((l) => l.text.includes(words))).toBe(true);
    }
    // A running container cannot be started.
    expect(f).not.toMatch(/\bS\s+start/);
  });

  it('at 80 columns, the selected action whose help its row cuts short is shown whole under the items', async () => {
    const { lastFrame, press, store } = setup(false, { cols: 80, rows: 24 });
    await press('x');
    const items = menuItems(store.getState());
    const stop = items.findIndex((i) => i.binding.arg === 'stop');
    await press(...Array<string>(stop).fill('j'));
    const rows = lastFrame()!.split('\n').map((l) => l.replace(/^[\s│]+|[\s│]+$/g, ''));
    // Its row is cut…
    expect(rows.some((r) => /^s\s+stop \(asks first.*…$/.test(r))).toBe(true);
    // …and its whole help is under the items.
    const help = items[stop]!.help;
    const at = rows.findIndex((r) => help.startsWith(r) && r.length > 10);
    expect(at).toBeGreaterThan(0);
    expect(rows.slice(at, at + 3).join(' ')).toContain(help);
    expect(lastFrame()!.split('\n')).toHaveLength(23);
  });

  it('runs the action under the cursor with Enter, or by its own key; Esc closes without acting', async () => {
    const { store, controller, press } = setup();
    await press('x');
    const items = menuItems(store.getState());
    const stop = items.findIndex((i) => i.binding.arg === 'stop');
    await press(...Array<string>(stop).fill('j'), '\r');
    expect(store.getState().ui.menu).toBeUndefined();
    expect(controller.containerKey).toHaveBeenLastCalledWith(expect.objectContaining({ name: 'alice-llama' }), 'stop');
    await press('x', 'r');
    expect(controller.containerKey).toHaveBeenLastCalledWith(expect.objectContaining({ name: 'alice-llama' }), 'restart');
    await press('x', 'E');
    expect(controller.exec).toHaveBeenCalledTimes(1);
    await press('x', '\x1b');
    await new Promise((res) => setTimeout(res, 60));
    expect(store.getState().ui.menu).toBeUndefined();
    expect(controller.containerKey).toHaveBeenCalledTimes(2);
  });

  it('offers start, not stop, for a stopped container', async () => {
    const { lastFrame, press } = setup();
    await press('j', 'x');
    const f = lastFrame()!;
    expect(f).toContain('Actions: docker/bob-done');
    expect(f).toMatch(/\bS\s+start/);
    expect(f).not.toMatch(/\bs\s+stop/);
    expect(f).not.toMatch(/\bE\s+a shell/);
  });

  it('leaves out what changes something in read-only mode, as the hints do', async () => {
    const { lastFrame, press, store } = setup(true);
    await press('x');
    const f = lastFrame()!;
    expect(f).not.toMatch(/\bs\s+stop/);
    expect(f).not.toMatch(/\bd\s+remove/);
    expect(f).toMatch(/\be\s+show \/ hide stopped/);
    expect(menuItems(store.getState()).every((i) => !i.binding.changes)).toBe(true);
  });

  it("follows the pane: an image's actions in Images", async () => {
    const { lastFrame, press } = setup();
    await press('2', 'x');
    const f = lastFrame()!;
    expect(f).toMatch(/\bP\s+pull an image/);
    expect(f).toMatch(/\bo\s+sort images/);
    expect(f).not.toMatch(/\bs\s+stop/);
  });
});
