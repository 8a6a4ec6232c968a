// Key paths through the dispatcher without Ink: each key goes to the mode on top, through the
// binding table, to its command — the prune dialog, the `:` line, marks, sort, filters and prompts.
import { describe, expect, it, vi } from 'vitest';
import { createStore, type Store } from '../../src/store/store.js';
import { initialState, reducer, type Action, type AppState } from '../../src/store/state.js';
import { selectedContainer, visibleContainers } from '../../src/store/select.js';
import type { Container, ImageRow } from '../../src/engine/models.js';
import { dispatchKey } from '../../src/ui/modes/index.js';
import { keysOf } from '../../src/ui/keys/parse.js';
import type { Controller } from '../../src/ui/controller.js';
import { pruneLines } from '../../src/ui/modes/prune.js';
import { ticked } from '../../src/actions/prune.js';
import { item, preview } from '../helpers/prune.js';

function c(name: string, state: Container['state'] = 'running'): Container {
  return { key: `docker/${name}-id`, engineId: 'docker', id: `${name}-id`, name, image: 'busybox', state, status: '', created: 0, ports: [], command: '', labels: {} };
}

function img(name: string, size: number, created: number): ImageRow {
  return { key: `docker/${name}`, engineId: 'docker', id: `sha256:${name}`, repoTags: [`${name}:latest`], dangling: false, size, created, containers: 0, containerNames: [], labels: {} };
}

function rig(opts: { readOnly?: boolean } = {}) {
  const store: Store<AppState, Action> = createStore(reducer, initialState({ readOnly: opts.readOnly }));
  store.dispatch({ type: 'engines/set', engines: [{ id: 'docker', kind: 'docker', label: 'd', endpoint: 'unix:///d', status: 'up' }] });
  store.dispatch({ type: 'containers/set', engineId: 'docker', containers: [c('alice-llama'), c('bob-train'), c('carol-web', 'exited')] });
  const controller = {
    containerKey: vi.fn(),
    confirmed: vi.fn(),
    quit: vi.fn(),
    exec: vi.fn(),
    execOutput: vi.fn(),
    resources: { remove: vi.fn(), removeMarkedContainers: vi.fn(() => false), openPrune: vi.fn(), bulk: vi.fn(), previewPrune: vi.fn(), executePrune: vi.fn() },
  } satisfies Controller;
  let previous = '';
  const type = (...events: string[]) => {
    for (const ev of events)
      for (const key of keysOf(ev)) {
        store.batch(() => dispatchKey({ store, controller, sizes: { cols: 100, listRows: 10, panelRows: 10, panelWidth: 80 }, key, previous }));
        previous = key.name;
      }
  };
  return { store, controller, type, state: () => store.getState() };
}

describe('the : command line', () => {
  it('runs exec with its arguments, prune and quit, and names an unknown command', () => {
    const r = rig();
    r.type(':exec df -h /ckpt\r');
    expect(r.controller.execOutput).toHaveBeenCalledWith(['df', '-h', '/ckpt']);
    expect(r.controller.exec).not.toHaveBeenCalled();
    r.type(':exec -it top -d 1\r');
    expect(r.controller.exec).toHaveBeenCalledWith(['top', '-d', '1']);
    r.type(`:exec sh -c 'nvidia-smi | head -3' "a b"\r`);
    expect(r.controller.execOutput).toHaveBeenLastCalledWith(['sh', '-c', 'nvidia-smi | head -3', 'a b']);
    r.type(`:exec sh -c 'oops\r`);
    expect(r.state().ui.message).toMatchObject({ level: 'error', text: expect.stringContaining('an unclosed single quote') });
    expect(r.state().ui.prompt).toBeUndefined();
    r.type(':prune\r');
    expect(r.controller.resources.openPrune).toHaveBeenCalled();
    r.type(':bogus\r');
    expect(r.state().ui.message).toMatchObject({ level: 'error', text: expect.stringContaining('unknown command :bogus') });
    r.type(':q\r');
    expect(r.controller.quit).toHaveBeenCalled();
  });
  it('edits like a shell line: Backspaces in one read, cursor moves, Ctrl-W, Esc cancels', () => {
    const r = rig();
    r.type(':exec lsx', '\x7f', '\x1b[D\x1b[D', 'X', '\x05', ' -l');
    expect(r.state().ui.prompt).toMatchObject({ kind: 'command', text: 'exec Xls -l' });
    r.type('\x17\x17');
    expect(r.state().ui.prompt?.text).toBe('exec ');
    r.type('\x1b');
    expect(r.state().ui.prompt).toBeUndefined();
    expect(r.controller.exec).not.toHaveBeenCalled();
    expect(r.controller.execOutput).not.toHaveBeenCalled();
  });
});

describe('the list filter', () => {
  it('applies as typed, takes a run of Backspaces in one read, and Esc after Enter keeps the selected container', () => {
    const r = rig();
    r.type('/llamaxyz');
    expect(visibleContainers(r.state())).toHaveLength(0);
    r.type('\x7f\x7f\x7f');
    expect(r.state().ui.filters.containers).toBe('llama');
    expect(visibleContainers(r.state()).map((x) => x.name)).toEqual(['alice-llama']);
    r.type('\r');
    expect(r.state().ui.prompt).toBeUndefined();
    // alice-llama is not the first row of the whole list: clearing must not move the selection.
    r.store.dispatch({ type: 'containers/set', engineId: 'docker', containers: [c('aaron-other'), c('alice-llama'), c('bob-train')] });
    r.type('\x1b');
    expect(r.state().ui.filters.containers).toBe('');
    expect(selectedContainer(r.state())?.name).toBe('alice-llama');
  });
  it('is its own per pane', () => {
    const r = rig();
    r.type('2', '/web\r');
    expect(r.state().ui.filters.images).toBe('web');
    expect(r.state().ui.filters.containers).toBe('');
  });
});

