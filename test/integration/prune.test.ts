// Prune against the real Docker and Podman engines: a preview item by item with the engine's
// bytes, then exactly those removed; what changed since is refused in plain words. The engines are
// shared with other tests: only previews filtered down to what this file made are executed.
import type Docker from 'dockerode';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diskUsage, PODMAN_NO_BUILD_CACHE } from '../../src/engine/resources/disk.js';
import { narrowPreview, previewPrune, sumBytes, type PruneCategory } from '../../src/engine/resources/prune.js';
import { executePrune } from '../../src/engine/resources/prune-run.js';
import { describePreview, describeResult } from '../../src/present/prune.js';
import { enginesOrSkip, uniqueName } from '../helpers/engines.js';
import { exists, follow, inspectImage, keys, Made, REPO, sizeRw, spied } from '../helpers/resources.js';

const engines = enginesOrSkip('prune integration tests (test/integration/prune.test.ts)');
const ALL_BUT_CACHE: PruneCategory[] = ['stoppedContainers', 'danglingImages', 'allUnusedImages', 'unusedNetworks', 'unusedVolumes'];

describe.skipIf(!engines).each(engines ?? [])('$kind prune', (te) => {
  const root = new Made(te);
  const K = te.kind;
  afterAll(async () => {
    await root.cleanup();
  });

  it('previews a prune item by item with the bytes the engine reports, then removes exactly those', async () => {
    const made = root.child();
    // What must survive: a running container, its image and the volume it mounts, busybox.
    const keepImg = await made.commitImage(uniqueName('keep'));
    const usedVol = await made.volume(uniqueName('res-pkeepvol'));
    const keepRun = await made.container({ name: uniqueName('res-pkeep'), image: keepImg.id, binds: [`${usedVol}:/data`], start: true });
    // What must go: stopped containers, the image only a stopped one uses, the volume only it
    // mounts, a dangling and an unused tagged image, an unused volume and network.
    const onlyStopped = await made.commitImage(uniqueName('onlystopped'));
    const volA = await made.volume(uniqueName('res-pvola'));
    const stopA = await made.container({
      name: uniqueName('res-pstopa'),
      image: onlyStopped.id,
      binds: [`${volA}:/data`],
      cmd: ['sh', '-c', 'head -c 20000 /dev/urandom > /rw; head -c 30000 /dev/urandom > /data/blob'],
      start: true,
      wait: true,
    });
    const stopB = await made.container({ name: uniqueName('res-pstopb') });
    const { dangling, tagged } = await made.dangling(uniqueName('pdangle'));
    const volFree = await made.volume(uniqueName('res-pvolfree'), 12_345);
    const netName = uniqueName('res-pnet');
    const net = await made.network(netName);
    const base = await inspectImage(te, te.image);

    const preview = await previewPrune(te.docker, K, K, ALL_BUT_CACHE);
    const mine = made.mine(preview.items);
    expect(keys(mine)).toEqual(
      [
        `${K}/container/${stopA.id}`,
        `${K}/container/${stopB.id}`,
        `${K}/image/${onlyStopped.id}`,
        `${K}/image/${dangling.id}`,
        `${K}/image/${tagged.id}`,
        `${K}/volume/${volA}`,
        `${K}/volume/${volFree}`,
        `${K}/network/${net}`,
      ].sort(),
    );
    const ids = new Set(preview.items.map((i) => i.id));
    for (const kept of [keepRun.id, keepImg.id, usedVol, base.id]) expect(ids.has(kept)).toBe(false);
    // Containers first, then images, networks, volumes: what a container held can go after it.
    const order = preview.items.map((i) => ['container', 'image', 'network', 'volume', 'buildCache'].indexOf(i.kind));
    expect(order).toEqual([...order].sort((x, y) => x - y));

    // Bytes: each item's figure is the engine's own.
    const by = (id: string) => preview.items.find((i) => i.id === id)!;
    expect(by(stopA.id).bytes).toBe(await sizeRw(te, stopA.id));
    expect(by(stopA.id).bytes).toBeGreaterThanOrEqual(20_000);
    expect(by(stopB.id).bytes).toBe(await sizeRw(te, stopB.id));
    expect(by(dangling.id)).toMatchObject({ category: 'danglingImages', bytes: dangling.size, bytesKnown: true, refs: [] });
    expect(by(tagged.id)).toMatchObject({ category: 'allUnusedImages', bytes: tagged.size });
    // A committed image frees only its own layer, not busybox's under it.
    expect(by(onlyStopped.id).bytes).toBe(onlyStopped.size - base.size);
    expect(by(onlyStopped.id).bytes).toBeGreaterThanOrEqual(25_000);
    const df = (await te.docker.df()) as { Volumes: { Name: string; UsageData: { Size: number } }[] };
    expect(by(volA).bytes).toBe(30_000);
    expect(by(volA).bytes).toBe(df.Volumes.find((v) => v.Name === volA)!.UsageData.Size);
    expect(by(volFree).bytes).toBe(12_345);
    expect(by(net).bytes).toBe(0);
    expect(preview.bytes).toBe(sumBytes(preview.items));
    expect(describePreview({ ...preview, items: mine, bytes: sumBytes(mine) })).toMatch(/^Would remove 2 containers, 3 images, 1 network and 2 volumes, freeing \d/);

    // Between the preview and the prune: someone removes two of the items, and new things appear.
    await stopB.remove();
    await te.docker.getVolume(volFree).remove();
    const stopC = await made.container({ name: uniqueName('res-pstopc') });
    const volNew = await made.volume(uniqueName('res-pvolnew'));

    const spy = spied(te);
    const result = await executePrune(spy.docker, { ...preview, items: mine, bytes: sumBytes(mine) });
    expect(result.refused).toEqual([]);
    expect(keys(result.gone)).toEqual([`${K}/container/${stopB.id}`, `${K}/volume/${volFree}`].sort());
    expect(keys(result.removed)).toEqual(keys(mine.filter((i) => i.id !== stopB.id && i.id !== volFree)));
    expect(result.bytes).toBe(sumBytes(result.removed));
    expect(result.bytes).toBe(preview.bytes - sumBytes(preview.items.filter((i) => !result.removed.some((r) => r.key === i.key))));
    expect(spy.calls.filter((c) => /prune/.test(c.path))).toEqual([]);
    expect(describeResult(result)).toMatch(/^Removed 1 container, 3 images, 1 network and 1 volume, freeing .*\. 1 container and 1 volume had already been removed\.$/);

    for (const it of result.removed) {
      const gone =
        it.kind === 'container'
          ? () => te.docker.getContainer(it.id).inspect()
          : it.kind === 'image'
            ? () => te.docker.getImage(it.id).inspect()
            : it.kind === 'volume'
              ? () => te.docker.getVolume(it.id).inspect()
              : () => te.docker.getNetwork(it.id).inspect();
      expect(await exists(gone), `${it.key} should be removed`).toBe(false);
    }
    expect((await keepRun.inspect()).State.Running).toBe(true);
    expect(await exists(() => te.docker.getImage(keepImg.id).inspect())).toBe(true);
    expect(await exists(() => te.docker.getVolume(usedVol).inspect())).toBe(true);
    expect(await exists(() => stopC.inspect())).toBe(true);
    expect(await exists(() => te.docker.getVolume(volNew).inspect())).toBe(true);
    expect(await exists(() => te.docker.getImage(te.image).inspect())).toBe(true);
  }, 120_000);

  it('keeps networks and volumes that containers use, and prunes volumes only when chosen', async () => {
    const made = root.child();
    const usedName = uniqueName('res-kn-used');
    const usedNet = await made.network(usedName);
    await made.container({ name: uniqueName('res-kn-user'), network: usedName });
    const freeNet = await made.network(uniqueName('res-kn-free'));
    const freeVol = await made.volume(uniqueName('res-kv-free'));

    const nets = await previewPrune(te.docker, K, K, ['unusedNetworks']);
    expect(keys(made.mine(nets.items))).toEqual([`${K}/network/${freeNet}`]);
    expect(nets.items.every((i) => i.kind === 'network' && i.category === 'unusedNetworks')).toBe(true);
    expect(nets.items.some((i) => i.id === usedNet)).toBe(false);
    // Nothing built in, whatever the engine calls it.
    expect(nets.items.some((i) => ['bridge', 'host', 'none', 'podman'].includes(i.name))).toBe(false);

    const noVolumes = await previewPrune(te.docker, K, K, ['stoppedContainers', 'danglingImages', 'unusedNetworks']);
    expect(noVolumes.items.some((i) => i.kind === 'volume')).toBe(false);
    const withVolumes = await previewPrune(te.docker, K, K, ['unusedVolumes']);
    expect(withVolumes.items.some((i) => i.id === freeVol)).toBe(true);
  });

  it('refuses, in plain words, what changed after the preview, and removes the rest', async () => {
    const made = root.child();
    const restarted = await made.container({ name: uniqueName('res-cstart'), cmd: ['sleep', '100000'] });
    const img = await made.importImage(uniqueName('cimg'));
    const netName = uniqueName('res-cnet');
    const net = await made.network(netName);
    const alsoGoes = await made.container({ name: uniqueName('res-cgo') });

    const preview = await previewPrune(te.docker, K, K, ['stoppedContainers', 'allUnusedImages', 'unusedNetworks']);
    const mine = made.mine(preview.items);
    expect(keys(mine)).toEqual([`${K}/container/${restarted.id}`, `${K}/container/${alsoGoes.id}`, `${K}/image/${img.id}`, `${K}/network/${net}`].sort());

    await restarted.start();
    const newUser = uniqueName('res-cnewuser');
    await made.container({ name: newUser, image: img.id });
    const netUser = uniqueName('res-cnetuser');
    await made.container({ name: netUser, network: netName });

    const result = await executePrune(te.docker, { ...preview, items: mine });
    expect(keys(result.removed)).toEqual([`${K}/container/${alsoGoes.id}`]);
    const reason = (id: string) => result.refused.find((r) => r.item.id === id)?.reason;
    // Docker says 409, Podman 500 "container state improper": both read the same here.
    expect(reason(restarted.id)).toMatch(/is running now \(it was started after the preview\): stop it first/);
    expect(reason(img.id)).toContain(`is used by container ${newUser} (created), created after the preview: not removed`);
    expect(reason(net)).toBe(`${netName} has container ${netUser} attached now: not removed`);
    expect((await restarted.inspect()).State.Running).toBe(true);
    expect(await exists(() => te.docker.getImage(img.id).inspect())).toBe(true);
    expect(await exists(() => te.docker.getNetwork(net).inspect())).toBe(true);
  });

  it('knows which stopped containers use an item: unticking one keeps what it uses, and exactly the narrowed preview is removed', async () => {
    const made = root.child();
    const img = await made.commitImage(uniqueName('nimg'));
    const vol = await made.volume(uniqueName('res-nvol'));
    const netName = uniqueName('res-nnet');
    const net = await made.network(netName);
    const user = await made.container({ name: uniqueName('res-nuser'), image: img.id, binds: [`${vol}:/data`], network: netName });
    const other = await made.container({ name: uniqueName('res-nother') });

    const pv = await previewPrune(te.docker, K, K, ['stoppedContainers', 'allUnusedImages', 'unusedNetworks', 'unusedVolumes']);
    const mine = { ...pv, items: made.mine(pv.items) };
    const by = (id: string) => mine.items.find((i) => i.id === id)!;
    const userKey = `${K}/container/${user.id}`;
    expect(by(img.id).users).toEqual([userKey]);
    expect(by(vol).users).toEqual([userKey]);
    expect(by(net).users).toEqual([userKey]);
    expect(by(other.id).users).toBeUndefined();

    // The user container unticked: its image, volume and network stay with it.
    const n = narrowPreview(mine, (i) => i.id !== user.id);
    expect(n.preview.items.map((i) => i.id)).toEqual([other.id]);
    expect(n.held.map((h) => h.item.id).sort()).toEqual([img.id, net, vol].sort());
    expect(n.preview.bytes).toBe(by(other.id).bytes);
    const result = await executePrune(te.docker, n.preview);
    expect(keys(result.removed)).toEqual([`${K}/container/${other.id}`]);
    expect(result.refused).toEqual([]);
    expect(await exists(() => other.inspect())).toBe(false);
    expect(await exists(() => user.inspect())).toBe(true);
    expect(await exists(() => te.docker.getImage(img.id).inspect())).toBe(true);
    expect(await exists(() => te.docker.getVolume(vol).inspect())).toBe(true);
    expect(await exists(() => te.docker.getNetwork(net).inspect())).toBe(true);
  }, 120_000);

  it('reports nothing to do for an empty prune, without touching the engine', async () => {
    const made = root.child();
    const spy = spied(te);
    const preview = await previewPrune(spy.docker, K, K, []);
    expect(preview).toMatchObject({ items: [], bytes: 0, refused: [] });
    expect(describePreview(preview)).toBe('Nothing to remove: nothing was chosen to prune.');
    const result = await executePrune(spy.docker, preview);
    expect(result).toEqual({ removed: [], bytes: 0, refused: [], gone: [] });
    expect(describeResult(result)).toBe('Nothing to remove: nothing was pruned.');
    expect(spy.calls).toEqual([]);
  });

  it(K === 'docker' ? 'prunes the build cache through /build/prune' : 'refuses to prune a build cache Podman does not have, without asking it', async () => {
    const made = root.child();
    if (K === 'podman') {
      const spy = spied(te);
      const preview = await previewPrune(spy.docker, K, K, ['buildCache']);
      expect(preview.items).toEqual([]);
      expect(preview.refused.map((r) => r.reason)).toEqual([PODMAN_NO_BUILD_CACHE]);
      expect(PODMAN_NO_BUILD_CACHE).toMatch(/^Podman has no build cache to prune/);
      expect(describePreview(preview)).toContain('Podman has no build cache to prune');
      const result = await executePrune(spy.docker, preview);
      expect(result.removed).toEqual([]);
      expect(result.refused.map((r) => r.reason)).toEqual([PODMAN_NO_BUILD_CACHE]);
      expect(spy.calls.filter((c) => c.path.includes('/build'))).toEqual([]);
      return;
    }
    // A BuildKit build leaves cache records behind (the context and the COPY step).
    const dir = mkdtempSync(join(tmpdir(), 'gantry-res-build-'));
    const tag = uniqueName('bk');
    try {
      writeFileSync(join(dir, 'blob'), randomBytes(77_777));
      writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\nCOPY blob /blob\n');
      await follow(te, await te.docker.buildImage({ context: dir, src: ['Dockerfile', 'blob'] }, { version: '2', t: `${REPO}:${tag}` } as Docker.ImageBuildOptions));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    made.note('images', (await inspectImage(te, `${REPO}:${tag}`)).id);
    type Rec = { ID: string; Size: number; InUse: boolean; Shared: boolean };
    const records = ((await te.docker.df()) as { BuildCache: Rec[] | null }).BuildCache ?? [];
    const reclaimable = records.filter((r) => !r.InUse && !r.Shared);
    expect(reclaimable.length).toBeGreaterThan(0);

    const preview = await previewPrune(te.docker, K, K, ['buildCache']);
    expect(preview.items).toHaveLength(1);
    const cache = preview.items[0]!;
    expect(cache).toMatchObject({ kind: 'buildCache', bytes: reclaimable.reduce((s, r) => s + r.Size, 0) });
    expect(cache.refs?.sort()).toEqual(reclaimable.map((r) => r.ID).sort());
    expect(cache.bytes).toBeGreaterThanOrEqual(77_777);

    const du = await diskUsage(te.docker, K);
    expect(du.buildCache?.reclaimable).toBe(cache.bytes);

    const spy = spied(te);
    const result = await executePrune(spy.docker, preview);
    expect(spy.calls.filter((c) => c.path.startsWith('/build/prune'))).toEqual([{ method: 'POST', path: '/build/prune' }]);
    // The engine's own figure for what it freed: here exactly the preview's.
    expect(result.bytes).toBe(cache.bytes);
    expect(result.removed).toHaveLength(1);
    const after = ((await te.docker.df()) as { BuildCache: Rec[] | null }).BuildCache ?? [];
    expect(after.filter((r) => !r.InUse && !r.Shared)).toEqual([]);
    // Leave no cache behind: the records the image still shares become free with it.
    await te.docker.getImage(`${REPO}:${tag}`).remove();
    await te.docker.pruneBuilder();
  }, 120_000);
});
