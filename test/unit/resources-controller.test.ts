// The resource and prune controllers against a stand-in Engine (the real engines are in
// test/integration/): what the question says for each kind, that exactly the listed rows are
// removed, refusals of built-in rows, read-only, and the prune dialog's preview → result.
import { describe, expect, it, vi } from 'vitest';
import { createStore } from '../../src/store/store.js';
import { initialState, reducer, type Action, type AppState } from '../../src/store/state.js';
import type { Engine } from '../../src/engine/engine.js';
import type { ImageRow, NetworkRow, VolumeRow } from '../../src/engine/models.js';
import type { PrunePreview } from '../../src/engine/resources/prune.js';
import { ResourcesController } from '../../src/actions/resources.js';
import { PruneController } from '../../src/actions/prune.js';

const image = (id: string, tags: string[], size: number, used: string[] = []): ImageRow => ({
  key: `docker/${id}`, engineId: 'docker', id: `sha256:${id}`, repoTags: tags, dangling: tags.length === 0, size, created: 0, containers: used.length, containerNames: used, labels: {},
});
const volume = (name: string, used: string[] = []): VolumeRow => ({ key: `docker/${name}`, engineId: 'docker', name, driver: 'local', mountpoint: '', anonymous: false, containers: used, labels: {}, scope: 'local' } as unknown as VolumeRow);
const network = (name: string, builtin = false): NetworkRow => ({ key: `docker/${name}`, engineId: 'docker', id: `${name}-id`, name, driver: 'bridge', scope: 'local', builtin, containers: [], internal: false, labels: {} });

function rig(readOnly = false) {
  const store = createStore<AppState, Action>(reducer, initialState({ readOnly }));
  store.dispatch({ type: 'engines/set', engines: [{ id: 'docker', kind: 'docker', label: 'd', endpoint: 'unix:///d', status: 'up' }] });
  const removed: string[] = [];
  const engine = {
    id: 'docker',
    listResources: vi.fn(async () => []),
    removeResource: vi.fn(async (kind: string, row: { key: string }, o: { force?: boolean }) => {
      removed.push(`${kind} ${row.key}${o.force ? ' (force)' : ''}`);
      return { removedContainers: [] };
    }),
  };
  const engines = new Map([['docker', engine as unknown as Engine]]);
  const ctl = new ResourcesController(store, engines, { store, engines, refresh: vi.fn() });
  return { store, ctl, removed, engine };
}

describe('removing resources', () => {
  it('asks with the kind\'s words and bytes, then removes exactly the marked rows', async () => {
    const r = rig();
    r.store.dispatch({ type: 'res/set', pane: 'images', engineId: 'docker', rows: [image('a', ['pytorch:24'], 9_000_000_000, ['vla-train']), image('b', ['web:1', 'web:latest'], 100_000_000), image('c', [], 5)] });
    r.store.dispatch({ type: 'mark', key: 'docker/a' });
    r.store.dispatch({ type: 'mark', key: 'docker/b' });
    r.ctl.requestRemove('images');
    const q = r.store.getState().ui.confirm!;
    expect(q.title).toBe('Remove 2 images?');
    expect(q.lines[0]).toBe('9.1 GB of images (layers shared with other images stay).');
    expect(q.lines[1]).toMatch(/In use by vla-train: force also removes/);
    expect(q.lines.slice(2)).toEqual(['  • docker/pytorch:24', '  • docker/web:1']);
    expect(q.choices.map((c) => c.key)).toEqual(['y', 'f']);
    await r.ctl.confirmed('remove');
    expect(r.removed).toEqual(['images docker/a', 'images docker/b']);
    expect(r.store.getState().ui.marks).toEqual({});
    expect(r.store.getState().ui.message).toMatchObject({ level: 'ok', text: 'removed docker/pytorch:24, docker/web:1' });
  });
  it('says a volume\'s data is lost, and removes the selected one when none is marked', async () => {
    const r = rig();
    r.store.dispatch({ type: 'res/set', pane: 'volumes', engineId: 'docker', rows: [volume('ckpt', ['trainer'])] });
    r.ctl.requestRemove('volumes');
    const q = r.store.getState().ui.confirm!;
    expect(q.title).toBe('Remove volume docker/ckpt?');
    expect(q.lines).toContain('The data in them is lost for good.');
    expect(q.choices.map((c) => c.key)).toEqual(['y']);
    await r.ctl.confirmed('remove');
    expect(r.removed).toEqual(['volumes docker/ckpt']);
  });
  it('refuses built-in networks without asking, and leaves them out of a marked set', async () => {
    const r = rig();
    r.store.dispatch({ type: 'res/set', pane: 'networks', engineId: 'docker', rows: [network('bridge', true), network('lab-net')] });
    r.ctl.requestRemove('networks');
    expect(r.store.getState().ui.confirm).toBeUndefined();
    expect(r.store.getState().ui.message?.text).toBe('bridge: built into the engine, cannot be removed');
    r.store.dispatch({ type: 'mark', key: 'docker/bridge' });
    r.store.dispatch({ type: 'mark', key: 'docker/lab-net' });
    r.ctl.requestRemove('networks');
    expect(r.store.getState().ui.confirm?.title).toBe('Remove network docker/lab-net?');
    await r.ctl.confirmed('remove');
    expect(r.removed).toEqual(['networks docker/lab-net']);
  });
  it('is refused in read-only mode with the one wording', () => {
    const r = rig(true);
    r.store.dispatch({ type: 'res/set', pane: 'volumes', engineId: 'docker', rows: [volume('ckpt')] });
    r.ctl.requestRemove('volumes');
    expect(r.store.getState().ui.confirm).toBeUndefined();
    expect(r.store.getState().ui.message?.text).toBe('read-only mode: removing is disabled (started with --read-only)');
  });
});

