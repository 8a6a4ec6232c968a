// A container in words: its state, its age and its ports (src/present/container.ts).
import { describe, expect, it } from 'vitest';
import { portsText, shortDuration, stateText } from '../../src/present/container.js';
import type { Container } from '../../src/engine/models.js';

const NOW = Date.parse('2026-11-22T12:00:00Z');

function c(p: Partial<Container>): Container {
  return { key: 'docker/x', engineId: 'docker', id: 'x', name: 'x', image: 'i', state: 'running', status: '', created: 0, ports: [], command: '', labels: {}, ...p };
}

describe('state in words', () => {
  it('says up, exited with code and age, paused, restarting', () => {
    expect(stateText(c({ state: 'running', since: NOW - 3 * 3600_000 }), NOW)).toBe('up 3h');
    expect(stateText(c({ state: 'exited', exitCode: 1, since: NOW - 300_000 }), NOW)).toBe('exited (1) 5m ago');
    expect(stateText(c({ state: 'paused' }), NOW)).toBe('paused');
    expect(stateText(c({ state: 'restarting', exitCode: 1 }), NOW)).toBe('restarting (1)');
    expect(stateText(c({ state: 'created' }), NOW)).toBe('created');
    expect(stateText(c({ state: 'running', since: NOW, health: 'unhealthy' }), NOW)).toBe('up 0s unhealthy');
  });
  it('shortens durations', () => {
    expect(shortDuration(45_000)).toBe('45s');
    expect(shortDuration(3 * 86_400_000)).toBe('3d');
    expect(shortDuration(60 * 86_400_000)).toBe('8w');
  });
});

describe('ports in words', () => {
  it('shows published ports with their host address only when it is a specific one', () => {
    expect(portsText([{ containerPort: 7860, hostPort: 7860, hostIp: '0.0.0.0', protocol: 'tcp' }])).toBe('7860→7860');
    expect(portsText([{ containerPort: 80, hostPort: 8080, hostIp: '127.0.0.1', protocol: 'tcp' }])).toBe('127.0.0.1:8080→80');
    expect(portsText([{ containerPort: 53, hostPort: 5353, hostIp: '::', protocol: 'udp' }])).toBe('5353→53/udp');
  });
  it('shows an exposed port alone, and nothing for none', () => {
    expect(portsText([{ containerPort: 6006, protocol: 'tcp' }, { containerPort: 53, protocol: 'udp' }])).toBe('6006,53/udp');
    expect(portsText([])).toBe('');
  });
});
