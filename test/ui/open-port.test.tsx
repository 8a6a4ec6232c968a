// w: a container's published port. With a display and xdg-open on the PATH the first port's URL
// is handed to the opener (a real executable here, which writes down what it got); over SSH, or
// with no display, the URLs show with the `ssh -L` line that forwards them; no port says so.
import React from 'react';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { Controller } from '../../src/ui/App.js';
import { renderApp } from '../helpers/inkApp.js';
import { createStore } from '../../src/store/store.js';
import { initialState, reducer, type Action, type AppState } from '../../src/store/state.js';
import { selectedContainer } from '../../src/store/select.js';
import type { Container, PortMapping } from '../../src/engine/models.js';
import { OpenPortController, portPlan, type PortEnv } from '../../src/actions/openPort.js';
import { waitUntil } from '../helpers/engines.js';

const tmp = mkdtempSync(join(tmpdir(), 'gantry-open-port-'));
const opened = join(tmp, 'opened');
writeFileSync(join(tmp, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${opened}'\n`);
chmodSync(join(tmp, 'xdg-open'), 0o755);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function web(ports: PortMapping[], name = 'alice-notebook'): Container {
  return { key: `docker/${name}`, engineId: 'docker', id: name, name, image: 'jupyter', state: 'running', status: '', created: 0, ports, command: '', labels: {} };
}
const P8888: PortMapping = { hostIp: '0.0.0.0', hostPort: 8888, containerPort: 8888, protocol: 'tcp' };
const P6006: PortMapping = { hostIp: '0.0.0.0', hostPort: 16006, containerPort: 6006, protocol: 'tcp' };
const desk: PortEnv = { env: { DISPLAY: ':0', PATH: tmp }, platform: 'linux', user: 'alice' };
const ssh: PortEnv = { env: { SSH_CONNECTION: '10.1.2.3 51234 10.9.8.7 22', DISPLAY: 'localhost:10.0', PATH: tmp }, platform: 'linux', user: 'alice' };

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function setup(c: Container, e: PortEnv) {
  const store = createStore<AppState, Action>(reducer, initialState());
  store.dispatch({ type: 'engines/set', engines: [{ id: 'docker', kind: 'docker', label: 'd', endpoint: 'unix:///var/run/docker.sock', status: 'up' }] });
  store.dispatch({ type: 'containers/set', engineId: 'docker', containers: [c] });
  const ports = new OpenPortController(store, e);
  const controller: Controller = { containerKey: vi.fn(), confirmed: vi.fn(), quit: vi.fn(), openPort: () => ports.open(selectedContainer(store.getState())) };
  const r = renderApp(store, controller, { cols: 120, rows: 30 }, 20);
  cleanup = r.unmount;
  const press = r.press;
  return { ...r, store, press };
}

describe('w on a container with a published port', () => {
  it('opens the first URL with xdg-open where a browser can open, naming the others', async () => {
    const { lastFrame, press } = setup(web([P8888, P6006]), desk);
    await press('w');
    await waitUntil(() => existsSync(opened), 5000, 'xdg-open ran');
    expect(readFileSync(opened, 'utf8')).toBe('http://127.0.0.1:8888\n');
    expect(lastFrame()).toContain('opening http://127.0.0.1:8888 for docker/alice-notebook (also published: http://127.0.0.1:16006)');
  });

  it('over SSH shows the URLs and the ssh -L line that forwards every port', async () => {
    const { lastFrame, press, store } = setup(web([P8888, P6006]), ssh);
    await press('w');
    const f = lastFrame()!;
    expect(f).toContain('docker/alice-notebook publishes:');
    expect(f).toContain('http://127.0.0.1:8888   (container port 8888)');
    expect(f).toContain('http://127.0.0.1:16006   (container port 6006)');
    expect(f).toContain('No browser opens from here: gantry runs over SSH.');
    expect(f).toContain('ssh -L 8888:127.0.0.1:8888 -L 16006:127.0.0.1:16006 alice@10.9.8.7');
    await press('\x1b');
    await new Promise((res) => setTimeout(res, 60));
    expect(store.getState().ui.confirm).toBeUndefined();
  });

  it('says so when the container publishes nothing', async () => {
    const { lastFrame, press } = setup(web([{ containerPort: 80, protocol: 'tcp' }]), desk);
    await press('w');
    expect(lastFrame()).toContain('docker/alice-notebook exposes 80 but publishes no port: nothing to open');
  });
});

describe('the plan', () => {
  it('has no opener without a display or without xdg-open, and says which', () => {
    expect(portPlan(web([P8888]), 'unix:///d', { ...desk, env: { PATH: tmp } }).why).toBe('no display here (DISPLAY and WAYLAND_DISPLAY are unset)');
    expect(portPlan(web([P8888]), 'unix:///d', { ...desk, env: { DISPLAY: ':0', PATH: join(tmp, 'none') } }).why).toBe('no xdg-open on the PATH');
    expect(portPlan(web([P8888]), 'unix:///d', desk).opener).toBe(join(tmp, 'xdg-open'));
  });
  it("uses a remote engine's host, and forwards through an engine reached over SSH", () => {
    expect(portPlan(web([P8888]), 'tcp://gpu-07:2375', desk).urls[0]!.url).toBe('http://gpu-07:8888');
    const viaSsh = portPlan(web([P8888]), 'ssh://bob@gpu-07', desk);
    expect(viaSsh.forward).toBe('ssh -L 8888:127.0.0.1:8888 bob@gpu-07');
    expect(viaSsh.opener).toBeUndefined();
    expect(portPlan(web([P8888]), 'unix:///d', { ...ssh, env: { ...ssh.env, SSH_CONNECTION: '10.1.2.3 5 10.9.8.7 2222' } }).forward).toBe('ssh -p 2222 -L 8888:127.0.0.1:8888 alice@10.9.8.7');
  });
});
