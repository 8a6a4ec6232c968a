// The container list's columns at 80 and 160 columns with the long names people give training
// runs: the NAME column takes the width its content needs, the other columns give room back
// first, and + shows the list alone at full width.
import React from 'react';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../src/ui/App.js';
import { createStore } from '../../src/store/store.js';
import { initialState, reducer, type Action, type AppState } from '../../src/store/state.js';
import type { Container } from '../../src/engine/models.js';
import type { GpuSample } from '../../src/gpu/parse.js';

const NOW = Date.now();
const NAMES = ['walk-llama-7b-finetune-lr3e-5', 'alice-sd-xl-lora-r16-bs64', 'bob-vllm-serve-mixtral-8x7b', 'dave-ppo-train-seed42-run7'];

function c(name: string, i: number): Container {
  const id = String(i).padEnd(64, 'a');
  return { key: `docker/${id}`, engineId: i % 2 ? 'podman' : 'docker', id, name, image: 'nvcr.io/nvidia/pytorch:24.10-py3', state: 'running', status: 'Up 2 hours', created: Math.floor(NOW / 1000) - 7200, since: NOW - 7000_000, ports: [], command: '', labels: {} };
}

const gpus: GpuSample[] = [0, 1, 2, 3].map((index) => ({ index, uuid: `GPU-${index}`, name: 'NVIDIA RTX 6000 Ada Generation', memoryTotalMiB: 49140, memoryUsedMiB: 9628, utilizationPct: 50, temperatureC: 40, migEnabled: false }));

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());
const tick = () => new Promise((r) => setTimeout(r, 20));

function show(cols: number, rows = 30) {
  const store = createStore<AppState, Action>(reducer, initialState({ gpu: true }));
  store.dispatch({ type: 'engines/set', engines: [{ id: 'docker', kind: 'docker', label: 'd', endpoint: 'unix:///d', status: 'up' }, { id: 'podman', kind: 'podman', label: 'p', endpoint: 'unix:///p', status: 'up' }] });
  const list = NAMES.map(c);
  store.dispatch({ type: 'containers/set', engineId: 'docker', containers: list.filter((x) => x.engineId === 'docker') });
  store.dispatch({ type: 'containers/set', engineId: 'podman', containers: list.filter((x) => x.engineId === 'podman') });
  store.dispatch({ type: 'gpu/update', status: { state: 'ok' }, gpus, at: NOW, processes: [{ pid: 1, gpuUuid: 'GPU-1', gpuIndex: 1, usedMemoryMiB: 9500, processName: 'python3', containerId: list[0]!.id }] });
  const r = render(<App store={store} controller={{ containerKey: vi.fn(), confirmed: vi.fn(), quit: vi.fn() }} color={false} size={{ cols, rows }} />);
  cleanup = r.unmount;
  return { ...r, store };
}

describe('each pane its own filter', () => {
  it('/walk in Images filters the images, says so there, and leaves the containers unfiltered', async () => {
    const { lastFrame, stdin, store } = show(160);
    const img = (tag: string, i: number) => ({ key: `docker/sha256:${i}`, engineId: 'docker', id: `sha256:${String(i).padEnd(64, '0')}`, repoTags: [tag], dangling: false, size: 1e9, created: 0, containers: 0, containerNames: [], labels: {} });
    store.dispatch({ type: 'res/set', pane: 'images', engineId: 'docker', rows: [img('walk-llama:v3', 1), img('pytorch:24.10', 2)] });
    await tick();
    for (const k of ['2', '/', 'w', 'a', 'l', 'k', '\r']) {
      stdin.write(k);
      await tick();
    }
    let f = lastFrame()!;
    expect(f).toContain('walk-llama:v3');
    expect(f).not.toContain('pytorch:24.10');
    expect(f).toContain('filter: walk');
    stdin.write('1');
    await tick();
    f = lastFrame()!;
    for (const n of NAMES) expect(f).toContain(n);
    expect(f).not.toContain('filter:');
    expect(f).toContain('[1] Containers 4/4');
  });
});

describe('the NAME column', () => {
  it('shows every long name whole at 160 columns, beside the panel', async () => {
    const { lastFrame } = show(160);
    await tick();
    const f = lastFrame()!;
    for (const n of NAMES) expect(f).toContain(n);
    expect(f).toMatch(/docker walk-llama-7b-finetune-lr3e-5 +\S/);
  });

  it('at 80 columns gives the room to the names first: the image is cut before a name is', async () => {
    const { lastFrame } = show(80, 24);
    await tick();
    const f = lastFrame()!;
    for (const n of NAMES) expect(f).toContain(n);
    expect(f).not.toContain('nvcr.io/nvidia/pytorch:24.10-py3');
    for (const l of f.split('\n')) expect(l.length).toBeLessThanOrEqual(80);
  });

  it('+ shows the list alone at full width, with the whole image, and + again brings the panel back', async () => {
    const { lastFrame, stdin } = show(160);
    await tick();
    expect(lastFrame()).toContain(' Logs ');
    expect(lastFrame()).not.toContain('nvcr.io/nvidia/pytorch:24.10-py3');
    stdin.write('+');
    await tick();
    let f = lastFrame()!;
    expect(f).not.toContain(' Logs ');
    expect(f).toMatch(/walk-llama-7b-finetune-lr3e-5 +nvcr\.io\/nvidia\/pytorch:24\.10-py3 +1 +9\.3G +up 1h/);
    expect(f).toContain('+ show panel');
    stdin.write('+');
    await tick();
    f = lastFrame()!;
    expect(f).toContain(' Logs ');
    expect(f).toContain('+ list only');
  });
});
