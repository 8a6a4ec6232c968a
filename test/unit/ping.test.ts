// Which engine answered a /_ping, from its headers (captured from Docker 20.10 and Podman 4.3 here).
import { describe, expect, it } from 'vitest';
import { engineFromHeaders } from '../../src/engine/ping.js';

describe('engineFromHeaders', () => {
  it('reads Podman from its Libpod headers', () => {
    expect(engineFromHeaders({ 'api-version': '1.41', 'libpod-api-version': '4.3.1', server: 'Libpod/4.3.1 (linux)' })).toEqual({ kind: 'podman', version: '4.3.1' });
    expect(engineFromHeaders({ server: 'Libpod/5.0.2 (linux)' })).toEqual({ kind: 'podman', version: '5.0.2' });
  });
  it('reads Docker from its Server header', () => {
    expect(engineFromHeaders({ 'api-version': '1.41', server: 'Docker/20.10.24+dfsg1 (linux)', ostype: 'linux' })).toEqual({ kind: 'docker', version: '20.10.24+dfsg1' });
  });
  it('says nothing when the headers say nothing (then /version decides)', () => {
    expect(engineFromHeaders({ 'api-version': '1.41' })).toEqual({});
    expect(engineFromHeaders({ server: 'nginx/1.22' })).toEqual({});
  });
});
