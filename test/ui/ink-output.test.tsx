// gantry's output stage (src/ui/ink/output.ts) against Ink's own, frame by frame: the same Ink
// tree (the real App in many states and sizes, in colour, with wide characters, SGR-coloured log
// lines, borders and clipped boxes) drawn through both must give the very same text — the first
// time and again from the rows kept from earlier frames.
import { vi } from 'vitest';
vi.hoisted(() => {
  // Colour on before chalk loads: the frames must carry SGR codes.
  process.env.FORCE_COLOR = '3';
});
import React from 'react';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import InkOutput from '../../node_modules/ink/build/output.js';
import renderNodeToOutput from '../../node_modules/ink/build/render-node-to-output.js';
import instances from '../../node_modules/ink/build/instances.js';
import { Box, Text, type DOMElement } from 'ink';
import Output from '../../src/ui/ink/output.js';
import { App, type Controller } from '../../src/ui/App.js';
import { createStore } from '../../src/store/store.js';
import { initialState, reducer, type Action, type AppState } from '../../src/store/state.js';
import { LogSession } from '../../src/store/logs.js';
import type { Container } from '../../src/engine/models.js';

const NOW = Date.now();
const box = (engineId: string, name: string, state: Container['state'], extra: Partial<Container> = {}): Container => ({
  key: `${engineId}/${name}-id`,
  engineId,
  id: `${name}-id`,
  name,
  image: `${name}-image:latest`,
  state,
  status: '',
  created: Math.floor(NOW / 1000) - 3600,
  since: NOW - 3 * 3600_000,
  ports: [{ hostIp: '0.0.0.0', hostPort: 8080, containerPort: 80, protocol: 'tcp' }],
  command: 'sleep 1000',
  labels: {},
  ...extra,
});

function scene() {
  const store = createStore<AppState, Action>(reducer, initialState({ gpu: true }));
  store.dispatch({
    type: 'engines/set',
    engines: [
      { id: 'docker', kind: 'docker', label: '/var/run/docker.sock', endpoint: 'unix:///var/run/docker.sock', status: 'up' },
      { id: 'podman', kind: 'podman', label: 'rootless', endpoint: 'unix:///run/user/1000/podman/podman.sock', status: 'down', error: 'connection refused' },
    ],
  });
  store.dispatch({
    type: 'containers/set',
    engineId: 'docker',
    containers: [
      box('docker', 'vla-train', 'running'),
      box('docker', '训练任务-数据集-非常长的名字-vla', 'running'),
      box('docker', 'emoji-👍-e\u0301-box', 'paused'),
      box('docker', 'web', 'exited', { exitCode: 1, since: NOW - 300_000 }),
      ...Array.from({ length: 40 }, (_, i) => box('docker', `worker-${i}`, i % 3 ? 'running' : 'exited', { exitCode: 0 })),
    ],
  });
  store.dispatch({ type: 'containers/set', engineId: 'podman', containers: [box('podman', 'ppo-train', 'running')] });
  store.dispatch({
    type: 'gpu/update',
    status: { state: 'ok' },
    gpus: [0, 1, 2].map((index) => ({ index, uuid: `GPU-${index}`, name: 'NVIDIA H100 80GB HBM3', memoryTotalMiB: 81559, memoryUsedMiB: 9000 * index, utilizationPct: 30 * index, temperatureC: 40 + index, powerW: 100, powerLimitW: 700, migEnabled: false })),
    processes: [],
    at: NOW,
  } as Action);
  const session = new LogSession('docker/vla-train-id', 'docker/vla-train');
  session.setState('live', 'following');
  for (let i = 0; i < 60; i++) {
    session.append([{ stream: i % 7 ? 'stdout' : 'stderr', text: i % 5 ? `step ${i} \x1b[32mloss\x1b[0m=0.${i} 日本語のログ 👍 ${'x'.repeat(i * 3)}` : `plain ${i}`, ts: new Date(NOW - (60 - i) * 1000).toISOString() }]);
  }
  const controller: Controller = { containerKey() {}, confirmed() {}, quit() {}, logSession: () => session };
  return { store, session, controller };
}

/** The root of the Ink tree drawn to this stdout (Ink keeps its instances by stdout). */
const rootOf = (stdout: object) => (instances as unknown as WeakMap<object, { rootNode: DOMElement }>).get(stdout)!.rootNode;

const ink = (root: DOMElement) => draw(root, InkOutput);

function draw(root: DOMElement, Kind: new (o: { width: number; height: number }) => { get(): { output: string } }): string {
  const out = new Kind({ width: root.yogaNode!.getComputedWidth(), height: root.yogaNode!.getComputedHeight() });
  renderNodeToOutput(root, out as never, { skipStaticElements: true });
  return out.get().output;
}

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const tick = async () => {
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 0));
};

