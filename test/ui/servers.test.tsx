// The Servers pane and narrowing, rendered from a store built here: this machine and two remote
// servers (one unreachable), their engines, containers and GPUs — the order (most free GPU memory
// first), the GPU strip, Enter narrowing every pane to one server and `*` showing all again.
import React from 'react';
import chalk from 'chalk';
import { render } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { press, tick } from '../helpers/ink.js';
import { App, type Controller } from '../../src/ui/App.js';
import { createStore } from '../../src/store/store.js';
import { initialState, reducer, type Action, type AppState } from '../../src/store/state.js';
import type { EngineInfo } from '../../src/engine/models.js';
import type { ServerEntry } from '../../src/store/servers.js';
import { listRows } from '../../src/store/select.js';
import { helpLines } from '../../src/ui/keys/resolve.js';
import { fourGpus, ID, NOW, running } from '../helpers/gpuState.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const engine = (id: string, status: EngineInfo['status'] = 'up'): EngineInfo => ({ id, kind: 'docker', label: `${id} label`, endpoint: `unix:///${id}`, status });
const entry = (name: string, engineIds: string[], more: Partial<ServerEntry> = {}): ServerEntry => ({ name, local: false, destination: name, state: 'connected', notes: [], since: NOW, engineIds, ...more });
/** GPUs with `used` MiB in use each (of 49140). */
const gpusUsing = (used: number[]) => fourGpus().slice(0, used.length).map((g, i) => ({ ...g, memoryUsedMiB: used[i]! }));

function setup(opts: { servers?: boolean; cols?: number } = {}) {
  const store = createStore<AppState, Action>(reducer, initialState({ gpu: true }));
  const d = store.dispatch;
  const servers = opts.servers ?? true;
  d({ type: 'engines/set', engines: servers ? [engine('docker'), engine('node-a/docker'), engine('node-b/docker', 'down')] : [engine('docker')] });
  if (servers) {
    d({
      type: 'servers/set',
      servers: [
        entry('box', ['docker'], { local: true, destination: '' }),
        // The reason comes from ssh on the far side: a raw ESC in it must not reach the terminal.
        entry('node-b', ['node-b/docker'], { state: 'unreachable', reason: 'node-b: ssh: \x1b[2Jconnect to host 10.0.0.2 port 22: Connection refused', nextTryAt: Date.now() + 60_000 }),
        entry('node-a', ['node-a/docker']),
      ],
    });
  }
  d({ type: 'containers/set', engineId: 'docker', containers: [running('docker', 'here-train', ID('a'))] });
  if (servers) {
    d({ type: 'containers/set', engineId: 'node-a/docker', containers: [running('node-a/docker', 'a-train', ID('b')), { ...running('node-a/docker', 'a-old', ID('c')), state: 'exited', exitCode: 0 }] });
    d({ type: 'containers/set', engineId: 'node-b/docker', containers: [running('node-b/docker', 'b-train', ID('d'))] });
    d({ type: 'df/set', engineId: 'node-a/docker', df: { images: { count: 3, active: 1, size: 9e9, reclaimable: 2_500_000_000 }, containers: { count: 2, active: 1, size: 1e6, reclaimable: 0 }, volumes: { count: 0, active: 0, size: 0, reclaimable: 0 }, facts: { kind: 'docker', version: '27' } } as never });
    // node-a: four GPUs, two nearly empty (idle); this machine: two GPUs, both busy.
    d({
      type: 'servers/gpu',
      name: 'node-a',
      gpu: { status: { state: 'ok' }, gpus: gpusUsing([40_000, 122, 88, 30_000]), processes: [{ pid: 4242, gpuUuid: 'GPU-0', gpuIndex: 0, usedMemoryMiB: 39_000, processName: 'python3 a.py', containerId: ID('b') }], at: NOW },
    });
    d({ type: 'res/set', pane: 'images', engineId: 'node-a/docker', rows: [{ key: 'node-a/docker/sha256:aa', engineId: 'node-a/docker', id: 'sha256:aa', repoTags: ['remote-only:1'], size: 1e9, created: 1, containers: 1, containerNames: ['a-train'], dangling: false }] as never });
  }
  d({ type: 'res/set', pane: 'images', engineId: 'docker', rows: [{ key: 'docker/sha256:bb', engineId: 'docker', id: 'sha256:bb', repoTags: ['local-only:1'], size: 1e9, created: 1, containers: 1, containerNames: ['here-train'], dangling: false }] as never });
  d({ type: 'gpu/update', status: { state: 'ok' }, gpus: gpusUsing([30_000, 20_000]), processes: [{ pid: 77, gpuUuid: 'GPU-0', gpuIndex: 0, usedMemoryMiB: 29_000, processName: 'python3 here.py', containerId: ID('a') }], at: NOW });
  const controller: Controller = { containerKey: vi.fn(), confirmed: vi.fn(), quit: vi.fn() };
  const r = render(<App store={store} controller={controller} color={false} size={{ cols: opts.cols ?? 160, rows: 30 }} />);
  cleanup = r.unmount;
  return { ...r, store };
}

