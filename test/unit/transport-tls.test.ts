// An engine reached over TLS with no DOCKER_CERT_PATH is checked against Node's CAs and the file
// NODE_EXTRA_CA_CERTS names, which bin/gantry hands over as GANTRY_EXTRA_CA_CERTS (node then does
// not parse it at every start). A local HTTPS server with a certificate from a CA made here stands
// in for the engine's TLS port: the test engines listen on unix sockets only.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extraCas, openTransport } from '../../src/engine/transport.js';
import { pingEngine } from '../../src/engine/ping.js';

const dir = mkdtempSync(join(tmpdir(), 'gantry-tls-'));
const f = (n: string) => join(dir, n);
const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });

let server: Server;
let url: string;

beforeAll(async () => {
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '2', '-subj', '/CN=gantry test CA');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('engine.key'), '-out', f('engine.csr'), '-subj', '/CN=127.0.0.1');
  writeFileSync(f('san.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  openssl('x509', '-req', '-in', f('engine.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('engine.pem'), '-days', '2', '-extfile', f('san.cnf'));
  server = createServer({ key: readFileSync(f('engine.key')), cert: readFileSync(f('engine.pem')) }, (req, res) => {
    res.writeHead(200, { Server: 'Docker/27.5.1 (linux)', 'Api-Version': '1.47' });
    res.end('OK');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `tcp://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe('TLS engines and NODE_EXTRA_CA_CERTS', () => {
  it('trusts an engine whose certificate comes from a CA in the handed-over file', async () => {
    const t = await openTransport(url, { DOCKER_TLS_VERIFY: '1', GANTRY_EXTRA_CA_CERTS: f('ca.pem') });
    await expect(pingEngine(t.docker, 5000)).resolves.toEqual({ kind: 'docker', version: '27.5.1' });
  });

  it('refuses it without that file: the check is not turned off', async () => {
    const t = await openTransport(url, { DOCKER_TLS_VERIFY: '1' });
    await expect(pingEngine(t.docker, 5000)).rejects.toThrow(/self[- ]signed|unable to (get|verify)/i);
  });

  it("DOCKER_CERT_PATH's ca.pem wins over both", async () => {
    const t = await openTransport(url, { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: dir, GANTRY_EXTRA_CA_CERTS: f('engine.pem') });
    expect((t.docker.modem as unknown as { ca: unknown }).ca).toEqual(readFileSync(f('ca.pem')));
    await expect(pingEngine(t.docker, 5000)).resolves.toMatchObject({ kind: 'docker' });
  });

  it("keeps Node's own CAs beside the file's; a file that cannot be read is left out", () => {
    const cas = extraCas({ GANTRY_EXTRA_CA_CERTS: f('ca.pem') })!;
    expect(cas.length).toBeGreaterThan(100);
    expect(cas[cas.length - 1]).toBe(readFileSync(f('ca.pem'), 'utf8'));
    expect(extraCas({ GANTRY_EXTRA_CA_CERTS: f('missing.pem') })).toBeUndefined();
    expect(extraCas({})).toBeUndefined();
  });
});
