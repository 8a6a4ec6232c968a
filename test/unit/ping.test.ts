// Which engine answered a /_ping, from its headers (captured from Docker 20.10 and Podman 4.3 here).
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { engineFromHeaders, pingEngine } from '../../src/engine/ping.js';

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

describe('pingEngine over TCP', () => {
  // A plain HTTP engine stand-in that answers /_ping as Docker does.
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    server = createServer((_, res) => res.writeHead(200, { server: 'Docker/20.10.24 (linux)' }).end('OK'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('pings over plain HTTP', async () => {
    await expect(pingEngine(new Docker({ protocol: 'http', host: '127.0.0.1', port }), 2000)).resolves.toEqual({ kind: 'docker', version: '20.10.24' });
  });
  it('speaks TLS to an https engine (node:https loaded on first use): a plain HTTP server fails the handshake', async () => {
    const err = await pingEngine(new Docker({ protocol: 'https', host: '127.0.0.1', port }), 2000).catch((e: unknown) => e as NodeJS.ErrnoException);
    expect(err).toBeInstanceOf(Error);
    expect(String((err as NodeJS.ErrnoException).code ?? (err as Error).message)).toMatch(/EPROTO|SSL|ECONNRESET/i);
  });
});

describe('requests over a unix socket', () => {
  // An engine stand-in on a unix socket, as Docker and Podman listen on this machine.
  let server: Server;
  const dir = mkdtempSync(join(tmpdir(), 'gantry-ping-'));
  const socketPath = join(dir, 'engine.sock');
  beforeAll(async () => {
    server = createServer((req, res) => {
      res.writeHead(200, { server: 'Docker/20.10.24 (linux)', 'content-type': 'application/json' });
      res.end(req.url?.startsWith('/containers/json') ? '[]' : 'OK');
    });
    await new Promise<void>((r) => server.listen(socketPath, r));
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  it("work out no TLS server name, the ping's nor dockerode's (net.isIP's first call compiles a long pattern: 7.5 ms of a start)", async () => {
    const isIP = vi.spyOn(net, 'isIP');
    try {
      const docker = new Docker({ socketPath });
      await expect(pingEngine(docker, 2000)).resolves.toEqual({ kind: 'docker', version: '20.10.24' });
      await expect(docker.listContainers({ all: true })).resolves.toEqual([]);
      expect(isIP).not.toHaveBeenCalled();
    } finally {
      isIP.mockRestore();
    }
    // TLS keeps working out its server name: node:https has its own agent, left as it is.
    expect((https.globalAgent as unknown as { options: { servername?: string } }).options.servername).toBeUndefined();
  });
});
