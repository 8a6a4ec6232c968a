// The screen, rendered from a store by ink-testing-library; keys go in through stdin.
import React from 'react';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { press, tick } from '../helpers/ink.js';
import { App, type Controller } from '../../src/ui/App.js';
import { createStore } from '../../src/store/store.js';
import { initialState, reducer, type AppState, type Action } from '../../src/store/state.js';
import type { Container } from '../../src/engine/models.js';
import { requestContainerAction, runContainerCommand, type ActionContext } from '../../src/actions/containers.js';

const NOW = Date.now();

function c(engineId: string, name: string, state: Container['state'], extra: Partial<Container> = {}): Container {
  return {
    key: `${engineId}/${name}-id`,
    engineId,
    id: `${name}-id`,
    name,
    image: `${name}-image:latest`,
    state,
    status: '',
    created: Math.floor(NOW / 1000) - 3600,
    since: NOW - 3 * 3600_000,
    ports: [],
    command: 'sleep 1000',
    labels: {},
    ...extra,
  };
}

function makeStore(readOnly = false, gpu = false) {
  const store = createStore<AppState, Action>(reducer, initialState({ readOnly, gpu }));
  store.dispatch({
    type: 'engines/set',
    engines: [
      { id: 'docker', kind: 'docker', label: '/var/run/docker.sock', endpoint: 'unix:///var/run/docker.sock', status: 'up' },
      { id: 'podman', kind: 'podman', label: 'rootless', endpoint: 'unix:///run/user/1000/podman/podman.sock', status: 'up' },
    ],
  });
  store.dispatch({
    type: 'containers/set',
    engineId: 'docker',
    containers: [c('docker', 'vla-train', 'running'), c('docker', 'web', 'exited', { exitCode: 1, since: NOW - 300_000 })],
  });
  store.dispatch({ type: 'containers/set', engineId: 'podman', containers: [c('podman', 'ppo-train', 'running')] });
  return store;
}



let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function setup(opts: { readOnly?: boolean; size?: { cols: number; rows: number }; controller?: Partial<Controller> } = {}) {
  const store = makeStore(opts.readOnly);
  const controller: Controller = {
    containerKey: vi.fn(),
    confirmed: vi.fn(),
    quit: vi.fn(),
    ...opts.controller,
  };
  const r = render(<App store={store} controller={controller} color={false} size={opts.size ?? { cols: 100, rows: 30 }} />);
  cleanup = r.unmount;
  return { ...r, store, controller };
}