describe('disk use', () => {
  it('is read for the Servers pane (its RECLAIM column) as for the System pane, and not for the list', async () => {
    const r = rig();
    const diskUsage = vi.fn(async () => ({ images: { count: 1, active: 0, size: 9e9, reclaimable: 9e9 } }));
    Object.assign(r.engine, { diskUsage });
    r.ctl.start();
    expect(diskUsage).not.toHaveBeenCalled();
    r.store.dispatch({ type: 'pane', pane: 'servers' });
    await vi.waitFor(() => expect(r.store.getState().resources.df.docker).toMatchObject({ images: { reclaimable: 9e9 } }));
    expect(diskUsage).toHaveBeenCalledTimes(1);
    r.ctl.stop();
  });
});

describe('the prune controller', () => {
  const preview: PrunePreview = {
    engineId: 'docker', kind: 'docker', choice: ['stoppedContainers'], bytes: 2_000_000, refused: [], at: 0,
    items: [{ key: 'docker/container/x', kind: 'container', category: 'stoppedContainers', id: 'x', name: 'old-run', bytes: 2_000_000, bytesKnown: true }],
  };
  it('previews on the chosen engines, then removes exactly the preview and says what it freed', async () => {
    const store = createStore<AppState, Action>(reducer, initialState());
    store.dispatch({ type: 'engines/set', engines: [{ id: 'docker', kind: 'docker', label: 'd', endpoint: 'unix:///d', status: 'up' }] });
    const engine = { previewPrune: vi.fn(async () => preview), executePrune: vi.fn(async (p: PrunePreview) => ({ removed: p.items, bytes: p.bytes, refused: [], gone: [] })) };
    const refresh = vi.fn();
    const ctl = new PruneController(store, new Map([['docker', engine as unknown as Engine]]), refresh);
    ctl.openPrune();
    expect(store.getState().ui.prune).toMatchObject({ stage: 'choose', engines: ['docker'], choice: ['stoppedContainers', 'danglingImages'] });
    await ctl.preview();
    expect(engine.previewPrune).toHaveBeenCalledWith(['stoppedContainers', 'danglingImages']);
    expect(store.getState().ui.prune?.stage).toBe('preview');
    await ctl.execute();
    expect(engine.executePrune).toHaveBeenCalledWith(preview);
    const p = store.getState().ui.prune!;
    expect(p.stage).toBe('result');
    expect(p.result[0]).toBe('Reclaimed 2.0 MB in all.');
    expect(p.result).toContain('  removed container old-run  2.0 MB');
    expect(refresh).toHaveBeenCalled();
  });
  it('asks for a choice before previewing', async () => {
    const store = createStore<AppState, Action>(reducer, initialState());
    const ctl = new PruneController(store, new Map(), vi.fn());
    store.dispatch({ type: 'prune', prune: { stage: 'choose', choice: [], engines: ['docker'], cursor: 0, previews: [], scroll: 0, result: [] } });
    await ctl.preview();
    expect(store.getState().ui.prune?.error).toBe('choose at least one kind of thing to prune (space)');
  });
});
