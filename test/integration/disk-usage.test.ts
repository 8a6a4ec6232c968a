// Disk usage per category and the engine's facts against the real Docker and Podman engines,
// compared with their own /system/df and /info.
import { afterAll, describe, expect, it } from 'vitest';
import { diskUsage, PODMAN_NO_BUILD_CACHE } from '../../src/engine/resources/disk.js';
import { previewPrune } from '../../src/engine/resources/prune.js';
import { enginesOrSkip, uniqueName } from '../helpers/engines.js';
import { Made } from '../helpers/resources.js';

const engines = enginesOrSkip('disk usage integration tests (test/integration/disk-usage.test.ts)');

describe.skipIf(!engines).each(engines ?? [])('$kind disk usage', (te) => {
  const root = new Made(te);
  const K = te.kind;
  afterAll(async () => {
    await root.cleanup();
  });

  it("reports disk usage by category with the engine's own counts and facts", async () => {
    const made = root.child();
    const { dangling } = await made.dangling(uniqueName('du'));
    const vol = await made.volume(uniqueName('res-duvol'), 33_000);
    await made.container({ name: uniqueName('res-du-stopped'), cmd: ['sh', '-c', 'head -c 21000 /dev/urandom > /rw'], start: true, wait: true });

    type RawDf = { LayersSize: number; Images: unknown[]; Containers: unknown[]; Volumes: unknown[] };
    const before = (await te.docker.df()) as RawDf;
    const du = await diskUsage(te.docker, K);
    const after = (await te.docker.df()) as RawDf;
    const counts = (d: RawDf) => [d.Images.length, d.Containers.length, d.Volumes.length];
    // Other tests share the engines: compare only when nothing changed around our call.
    if (JSON.stringify(counts(before)) === JSON.stringify(counts(after))) {
      expect([du.images.count, du.containers.count, du.volumes.count]).toEqual(counts(after));
      if (K === 'docker') expect(du.images.size).toBe(after.LayersSize);
    }
    expect(du.images.reclaimable).toBeGreaterThanOrEqual(dangling.size);
    expect(du.volumes.reclaimable).toBeGreaterThanOrEqual(33_000);
    expect(du.volumes.size).toBeGreaterThanOrEqual(du.volumes.reclaimable);
    expect(du.containers.reclaimable).toBeGreaterThanOrEqual(21_000);
    expect(du.images.active).toBeGreaterThanOrEqual(1); // busybox, used by running containers
    expect(du.images.size).toBeGreaterThanOrEqual(du.images.reclaimable);
    const figures = await previewPrune(te.docker, K, K, ['allUnusedImages', 'unusedVolumes']);
    expect(figures.items.some((i) => i.id === vol && i.bytes === 33_000)).toBe(true);

    const info = (await te.docker.info()) as { DockerRootDir: string; Driver: string };
    expect(du.facts).toMatchObject({ kind: K, rootDir: info.DockerRootDir, storageDriver: info.Driver });
    expect(du.facts.version).toMatch(/^\d+\.\d+/);
    if (K === 'docker') {
      expect(du.buildCache).toBeDefined();
      expect(du.buildCacheNote).toBeUndefined();
      expect(du.imagesSizeEstimated).toBe(false);
    } else {
      expect(du.buildCache).toBeUndefined();
      expect(du.buildCacheNote).toBe(PODMAN_NO_BUILD_CACHE);
      expect(du.imagesSizeEstimated).toBe(true);
    }
  });
});
