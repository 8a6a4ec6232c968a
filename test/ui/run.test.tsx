// The run form rendered by ink-testing-library with the real RunController over a store: a form
// filled from a template file, fields edited with the line editor, the command line following,
// the GPU picker's order and its question before a busy GPU, and the start's faults said in the
// form. The engine here is a stand-in recording what it is asked (the real create/start are
// tested on both engines in test/integration/run.test.ts and end to end in test/e2e/run-ui.test.ts).
import React from 'react';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { App, type Controller } from '../../src/ui/App.js';
import { createStore } from '../../src/store/store.js';
import { initialState, reducer, type Action, type AppState } from '../../src/store/state.js';
import { RunController, type RunDeps } from '../../src/actions/run.js';
import { RunError } from '../../src/engine/create.js';
import type { Engine } from '../../src/engine/engine.js';
import type { RunSpec } from '../../src/engine/runSpec.js';
import { fourGpus, ID, NOW, running } from '../helpers/gpuState.js';

const tmp = mkdtempSync(join(tmpdir(), 'gantry-ui-run-'));
const tdir = join(tmp, 'config', 'gantry', 'templates');
mkdirSync(tdir, { recursive: true });
mkdirSync(join(tmp, 'proj'));
writeFileSync(
  join(tdir, 'train.yaml'),
  `description: a training job
image: pytorch:24.10
command: python train.py --lr 3e-4
interactive: false
gpus: {auto: 1}
env: {HF_HOME: /cache/hf}
mounts: ["$PWD:/workspace"]
ports: ["7860:7860"]
labels: {team: vision}
`,
);
writeFileSync(join(tdir, 'shell.yaml'), `image: busybox:latest\ncommand: sh\ninteractive: true\ngpus: none\nmounts: ["~/missing/cache:/cache"]\n`);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const c = running;
const gpus = fourGpus([97, 40, 0, 0]);

/** A stand-in engine: records creates and starts; `faults` are thrown by the next creates/starts, in order. */
function standIn(id: 'docker' | 'podman', faults: { create?: Error[]; start?: Error[] } = {}) {
  const created: RunSpec[] = [];
  const names = ['vla-train'];
  const e = {
    id,
    kind: id,
    local: true,
    createContainer: vi.fn(async (spec: RunSpec) => {
      const f = faults.create?.shift();
      if (f) throw f;
      created.push(spec);
      names.push(spec.name);
      return { id: ID(spec.name.replace(/[^a-f0-9]/g, 'f')), name: spec.name, warnings: [] };
    }),
    startContainer: vi.fn(async () => {
      const f = faults.start?.shift();
      if (f) throw f;
    }),
    containerAction: vi.fn(async () => undefined),
    listContainers: vi.fn(async () => names.map((n) => ({ name: n }))),
  };
  return { engine: e as unknown as Engine, created, mock: e };
}

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());
const tick = async () => {
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 0));
};

function setup(opts: { readOnly?: boolean; engines?: Engine[]; attach?: RunDeps['attach']; size?: { cols: number; rows: number } } = {}) {
  const store = createStore<AppState, Action>(reducer, initialState({ gpu: true, readOnly: opts.readOnly }));
  store.dispatch({ type: 'engines/set', engines: [{ id: 'docker', kind: 'docker', label: 'd', endpoint: 'unix:///d', status: 'up' }, { id: 'podman', kind: 'podman', label: 'p', endpoint: 'unix:///p', status: 'up' }] });
  store.dispatch({ type: 'containers/set', engineId: 'docker', containers: [c('docker', 'vla-train', ID('a'))] });
  store.dispatch({ type: 'containers/set', engineId: 'podman', containers: [c('podman', 'ppo-train', ID('c'))] });
  store.dispatch({ type: 'grants/set', grants: { [`docker/${ID('a')}`]: { deviceRequests: [{ Driver: 'nvidia', Count: 0, DeviceIDs: ['0'], Capabilities: [['gpu']] }] } } });
  store.dispatch({
    type: 'gpu/update',
    status: { state: 'ok' },
    gpus,
    at: NOW,
    processes: [
      { pid: 424, gpuUuid: 'GPU-0', gpuIndex: 0, usedMemoryMiB: 9000, processName: 'python3', containerId: ID('a') },
      { pid: 77, gpuUuid: 'GPU-0', gpuIndex: 0, usedMemoryMiB: 512, processName: 'jupyter', hostUser: 'alice' },
      { pid: 500, gpuUuid: 'GPU-1', gpuIndex: 1, usedMemoryMiB: 4400, processName: 'python3 ppo.py', containerId: ID('c') },
    ],
  });
  const engines = opts.engines ?? [standIn('docker').engine, standIn('podman').engine];
  const attach = opts.attach ?? vi.fn(async () => ({ exitCode: 0 }));
  const run = new RunController(store, new Map(engines.map((e) => [e.id, e])), {
    templates: { env: { XDG_CONFIG_HOME: join(tmp, 'config') }, home: tmp, pwd: join(tmp, 'proj'), user: 'alice' },
    attach,
    refresh: vi.fn(),
    loadImages: vi.fn(),
  });
  const controller: Controller = { containerKey: vi.fn(), confirmed: vi.fn(), quit: vi.fn(), run };
  const r = render(<App store={store} controller={controller} color={false} size={opts.size ?? { cols: 160, rows: 45 }} />);
  cleanup = r.unmount;
  const press = async (...keys: string[]) => {
    for (const k of keys) {
      r.stdin.write(k);
      await tick();
      // The first open of the form loads the template files' code (not loaded at start-up), then opens.
      if (run.loading) {
        await run.loading;
        await tick();
      }
    }
  };
  const frame = () => r.lastFrame()!;
  /** The line of the form for a field label (a list's heading has its count after it). */
  const row = (label: string) => frame().split('\n').find((l) => new RegExp(`^ [▸ ] ${label.replace(/[()]/g, '\\$&')}( \\(\\d+\\))?\\s`).test(l)) ?? '';
  return { ...r, store, run, press, frame, row, attach };
}

