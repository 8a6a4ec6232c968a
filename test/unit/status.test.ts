// The engines' container list normalised: status texts, states, names, ports.
import { describe, expect, it } from 'vitest';
import { normaliseState, parseStatus } from '../../src/engine/status.js';
import { normaliseContainer } from '../../src/engine/containers.js';
import { portsText } from '../../src/present/container.js';

const NOW = Date.parse('2026-11-22T12:00:00Z');

describe('status parsing', () => {
  it('reads exit codes and health, and no age from the rounded words', () => {
    expect(parseStatus('Exited (137) 5 minutes ago')).toEqual({ exitCode: 137 });
    expect(parseStatus('Up 3 hours (healthy)')).toEqual({ health: 'healthy' });
    expect(parseStatus('Up About an hour (health: starting)')).toEqual({ health: 'starting' });
    expect(parseStatus('Up 2 days (Paused)')).toEqual({});
    expect(parseStatus('Restarting (1) 4 seconds ago')).toEqual({ exitCode: 1 });
    expect(parseStatus('Created')).toEqual({});
  });
  it('sets no age on a listed row: the words are rounded (ages come from inspect)', () => {
    const info = { Id: 'c'.repeat(64), Names: ['/w'], Image: 'i', State: 'running', Status: 'Up About a minute', Created: 1, Ports: [], Labels: {}, Command: '' };
    expect(normaliseContainer('docker', info as never).since).toBeUndefined();
  });
  it('normalises states from both engines', () => {
    expect(normaliseState('running', 'Up 1 second')).toBe('running');
    expect(normaliseState('configured', 'Created')).toBe('created');
    expect(normaliseState('stopped', '')).toBe('exited');
    expect(normaliseState('', 'Up 5 minutes (Paused)')).toBe('paused');
    expect(normaliseState('weird', 'weird')).toBe('unknown');
  });
  it("strips Docker's leading slash from names, and only that", () => {
    const info = { Id: 'a'.repeat(64), Names: ['/web'], Image: 'nginx', State: 'running', Status: 'Up 1 hour', Created: 1, Ports: [], Labels: {}, Command: 'x' };
    expect(normaliseContainer('docker', info as never).name).toBe('web');
    expect(normaliseContainer('podman', { ...info, Names: ['pmtest'] } as never).name).toBe('pmtest');
  });
  it('lists a port published on 0.0.0.0 and :: once', () => {
    const info = {
      Id: 'b',
      Names: ['/w'],
      Image: 'i',
      State: 'running',
      Status: 'Up',
      Created: 1,
      Labels: {},
      Command: '',
      Ports: [
        { IP: '0.0.0.0', PrivatePort: 7860, PublicPort: 7860, Type: 'tcp' },
        { IP: '::', PrivatePort: 7860, PublicPort: 7860, Type: 'tcp' },
      ],
    };
    expect(portsText(normaliseContainer('docker', info as never).ports)).toBe('7860→7860');
  });
});
