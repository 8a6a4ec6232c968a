// Discovery as a stream, against the real engines: an engine is handed over the moment it answers,
// while a place that says nothing is still being tried; what is tried is reported in candidate order.
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { streamEngines } from '../../src/engine/discovery.js';
import { placesToTry } from '../../src/engine/discoveryPlaces.js';
import type { Engine } from '../../src/engine/engine.js';
import { enginesOrSkip } from '../helpers/engines.js';
import { silentSocket } from '../helpers/silentSocket.js';

const engines = enginesOrSkip('integration tests (test/integration/discovery-stream.test.ts)');
const tmp = mkdtempSync(join(tmpdir(), 'gantry-ds-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(!engines)('streamed discovery', () => {
  const [docker, podman] = engines ?? [];

  it('hands over an engine while a silent place is still being tried, then settles that place as failed', async () => {
    const silent = await silentSocket(join(tmp, 'silent.sock'));
    const trying: string[][] = [];
    let handed: Engine | undefined;
    let tryingWhenHanded: string[] = [];
    const stream = streamEngines(
      { env: {}, home: tmp, hosts: [`unix://${silent.path}`, docker!.url], podmanService: false, probeTimeoutMs: 1500 },
      {
        trying: (p) => trying.push(p),
        engine: (e) => {
          handed = e;
          tryingWhenHanded = trying.at(-1) ?? [];
        },
      },
    );
    try {
      // Both places are shown as being tried at once.
      expect(trying[0]).toEqual([silent.path, docker!.socket]);
      const d = await stream.done;
      expect(handed?.kind).toBe('docker');
      expect(tryingWhenHanded).toEqual([silent.path]);
      expect(d.engines.map((e) => e.id)).toEqual(['docker']);
      // In the order they were given, not the order they settled in.
      expect(d.attempts.map((a) => [a.endpoint.url, a.ok])).toEqual([
        [`unix://${silent.path}`, false],
        [docker!.url, true],
      ]);
      expect(trying.at(-1)).toEqual([]);
    } finally {
      stream.shutdown();
      await silent.close();
    }
  });

  it('joins two paths to one engine once (the second is the same engine), and both kinds under their own ids', async () => {
    const link = join(tmp, 'docker-link.sock');
    symlinkSync(docker!.socket, link);
    const handed: string[] = [];
    const stream = streamEngines(
      { env: {}, home: tmp, hosts: [docker!.url, `unix://${link}`, podman!.url], podmanService: false },
      { engine: (e) => handed.push(e.id) },
    );
    const d = await stream.done;
    try {
      expect(handed.sort()).toEqual(['docker', 'podman']);
      expect(d.attempts[1]!.detail).toMatch(/same engine as/);
    } finally {
      stream.shutdown();
    }
  });

  it('does not show a place whose socket is not there as being tried', () => {
    const places = placesToTry({ env: {}, home: tmp, hosts: [`unix://${tmp}/none.sock`, docker!.url, 'tcp://127.0.0.1:1'] });
    expect(places).toEqual([docker!.socket, 'tcp://127.0.0.1:1']);
  });
});
