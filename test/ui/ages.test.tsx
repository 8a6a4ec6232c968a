// Ages on the list count each second for ten seconds and every five to a minute, and the clock
// slows to a read every 15 s once none is under a minute (an idle list is not redrawn each second).
import React from 'react';
import { render } from 'ink-testing-library';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tick } from '../helpers/ink.js';
import { App, type Controller } from '../../src/ui/App.js';
import { createStore } from '../../src/store/store.js';
import { initialState, reducer, type AppState, type Action } from '../../src/store/state.js';
import type { Container } from '../../src/engine/models.js';

const T0 = Date.parse('2026-12-04T10:00:00Z');

function ctr(name: string, sinceMs: number, createdMs = sinceMs): Container {
  return {
    key: `docker/${name}-id`,
    engineId: 'docker',
    id: `${name}-id`,
    name,
    image: 'busybox:latest',
    state: 'running',
    status: '',
    created: Math.floor(createdMs / 1000),
    since: sinceMs,
    ports: [],
    command: 'sleep 1000',
    labels: {},
  };
}

let cleanup: (() => void) | undefined;
beforeEach(() => {
  // Only the clock's timers and Date: Ink and the helpers' ticks keep real immediates and timeouts.
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'], now: T0 });
});
afterEach(() => {
  cleanup?.();
  vi.useRealTimers();
});

function setup(containers: Container[]) {
  const store = createStore<AppState, Action>(reducer, initialState({}));
  store.dispatch({ type: 'engines/set', engines: [{ id: 'docker', kind: 'docker', label: '/var/run/docker.sock', endpoint: 'unix:///var/run/docker.sock', status: 'up' }] });
  store.dispatch({ type: 'containers/set', engineId: 'docker', containers });
  const controller: Controller = { containerKey: vi.fn(), confirmed: vi.fn(), quit: vi.fn() };
  const r = render(<App store={store} controller={controller} color={false} size={{ cols: 120, rows: 30 }} />);
  cleanup = r.unmount;
  return { ...r, store };
}

const row = (frame: string, name: string) => frame.split('\n').find((l) => l.includes(name)) ?? '';

async function advance(ms: number) {
  vi.advanceTimersByTime(ms);
  await tick();
  await tick();
}

describe('ages on the container list', () => {
  it('count up each second for ten seconds, every five to a minute, then by the minute', async () => {
    const { lastFrame } = setup([ctr('fresh', T0 - 3_000, T0 - 10_000), ctr('old', T0 - 3 * 3600_000)]);
    await tick();
    expect(row(lastFrame()!, 'fresh')).toMatch(/up 3s\s.*10s ago/);
    await advance(1_000);
    expect(row(lastFrame()!, 'fresh')).toMatch(/up 4s\s.*11s ago/);
    await advance(2_000);
    expect(row(lastFrame()!, 'fresh')).toMatch(/up 6s\s.*13s ago/);
    expect(row(lastFrame()!, 'old')).toMatch(/up 3h/);
    await advance(4_000);
    expect(row(lastFrame()!, 'fresh')).toMatch(/up 10s\s.*17s ago/);
    // Ten seconds old: the clock reads every five seconds now.
    await advance(1_000);
    expect(row(lastFrame()!, 'fresh')).toMatch(/up 10s/);
    await advance(4_000);
    expect(row(lastFrame()!, 'fresh')).toMatch(/up 15s\s.*22s ago/);
    await advance(45_000);
    expect(row(lastFrame()!, 'fresh')).toMatch(/up 1m\s.*1m ago/);
  });

  it('a container that appears later counts its seconds too', async () => {
    const { lastFrame, store } = setup([ctr('old', T0 - 3 * 3600_000)]);
    await tick();
    await advance(5_000);
    store.dispatch({ type: 'containers/set', engineId: 'docker', containers: [ctr('old', T0 - 3 * 3600_000), ctr('new', Date.now())] });
    await tick();
    await advance(3_000);
    expect(row(lastFrame()!, 'new')).toMatch(/up 3s/);
  });

  it('draws nothing new each second when every age is a minute or more', async () => {
    const { frames, lastFrame } = setup([ctr('fresh', T0 - 58_000, T0 - 3600_000), ctr('old', T0 - 3 * 3600_000)]);
    await tick();
    await advance(5_000);
    expect(row(lastFrame()!, 'fresh')).toMatch(/up 1m/);
    // The clock has slowed: seconds pass and no frame is drawn.
    await advance(1_000);
    const before = frames.length;
    for (let i = 0; i < 5; i++) await advance(1_000);
    expect(frames.length).toBe(before);
  });
});
