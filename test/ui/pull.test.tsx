// The pull dialog rendered by ink-testing-library with the real PullController over a store: the
// engine, the reference with Tab completion, then bars per layer and the totals from the engines'
// recorded streams (test/fixtures/pull/*.jsonl, fed line by line through the real PullTracker),
// Esc cancelling, a failure kept in the dialog, the result in the status line with the new image
// selected. The engine is a stand-in that replays a fixture; pulls from real registries on both
// engines are in test/integration/pull.test.ts and end to end in test/e2e/run-ui.test.ts.
import React from 'react';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App, type Controller } from '../../src/ui/App.js';
import { createStore } from '../../src/store/store.js';
import { initialState, reducer, type Action, type AppState } from '../../src/store/state.js';
import { PullController } from '../../src/actions/pull.js';
import { CANCELLED_WORDS, type PullOutcome, type PullTask } from '../../src/engine/pull.js';
import { PullTracker, type PullEvent, type RawPullLine } from '../../src/engine/pullProgress.js';
import type { Engine } from '../../src/engine/engine.js';
import type { ImageRow } from '../../src/engine/models.js';
import { layersThatFit } from '../../src/ui/modes/pull.js';
import { ROOT } from '../helpers/pty.js';

const fixture = (name: string): RawPullLine[] =>
  readFileSync(join(ROOT, 'test', 'fixtures', 'pull', name), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as RawPullLine);

function img(engineId: string, tag: string, id: string): ImageRow {
  return { key: `${engineId}/${id}`, engineId, id, repoTags: [tag], dangling: false, size: 8_000_000, created: 0, containers: 0, containerNames: [], labels: {} };
}

/** An engine whose pull replays a recorded stream, a line at a time, as the test says. */
function replaying(id: 'docker' | 'podman', lines: RawPullLine[]) {
  let clock = 0;
  const tracker = new PullTracker(id === 'docker', () => clock);
  let onEvent: ((e: PullEvent) => void) | undefined;
  let finish!: (o: PullOutcome) => void;
  let at = 0;
  let ref = '';
  const task: PullTask = {
    get ref() {
      return ref;
    },
    cancel: vi.fn(() => finish({ status: 'cancelled', ref, message: `pull of ${ref} cancelled: ${CANCELLED_WORDS}.` })),
    done: new Promise<PullOutcome>((r) => (finish = r)),
    layers: () => tracker.snapshot(),
    totals: () => tracker.totals(),
  };
  const engine = {
    id,
    kind: id,
    pull: vi.fn((r: string, o: { onEvent?: (e: PullEvent) => void }) => {
      ref = r;
      onEvent = o.onEvent;
      return task;
    }),
  };
  return {
    engine: engine as unknown as Engine,
    task,
    /** The next `n` lines of the stream, a second apart. */
    feed(n: number) {
      for (const raw of lines.slice(at, at + n)) {
        clock += 1000;
        for (const e of tracker.feed(raw).events) onEvent?.(e);
      }
      at += n;
    },
    finish: (o: PullOutcome) => finish(o),
  };
}

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());
const tick = async () => {
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 5));
};

function setup(engines: ReturnType<typeof replaying>[], opts: { readOnly?: boolean; cols?: number } = {}) {
  const store = createStore<AppState, Action>(reducer, initialState({ readOnly: opts.readOnly }));
  store.dispatch({ type: 'engines/set', engines: engines.map((e) => ({ id: e.engine.id, kind: e.engine.kind, label: `/run/${e.engine.id}.sock`, endpoint: 'unix:///x', status: 'up' as const })) });
  store.dispatch({ type: 'res/set', pane: 'images', engineId: 'docker', rows: [img('docker', 'registry.test:5000/gantry/layers:0', 'sha256:' + 'a'.repeat(64)), img('docker', 'busybox:latest', 'sha256:' + 'b'.repeat(64))] });
  const loadImages = vi.fn(async () => undefined);
  const pull = new PullController(store, new Map(engines.map((e) => [e.engine.id, e.engine])), { insecureRegistries: [], authEnv: { env: {}, home: '/nonexistent' }, loadImages, frameMs: 1 });
  const controller: Controller = { containerKey: vi.fn(), confirmed: vi.fn(), quit: vi.fn(), pull };
  const r = render(<App store={store} controller={controller} color={false} size={{ cols: opts.cols ?? 160, rows: 30 }} />);
  cleanup = r.unmount;
  const press = async (...keys: string[]) => {
    for (const k of keys) {
      r.stdin.write(k);
      await tick();
    }
  };
  return { ...r, store, press, frame: () => r.lastFrame()!, loadImages, pull };
}

