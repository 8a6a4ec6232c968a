// Images, volumes, networks, disk usage and prune against the real Docker and Podman engines.
// The engines are shared with other tests: every assertion about a prune is restricted to the
// objects this file created, and only previews filtered down to those are executed.
import Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  PODMAN_NO_BUILD_CACHE,
  ResourceError,
  describePreview,
  describeResult,
  diskUsage,
  executePrune,
  listImages,
  listNetworks,
  listVolumes,
  previewPrune,
  removeImage,
  removeNetwork,
  removeVolume,
  sumBytes,
  type PruneCategory,
  type PruneItem,
} from '../../src/engine/resources.js';
import { RUN_LABEL, enginesOrSkip, removeTestContainers, uniqueName, type TestEngine } from '../helpers/engines.js';

const engines = enginesOrSkip('resource integration tests (test/integration/resources.test.ts)');
const REPO = 'gantry-test-res';
const ALL_BUT_CACHE: PruneCategory[] = ['stoppedContainers', 'danglingImages', 'allUnusedImages', 'unusedNetworks', 'unusedVolumes'];

// ───────────── helpers of this file ─────────────

/** A tar archive holding one file of random bytes (so no two images share a layer). */
function tarWithRandomFile(bytes: number): Buffer {
  const header = Buffer.alloc(512);
  const put = (s: string, off: number, len: number) => header.write(s.slice(0, len), off, 'ascii');
  put('blob', 0, 100);
  put('0000644\0', 100, 8);
  put('0000000\0', 108, 8);
  put('0000000\0', 116, 8);
  put(bytes.toString(8).padStart(11, '0') + '\0', 124, 12);
  put(Math.floor(Date.now() / 1000).toString(8).padStart(11, '0') + '\0', 136, 12);
  put('        ', 148, 8);
  put('0', 156, 1);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  let sum = 0;
  for (const b of header) sum += b;
  put(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8);
  const pad = (512 - (bytes % 512)) % 512;
  return Buffer.concat([header, randomBytes(bytes), Buffer.alloc(pad), Buffer.alloc(1024)]);
}

interface Img {
  id: string;
  size: number;
}

async function inspectImage(te: TestEngine, ref: string): Promise<Img> {
  const i = await te.docker.getImage(ref).inspect();
  return { id: i.Id, size: i.Size };
}

async function exists(get: () => Promise<unknown>): Promise<boolean> {
  try {
    await get();
    return true;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return false;
    throw err;
  }
}

async function follow(te: TestEngine, stream: NodeJS.ReadableStream): Promise<void> {
  await new Promise<void>((res, rej) => te.docker.modem.followProgress(stream, (err: unknown) => (err ? rej(err) : res())));
}

class Made {
  images = new Set<string>();
  volumes = new Set<string>();
  networks = new Set<string>();
  containers = new Set<string>();
  constructor(
    readonly te: TestEngine,
    private readonly parent?: Made,
  ) {}

  /** A fresh record for one test (its previews are filtered to it); cleanup still goes through this one. */
  child(): Made {
    return new Made(this.te, this);
  }

  note(kind: 'images' | 'volumes' | 'networks' | 'containers', id: string): void {
    this[kind].add(id);
    this.parent?.note(kind, id);
  }

  /** Imports a one-layer image of random bytes as gantry-test-res:<tag>. */
  async importImage(tag: string, bytes = 40_000): Promise<Img> {
    // Podman ignores the `tag` parameter of an import; a tag inside `repo` works on both.
    await follow(this.te, await this.te.docker.importImage(tarWithRandomFile(bytes) as unknown as NodeJS.ReadableStream, { repo: `${REPO}:${tag}` }));
    const img = await inspectImage(this.te, `${REPO}:${tag}`);
    this.note('images', img.id);
    return img;
  }

  /** A dangling image, made as ENGINES.md says: a second image imported under the same tag. */
  async dangling(tag: string): Promise<{ dangling: Img; tagged: Img }> {
    const dangling = await this.importImage(tag, 30_000);
    const tagged = await this.importImage(tag, 50_000);
    expect(tagged.id).not.toBe(dangling.id);
    return { dangling, tagged };
  }

