// The log panel on screen, fed by a LogSession filled here (the real-engine side is tested in
// test/integration/logs-panel.test.ts and end to end): focus, pause with a count, search with a
// counter and n/N, the & and !& filters, timestamps, wrap, sideways scroll, since keys, full screen.
import React from 'react';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App, type Controller } from '../../src/ui/App.js';
import { createStore } from '../../src/store/store.js';
import { initialState, reducer, type AppState, type Action } from '../../src/store/state.js';
import type { Container } from '../../src/engine/models.js';
import { LogSession } from '../../src/store/logs.js';
import { sanitizeLine } from '../../src/engine/logs/sanitize.js';
import { inspectSummary } from '../../src/engine/inspect.js';

const NOW = Date.now();
const box = (name: string): Container => ({
  key: `docker/${name}-id`,
  engineId: 'docker',
  id: `${name}-id`,
  name,
  image: 'busybox',
  state: 'running',
  status: 'Up',
  created: Math.floor(NOW / 1000) - 60,
  since: NOW - 60_000,
  ports: [],
  command: 'sh',
  labels: {},
});

const tick = async (ms = 0) => {
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, ms));
};

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function setup(size = { cols: 100, rows: 30 }, extra: Partial<Controller> = {}) {
  const store = createStore<AppState, Action>(reducer, initialState({}));
  store.dispatch({ type: 'engines/set', engines: [{ id: 'docker', kind: 'docker', label: 'docker.sock', endpoint: 'unix:///d.sock', status: 'up' }] });
  store.dispatch({ type: 'containers/set', engineId: 'docker', containers: [box('vla-train'), box('web')] });
  const session = new LogSession('docker/vla-train-id', 'docker/vla-train');
  session.setState('live', 'following');
  for (let i = 1; i <= 100; i++) {
    session.append([{ stream: 'stdout', text: `step ${i} loss=${(1 / i).toFixed(3)}`, ts: new Date(NOW - (100 - i) * 1000).toISOString() }]);
    if (i % 10 === 0) session.append([{ stream: 'stderr', text: `warning: slow batch ${i}` }]);
  }
  // The controller applies the typed search to the session; here the test does.
  let query = '';
  store.subscribe(() => {
    const q = store.getState().ui.logs.query;
    if (q !== query) {
      query = q;
      try {
        session.setQuery(q ? new RegExp(q, /[A-Z]/.test(q) ? 'g' : 'gi') : undefined);
      } catch {
        session.setQuery(undefined);
      }
    }
  });
  const controller: Controller = { containerKey: vi.fn(), confirmed: vi.fn(), quit: vi.fn(), logSession: () => session, saveLogs: vi.fn(), ...extra };
  const r = render(<App store={store} controller={controller} color={false} size={size} />);
  cleanup = r.unmount;
  const press = async (...keys: string[]) => {
    for (const k of keys) {
      r.stdin.write(k);
      await tick();
    }
  };
  // The text on screen (the log rows carry their own SGR codes; styling is checked end to end).
  const frame = () => r.lastFrame()!.replace(/\x1b\[[\d;]*m/g, '');
  return { store, session, controller, press, frame };
}

describe('the log panel', () => {
  it('follows the newest line under the list, stderr marked', async () => {
    const { frame } = setup();
    await tick();
    const f = frame();
    expect(f).toContain('Logs');
    expect(f).toContain('docker/vla-train');
    expect(f).toContain('step 100 loss=0.010');
    expect(f).toMatch(/▌warning: slow batch 100/);
    expect(f).toMatch(/ following/);
  });

  it('names the newly selected container at once, with none of the old log under its name, until its log opens', async () => {
    const { press, frame } = setup();
    await tick();
    // The log controller opens the new stream once the selection rests; this session stays vla-train's.
    await press('j');
    const f = frame();
    expect(f).toMatch(/Logs .*docker\/web/);
    expect(f).toContain('loading…');
    expect(f).not.toContain('step 100 loss');
    await press('k');
    expect(frame()).toMatch(/Logs .*docker\/vla-train/);
    expect(frame()).toContain('step 100 loss=0.010');
  });

  it('pauses when scrolled up, counts new lines below, and G resumes', async () => {
    const { press, frame, session } = setup();
    await tick();
    await press('\r', 'k', 'k', 'k');
    expect(frame()).toMatch(/PAUSED · 3 new lines below \(G resumes\)/);
    expect(frame()).not.toContain('step 100 ');
    session.append([{ stream: 'stdout', text: 'fresh line' }]);
    await press('k');
    expect(frame()).toMatch(/PAUSED · 5 new lines below/);
    expect(frame()).not.toContain('fresh line');
    await press('G');
    expect(frame()).toContain('fresh line');
    expect(frame()).toMatch(/ following/);
  });

  it('searches as you type with a counter, moves with n and N, and says when a regex is invalid', async () => {
    const { press, frame } = setup();
    await tick();
    await press('\r', '/', 's', 'l', 'o', 'w');
    expect(frame()).toMatch(/\/slow█\s+10 matches/);
    await press('\r', 'N');
    // From the bottom, N and n start at the newest match.
    expect(frame()).toMatch(/10\/10 matches/);
    await press('N', 'N');
    expect(frame()).toMatch(/8\/10 matches/);
    expect(frame()).toContain('warning: slow batch 80');
    await press('n');
    expect(frame()).toMatch(/9\/10 matches/);
    await press('/', '(', 'x');
    expect(frame()).toMatch(/invalid regular expression/);
    await press('\x1b');
    await tick(30);
    expect(frame()).not.toMatch(/matches|invalid/);
  });

  it('is case-sensitive only when the query has a capital', async () => {
    const { press, frame } = setup();
    await tick();
    await press('\r', '/', 'S', 'T', 'E', 'P');
    expect(frame()).toMatch(/0 matches/);
    await press('\x7f', '\x7f', '\x7f', '\x7f', 's', 't', 'e', 'p');
    expect(frame()).toMatch(/100 matches/);
  });

  it('keeps only matching lines with &, only the others with !&, and all again', async () => {
    const { press, frame } = setup();
    await tick();
    await press('\r', '/', 'w', 'a', 'r', 'n', '\r', '&');
    let body = frame();
    expect(body).toContain('& only matching');
    expect(body).toContain('warning: slow batch 100');
    expect(body).not.toMatch(/step \d+ loss/);
    await press('!', '&');
    body = frame();
    expect(body).toContain('!& only not matching');
    expect(body).toMatch(/step 100 loss/);
    expect(body).not.toContain('warning: slow batch');
    await press('!');
    expect(frame()).toContain('warning: slow batch 100');
    expect(frame()).toContain('step 100 loss');
  });

  it('asks for a search before & and n', async () => {
    const { press, frame } = setup();
    await tick();
    await press('\r', '&');
    expect(frame()).toContain('search first (/)');
    await press('n');
    expect(frame()).toContain('no search yet');
  });

  it('shows timestamps with t, wraps with w and scrolls sideways without wrap', async () => {
    const { press, frame, session } = setup();
    session.append([{ stream: 'stdout', text: `long ${'abcdefghij'.repeat(20)} END` }]);
    await tick(120);
    await press('\r', 't');
    expect(frame()).toMatch(/\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} step 100 loss/);
    await press('t');
    // Cut with a marker; w wraps it and the end shows.
    expect(frame()).toMatch(/long abcdefghij.*…/);
    expect(frame()).not.toContain('END');
    await press('w');
    expect(frame()).toContain('END');
    await press('w', 'l', 'l');
    expect(frame()).toMatch(/…\S*ghij/);
    expect(frame()).toContain('→16');
  });

  it('hands since keys, save and full screen to the right places, and Esc gives the keys back to the list', async () => {
    const { press, frame, store, controller } = setup();
    await tick();
    await press('\r', '4');
    expect(store.getState().ui.logs.since).toBe(4);
    expect(frame()).toContain('since 1h');
    await press('s');
    expect(controller.saveLogs).toHaveBeenCalledWith(false);
    await press('S');
    expect(controller.saveLogs).toHaveBeenCalledWith(true);
    // s in the panel saves; it never stopped the container.
    expect(controller.containerKey).not.toHaveBeenCalled();
    await press('m');
    expect(frame()).not.toContain('ENGINE NAME');
    await press('\x1b');
    await tick(30);
    expect(frame()).toContain('ENGINE NAME');
    await press('s');
    expect(controller.containerKey).toHaveBeenCalledWith(expect.objectContaining({ name: 'vla-train' }), 'stop');
  });

  it('switches tabs with [ and ]: Inspect shows the summary, Env masks secrets until v', async () => {
    const raw = {
      Id: 'vla-train-id',
      Name: '/vla-train',
      State: { Status: 'exited', ExitCode: 137, OOMKilled: true, StartedAt: '2026-11-22T10:00:00Z', FinishedAt: '2026-11-22T11:00:00Z' },
      RestartCount: 2,
      Config: { Image: 'busybox', Cmd: ['python', 'train.py'], Env: ['HF_TOKEN=hf_supersecret', 'PATH=/usr/bin'], Labels: {} },
      HostConfig: { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 }, ShmSize: 67108864 },
      Mounts: [],
      NetworkSettings: { Networks: {} },
    };
    const data = { key: 'docker/vla-train-id', inspect: { raw, summary: inspectSummary(raw) }, stats: [] };
    const { press, frame } = setup(undefined, { panelData: () => data });
    await tick();
    await press(']');
    let f = frame();
    expect(f).toMatch(/Inspect/);
    expect(f).toMatch(/137/);
    expect(f).toMatch(/OOM/i);
    expect(f).toMatch(/on-failure/);
    await press(']');
    f = frame();
    expect(f).toContain('PATH');
    expect(f).toContain('/usr/bin');
    expect(f).not.toContain('hf_supersecret');
    expect(f).toMatch(/1 look secret: masked/);
    await press('\r', 'v');
    expect(frame()).toContain('hf_supersecret');
    await press('[', '[');
    expect(frame()).toContain('step 100');
  });

  it('draws hostile log text inert and keeps the frame inside the terminal', async () => {
    const { session, frame, store } = setup({ cols: 80, rows: 24 });
    const evil = sanitizeLine('x\x1b[2J\x1b[H\x1b]0;owned\x07\x1b]52;c;ZXZpbA==\x07\x07y \u65e5\u672c\u8a9e'.repeat(8), { keepColor: true });
    session.append([{ stream: 'stdout', text: evil }]);
    // What the controller does after appending: ask for a redraw.
    store.dispatch({ type: 'logs/tick' });
    await tick();
    const f = frame();
    expect(f).not.toMatch(/\x1b\[2J|\x1b\]|\x07/);
    expect(f).toContain('x^Gy 日本語');
    const lines = f.split('\n');
    expect(lines.length).toBe(23);
  });
});

describe('an empty log in a narrow panel', () => {
  it('keeps the tab row: the "no log lines yet" note is cut to the panel, not wrapped over it', async () => {
    const store = createStore<AppState, Action>(reducer, initialState({}));
    store.dispatch({ type: 'engines/set', engines: [{ id: 'docker', kind: 'docker', label: 'docker.sock', endpoint: 'unix:///d.sock', status: 'up' }] });
    store.dispatch({ type: 'containers/set', engineId: 'docker', containers: [box('quiet')] });
    const session = new LogSession('docker/quiet-id', 'docker/quiet');
    session.setState('live', 'following');
    const controller: Controller = { containerKey: vi.fn(), confirmed: vi.fn(), quit: vi.fn(), logSession: () => session };
    const r = render(<App store={store} controller={controller} color={false} size={{ cols: 160, rows: 45 }} />);
    cleanup = r.unmount;
    await tick();
    const f = r.lastFrame()!;
    expect(f).toContain('no log lines yet');
    expect(f).toMatch(/Logs {2}Inspect {2}Env/);
  });
});