describe('marks and sort', () => {
  it('space marks the row, moves down and says how many are marked', () => {
    const r = rig();
    r.type(' ');
    expect(Object.keys(r.state().ui.marks)).toEqual(['docker/alice-llama-id']);
    expect(selectedContainer(r.state())?.name).toBe('bob-train');
    expect(r.state().ui.message?.text).toMatch(/^1 marked/);
    r.type(' ');
    expect(r.state().ui.message?.text).toMatch(/^2 marked/);
    r.type('k ');
    expect(Object.keys(r.state().ui.marks)).toEqual(['docker/alice-llama-id']);
  });
  it('o sorts images by size, age, name and says which', () => {
    const r = rig();
    r.store.dispatch({ type: 'res/set', pane: 'images', engineId: 'docker', rows: [img('big', 900, 1), img('new', 10, 99), img('aaa', 50, 5)] });
    r.type('2');
    r.type('o');
    expect(r.state().ui.imageSort).toBe('age');
    expect(r.state().ui.message?.text).toBe('images sorted by age');
    r.type('o');
    expect(r.state().ui.imageSort).toBe('name');
  });
});

describe('the prune dialog', () => {
  it('is opened by D and :prune, moves and toggles, previews on Enter, removes on y, and is refused read-only', () => {
    const r = rig();
    r.type('D');
    expect(r.controller.resources.openPrune).toHaveBeenCalledTimes(1);
    r.store.dispatch({ type: 'prune', prune: { stage: 'choose', choice: ['stoppedContainers'], engines: ['docker'], cursor: 0, previews: [], scroll: 0, result: [] } });
    r.type('j', ' ');
    expect(r.state().ui.prune).toMatchObject({ cursor: 1, choice: ['stoppedContainers', 'danglingImages'] });
    r.type('\r');
    expect(r.controller.resources.previewPrune).toHaveBeenCalled();
    r.store.dispatch({ type: 'prune', prune: { ...r.state().ui.prune!, stage: 'preview' } });
    r.type('y');
    expect(r.controller.resources.executePrune).toHaveBeenCalled();
    r.type('\x1b');
    expect(r.state().ui.prune).toBeUndefined();
    const ro = rig({ readOnly: true });
    ro.type('D');
    expect(ro.controller.resources.openPrune).not.toHaveBeenCalled();
    expect(ro.state().ui.message?.text).toBe('read-only mode: prune is disabled (started with --read-only)');
  });
});

describe('the prune preview', () => {
  it('ticks and unticks items with space, moves with j/k/g/G, the totals follow, and y removes only the ticked', () => {
    const r = rig();
    const stopped = [item('container', 'walk-a', 1000), item('container', 'walk-b', 2000), item('container', 'walk-c', 4000)];
    const pv = preview(stopped);
    r.store.dispatch({ type: 'prune', prune: { stage: 'preview', choice: ['stoppedContainers'], engines: ['docker'], cursor: 0, previews: [pv], scroll: 0, result: [], item: 0, off: {}, scope: { list: 'containers', text: 'walk' }, filteredOut: 31 } });
    const lines = () => pruneLines(r.state(), r.state().ui.prune!).map((l) => l.text);
    expect(lines()[0]).toBe('Will remove 3 of 3 items, freeing 7.0 kB in all (space unticks):');
    expect(lines()[1]).toBe('Only items matching "walk" (the Containers filter); 31 other items left out.');
    // space unticks walk-a and moves down; G goes to the last, space unticks walk-c.
    r.type(' ');
    expect(r.state().ui.prune!.item).toBe(1);
    r.type('G', ' ');
    expect(r.state().ui.prune!.off).toEqual({ [stopped[0]!.key]: true, [stopped[2]!.key]: true });
    expect(lines()[0]).toBe('Will remove 1 of 3 items, freeing 2.0 kB in all (space unticks):');
    expect(lines().find((l) => l.includes('walk-a'))).toMatch(/^ {2}\[ \] container/);
    expect(lines().find((l) => l.includes('walk-b'))).toMatch(/^ {2}\[x\] container/);
    expect(ticked(r.state().ui.prune!)[0]!.items.map((i) => i.id)).toEqual(['walk-b']);
    // g back to the first; space ticks it again; a unticks all, a again ticks all.
    r.type('g', ' ');
    expect(ticked(r.state().ui.prune!)[0]!.items.map((i) => i.id)).toEqual(['walk-a', 'walk-b']);
    r.type('a');
    expect(ticked(r.state().ui.prune!)[0]!.items).toEqual([]);
    expect(lines()[0]).toBe('Will remove 0 of 3 items, freeing 0 B in all (space unticks):');
    r.type('a');
    expect(ticked(r.state().ui.prune!)[0]!.items).toHaveLength(3);
    r.type('y');
    expect(r.controller.resources.executePrune).toHaveBeenCalled();
  });
});

describe('a question', () => {
  it('takes only its own choices; Esc cancels', () => {
    const r = rig();
    r.store.dispatch({ type: 'confirm', confirm: { title: 'Remove docker/carol-web?', lines: [], target: 'docker/carol-web-id', choices: [{ key: 'y', label: 'remove', command: 'remove' }] } });
    r.type('s', 'd');
    expect(r.controller.confirmed).not.toHaveBeenCalled();
    expect(r.controller.containerKey).not.toHaveBeenCalled();
    r.type('y');
    expect(r.controller.confirmed).toHaveBeenCalledWith('docker/carol-web-id', 'remove');
    expect(r.state().ui.confirm).toBeUndefined();
  });
});
