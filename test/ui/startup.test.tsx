// The screen while engines are still being found: the places being tried say "connecting…" in the
// header, and an engine that answered is shown with its list while the others still connect.
import React from 'react';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { tick } from '../helpers/ink.js';
import { App, type Controller } from '../../src/ui/App.js';
import { createStore } from '../../src/store/store.js';
import { initialState, reducer, type AppState, type Action } from '../../src/store/state.js';
import type { Container } from '../../src/engine/models.js';
import { splashFrame } from '../../src/app/splash.js';
import { stripSgr } from '../../src/text/ansi.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const DOCKER = '/var/run/docker.sock';
const PODMAN = '/run/user/1000/podman/podman.sock';

function running(name: string): Container {
  return { key: `docker/${name}`, engineId: 'docker', id: name, name, image: 'busybox:latest', state: 'running', status: '', created: 0, since: Date.now() - 60_000, ports: [], command: 'sh', labels: {} };
}

function setup() {
  const store = createStore<AppState, Action>(reducer, initialState({}));
  const controller: Controller = { containerKey: vi.fn(), confirmed: vi.fn(), quit: vi.fn() };
  const r = render(<App store={store} controller={controller} color={false} size={{ cols: 120, rows: 30 }} />);
  cleanup = r.unmount;
  return { ...r, store };
}

describe('start-up', () => {
  it('names each place being tried, "connecting…", in the header and the list, before any engine answered', async () => {
    const { lastFrame, store } = setup();
    store.dispatch({ type: 'engines/trying', places: [DOCKER, PODMAN] });
    await tick();
    const f = lastFrame()!;
    const header = f.split('\n')[0]!;
    expect(header).toContain(`◌ ${DOCKER} connecting…`);
    expect(header).toContain(`◌ ${PODMAN} connecting…`);
    expect(f).toContain(`connecting to ${DOCKER}, ${PODMAN}…`);
    expect(f).not.toContain('no containers on any engine');
  });

  it("shows an engine that answered, and its list, while another place is still connecting…", async () => {
    const { lastFrame, store } = setup();
    store.dispatch({ type: 'engines/trying', places: [DOCKER, PODMAN] });
    store.dispatch({ type: 'engines/set', engines: [{ id: 'docker', kind: 'docker', label: DOCKER, endpoint: `unix://${DOCKER}`, status: 'connecting' }] });
    store.dispatch({ type: 'engines/trying', places: [PODMAN] });
    store.dispatch({ type: 'containers/set', engineId: 'docker', containers: [running('vla-train')] });
    store.dispatch({ type: 'engine/status', id: 'docker', status: 'up' });
    await tick();
    const f = lastFrame()!;
    const header = f.split('\n')[0]!;
    expect(header).toMatch(new RegExp(`docker ● ${DOCKER}\\s+◌ ${PODMAN} connecting…`));
    expect(header).not.toContain(`${DOCKER} connecting…`);
    expect(f).toMatch(/docker\s+vla-train\s+busybox/);
    // The last place answered or failed: no "connecting…" is left.
    store.dispatch({ type: 'engines/trying', places: [] });
    await tick();
    expect(lastFrame()!).not.toContain('connecting…');
  });
});

describe('the first frame (before Ink is loaded)', () => {
  it('is the header and one line per place, "connecting…", no row wider than the terminal', () => {
    for (const width of [40, 80, 160]) {
      const rows = stripSgr(splashFrame([DOCKER, PODMAN], width, true)).split('\n');
      expect(rows[0]).toMatch(/^ gantry/);
      expect(rows.slice(2)).toHaveLength(2);
      expect(rows[2]).toMatch(/◌ .*connecting…$/);
      if (width >= 80) expect(rows[3]).toBe(`  ◌ ${PODMAN} connecting…`);
      for (const r of rows) expect([...r].length).toBeLessThanOrEqual(width);
    }
  });

  it('has no colour under NO_COLOR', () => {
    expect(splashFrame([DOCKER], 80, false)).not.toContain('\x1b[');
  });
});