  /** An image committed from a busybox container that wrote `bytes` bytes: it shares busybox's layer. */
  async commitImage(tag: string, bytes = 25_000): Promise<Img> {
    const c = await this.container({ name: uniqueName('res-commit'), cmd: ['sh', '-c', `head -c ${bytes} /dev/urandom > /blob`], start: true, wait: true });
    await c.commit({ repo: REPO, tag });
    await c.remove();
    const img = await inspectImage(this.te, `${REPO}:${tag}`);
    this.note('images', img.id);
    return img;
  }

  async container(o: { name: string; image?: string; cmd?: string[]; binds?: string[]; network?: string; start?: boolean; wait?: boolean }): Promise<Docker.Container> {
    const c = await this.te.docker.createContainer({
      name: o.name,
      Image: o.image ?? this.te.image,
      Cmd: o.cmd ?? ['sleep', '100000'],
      Labels: { [RUN_LABEL]: String(process.pid) },
      HostConfig: { NetworkMode: o.network ?? 'none', Binds: o.binds },
    });
    this.note('containers', c.id);
    if (o.start) await c.start();
    if (o.wait) await c.wait();
    return c;
  }

  /** A volume holding `bytes` bytes, written by a container that is removed again. */
  async volume(name: string, bytes = 0): Promise<string> {
    await this.te.docker.createVolume({ Name: name, Labels: { [RUN_LABEL]: String(process.pid) } });
    this.note('volumes', name);
    if (bytes > 0) {
      const c = await this.container({ name: uniqueName('res-fill'), cmd: ['sh', '-c', `head -c ${bytes} /dev/urandom > /data/blob`], binds: [`${name}:/data`], start: true, wait: true });
      await c.remove();
    }
    return name;
  }

  async network(name: string): Promise<string> {
    const n = await this.te.docker.createNetwork({ Name: name, Labels: { [RUN_LABEL]: String(process.pid) } });
    this.note('networks', n.id);
    return n.id;
  }

  mine(items: readonly PruneItem[]): PruneItem[] {
    return items.filter((i) => this.containers.has(i.id) || this.images.has(i.id) || this.volumes.has(i.id) || this.networks.has(i.id));
  }

  async cleanup(): Promise<void> {
    await removeTestContainers(this.te).catch(() => undefined);
    for (const id of this.containers) await this.te.docker.getContainer(id).remove({ force: true }).catch(() => undefined);
    for (const id of this.images) await this.te.docker.getImage(id).remove({ force: true }).catch(() => undefined);
    for (const n of this.volumes) await this.te.docker.getVolume(n).remove().catch(() => undefined);
    for (const id of this.networks) await this.te.docker.getNetwork(id).remove().catch(() => undefined);
  }
}

/** A second client on the same socket that records every request it sends. */
function spied(te: TestEngine): { docker: Docker; calls: { method: string; path: string }[] } {
  const docker = new Docker({ socketPath: te.socket });
  const calls: { method: string; path: string }[] = [];
  const modem = docker.modem as { dial: (o: { method: string; path: string }, cb: unknown) => unknown };
  const dial = modem.dial.bind(modem);
  modem.dial = (o, cb) => {
    calls.push({ method: o.method, path: o.path });
    return dial(o, cb);
  };
  return { docker, calls };
}

const keys = (items: readonly PruneItem[]) => items.map((i) => i.key).sort();
const sizeRw = async (te: TestEngine, id: string) => ((await te.docker.getContainer(id).inspect({ size: true } as Docker.ContainerInspectOptions)) as unknown as { SizeRw?: number }).SizeRw ?? 0;

// ───────────── tests ─────────────

