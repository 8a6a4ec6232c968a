// Images, volumes and networks against the real Docker and Podman engines: each kind's list and
// its removal with the refusals. The engines are shared with other tests: every assertion is about
// the objects this file made.
import { afterAll, describe, expect, it } from 'vitest';
import { listImages, removeImage } from '../../src/engine/resources/images.js';
import { listNetworks, removeNetwork } from '../../src/engine/resources/networks.js';
import { ResourceError } from '../../src/engine/resources/shared.js';
import { listVolumes, removeVolume } from '../../src/engine/resources/volumes.js';
import { enginesOrSkip, RUN_LABEL, uniqueName } from '../helpers/engines.js';
import { exists, inspectImage, Made, REPO, spied } from '../helpers/resources.js';

const engines = enginesOrSkip('resource integration tests (test/integration/resources.test.ts)');

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
});