const lineOf = (frame: string, text: string) => frame.split('\n').find((l) => l.includes(text)) ?? '';

describe('the Servers pane', () => {
  it('lists every server, the one with the most free GPU memory first, with its GPU strip, containers, disk and why one is unreachable', async () => {
    const { lastFrame, stdin } = setup();
    await tick();
    expect(lastFrame()).toMatch(/\[7\] Servers 2\/3/);
    await press(stdin, '7');
    const f = lastFrame()!;
    const rows = f.split('\n').filter((l) => /^ (node-a|node-b|box) /.test(l)).map((l) => l.slice(1).split(' ')[0]);
    // node-a has ~123 GiB free, this machine ~47 GiB; the unreachable one comes last.
    expect(rows).toEqual(['node-a', 'box', 'node-b']);
    expect(lineOf(f, ' node-a ')).toMatch(/node-a\s+connected\s+●39\/48 ○0\.1\/48 ○0\.1\/48 ●29\/48 {2}2\/4 idle\s+1\/2\s+2\.5 GB/);
    expect(lineOf(f, 'box (here)')).toMatch(/connected\s+●29\/48 ●20\/48 {2}0\/2 idle\s+1\/1\s+\?/);
    const b = lineOf(f, ' node-b ');
    expect(b).toMatch(/node-b\s+unreachable, retry \d\d:\d\d:\d\d\s+-\s+1\/1\s+\?\s+node-b: ssh: \^\[\[2Jconnect to host 10\.0\.0\.2 port 22/);
    expect(f).not.toContain('\x1b[2J');
    expect(f).toMatch(/enter show only this/i);
  });

  it('Enter narrows every pane to the server, the tab row says so, and * shows every server again', async () => {
    const { lastFrame, stdin, store } = setup();
    await tick();
    await press(stdin, '7', '\r');
    expect(store.getState().ui.server).toBe('node-a');
    let f = lastFrame()!;
    // Straight to its containers, the others gone; the tab row and the status line say which server.
    expect(f).toMatch(/node-a only \(\* all\) +\[1\] Containers 2\/2/);
    expect(f).toContain('showing node-a only in every pane');
    expect(f).toMatch(/node-a\/docker\s+a-train/);
    expect(f).not.toContain('here-train');
    expect(f).not.toContain('b-train');
    // The unreachable node-b's banner belongs to the other servers: the Servers pane still says it.
    expect(f).not.toContain('node-b/docker: connection lost');
    expect(f).toMatch(/\* all servers/);
    // The GPU strip is node-a's, named.
    expect(f).toMatch(/node-a: GPU0 \S+ 39\.1G\/48G/);
    await press(stdin, '2');
    f = lastFrame()!;
    expect(f).toContain('remote-only:1');
    expect(f).not.toContain('local-only:1');
    await press(stdin, '5');
    f = lastFrame()!;
    expect(f).toMatch(/── node-a · 4 GPUs, 2 idle, 123 GiB free/);
    expect(f).toMatch(/4242 {2}node-a\/docker\/a-train/);
    expect(f).not.toContain('── box');
    expect(f).not.toContain('python3 here.py');
    await press(stdin, '6');
    expect(lastFrame()).toContain('node-a/docker — node-a/docker label');
    expect(lastFrame()).not.toContain('box/docker —');
    await press(stdin, '*');
    expect(store.getState().ui.server).toBeUndefined();
    f = lastFrame()!;
    expect(f).toContain('showing every server (3)');
    expect(f).not.toContain('only (* all)');
    expect(f).toContain('box/docker —');
    await press(stdin, '1');
    f = lastFrame()!;
    expect(f).toMatch(/box\/docker\s+here-train/);
    expect(f).toMatch(/node-a\/docker\s+a-train/);
    expect(f).toMatch(/node-b\/docker\s+b-train/);
    expect(f).toContain('node-b/docker: connection lost');
    // Unnarrowed, the strip is this machine's, named after it.
    expect(f).toMatch(/box: GPU0 \S+ 29\.3G\/48G/);
  });

  it("a container's GPU and VRAM columns read its own server's GPUs", async () => {
    const { lastFrame, store } = setup();
    await tick();
    const f = lastFrame()!;
    expect(f).toMatch(/node-a\/docker\s+a-train\s+pytorch:24\S*\s+0\s+38\.1G/);
    expect(f).toMatch(/box\/docker\s+here-train\s+pytorch:24\S*\s+0\s+28\.3G/);
    expect(f).toMatch(/node-b\/docker\s+b-train\s+pytorch:24\S*\s+-\s+-/);
    // The same container id on this machine's engine as on node-a's (one machine under two names): each reads its own GPUs.
    store.dispatch({ type: 'containers/set', engineId: 'docker', containers: [running('docker', 'here-train', ID('b'))] });
    await tick();
    expect(lastFrame()).toMatch(/box\/docker\s+here-train\s+pytorch:24\S*\s+-\s+-/);
    expect(lastFrame()).toMatch(/node-a\/docker\s+a-train\s+pytorch:24\S*\s+0\s+38\.1G/);
  });

  it("keeps a server's engine whole beside the panel: CPU% and MEM are left out before ENGINE is cut", async () => {
    const { lastFrame, store, stdin } = setup({ cols: 160 });
    // The long names people give training runs leave the list little room beside the panel.
    store.dispatch({ type: 'containers/set', engineId: 'node-a/docker', containers: [running('node-a/docker', 'a-train-llama-7b-finetune-lr3e-5', ID('b'))] });
    const usage = Object.fromEntries(Object.values(store.getState().containers).flat().map((c) => [c.key, { cpuPct: 12.5, memBytes: 3e9 }]));
    store.dispatch({ type: 'usage/set', usage });
    await tick();
    const f = lastFrame()!;
    expect(f).toMatch(/node-a\/docker\s+a-train-llama-7b-finetune-lr3e-5/);
    expect(f).toMatch(/node-b\/docker\s+b-train/);
    expect(f).not.toContain('node-…');
    expect(f).not.toContain('CPU%');
    // With the list alone (+) there is room again, and the figures come back.
    await press(stdin, '+');
    expect(lastFrame()).toMatch(/node-a\/docker\s+a-train-llama-7b-finetune-lr3e-5\s.*\s12\.5\s+2\.8G\s/);
  });

  it('the GPUs pane shows each server under its own line, a process of a remote server not killed from here', async () => {
    const { lastFrame, stdin, store } = setup();
    await tick();
    await press(stdin, '5');
    const f = lastFrame()!;
    const heads = f.split('\n').filter((l) => l.includes('── ')).map((l) => l.trim().split(' ')[1]);
    expect(heads).toEqual(['node-a', 'box', 'node-b']);
    expect(lineOf(f, '── node-b')).toContain('unreachable');
    expect(lineOf(f, '── box')).toContain('(this machine) · 2 GPUs, 0 idle');
    // The cursor starts on node-a's process: K refuses (its pid is node-a's, not this machine's).
    expect(listRows(store.getState(), 'gpus').filter((r) => 'kind' in r && r.kind === 'gpu')).toHaveLength(6);
    await press(stdin, 'K');
    expect(lastFrame()).toContain('pid 4242 runs on node-a: gantry kills GPU processes of this machine only');
    expect(store.getState().ui.confirm).toBeUndefined();
  });

  it('dims the rows of an unreachable server in every pane, and leaves the others as they are', async () => {
    const level = chalk.level;
    chalk.level = 1;
    try {
      const { lastFrame, stdin } = setup();
      await tick();
      const dimmed = (text: string) => /\x1b\[2m/.test(lineOf(lastFrame()!, text));
      expect(dimmed('b-train')).toBe(true);
      expect(dimmed('a-train')).toBe(false);
      await press(stdin, '7');
      expect(dimmed(' node-b ')).toBe(true);
      expect(dimmed(' node-a ')).toBe(false);
    } finally {
      chalk.level = level;
    }
  });

  it('with no servers configured the tab row is as it always was and 7 says how to add servers', async () => {
    const { lastFrame, stdin, store } = setup({ servers: false });
    await tick();
    const f = lastFrame()!;
    expect(f).toMatch(/\[6\] System/);
    expect(f).not.toContain('Servers');
    expect(f).toMatch(/docker\s+here-train/);
    expect(f).not.toContain('/docker');
    await press(stdin, '7');
    expect(store.getState().ui.pane).toBe('containers');
    expect(lastFrame()).toContain('no servers configured: add servers: to the config or start with --server');
    await press(stdin, '*');
    expect(lastFrame()).toContain('no servers configured');
    // Tab goes round the six panes only.
    await press(stdin, '6', '\t');
    expect(store.getState().ui.pane).toBe('containers');
  });

  it('fits the tab row and the Servers pane into 80 columns, and help names the keys', async () => {
    const { lastFrame, stdin } = setup({ cols: 80 });
    await tick();
    await press(stdin, '7', '\r');
    const tabs = lastFrame()!.split('\n')[1]!;
    expect(tabs).toMatch(/^ node-a only \(\* all\) +1 Ctr 2\/2 +2 Img +3 Vol +4 Net +5 GPU +6 Sys +7 Srv 2\/3/);
    // At 80 columns the GPU strip and the start of the reason stay; the retry time gives way first.
    await press(stdin, '7');
    const f = lastFrame()!;
    expect(lineOf(f, 'node-a  ')).toMatch(/●○○● {2}2\/4 idle/);
    expect(lineOf(f, ' node-b ')).toMatch(/unreachable… .*node-b: ssh: \^\[\[2Jcon/);
    const help = helpLines().map((l) => l.text).join('\n');
    expect(help).toMatch(/Enter +show this server only: every pane narrows to its engines and GPUs/);
    expect(help).toMatch(/\* +every server again, after Enter on the Servers pane showed one/);
  });
});
