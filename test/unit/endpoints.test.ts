import { describe, expect, it } from 'vitest';
import { candidateEndpoints, checkHostUrl, currentContextHost, normaliseHostUrl } from '../../src/engine/endpoints.js';
import { labelFor, noEngineMessage, sameEngine } from '../../src/engine/discovery.js';
import { kindFromVersion } from '../../src/engine/resources/disk.js';
import { sshTunnelArgs } from '../../src/engine/transport.js';

const files = (m: Record<string, string>) => ({
  readFile: (p: string) => m[p],
  listDir: (p: string) =>
    Object.keys(m)
      .filter((k) => k.startsWith(p + '/'))
      .map((k) => k.slice(p.length + 1).split('/')[0]!),
});

describe('candidateEndpoints', () => {
  it('tries DOCKER_HOST, the context, the Docker socket, rootless then rootful Podman, in order', () => {
    const eps = candidateEndpoints({
      env: { DOCKER_HOST: 'tcp://10.1.2.3:2375', XDG_RUNTIME_DIR: '/run/user/1000' },
      home: '/home/u',
      ...files({
        '/home/u/.docker/config.json': JSON.stringify({ currentContext: 'lab' }),
        '/home/u/.docker/contexts/meta/abc/meta.json': JSON.stringify({ Name: 'lab', Endpoints: { docker: { Host: 'unix:///srv/lab.sock' } } }),
      }),
    });
    expect(eps.map((e) => [e.url, e.source])).toEqual([
      ['tcp://10.1.2.3:2375', 'DOCKER_HOST'],
      ['unix:///srv/lab.sock', 'context'],
      ['unix:///var/run/docker.sock', 'docker-default'],
      ['unix:///run/user/1000/podman/podman.sock', 'podman-rootless'],
      ['unix:///run/podman/podman.sock', 'podman-rootful'],
    ]);
  });

  it('uses only the --host values when given, deduplicated', () => {
    const eps = candidateEndpoints({ env: { DOCKER_HOST: 'unix:///x.sock' }, home: '/h' }, ['/a.sock', 'unix:///a.sock', 'host:2375']);
    expect(eps.map((e) => e.url)).toEqual(['unix:///a.sock', 'tcp://host:2375']);
    expect(eps.every((e) => e.source === 'flag')).toBe(true);
  });

  it('does not list the same place twice (DOCKER_HOST naming the default socket)', () => {
    const eps = candidateEndpoints({ env: { DOCKER_HOST: 'unix:///var/run/docker.sock' }, home: '/h' });
    expect(eps.filter((e) => e.url === 'unix:///var/run/docker.sock')).toHaveLength(1);
    expect(eps[0]!.source).toBe('DOCKER_HOST');
  });

  it('skips the rootless Podman socket when XDG_RUNTIME_DIR is unset', () => {
    const eps = candidateEndpoints({ env: {}, home: '/h' });
    expect(eps.map((e) => e.source)).toEqual(['docker-default', 'podman-rootful']);
  });
});

describe('currentContextHost', () => {
  it('ignores the default context and broken files', () => {
    expect(currentContextHost({ env: {}, home: '/h', ...files({ '/h/.docker/config.json': '{"currentContext":"default"}' }) })).toBeUndefined();
    expect(currentContextHost({ env: {}, home: '/h', ...files({ '/h/.docker/config.json': '{not json' }) })).toBeUndefined();
  });
  it('honours DOCKER_CONTEXT and DOCKER_CONFIG', () => {
    const r = currentContextHost({
      env: { DOCKER_CONTEXT: 'gpu', DOCKER_CONFIG: '/cfg' },
      home: '/h',
      ...files({ '/cfg/contexts/meta/x/meta.json': JSON.stringify({ Name: 'gpu', Endpoints: { docker: { Host: 'ssh://me@gpu1' } } }) }),
    });
    expect(r).toEqual({ name: 'gpu', host: 'ssh://me@gpu1' });
  });
});

describe('host URLs', () => {
  it('normalises paths and host:port', () => {
    expect(normaliseHostUrl('/var/run/docker.sock')).toBe('unix:///var/run/docker.sock');
    expect(normaliseHostUrl('gpu1:2375')).toBe('tcp://gpu1:2375');
    expect(normaliseHostUrl('ssh://u@h')).toBe('ssh://u@h');
  });
  it('explains bad ones', () => {
    expect(checkHostUrl('unix://relative.sock')).toMatch(/absolute path/);
    expect(checkHostUrl('ftp://x')).toMatch(/unsupported scheme "ftp"/);
    expect(checkHostUrl('nonsense')).toMatch(/not an engine address/);
    expect(checkHostUrl('tcp://h:2375')).toBeUndefined();
    expect(checkHostUrl('unix:///a.sock')).toBeUndefined();
  });
  it('builds an ssh tunnel that forwards a local socket to the remote engine socket', () => {
    expect(sshTunnelArgs('ssh://me@gpu1:2222', '/tmp/x.sock')).toEqual([
      '-nNT', '-o', 'ExitOnForwardFailure=yes', '-o', 'BatchMode=yes', '-L', '/tmp/x.sock:/var/run/docker.sock', '-p', '2222', '--', 'me@gpu1',
    ]);
    expect(sshTunnelArgs('ssh://gpu1/run/user/1000/podman/podman.sock', '/tmp/y.sock')).toContain('/tmp/y.sock:/run/user/1000/podman/podman.sock');
  });
});

