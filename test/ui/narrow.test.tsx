// At 80×24, the smallest terminal gantry draws in: the most useful hints fit (the log panel's save,
// since and back included), the GPU strip compacts so that every GPU shows, and help wraps its
// long lines instead of cutting them with "…".
import React from 'react';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../src/ui/App.js';
import { createStore } from '../../src/store/store.js';
import { initialState, reducer, type Action, type AppState } from '../../src/store/state.js';
import { BINDINGS } from '../../src/ui/keys/bindings.js';
import { helpRows } from '../../src/ui/keys/resolve.js';
import { stripText } from '../../src/ui/gpu.js';
import type { Container } from '../../src/engine/models.js';
import type { GpuSample } from '../../src/gpu/parse.js';

const NOW = Date.now();
const gpus: GpuSample[] = [0, 1, 2, 3].map((index) => ({ index, uuid: `GPU-${index}`, name: 'NVIDIA RTX 6000 Ada Generation', memoryTotalMiB: 49140, memoryUsedMiB: [9628, 4562, 122, 88][index]!, utilizationPct: index ? 0 : 97, temperatureC: 30 + index, migEnabled: false }));
const c: Container = { key: 'docker/a', engineId: 'docker', id: 'a', name: 'walk-llama-7b-finetune-lr3e-5', image: 'busybox', state: 'running', status: 'Up 1 hour', created: 0, since: NOW - 3_600_000, ports: [], command: '', labels: {} };

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());
const tick = () => new Promise((r) => setTimeout(r, 20));

function at80() {
  const store = createStore<AppState, Action>(reducer, initialState({ gpu: true }));
  store.dispatch({ type: 'engines/set', engines: [{ id: 'docker', kind: 'docker', label: 'd', endpoint: 'unix:///d', status: 'up' }] });
  store.dispatch({ type: 'containers/set', engineId: 'docker', containers: [c] });
  store.dispatch({ type: 'gpu/update', status: { state: 'ok' }, gpus, at: NOW, processes: [] });
  const r = render(<App store={store} controller={{ containerKey: vi.fn(), confirmed: vi.fn(), quit: vi.fn() }} color={false} size={{ cols: 80, rows: 24 }} />);
  cleanup = r.unmount;
  return r;
}

const hintsRow = (frame: string) => frame.split('\n').at(-1)!;

describe('at 80×24', () => {
  it('the list hints keep / filter, ? help and q quit', async () => {
    const r = at80();
    await tick();
    const row = hintsRow(r.lastFrame()!);
    for (const h of ['Enter logs', 's stop', '/ filter', '? help', 'q quit']) expect(row).toContain(h);
    expect(row.length).toBeLessThanOrEqual(80);
  });

  it("the log panel's hints keep s save, 0-6 since and Esc back", async () => {
    const r = at80();
    await tick();
    r.stdin.write('\r');
    await tick();
    const row = hintsRow(r.lastFrame()!);
    for (const h of ['j scroll', 'G follow', '/ search', 's save', '0-6 since', 'Esc back']) expect(row).toContain(h);
    expect(row.length).toBeLessThanOrEqual(80);
  });

  it('the GPU strip shows every GPU, compacted', async () => {
    const r = at80();
    await tick();
    const strip = r.lastFrame()!.split('\n').find((l) => l.includes('GPU0'))!;
    expect(strip).toBe(' GPU0 9.4G/48G 97%  GPU1 4.5G/48G 0%  GPU2 0.1G/48G 0%  GPU3 0.1G/48G 0%');
    // Narrower still: the indices and memory only; and the full form where there is room.
    expect(stripText(gpus, 40)).toBe(' 0:9.4/48 1:4.5/48 2:0.1/48 3:0.1/48');
    expect(stripText(gpus, 160)).toMatch(/^ GPU0 ██░░░░░░ 9\.4G\/48G {2}97% 30C {2}GPU1 /);
    const eight = [...gpus, ...gpus.map((g) => ({ ...g, index: g.index + 4 }))];
    expect(stripText(eight, 80)).toBe(' 0:9.4/48 1:4.5/48 2:0.1/48 3:0.1/48 4:9.4/48 5:4.5/48 6:0.1/48 7:0.1/48');
    // Sixteen do not fit even so: the end is cut, visibly.
    const sixteen = [...eight, ...eight.map((g) => ({ ...g, index: g.index + 8 }))];
    expect(stripText(sixteen, 80)).toMatch(/^ 0:9\.4\/48 1:4\.5\/48 .* 7:0\.1\/48 8:9\.4.*…$/);
    expect(stripText(sixteen, 80).length).toBe(80);
  });

  it('help wraps its long lines under their description instead of cutting them', async () => {
    const r = at80();
    await tick();
    r.stdin.write('?');
    await tick();
    expect(r.lastFrame()).not.toMatch(/…$/m);
    const rows = helpRows(79);
    for (const row of rows) expect(row.text.length).toBeLessThanOrEqual(79);
    const joined = rows.map((x) => x.text.trim()).join(' ');
    for (const b of BINDINGS) expect(joined.replace(/\s+/g, ' ')).toContain(b.help);
    // The continuation of a wrapped line starts under its description.
    const long = rows.findIndex((x) => x.text.includes('filter this pane'));
    expect(rows[long + 1]!.text).toMatch(/^ {29}\S/);
  });
});
