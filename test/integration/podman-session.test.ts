// With podman installed and no Podman socket answering, gantry starts `podman system service` on a
// private socket for its session, uses it, and stops it on shutdown. Real podman; its storage is
// pointed at a temporary folder so the machine's own Podman is not touched.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverEngines, findOnPath } from '../../src/engine/discovery.js';
import { enginesOrSkip, waitUntil } from '../helpers/engines.js';

const engines = enginesOrSkip('Podman session service test');
const tmp = mkdtempSync(join(tmpdir(), 'gantry-psess-'));
afterAll(() => {
  try {
    execFileSync('sh', ['-c', `awk -v d="${tmp}" '$2 ~ "^"d {print $2}' /proc/mounts | sort -r | xargs -r umount -l`]);
  } catch {
    /* nothing mounted */
  }
  rmSync(tmp, { recursive: true, force: true });
});

/** This process's own session services: other gantrys on the machine start and stop theirs meanwhile. */
function podmanChildren(): string[] {
  try {
    return execFileSync('pgrep', ['-P', String(process.pid), '-af', 'podman system service --time=0 unix:///tmp/gantry-podman-'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.trim() && !l.includes('pgrep'));
  } catch {
    return [];
  }
}

describe.skipIf(!engines || !findOnPath('podman', process.env.PATH))('session Podman service', () => {
  it('is started when no Podman socket answers, used, and stopped on shutdown', async () => {
    const saved = { s: process.env.CONTAINERS_STORAGE_CONF, c: process.env.CONTAINERS_CONF };
    writeFileSync(join(tmp, 'storage.conf'), `[storage]\ndriver = "vfs"\ngraphroot = "${tmp}/root"\nrunroot = "${tmp}/run"\n`);
    process.env.CONTAINERS_STORAGE_CONF = join(tmp, 'storage.conf');
    writeFileSync(join(tmp, 'containers.conf'), '[engine]\nruntime = "runc"\n');
    process.env.CONTAINERS_CONF = join(tmp, 'containers.conf');
    const before = podmanChildren().length;
    try {
      // No DOCKER_HOST, no context, an empty runtime dir: nothing answers but the session service.
      const d = await discoverEngines({ env: { PATH: process.env.PATH, XDG_RUNTIME_DIR: tmp }, home: tmp, podmanService: true });
      try {
        const podman = d.engines.find((e) => e.kind === 'podman');
        expect(podman).toBeDefined();
        expect(podman!.sessionService).toBe(true);
        expect(podman!.label).toBe('rootless (session)');
        expect(d.attempts.some((a) => a.endpoint.source === 'podman-session' && a.ok)).toBe(true);
        expect(await podman!.listContainers()).toEqual([]);
        expect(podmanChildren().length).toBe(before + 1);
      } finally {
        d.shutdown();
      }
      await waitUntil(() => podmanChildren().length === before, 10_000, 'the session service to stop');
      const sock = d.engines[0]!.url.slice('unix://'.length);
      expect(existsSync(sock)).toBe(false);
    } finally {
      process.env.CONTAINERS_STORAGE_CONF = saved.s;
      process.env.CONTAINERS_CONF = saved.c;
      if (saved.s === undefined) delete process.env.CONTAINERS_STORAGE_CONF;
      if (saved.c === undefined) delete process.env.CONTAINERS_CONF;
    }
  }, 60_000);

  it('is not started when told not to', async () => {
    const d = await discoverEngines({ env: { PATH: process.env.PATH, XDG_RUNTIME_DIR: tmp }, home: tmp, podmanService: false });
    expect(d.engines.filter((e) => e.sessionService)).toEqual([]);
    d.shutdown();
  });
});
