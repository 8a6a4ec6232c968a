// The engines' container list normalised: status texts, states, names, ports.
import { describe, expect, it } from 'vitest';
import { normaliseState, parseHumanDuration, parseStatus } from '../../src/engine/status.js';
import { normaliseContainer } from '../../src/engine/containers.js';
import { portsText } from '../../src/present/container.js';

const NOW = Date.parse('2026-11-22T12:00:00Z');

describe('status parsing', () => {
  it('reads human durations', () => {
    expect(parseHumanDuration('3 hours')).toBe(3 * 3600_000);
    expect(parseHumanDuration('About a minute')).toBe(60_000);
    expect(parseHumanDuration('About an hour')).toBe(3600_000);
    expect(parseHumanDuration('Less than a second')).toBe(0);
    expect(parseHumanDuration('2 weeks')).toBe(14 * 86_400_000);
    expect(parseHumanDuration('soon')).toBeUndefined();
  });
  it('reads exit codes and ages', () => {
    expect(parseStatus('Exited (137) 5 minutes ago', NOW)).toEqual({ exitCode: 137, since: NOW - 300_000 });
    expect(parseStatus('Up 3 hours (healthy)', NOW)).toEqual({ since: NOW - 3 * 3600_000, health: 'healthy' });
    expect(parseStatus('Up 2 days (Paused)', NOW)).toEqual({ since: NOW - 2 * 86_400_000 });
    expect(parseStatus('Restarting (1) 4 seconds ago', NOW)).toEqual({ exitCode: 1, since: NOW - 4000 });
    expect(parseStatus('Created', NOW)).toEqual({});
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
    expect(normaliseContainer('docker', info as never, NOW).name).toBe('web');
    expect(normaliseContainer('podman', { ...info, Names: ['pmtest'] } as never, NOW).name).toBe('pmtest');
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
    expect(portsText(normaliseContainer('docker', info as never, NOW).ports)).toBe('7860→7860');
  });
});