describe('App', () => {
  it('shows the engines, the tabs and containers of both engines with their state in words', async () => {
    const { lastFrame } = setup();
    await tick();
    const f = lastFrame()!;
    expect(f).toMatch(/gantry\s+docker ● \/var\/run\/docker\.sock\s+podman ● rootless/);
    expect(f).toContain('[1] Containers 3/3');
    expect(f).toContain('[6] System');
    expect(f).toMatch(/docker\s+vla-train\s+vla-train-image:lat\S*\s+up 3h/);
    expect(f).toMatch(/podman\s+ppo-train/);
    expect(f).toMatch(/docker\s+web\s+.*exited \(1\) 5m ago/);
    expect(f).toContain('s stop');
  });

  it('fits the frame one row short of the terminal, at 80×24', async () => {
    const { lastFrame } = setup({ size: { cols: 80, rows: 24 } });
    await tick();
    const lines = lastFrame()!.split('\n');
    expect(lines.length).toBe(23);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
  });

  it("shows a message's words whole on up to three rows at 80×24 (an error's fix, a saved file's path), the list a row shorter for each; one that fits keeps one row", async () => {
    const { lastFrame, store } = setup({ size: { cols: 80, rows: 24 } });
    await tick();
    const fix =
      'cannot stop web: engine: permission denied. Add your user to the docker group (`sudo usermod -aG docker $USER`, then log in again), or use rootless Podman (`systemctl --user enable --now podman.socket`).';
    store.dispatch({ type: 'message', text: fix, level: 'error' });
    await tick();
    let lines = lastFrame()!.split('\n');
    expect(lines).toHaveLength(23);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
    const at = lines.findIndex((l) => l.startsWith(' cannot stop web'));
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at, at + 3).map((l) => l.trim()).join(' ')).toBe(fix);
    // The key hints are still the last row, under the message.
    expect(lines[at + 3]).toContain('s stop');
    // A saved file's path, at the end of an ok message, is shown whole on its own row.
    const path = '/root/.local/state/gantry/logs/docker-train-llama-20261203-160955.log';
    store.dispatch({ type: 'message', text: `saved 201 lines to ${path}`, level: 'ok' });
    await tick();
    lines = lastFrame()!.split('\n');
    expect(lines).toHaveLength(23);
    expect(lines).toContain(' saved 201 lines to');
    expect(lines).toContain(` ${path}`);
    // A message that fits keeps one row: the status line is the row above the hints again.
    store.dispatch({ type: 'message', text: 'stopped docker/web', level: 'ok' });
    await tick();
    lines = lastFrame()!.split('\n');
    expect(lines.filter((l) => l.includes('stopped docker/web'))).toHaveLength(1);
    expect(lines[lines.length - 2]).toBe(' stopped docker/web'.padEnd(lines[lines.length - 2]!.length));
  });

  it('says when the terminal is too small instead of drawing', async () => {
    const { lastFrame } = setup({ size: { cols: 60, rows: 15 } });
    await tick();
    expect(lastFrame()).toContain('Terminal too small: 60×15. gantry needs at least 80×24');
    expect(lastFrame()).not.toContain('vla-train');
  });

  it('breaks the too-small message at spaces: no line starts with one, none is wider than the terminal', async () => {
    const { lastFrame } = setup({ size: { cols: 30, rows: 8 } });
    await tick();
    const lines = lastFrame()!.split('\n').filter((l) => l.trim());
    expect(lines.map((l) => l.trimEnd())).toEqual(['Terminal too small: 30×8.', 'gantry needs at least 80×24.', 'Enlarge the window, or press q', 'to quit.']);
  });

  it('moves the selection with j/k and acts on the selected container', async () => {
    const { stdin, controller } = setup();
    await tick();
    await press(stdin, 'j', 's');
    expect(controller.containerKey).toHaveBeenLastCalledWith(expect.objectContaining({ name: 'vla-train' }), 'stop');
    await press(stdin, 'k', 'S');
    expect(controller.containerKey).toHaveBeenLastCalledWith(expect.objectContaining({ name: 'ppo-train' }), 'start');
    await press(stdin, 'G', 'd');
    expect(controller.containerKey).toHaveBeenLastCalledWith(expect.objectContaining({ name: 'web' }), 'remove');
  });

  it('filters as you type and clears with Esc', async () => {
    const { stdin, lastFrame } = setup();
    await tick();
    await press(stdin, '/', 'p', 'p', 'o');
    expect(lastFrame()).toContain('filter: ppo');
    expect(lastFrame()).toContain('ppo-train');
    expect(lastFrame()).not.toContain('vla-train');
    expect(lastFrame()).toContain('[1] Containers 1/3');
    await press(stdin, '\x1b');
    await new Promise((r) => setTimeout(r, 50));
    expect(lastFrame()).toContain('vla-train');
    expect(lastFrame()).not.toContain('filter:');
  });

  it('takes keys that arrive in one chunk one by one (fast typing, paste)', async () => {
    const { stdin, lastFrame } = setup();
    await tick();
    await press(stdin, '/vla');
    expect(lastFrame()).toContain('filter: vla');
    expect(lastFrame()).not.toContain('ppo-train');
  });

  it('keeps Enter inside a burst a key: "/vla⏎d" filters, keeps the filter, and d acts on the row', async () => {
    const { stdin, lastFrame, controller } = setup();
    await tick();
    await press(stdin, '/vla\rd');
    expect(lastFrame()).toContain('filter: vla');
    expect(lastFrame()).not.toContain('Enter keep');
    expect(controller.containerKey).toHaveBeenLastCalledWith(expect.objectContaining({ name: 'vla-train' }), 'remove');
  });

  it('hides stopped containers with e', async () => {
    const { stdin, lastFrame } = setup();
    await tick();
    await press(stdin, 'e');
    expect(lastFrame()).not.toMatch(/docker\s+web/);
    expect(lastFrame()).toContain('[1] Containers 2/3');
    await press(stdin, 'e');
    expect(lastFrame()).toMatch(/docker\s+web/);
  });

  it('opens help with ? listing every key and closes it with Esc', async () => {
    const { stdin, lastFrame } = setup();
    await tick();
    await press(stdin, '?');
    // The list is longer than the screen: read it page by page to the end.
    let seen = lastFrame()!;
    for (let i = 0; i < 10 && !/scroll: \d+-(\d+) of \1\)/.test(lastFrame()!); i++) {
      await press(stdin, '\x1b[6~');
      seen += lastFrame()!;
    }
    for (const k of [/\bs +stop\b/, /\bS +start\b/, /\br +restart\b/, /\bp +pause \/ unpause/, /\bK +kill \(asks first\)/, /\bd +remove \(asks first/, /\be +show \/ hide stopped/, /\bq +quit/, /search as you type/, /since: last lines/, /go to its container/])
      expect(seen).toMatch(k);
    expect(lastFrame()).toMatch(/scroll: \d+-(\d+) of \1\)/);
    await press(stdin, '\x1b');
    await new Promise((r) => setTimeout(r, 50));
    expect(lastFrame()).toContain('vla-train');
  });

  it('switches panes with number keys; the GPUs pane says when GPU watching is off', async () => {
    const { stdin, lastFrame } = setup();
    await tick();
    await press(stdin, '2');
    expect(lastFrame()).toContain('REPOSITORY:TAG');
    await press(stdin, '5');
    expect(lastFrame()).toContain('GPU watching is off');
    await press(stdin, '1');
    expect(lastFrame()).toContain('vla-train');
  });

  it('shows a banner for an engine that went away and keeps its rows', async () => {
    const { store, lastFrame } = setup();
    store.dispatch({ type: 'engine/status', id: 'docker', status: 'down', error: '/var/run/docker.sock: connection refused' });
    await tick();
    expect(lastFrame()).toContain('docker: connection lost, retrying');
    expect(lastFrame()).toContain('vla-train');
    expect(lastFrame()).toMatch(/docker ○/);
  });

  it('quits with q and Ctrl-C', async () => {
    const { stdin, controller } = setup();
    await tick();
    await press(stdin, 'q');
    await press(stdin, '\x03');
    expect(controller.quit).toHaveBeenCalledTimes(2);
  });
});