const line = (frame: string, id: string) => frame.split('\n').find((l) => l.includes(id)) ?? '';
const ENTER = '\r';
const ESC = '\x1b';

describe('the pull dialog', () => {
  it('P: the engine, the reference with Tab completion, a bar per layer and the totals, then the result and the new image selected', async () => {
    const d = replaying('docker', fixture('docker-layers.jsonl'));
    const p = replaying('podman', []);
    const s = setup([d, p]);
    await s.press('2', 'P');
    expect(s.frame()).toContain('With which engine?');
    expect(s.frame()).toMatch(/docker {2}\/run\/docker\.sock/);
    await s.press(ENTER);
    expect(s.frame()).toContain('Image: █');
    await s.press('reg', '\t');
    expect(s.frame()).toContain('Image: registry.test:5000/gantry/layers:0█');
    await s.press('\x7f', '1', ENTER);
    expect(d.engine.pull).toHaveBeenCalledWith('registry.test:5000/gantry/layers:1', expect.objectContaining({ insecureRegistries: [] }));
    expect(s.frame()).toContain('Pull registry.test:5000/gantry/layers:1 on docker');

    // Up to the second layer's download at 2.8 of 5.0 MB.
    d.feed(9);
    await vi.waitFor(() => expect(line(s.frame(), '07684ba95040')).toContain('Downloading'));
    const f = s.frame();
    expect(f).toContain('Pulling from gantry/layers');
    expect(line(f, 'e34676be0f25')).toMatch(/Already exists\s+█{40}$/);
    expect(line(f, '29201cbb5f93')).toMatch(/Extracting\s+░{40}\s+33 kB \/ 3\.0 MB$/);
    expect(line(f, '07684ba95040')).toMatch(/Downloading\s+█{23}░{17}\s+2\.8 MB \/ 5\.0 MB$/);
    expect(line(f, 'total')).toMatch(/total\s+█{29}░{11}\s+5\.8 MB \/ 8\.0 MB {2}1\/3 layers {2}\d+(\.\d)? kB\/s {2}\d+ s$/);
    expect(f).toContain("Esc cancels: what was half-pulled is the engine's to clean up");

    d.feed(20);
    await vi.waitFor(() => expect(line(s.frame(), 'total')).toContain('3/3 layers'));
    expect(line(s.frame(), '07684ba95040')).toMatch(/Pull complete\s+█{40}\s+5\.0 MB$/);
    const id = `sha256:${'6'.repeat(64)}`;
    d.finish({ status: 'done', ref: 'registry.test:5000/gantry/layers:1', imageId: id, endpoint: 'compat', totals: d.task.totals() });
    await vi.waitFor(() => expect(s.store.getState().ui.pull).toBeUndefined());
    expect(s.store.getState().ui.message).toMatchObject({ level: 'ok', text: expect.stringMatching(/^pulled registry\.test:5000\/gantry\/layers:1 on docker \(666666666666\): 8\.0 MB in [\d.]+ s$/) });
    expect(s.loadImages).toHaveBeenCalled();
    // The Images pane's next load has it: it is selected.
    s.store.dispatch({ type: 'res/set', pane: 'images', engineId: 'docker', rows: [...s.store.getState().resources.images.docker!, img('docker', 'registry.test:5000/gantry/layers:1', id)] });
    await tick();
    expect(s.store.getState().ui.pane).toBe('images');
    expect(s.store.getState().ui.cursors.images.key).toBe(`docker/${id}`);
  });

  it("Podman's libpod stream: no bytes, so each layer says it is being copied and the totals count layers", async () => {
    const p = replaying('podman', fixture('podman-libpod-layers.jsonl'));
    const s = setup([p]);
    await s.press(':pull registry.test:5000/gantry/layers:1', ENTER);
    // One engine: no question, the pull starts at once.
    expect(p.engine.pull).toHaveBeenCalled();
    p.feed(4);
    await vi.waitFor(() => expect(line(s.frame(), '07684ba95040')).toContain('Copying'));
    expect(line(s.frame(), 'e34676be0f25')).toMatch(/Copying\s+·{40}$/);
    expect(line(s.frame(), 'total')).toMatch(/total\s+0\/2 layers {2}\d+ s$/);
    p.feed(3);
    await vi.waitFor(() => expect(line(s.frame(), 'total')).toContain('3/3 layers'));
    expect(line(s.frame(), '29201cbb5f93')).toMatch(/Copied\s+█{40}$/);
  });

  it('Esc cancels the pull under way, saying the engine cleans up what was half-pulled', async () => {
    const d = replaying('docker', fixture('docker-layers.jsonl'));
    const s = setup([d]);
    await s.press('2', 'P', 'registry.test:5000/gantry/layers:1', ENTER);
    d.feed(6);
    await vi.waitFor(() => expect(s.frame()).toContain('29201cbb5f93'));
    await s.press(ESC);
    expect(d.task.cancel).toHaveBeenCalled();
    await vi.waitFor(() => expect(s.store.getState().ui.pull).toBeUndefined());
    expect(s.frame()).toContain('pull of registry.test:5000/gantry/layers:1 cancelled: what was half-pulled is the engine’s to clean up');
  });

  it('a failure stays in the dialog with the reference to correct; a bad reference is said before any pull', async () => {
    const d = replaying('docker', fixture('docker-layers.jsonl'));
    const s = setup([d]);
    await s.press('2', 'P', 'Bad/Name', ENTER);
    expect(d.engine.pull).not.toHaveBeenCalled();
    expect(s.frame()).toContain('"Bad/Name": repository names must be lowercase ("Bad")');
    expect(s.frame()).toContain('Image: Bad/Name█');
    await s.press('\x15', 'registry.test:5000/gantry/layers:nope', ENTER);
    d.finish({ status: 'failed', ref: 'registry.test:5000/gantry/layers:nope', problem: 'not-found', message: 'registry.test:5000/gantry/layers:nope: no such image or tag "nope" on registry.test:5000 (manifest unknown). Check the name and the tag.' });
    await vi.waitFor(() => expect(s.frame()).toContain('no such image or tag "nope"'));
    expect(s.frame()).toContain('Image: registry.test:5000/gantry/layers:nope█');
    expect(s.store.getState().ui.message?.level).toBe('error');
    await s.press(ESC);
    expect(s.store.getState().ui.pull).toBeUndefined();
  });

  it('read-only refuses P and :pull in the one wording', async () => {
    const s = setup([replaying('docker', [])], { readOnly: true });
    await s.press('2', 'P');
    expect(s.frame()).toContain('read-only mode: pull is disabled (started with --read-only)');
    await s.press(':pull busybox', ENTER);
    expect(s.frame()).toContain('read-only mode: pull is disabled (started with --read-only)');
    expect(s.store.getState().ui.pull).toBeUndefined();
  });

  it('keeps the layers still coming in view when there are more than fit', () => {
    const l = (id: string, phase: 'done' | 'downloading') => ({ id, phase, status: phase });
    const layers = [l('a', 'done'), l('b', 'done'), l('c', 'downloading'), l('d', 'done'), l('e', 'downloading')];
    expect(layersThatFit(layers, 3)).toEqual({ shown: [l('c', 'downloading'), l('e', 'downloading')], hidden: 3 });
    expect(layersThatFit(layers, 4).shown.map((x) => x.id)).toEqual(['c', 'd', 'e']);
    expect(layersThatFit(layers, 5).hidden).toBe(0);
  });
});