const ENTER = '\r';
const ESC = '\x1b';
const CTRL_U = '\x15';
const DOWN = '\x1b[B';

/** Moves the form's cursor onto a field's row. */
async function goTo(s: ReturnType<typeof setup>, label: string): Promise<void> {
  const v = () => s.run.view()!;
  for (let i = 0; i < 40 && !s.row(label).startsWith(' ▸'); i++) await s.press(v().rows.findIndex((r) => r.label === label) < v().cursor ? 'k' : 'j');
  expect(s.row(label), label).toMatch(/^ ▸/);
}

describe('the run form', () => {
  it('opens filled from the template, every field edited with the line editor, the command line following', async () => {
    const s = setup();
    await s.press(':run train', ENTER);
    expect(s.frame()).toContain('Run a container — template train: a training job');
    expect(s.row('image')).toContain('pytorch:24.10');
    expect(s.row('name')).toContain('{user}-{template}-{n}  → alice-train-1');
    expect(s.row('GPUs')).toMatch(/auto: 1 → GPU 3 {2}the most free memory, idle/);
    expect(s.row('mode')).toContain('detached (-d)');
    const cmd = () => s.frame().replace(/ \\\n\s+/g, ' ');
    expect(cmd()).toContain(`docker run -d --name alice-train-1 --gpus driver=nvidia,device=3 -e HF_HOME=/cache/hf --mount type=bind,source=${join(tmp, 'proj')},target=/workspace -p 7860:7860 --label team=vision pytorch:24.10 python train.py --lr 3e-4`);

    await goTo(s, 'name');
    await s.press(ENTER, CTRL_U, 'exp-7', ENTER);
    expect(s.row('name')).toMatch(/name\s+exp-7$/);
    await goTo(s, 'mode');
    await s.press(ENTER);
    expect(s.row('mode')).toContain('interactive (-it)');
    await goTo(s, 'env');
    await s.press('a', 'WANDB_MODE=offline', ENTER);
    expect(s.frame()).toContain('env (2)');
    expect(cmd()).toMatch(/docker run -it --name exp-7 .* -e HF_HOME=\/cache\/hf -e WANDB_MODE=offline /);

    // A port that does not read: said in the form, the line stays open as typed; Esc leaves it as it was.
    await goTo(s, 'ports');
    await s.press(DOWN, ENTER, CTRL_U, '78x60', ENTER);
    expect(s.frame()).toContain('port "78x60" must read [HOST_IP:]HOST_PORT:CONTAINER_PORT');
    expect(s.frame()).toContain('78x60█');
    await s.press(ESC);
    expect(s.frame()).not.toContain('78x60');
    expect(cmd()).toContain('-p 7860:7860');
    // d removes the item under the cursor.
    await s.press('d');
    expect(s.frame()).toContain('ports (0)');
    expect(cmd()).not.toContain('-p 7860');

    // The engine: Podman's command line, its GPUs as CDI names.
    await goTo(s, 'engine');
    await s.press(ENTER);
    expect(s.row('engine')).toContain('podman');
    expect(cmd()).toMatch(/^ podman run -it --name exp-7 --device nvidia\.com\/gpu=3 /m);
  });

  it('the GPU picker: idle GPUs first by free memory, then busy ones with who is on them; a busy one asks first', async () => {
    const s = setup();
    await s.press(':run train', ENTER);
    await goTo(s, 'GPUs');
    await s.press(ENTER);
    const lines = () => s.frame().split('\n').filter((l) => /\[[x ]\] GPU \d/.test(l));
    expect(lines().map((l) => /GPU (\d)/.exec(l)![1])).toEqual(['3', '2', '1', '0']);
    expect(s.frame()).toContain('GPUs — auto: 1 picked GPU 3: the most free memory, idle');
    expect(lines()[0]).toMatch(/▸ \[x\] GPU 3 .*47\.9 GiB of 48\.0 GiB\s+0%\s+idle/);
    expect(lines()[2]).toMatch(/\[ \] GPU 1 .*40%\s+busy: podman\/ppo-train \(4\.3 GiB\)/);
    expect(lines()[3]).toMatch(/\[ \] GPU 0 .*97%\s+busy: docker\/vla-train \(8\.8 GiB\), host user alice \(pid 77, jupyter, 0\.5 GiB\)/);

    await s.press('j', 'j', 'j', ' ');
    expect(s.frame()).toContain('Use a busy GPU?');
    expect(s.frame()).toContain('GPU 0 is busy: docker/vla-train (8.8 GiB), host user alice (pid 77, jupyter, 0.5 GiB).');
    expect(s.frame()).toContain('[y] use it anyway   [n] leave it out');
    await s.press('n');
    expect(s.frame()).not.toContain('Use a busy GPU?');
    expect(lines()[3]).toMatch(/\[ \] GPU 0/);
    expect(lines()[0]).toMatch(/\[x\] GPU 3/);
    await s.press(' ', 'y');
    expect(lines()[3]).toMatch(/\[x\] GPU 0/);
    expect(s.frame()).toContain('GPUs — chosen by hand: GPU 3 and 0');
    await s.press(ENTER);
    expect(s.row('GPUs')).toMatch(/GPU 3 and 0 {2}GPU 0 is busy: docker\/vla-train/);
    expect(s.frame().replace(/ \\\n\s+/g, ' ')).toContain(`--gpus 'driver=nvidia,"device=3,0"'`);
    // a: back to auto; n: none.
    await s.press(ENTER, 'n', ENTER);
    expect(s.row('GPUs')).toMatch(/GPUs\s+none/);
    await s.press(ENTER, 'a', ENTER);
    expect(s.row('GPUs')).toMatch(/auto: 1 → GPU 3/);
  });

  it('starts: name in use → the next free name is offered; the new container selected, its log followed', async () => {
    const d = standIn('docker', { create: [new RunError('name-in-use', 'the name exp-7 is already in use')] });
    const s = setup({ engines: [d.engine, standIn('podman').engine] });
    await s.press(':run train', ENTER);
    await goTo(s, 'name');
    await s.press(ENTER, CTRL_U, 'exp-7', ENTER, 's');
    await vi.waitFor(() => expect(s.frame()).toContain('The name is taken'));
    expect(s.frame()).toContain('the name exp-7 is already in use: the next free one is exp-7-2.');
    expect(s.frame()).toContain('[y] start it as exp-7-2   [n] change the name myself');
    await s.press('y');
    await vi.waitFor(() => expect(s.store.getState().ui.run).toBeUndefined());
    expect(d.created.map((x) => [x.name, x.gpus])).toEqual([['exp-7-2', ['3']]]);
    expect(s.store.getState().ui.message).toMatchObject({ level: 'ok', text: 'started exp-7-2 on docker (GPU 3): its log follows' });
    // The row, once listed, is selected (the log panel follows the selected container).
    const id = ID('exp-7-2'.replace(/[^a-f0-9]/g, 'f'));
    s.store.dispatch({ type: 'containers/set', engineId: 'docker', containers: [c('docker', 'vla-train', ID('a')), c('docker', 'exp-7-2', id)] });
    await tick();
    expect(s.store.getState().ui.cursors.containers.key).toBe(`docker/${id}`);
    expect(s.store.getState().ui.logs).toMatchObject({ tab: 'logs', follow: true });
  });

  it('a missing mount source is offered to be created as the user; an interactive one gets the terminal', async () => {
    const s = setup();
    await s.press(':run shell', ENTER, 's');
    await vi.waitFor(() => expect(s.frame()).toContain('Create the missing mount source?'));
    expect(s.frame()).toContain(`mount source ${join(tmp, 'missing', 'cache')} does not exist`);
    expect(existsSync(join(tmp, 'missing'))).toBe(false);
    await s.press('y');
    await vi.waitFor(() => expect(s.attach).toHaveBeenCalled());
    expect(statSync(join(tmp, 'missing', 'cache')).isDirectory()).toBe(true);
    expect(s.attach).toHaveBeenCalledWith(expect.objectContaining({ engineId: 'docker', name: 'alice-shell-1' }), { replay: true });
  });

  it("an engine's long answer is shown whole, broken at spaces (the fix's command is at its end), at 160 and 80 columns", async () => {
    const fix =
      'Docker cannot give GPUs to containers here: the NVIDIA container toolkit is missing or not set up for Docker. Install nvidia-container-toolkit, run `sudo nvidia-ctk runtime configure --runtime=docker`, then restart Docker (`sudo systemctl restart docker`).';
    for (const size of [{ cols: 160, rows: 45 }, { cols: 80, rows: 24 }]) {
      const d = standIn('docker', { create: [new RunError('nvidia-toolkit-missing', fix)] });
      const s = setup({ engines: [d.engine, standIn('podman').engine], size });
      await s.press(':run train', ENTER, 's');
      await vi.waitFor(() => expect(s.frame()).toContain('Docker cannot give GPUs'));
      const lines = s.frame().split('\n');
      const at = lines.findIndex((l) => l.includes('Docker cannot give GPUs'));
      const shown = lines.slice(at, at + 4).map((l) => l.trim()).join(' ');
      expect(shown, `${size.cols} columns`).toContain(fix);
      for (const l of lines) expect(l.length).toBeLessThanOrEqual(size.cols);
      expect(lines).toHaveLength(size.rows - 1);
      cleanup?.();
      cleanup = undefined;
    }
  });

  it('a GPU chosen by hand that became busy asks, naming who is on it; a port in use is said at the ports', async () => {
    const d = standIn('docker', { start: [new RunError('port-in-use', 'host port 7860 is already in use (by another container or program): choose another host port, or stop what holds it')] });
    const s = setup({ engines: [d.engine, standIn('podman').engine] });
    await s.press(':run train', ENTER);
    await goTo(s, 'GPUs');
    await s.press(ENTER, ' ', ' ', ENTER); // space leaves out auto's GPU 3, space again takes it by hand
    expect(s.row('GPUs')).toMatch(/GPUs\s+GPU 3 {2}chosen by hand/);
    // Someone takes GPU 3 before the start.
    const st = s.store.getState().gpu;
    s.store.dispatch({ type: 'gpu/update', status: st.status, gpus: st.gpus, at: NOW, processes: [...st.processes, { pid: 900, gpuUuid: 'GPU-3', gpuIndex: 3, usedMemoryMiB: 20000, processName: 'python3', hostUser: 'bob' }] });
    await s.press('s');
    await vi.waitFor(() => expect(s.frame()).toContain('Start on a busy GPU?'));
    expect(s.frame()).toContain('GPU 3 is busy: host user bob (pid 900, python3, 19.5 GiB).');
    await s.press('y');
    await vi.waitFor(() => expect(s.frame()).toContain('host port 7860 is already in use'));
    expect(s.row('ports')).toMatch(/^ ▸/);
    // What could not start was removed again: nothing left behind.
    expect(d.mock.containerAction).toHaveBeenCalledWith(expect.any(String), 'remove', { force: true });
    expect(d.mock.startContainer).toHaveBeenCalledTimes(1);
    expect(s.store.getState().ui.run?.stage).toBe('form');
  });

  it('read-only refuses n and :run in the one wording; a template that does not exist is named with the ones that do', async () => {
    const ro = setup({ readOnly: true });
    await ro.press('n');
    expect(ro.frame()).toContain('read-only mode: run is disabled (started with --read-only)');
    expect(ro.frame()).not.toContain('Run a container');
    cleanup?.();
    const s = setup();
    await s.press(':run nope', ENTER);
    expect(s.frame()).toMatch(/no template "nope" \(templates: shell, train, gpu-dev/);
  });

  it('fits 80×24: the fields scroll with the cursor, the command line keeps its rows', async () => {
    const s = setup({ size: { cols: 80, rows: 24 } });
    await s.press(':run train', ENTER);
    const lines = s.frame().split('\n');
    expect(lines.length).toBe(23);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
    expect(s.frame()).toContain('The same as');
    await goTo(s, 'labels');
    expect(s.frame()).toContain('team=vision');
    expect(s.frame()).toContain('The same as');
  });
});