describe('confirmation', () => {
  function withActions(readOnly = false, opts: { confirmStop?: boolean; gpu?: boolean } = {}) {
    const store = makeStore(readOnly, opts.gpu);
    const ran: string[] = [];
    const engine = {
      containerAction: vi.fn(async (id: string, verb: string, o?: { force?: boolean }) => {
        ran.push(`${verb}${o?.force ? '!' : ''} ${id}`);
      }),
    };
    const ctx: ActionContext = { store, engines: new Map([['docker', engine as never], ['podman', engine as never]]), refresh: vi.fn(), ...(opts.confirmStop !== undefined ? { confirmStop: opts.confirmStop } : {}) };
    const controller: Controller = {
      containerKey: (cc, a) => requestContainerAction(ctx, cc, a),
      confirmed: (key, cmd) => void runContainerCommand(ctx, key, cmd),
      quit: vi.fn(),
    };
    const r = render(<App store={store} controller={controller} color={false} size={{ cols: 100, rows: 30 }} />);
    cleanup = r.unmount;
    return { ...r, store, ran };
  }

  it('asks before removing, naming the container, and removes on y', async () => {
    const { stdin, lastFrame, ran } = withActions();
    await tick();
    await press(stdin, 'G', 'd');
    expect(lastFrame()).toContain('Remove docker/web?');
    expect(lastFrame()).toContain('[y] remove');
    expect(ran).toEqual([]);
    await press(stdin, 'y');
    await tick();
    expect(ran).toEqual(['remove web-id']);
    expect(lastFrame()).toContain('removed docker/web');
  });

  it('offers force for a running container, and Esc cancels without acting', async () => {
    const { stdin, lastFrame, ran } = withActions();
    await tick();
    await press(stdin, 'd');
    expect(lastFrame()).toContain('Remove podman/ppo-train?');
    expect(lastFrame()).toContain('[f] force remove');
    // What goes, then which container it is: two rows, neither cut at the box's edge.
    expect(lastFrame()).toMatch(/│ Its writable layer goes with it \(anonymous volumes stay\)\.\s+│/);
    expect(lastFrame()).toMatch(/│ image ppo-train-image:latest · up [^│…]*│/);
    await press(stdin, 'y');
    expect(ran).toEqual([]);
    await press(stdin, '\x1b');
    await new Promise((r) => setTimeout(r, 50));
    expect(lastFrame()).toContain('cancelled');
    expect(ran).toEqual([]);
    await press(stdin, 'd', 'f');
    await tick();
    expect(ran).toEqual(['remove! ppo-train-id']);
  });

  it('asks before stop and restart, naming the container and the GPU memory it holds; y acts', async () => {
    const { stdin, lastFrame, ran, store } = withActions(false, { gpu: true });
    store.dispatch({
      type: 'gpu/update',
      status: { state: 'ok' },
      gpus: [0, 1].map((index) => ({ index, uuid: `GPU-${index}`, name: 'H100', memoryTotalMiB: 81559, memoryUsedMiB: 9500, utilizationPct: 50, migEnabled: false })),
      processes: [{ pid: 424, gpuUuid: 'GPU-1', gpuIndex: 1, usedMemoryMiB: 9523, processName: 'python3', containerId: 'vla-train-id' }],
      at: NOW,
    });
    await tick();
    // The list: podman/ppo-train, docker/vla-train, docker/web.
    await press(stdin, 'j', 's');
    let f = lastFrame()!;
    expect(f).toContain('Stop docker/vla-train?');
    expect(f).toContain('It holds 9.3 GiB of GPU memory on GPU 1');
    expect(f).toContain('[y] stop');
    expect(ran).toEqual([]);
    await press(stdin, 'y');
    await tick();
    expect(ran).toEqual(['stop vla-train-id']);
    await press(stdin, 'k', 'r');
    f = lastFrame()!;
    // ppo-train holds no GPU memory: no GPU line.
    expect(f).toContain('Restart podman/ppo-train?');
    expect(f).not.toContain('GPU memory');
    await press(stdin, '\x1b');
    await new Promise((r) => setTimeout(r, 50));
    expect(ran).toEqual(['stop vla-train-id']);
    await press(stdin, 'r', 'y');
    await tick();
    expect(ran).toEqual(['stop vla-train-id', 'restart ppo-train-id']);
  });

  it('stops and restarts at once with confirmStop: false', async () => {
    const { stdin, lastFrame, ran } = withActions(false, { confirmStop: false });
    await tick();
    await press(stdin, 'j', 's');
    await tick();
    expect(lastFrame()).not.toContain('Stop docker/vla-train?');
    expect(ran).toEqual(['stop vla-train-id']);
    await press(stdin, 'r');
    await tick();
    expect(ran).toEqual(['stop vla-train-id', 'restart vla-train-id']);
  });

  it('asks before kill', async () => {
    const { stdin, lastFrame, ran } = withActions();
    await tick();
    await press(stdin, 'j', 'K');
    expect(lastFrame()).toContain('Kill docker/vla-train?');
    await press(stdin, 'y');
    await tick();
    expect(ran).toEqual(['kill vla-train-id']);
  });

  it('refuses every action in read-only mode and says why', async () => {
    const { stdin, lastFrame, ran } = withActions(true);
    await tick();
    await press(stdin, 's');
    expect(lastFrame()).toContain('read-only mode: stop is disabled (started with --read-only)');
    await press(stdin, 'd');
    expect(lastFrame()).not.toContain('Remove');
    expect(ran).toEqual([]);
  });

  it('says what is wrong when an action does not apply', async () => {
    const { stdin, lastFrame, ran } = withActions();
    await tick();
    await press(stdin, 'S');
    await tick();
    expect(lastFrame()).toContain('podman/ppo-train is already running');
    expect(ran).toEqual([]);
  });

  it("leaves the engine's error in the status line", async () => {
    const store = makeStore();
    const engine = { containerAction: vi.fn(async () => Promise.reject(Object.assign(new Error('x'), { statusCode: 500, json: { message: 'cannot stop container: permission denied' } }))) };
    const ctx: ActionContext = { store, engines: new Map([['podman', engine as never]]), refresh: vi.fn() };
    const r = render(
      <App
        store={store}
        controller={{ containerKey: (cc, a) => requestContainerAction(ctx, cc, a), confirmed: (key, cmd) => void runContainerCommand(ctx, key, cmd), quit: vi.fn() }}
        color={false}
        size={{ cols: 100, rows: 30 }}
      />,
    );
    cleanup = r.unmount;
    await tick();
    await press(r.stdin, 's', 'y');
    await tick();
    expect(r.lastFrame()).toContain('could not stop podman/ppo-train: cannot stop container: permission denied');
  });
});