describe("gantry's output stage", () => {
  it.each([
    [80, 24],
    [100, 30],
    [160, 45],
    [79, 23],
  ])('draws every frame exactly as Ink does at %i×%i', async (cols, rows) => {
    const { store, controller } = scene();
    const r = render(<App store={store} controller={controller} color size={{ cols, rows }} />);
    cleanup = r.unmount;
    const root = rootOf(r.stdout);
    // Keys that change what is drawn: moves, the panel's keys, tabs, help, panes, a filter.
    const steps = ['', 'j', 'j', 'G', '\r', 'k', 'k', 't', 'w', 'l', '/', 'l', 'o', 's', 's', '\r', '&', '\x1b', '\x1b', ']', ']', '[', '[', 'm', 'm', '?', '?', '5', '2', '6', '1', '/', 'w', 'o', 'r', 'k', '\r', 'e'];
    let compared = 0;
    const seen = { sgr: false, wide: false, border: false };
    for (const key of steps) {
      if (key) r.stdin.write(key);
      await tick();
      const ink = draw(root, InkOutput);
      expect(draw(root, Output)).toBe(ink);
      // Again: now every unchanged row comes from the rows kept from earlier frames.
      expect(draw(root, Output)).toBe(ink);
      compared++;
      seen.sgr ||= ink.includes('\x1b[');
      seen.wide ||= ink.includes('训练') || ink.includes('日本語');
      seen.border ||= ink.includes('│');
    }
    expect(compared).toBe(steps.length);
    // The frames compared held what makes output hard: colours, wide characters, borders.
    if (cols >= 80) expect(seen).toEqual({ sgr: true, wide: true, border: cols >= 160 });
    else expect(ink(root)).toContain('too small');
  });

  it('clips as Ink does: text reaching past a box on either side, above and below, wide characters on the edge', async () => {
    const Edge = ({ shift }: { shift: number }) => (
      <Box flexDirection="column" width={60} height={12}>
        <Box width={20} height={4} overflow="hidden" borderStyle="round" borderColor="cyan">
          <Box marginLeft={-shift} marginTop={-1} flexDirection="column">
            <Text color="green">{`日本語のログ and ${'wide 👍 '.repeat(6)}`}</Text>
            <Text>
              <Text bold color="red">
                {'e\u0301rror '}
              </Text>
              <Text inverse>{'训练任务 ' .repeat(4)}</Text>
            </Text>
            <Text>{'line\nbelow\nthe\nbox\nedge'}</Text>
          </Box>
        </Box>
        <Box width={30} height={3} overflowY="hidden" marginLeft={shift}>
          <Text backgroundColor="blue">{'tall\ntext\nin\na\nshort\nbox'}</Text>
        </Box>
        <Box width={12} overflowX="hidden">
          <Text wrap="truncate-middle">{`${'x'.repeat(shift)}中文字符abc`}</Text>
        </Box>
      </Box>
    );
    let last = '';
    for (let shift = 0; shift < 9; shift++) {
      const r = render(<Edge shift={shift} />);
      await tick();
      const root = rootOf(r.stdout);
      const want = ink(root);
      expect(draw(root, Output)).toBe(want);
      expect(draw(root, Output)).toBe(want);
      expect(want).not.toBe(last);
      last = want;
      r.unmount();
    }
  });
});

describe("gantry's text caches for Ink", () => {
  it('measure and wrap as Ink does, and forget old texts instead of keeping them all', async () => {
    const inkMeasure = (await import('../../node_modules/ink/build/measure-text.js')).default;
    const inkWrap = (await import('../../node_modules/ink/build/wrap-text.js')).default;
    const measureMod = await import('../../src/ui/ink/measure-text.js');
    const wrapMod = await import('../../src/ui/ink/wrap-text.js');
    const measure = measureMod.default;
    const wrap = wrapMod.default;
    const texts = ['', 'abc', 'two\nlines here', '日本語のログ 👍 e\u0301', '\x1b[31mred\x1b[0m and plain text that is long', 'x'.repeat(300)];
    for (const t of texts) {
      expect(measure(t)).toEqual(inkMeasure(t));
      for (const w of [1, 5, 12, 80]) for (const how of ['wrap', 'truncate', 'truncate-middle', 'truncate-start'] as const) expect(wrap(t, w, how)).toBe(inkWrap(t, w, how));
    }
    // Many different texts (a number changing for hours) leave a bounded number behind.
    for (let i = 0; i < 5000; i++) {
      measure(`reading ${i}`);
      wrap(`reading ${i}`, 30, 'truncate');
    }
    expect(measure('abc')).toEqual({ width: 3, height: 1 });
    expect(measureMod.remembered()).toBeLessThanOrEqual(1024);
    expect(wrapMod.remembered()).toBeLessThanOrEqual(1024);
    expect(measureMod.remembered()).toBeGreaterThan(0);
  });
});