describe('engine identity', () => {
  it('tells Podman from Docker by /version', () => {
    expect(kindFromVersion({ Components: [{ Name: 'Podman Engine' }] })).toBe('podman');
    expect(kindFromVersion({ Platform: { Name: 'Docker Engine - Community' }, Components: [{ Name: 'Engine' }] })).toBe('docker');
  });
  it('treats two paths to one socket, or one storage root, as one engine', () => {
    expect(sameEngine({ kind: 'docker', version: '1', realSocket: '/run/docker.sock' }, { kind: 'docker', version: '1', realSocket: '/run/docker.sock' })).toBe(true);
    expect(
      sameEngine({ kind: 'podman', version: '4', realSocket: '/a.sock', rootDir: '/var/lib/containers/storage' }, { kind: 'podman', version: '4', realSocket: '/b.sock', rootDir: '/var/lib/containers/storage' }),
    ).toBe(true);
    expect(
      sameEngine({ kind: 'docker', version: '1', realSocket: '/a.sock', rootDir: '/var/lib/docker' }, { kind: 'podman', version: '4', realSocket: '/b.sock', rootDir: '/var/lib/docker' }),
    ).toBe(false);
    expect(sameEngine({ kind: 'docker', version: '1', realSocket: '/a.sock', rootDir: '/x' }, { kind: 'docker', version: '1', realSocket: '/b.sock', rootDir: '/y' })).toBe(false);
  });
  it('labels rootless and rootful Podman', () => {
    const env = { XDG_RUNTIME_DIR: '/run/user/1000' };
    expect(labelFor({ url: 'unix:///run/user/1000/podman/podman.sock', source: 'podman-rootless', why: '' }, 'podman', env)).toBe('rootless');
    expect(labelFor({ url: 'unix:///run/podman/podman.sock', source: 'podman-rootful', why: '' }, 'podman', env)).toBe('rootful');
    expect(labelFor({ url: 'unix:///var/run/docker.sock', source: 'docker-default', why: '' }, 'docker', env)).toBe('/var/run/docker.sock');
  });
});

describe('noEngineMessage', () => {
  it('lists every place tried and how to start an engine', () => {
    const msg = noEngineMessage([
      { endpoint: { url: 'unix:///var/run/docker.sock', source: 'docker-default', why: 'Docker default socket' }, ok: false, detail: 'no socket there' },
      { endpoint: { url: 'unix:///run/podman/podman.sock', source: 'podman-rootful', why: 'rootful Podman socket' }, ok: false, detail: 'permission denied' },
    ]);
    expect(msg).toContain('unix:///var/run/docker.sock (Docker default socket): no socket there');
    expect(msg).toContain('unix:///run/podman/podman.sock (rootful Podman socket): permission denied');
    expect(msg).toMatch(/systemctl start docker/);
    expect(msg).toMatch(/podman\.socket/);
    expect(msg).toContain('`gantry doctor`');
  });

  it('names each place once: a detail that begins with the place (URL or socket path) loses it', () => {
    const msg = noEngineMessage([
      { endpoint: { url: 'tcp://127.0.0.1:1', source: 'flag', why: '--host' }, ok: false, detail: 'tcp://127.0.0.1:1: connection refused (nothing listens on that port)' },
      { endpoint: { url: 'unix:///tmp/nope.sock', source: 'flag', why: '--host' }, ok: false, detail: '/tmp/nope.sock: no socket there' },
      { endpoint: { url: 'unix:///tmp/other.sock', source: 'flag', why: '--host' }, ok: false, detail: '/tmp/nope.sock: no socket there' },
    ]);
    expect(msg).toContain('  - tcp://127.0.0.1:1 (--host): connection refused (nothing listens on that port)\n');
    expect(msg).toContain('  - unix:///tmp/nope.sock (--host): no socket there\n');
    // Another place's name in the detail is kept.
    expect(msg).toContain('  - unix:///tmp/other.sock (--host): /tmp/nope.sock: no socket there\n');
  });
});