describe.skipIf(!engines).each(engines ?? [])('$kind resources', (te) => {
  const root = new Made(te);
  const K = te.kind;
  afterAll(async () => {
    await root.cleanup();
  });

  it('lists images with their tags, dangling state, size and the containers using them', async () => {
    const made = root.child();
    const tag = uniqueName('img');
    const { dangling, tagged } = await made.dangling(tag);
    const used = await made.commitImage(uniqueName('used'));
    const a = await made.container({ name: uniqueName('res-img-a'), image: used.id, start: true });
    const b = await made.container({ name: uniqueName('res-img-b'), image: used.id });
    const rows = await listImages(te.docker, K);

    const d = rows.find((r) => r.id === dangling.id)!;
    expect(d).toMatchObject({ key: `${K}/${dangling.id}`, engineId: K, repoTags: [], dangling: true, size: dangling.size, containers: 0, containerNames: [] });
    expect(d.created).toBeGreaterThan(Date.now() / 1000 - 600);

    const t = rows.find((r) => r.id === tagged.id)!;
    expect(t.dangling).toBe(false);
    expect(t.repoTags).toHaveLength(1);
    expect(t.repoTags[0]).toMatch(new RegExp(`(^|/)${REPO}:${tag}$`));
    expect(t.size).toBe(tagged.size);

    const u = rows.find((r) => r.id === used.id)!;
    const names = [(await a.inspect()).Name, (await b.inspect()).Name].map((n) => n.replace(/^\//, '')).sort();
    expect(u).toMatchObject({ containers: 2, containerNames: names, size: used.size });
    // busybox itself: its count is what the container list says, not Docker's -1.
    const base = await inspectImage(te, te.image);
    const baseRow = rows.find((r) => r.id === base.id)!;
    const users = (await te.docker.listContainers({ all: true })).filter((c) => c.ImageID === base.id);
    expect(baseRow.containers).toBe(users.length);
    expect(rows.every((r) => r.containers >= 0 && !r.repoTags.some((x) => x.includes('<none>')))).toBe(true);
  });

  it('lists volumes with their size from df, anonymity, mountpoint and the containers mounting them', async () => {
    const made = root.child();
    const named = await made.volume(uniqueName('res-vol'), 40_000);
    const anon = await te.docker.createVolume({ Labels: { [RUN_LABEL]: String(process.pid) } });
    const anonName = (anon as unknown as { name: string }).name;
    made.note('volumes', anonName);
    const user = uniqueName('res-vol-user');
    await made.container({ name: user, binds: [`${named}:/data`] });

    const rows = await listVolumes(te.docker, K);
    const n = rows.find((r) => r.name === named)!;
    expect(n).toMatchObject({ key: `${K}/${named}`, driver: 'local', anonymous: false, containers: [user], size: 40_000 });
    expect(n.mountpoint).toContain(named);
    expect(n.created).toBeGreaterThan(Date.now() / 1000 - 600);
    const df = (await te.docker.df()) as { Volumes: { Name: string; UsageData: { Size: number } }[] };
    expect(n.size).toBe(df.Volumes.find((v) => v.Name === named)!.UsageData.Size);

    const an = rows.find((r) => r.name === anonName)!;
    expect(anonName).toMatch(/^[0-9a-f]{64}$/);
    expect(an).toMatchObject({ anonymous: true, containers: [], size: 0 });
    expect(an.mountpoint).not.toBe('');

    const quick = await listVolumes(te.docker, K, { sizes: false });
    expect(quick.find((r) => r.name === named)).toMatchObject({ containers: [user] });
    expect(quick.find((r) => r.name === named)!.size).toBeUndefined();
  });

  it('lists networks with the built-in ones marked and the containers attached, stopped ones included', async () => {
    const made = root.child();
    const name = uniqueName('res-net');
    const id = await made.network(name);
    const user = uniqueName('res-net-user');
    await made.container({ name: user, network: name }); // created, never started
    const rows = await listNetworks(te.docker, K);
    expect(rows.find((r) => r.id === id)).toMatchObject({ key: `${K}/${id}`, name, driver: 'bridge', scope: 'local', builtin: false, containers: [user] });
    const builtin = rows.filter((r) => r.builtin).map((r) => r.name);
    // Docker: bridge (unless disabled, as here), host, none. Podman shows its "podman" network as "bridge".
    expect(builtin).toEqual(expect.arrayContaining(K === 'docker' ? ['host', 'none'] : ['bridge']));
    expect(rows.filter((r) => !r.builtin).every((r) => !['bridge', 'host', 'none', 'podman'].includes(r.name))).toBe(true);
  });

  it('refuses to remove an image in use, naming the container; force removes its stopped containers too', async () => {
    const made = root.child();
    const img = await made.commitImage(uniqueName('rm'));
    const runner = uniqueName('res-runner');
    const run = await made.container({ name: runner, image: img.id, start: true });
    const err = await removeImage(te.docker, img.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceError);
    expect((err as ResourceError).reason).toBe('in-use');
    expect((err as Error).message).toMatch(new RegExp(`is used by running container ${runner} \\(running\\): stop and remove it first`));
    // A running container blocks even with force (Podman's own force would kill it).
    await expect(removeImage(te.docker, img.id, { force: true })).rejects.toThrow(runner);
    expect(await exists(() => te.docker.getImage(img.id).inspect())).toBe(true);
    expect((await run.inspect()).State.Running).toBe(true);

    await run.remove({ force: true });
    const stopped = uniqueName('res-stopped');
    const st = await made.container({ name: stopped, image: img.id });
    await expect(removeImage(te.docker, img.id)).rejects.toThrow(new RegExp(`stopped container ${stopped} \\(created\\): remove it first, or remove the image with force`));
    const res = await removeImage(te.docker, img.id, { force: true });
    expect(res).toMatchObject({ deleted: true, removedContainers: [stopped] });
    expect(await exists(() => st.inspect())).toBe(false);
    expect(await exists(() => te.docker.getImage(img.id).inspect())).toBe(false);
    await expect(removeImage(te.docker, img.id)).rejects.toThrow(/no longer exists/);
  });

  it('removes an image with several tags by id only with force, and one tag alone without', async () => {
    const made = root.child();
    const tag = uniqueName('multi');
    const img = await made.importImage(tag);
    await te.docker.getImage(img.id).tag({ repo: REPO, tag: `${tag}-2` });
    await expect(removeImage(te.docker, img.id)).rejects.toThrow(/has 2 tags .*remove the image with force to delete all of them/);
    const one = await removeImage(te.docker, `${REPO}:${tag}-2`);
    expect(one.deleted).toBe(false);
    expect(one.untagged).toEqual([`${REPO}:${tag}-2`]);
    await te.docker.getImage(img.id).tag({ repo: REPO, tag: `${tag}-3` });
    const all = await removeImage(te.docker, img.id, { force: true });
    expect(all.deleted).toBe(true);
    expect(all.untagged).toHaveLength(2);
    expect(await exists(() => te.docker.getImage(img.id).inspect())).toBe(false);
  });

  it('refuses to remove a volume in use, naming the container; removes an unused one', async () => {
    const made = root.child();
    const used = await made.volume(uniqueName('res-vused'));
    const user = uniqueName('res-vuser');
    await made.container({ name: user, binds: [`${used}:/data`], cmd: ['true'], start: true, wait: true });
    const err = await removeVolume(te.docker, used).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceError);
    expect((err as ResourceError).containers).toEqual([user]);
    expect((err as Error).message).toBe(`volume ${used} is used by container ${user} (exited): remove that container first (a stopped container still holds its volumes).`);
    expect(await exists(() => te.docker.getVolume(used).inspect())).toBe(true);

    const free = await made.volume(uniqueName('res-vfree'));
    await removeVolume(te.docker, free);
    expect((await listVolumes(te.docker, K, { sizes: false })).some((v) => v.name === free)).toBe(false);
    await expect(removeVolume(te.docker, free)).rejects.toThrow(`volume ${free} no longer exists`);
  });

  it('refuses to remove a network with containers (even stopped) and the built-in ones before asking the engine', async () => {
    const made = root.child();
    const name = uniqueName('res-nused');
    const id = await made.network(name);
    const user = uniqueName('res-nuser');
    await made.container({ name: user, network: name });
    // Podman's own DELETE /networks/{id} would remove it with the container still on it.
    await expect(removeNetwork(te.docker, id)).rejects.toThrow(`network ${name} has container ${user} attached`);
    expect(await exists(() => te.docker.getNetwork(id).inspect())).toBe(true);

    const spy = spied(te);
    const builtinName = K === 'docker' ? 'none' : 'bridge';
    await expect(removeNetwork(spy.docker, builtinName)).rejects.toThrow(`network ${builtinName} is built into the engine and cannot be removed`);
    expect(spy.calls).toEqual([]);
    const builtinId = (await te.docker.getNetwork(builtinName).inspect()).Id;
    await expect(removeNetwork(spy.docker, builtinId)).rejects.toMatchObject({ reason: 'builtin' });
    expect(spy.calls.filter((c) => c.method === 'DELETE')).toEqual([]);

    const freeName = uniqueName('res-nfree');
    const free = await made.network(freeName);
    await removeNetwork(te.docker, freeName);
    expect(await exists(() => te.docker.getNetwork(free).inspect())).toBe(false);
    await expect(removeNetwork(te.docker, free)).rejects.toThrow(/no longer exists/);
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
