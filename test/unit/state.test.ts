import { describe, expect, it } from 'vitest';
import { initialState, reducer, type Action, type AppState } from '../../src/store/state.js';
import { selectedContainer, visibleContainers } from '../../src/store/select.js';
import type { Container } from '../../src/engine/models.js';
import { eventNeedsRelist } from '../../src/store/sources.js';

function c(engineId: string, name: string, state: Container['state'], image = 'busybox'): Container {
  return { key: `${engineId}/${name}-id`, engineId, id: `${name}-id`, name, image, state, status: '', created: 0, ports: [], command: '', labels: {} };
}

function withContainers(): AppState {
  let s = initialState();
  const run = (a: Action) => (s = reducer(s, a));
  run({
    type: 'engines/set',
    engines: [
      { id: 'docker', kind: 'docker', label: '/var/run/docker.sock', endpoint: 'unix:///var/run/docker.sock', status: 'up' },
      { id: 'podman', kind: 'podman', label: 'rootless', endpoint: 'unix:///run/user/1000/podman/podman.sock', status: 'up' },
    ],
  });
  run({ type: 'containers/set', engineId: 'docker', containers: [c('docker', 'web', 'exited', 'nginx'), c('docker', 'vla-train', 'running', 'pytorch'), c('docker', 'jupyter', 'paused')] });
  run({ type: 'containers/set', engineId: 'podman', containers: [c('podman', 'web', 'running', 'nginx'), c('podman', 'old', 'created')] });
  return s;
}

const names = (s: AppState) => visibleContainers(s).map((x) => `${x.engineId}/${x.name}`);

describe('container list', () => {
  it('shows running (and paused) containers first, then by name, across engines', () => {
    expect(names(withContainers())).toEqual(['docker/jupyter', 'docker/vla-train', 'podman/web', 'podman/old', 'docker/web']);
  });

  it('filters by name or image, case-insensitively, as the filter changes', () => {
    let s = withContainers();
    s = reducer(s, { type: 'filter/set', list: 'containers', text: 'NGINX' });
    expect(names(s)).toEqual(['podman/web', 'docker/web']);
    s = reducer(s, { type: 'filter/set', list: 'containers', text: 'vla' });
    expect(names(s)).toEqual(['docker/vla-train']);
    s = reducer(s, { type: 'filter/set', list: 'containers', text: '' });
    expect(names(s)).toHaveLength(5);
    expect(s.ui.filters.containers).toBe('');
  });

  it('hides and shows stopped containers', () => {
    let s = reducer(withContainers(), { type: 'toggle-stopped' });
    expect(names(s)).toEqual(['docker/jupyter', 'docker/vla-train', 'podman/web']);
    s = reducer(s, { type: 'toggle-stopped' });
    expect(names(s)).toHaveLength(5);
  });

  it('keeps the selection on the same container when the list re-sorts', () => {
    let s = withContainers();
    s = reducer(s, { type: 'move', list: 'containers', delta: 2 });
    expect(selectedContainer(s)?.key).toBe('podman/web-id');
    // podman/web stops: it moves below the running ones, and stays selected.
    s = reducer(s, { type: 'containers/set', engineId: 'podman', containers: [c('podman', 'web', 'exited', 'nginx'), c('podman', 'old', 'created')] });
    expect(selectedContainer(s)?.key).toBe('podman/web-id');
    expect(s.ui.cursors.containers.index).toBe(visibleContainers(s).findIndex((x) => x.key === 'podman/web-id'));
  });

  it('keeps the row when the selected container disappears', () => {
    let s = withContainers();
    s = reducer(s, { type: 'move', list: 'containers', delta: 1 });
    expect(selectedContainer(s)?.name).toBe('vla-train');
    s = reducer(s, { type: 'containers/set', engineId: 'docker', containers: [c('docker', 'web', 'exited'), c('docker', 'jupyter', 'paused')] });
    expect(s.ui.cursors.containers.index).toBe(1);
    expect(selectedContainer(s)?.key).toBe('podman/web-id');
  });

  it('moves within bounds, to top and bottom', () => {
    let s = withContainers();
    s = reducer(s, { type: 'move', list: 'containers', delta: -5 });
    expect(s.ui.cursors.containers.index).toBe(0);
    s = reducer(s, { type: 'move', list: 'containers', to: 'bottom' });
    expect(selectedContainer(s)?.key).toBe('docker/web-id');
    s = reducer(s, { type: 'move', list: 'containers', delta: 100 });
    expect(s.ui.cursors.containers.index).toBe(4);
    s = reducer(s, { type: 'move', list: 'containers', to: 'top' });
    expect(s.ui.cursors.containers.index).toBe(0);
  });

  it('clears an action in flight when its container is gone', () => {
    let s = withContainers();
    s = reducer(s, { type: 'pending', key: 'docker/web-id', label: 'removing' });
    expect(s.ui.pending['docker/web-id']).toBe('removing');
    s = reducer(s, { type: 'containers/set', engineId: 'docker', containers: [c('docker', 'jupyter', 'paused')] });
    expect(s.ui.pending['docker/web-id']).toBeUndefined();
  });

  it('forgets the GPU settings of removed containers', () => {
    let s = withContainers();
    s = reducer(s, { type: 'grants/set', grants: { 'docker/web-id': null, 'docker/vla-train-id': { env: ['NVIDIA_VISIBLE_DEVICES=0'] } } });
    s = reducer(s, { type: 'containers/set', engineId: 'docker', containers: [c('docker', 'vla-train', 'running')] });
    expect(Object.keys(s.grants)).toEqual(['docker/vla-train-id']);
  });

  it('marks an engine down with its reason and up again, keeping its rows', () => {
    let s = withContainers();
    s = reducer(s, { type: 'engine/status', id: 'docker', status: 'down', error: 'connection refused' });
    expect(s.engines[0]).toMatchObject({ status: 'down', error: 'connection refused' });
    expect(names(s)).toContain('docker/vla-train');
    s = reducer(s, { type: 'engine/status', id: 'docker', status: 'up' });
    expect(s.engines[0]!.error).toBeUndefined();
  });
});

describe('events', () => {
  it('re-lists on container life-cycle events of both engines', () => {
    expect(eventNeedsRelist({ type: 'container', action: 'die', attributes: {} })).toBe(true);
    expect(eventNeedsRelist({ type: 'container', action: 'health_status: healthy', attributes: {} })).toBe(true);
    expect(eventNeedsRelist({ type: 'container', action: 'health_status', attributes: {} })).toBe(true);
    expect(eventNeedsRelist({ type: 'container', action: 'exec_start: sh', attributes: {} })).toBe(false);
    expect(eventNeedsRelist({ type: 'image', action: 'pull', attributes: {} })).toBe(false);
  });
});
