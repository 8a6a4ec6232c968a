// The run form's GPU choices follow the engine it starts on: a remote server's engine is offered
// that server's GPUs (held by that server's containers), this machine's engine this machine's.
import { describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/store.js';
import { initialState, reducer, type Action, type AppState } from '../../src/store/state.js';
import type { ServerEntry } from '../../src/store/servers.js';
import { gpuChoices } from '../../src/actions/runView.js';
import { fourGpus, ID, NOW, running } from '../helpers/gpuState.js';

const entry = (name: string, engineIds: string[], more: Partial<ServerEntry> = {}): ServerEntry => ({ name, local: false, destination: name, state: 'connected', notes: [], since: NOW, engineIds, ...more });

function state(remoteGpu = true): AppState {
  const store = createStore<AppState, Action>(reducer, initialState({ gpu: true }));
  const d = store.dispatch;
  d({ type: 'servers/set', servers: [entry('box', ['docker'], { local: true, destination: '' }), entry('node-a', ['node-a/docker'])] });
  d({ type: 'containers/set', engineId: 'docker', containers: [running('docker', 'here-train', ID('a'))] });
  d({ type: 'containers/set', engineId: 'node-a/docker', containers: [running('node-a/docker', 'a-train', ID('b'))] });
  // This machine: two GPUs, GPU 0 held by here-train. node-a: four, GPU 3 held by a-train.
  d({ type: 'gpu/update', status: { state: 'ok' }, gpus: fourGpus().slice(0, 2), processes: [{ pid: 7, gpuUuid: 'GPU-0', gpuIndex: 0, usedMemoryMiB: 9000, processName: 'python3', containerId: ID('a') }], at: NOW });
  if (remoteGpu) {
    d({ type: 'servers/gpu', name: 'node-a', gpu: { status: { state: 'ok' }, gpus: fourGpus([0, 0, 0, 99]).map((g) => ({ ...g, memoryUsedMiB: g.index === 3 ? 30_000 : 100 })), processes: [{ pid: 9, gpuUuid: 'GPU-3', gpuIndex: 3, usedMemoryMiB: 30_000, processName: 'python3', containerId: ID('b') }], at: NOW } });
  }
  return store.getState();
}

describe('GPU choices per engine', () => {
  it("offers a remote engine its own server's GPUs, held by that server's containers", () => {
    const { choices } = gpuChoices(state(), 'node-a/docker');
    expect(choices.map((c) => c.index).sort()).toEqual([0, 1, 2, 3]);
    const busy = choices.filter((c) => !c.idle);
    // GPU 0 is held on this machine, not on node-a: there it is free.
    expect(busy.map((c) => c.index)).toEqual([3]);
    expect(busy.find((c) => c.index === 3)!.holders).toEqual([expect.objectContaining({ kind: 'container', name: 'a-train' })]);
  });

  it("offers this machine's engine this machine's GPUs, not held by a remote container", () => {
    const { choices } = gpuChoices(state(), 'docker');
    expect(choices.map((c) => c.index).sort()).toEqual([0, 1]);
    expect(choices.find((c) => c.index === 0)!.holders).toEqual([expect.objectContaining({ name: 'here-train' })]);
  });

  it('says why when the server has sent no GPU reading yet', () => {
    expect(gpuChoices(state(false), 'node-a/docker')).toEqual({ choices: [], unavailable: 'node-a: nvidia-smi there has not answered yet' });
  });
});
