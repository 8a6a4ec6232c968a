// The Engine façade against the real engines: what the actions call — resource kinds listed and
// removed through one shape (refusals included), disk usage, inspect and top — goes through
// Engine methods alone, the same on Docker and Podman.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverEngines, type DiscoveryResult } from '../../src/engine/discovery.js';
import type { Engine } from '../../src/engine/engine.js';
import { bareName } from '../../src/engine/models.js';
import { ResourceError } from '../../src/engine/resources/shared.js';
import { enginesOrSkip, runContainer, uniqueName, type TestEngine } from '../helpers/engines.js';
import { exists, Made, REPO } from '../helpers/resources.js';

const engines = enginesOrSkip('engine façade tests (test/integration/engine-facade.test.ts)');
const tmp = mkdtempSync(join(tmpdir(), 'gantry-facade-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(!engines).each(engines ?? [])('$kind engine façade', (te: TestEngine) => {
  let d: DiscoveryResult;
  let engine: Engine;
  const made = new Made(te);

  beforeAll(async () => {
    d = await discoverEngines({ env: {}, home: tmp, hosts: [te.url], podmanService: false });
    engine = d.engines[0]!;
  });
  afterAll(async () => {
    d?.shutdown();
    await made.cleanup();
  });

  it('lists and removes each resource kind through one shape; an image with two tags goes whole', async () => {
    const tag = uniqueName('facade');
    const img = await made.importImage(tag);
    await te.docker.getImage(img.id).tag({ repo: REPO, tag: `${tag}-b` });
    const vol = await made.volume(uniqueName('res-facade-vol'));
    const net = await made.network(uniqueName('res-facade-net'));

    const image = (await engine.listResources('images')).find((r) => r.id === img.id);
    expect(image?.repoTags).toHaveLength(2);
    expect(image?.key).toBe(`${engine.id}/${img.id}`);
    const volume = (await engine.listResources('volumes')).find((r) => r.name === vol);
    expect(volume).toMatchObject({ engineId: engine.id, containers: [], anonymous: false });
    const network = (await engine.listResources('networks')).find((r) => r.id === net);
    expect(network).toMatchObject({ builtin: false, containers: [] });

    // No force asked: the row shows both tags, so removing the row removes the image.
    expect(await engine.removeResource('images', image!)).toEqual({ removedContainers: [] });
    expect(await exists(() => te.docker.getImage(img.id).inspect())).toBe(false);
    await engine.removeResource('volumes', volume!);
    expect(await exists(() => te.docker.getVolume(vol).inspect())).toBe(false);
    await engine.removeResource('networks', network!);
    expect(await exists(() => te.docker.getNetwork(net).inspect())).toBe(false);
  });

  it('refuses through the same shape, with the reason and the containers in the way', async () => {
    const vol = await made.volume(uniqueName('res-facade-used'));
    const user = uniqueName('res-facade-user');
    await made.container({ name: user, binds: [`${vol}:/data`] });
    const volume = (await engine.listResources('volumes')).find((r) => r.name === vol)!;
    expect(volume.containers).toEqual([user]);
    const err = await engine.removeResource('volumes', volume).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceError);
    expect(err).toMatchObject({ reason: 'in-use', containers: [user] });
    const builtin = (await engine.listResources('networks')).find((r) => r.builtin)!;
    await expect(engine.removeResource('networks', builtin)).rejects.toMatchObject({ reason: 'builtin' });
  });

  it('reads disk usage, an empty prune preview, inspect and top', async () => {
    const du = await engine.diskUsage();
    expect(du.facts.kind).toBe(te.kind);
    expect(du.images.count).toBeGreaterThanOrEqual(1);
    const preview = await engine.previewPrune([]);
    expect(preview).toMatchObject({ engineId: engine.id, kind: te.kind, items: [], bytes: 0 });
    expect(await engine.executePrune(preview)).toEqual({ removed: [], bytes: 0, refused: [], gone: [] });

    const name = uniqueName('facade-run');
    const c = await runContainer(te, { name, tty: true, cmd: ['sleep', '1000'] });
    const json = await engine.inspect(c.id);
    expect(json.Config?.Tty).toBe(true);
    expect(json.State?.Running).toBe(true);
    expect(bareName(String(json.Name))).toBe(name);
    const procs = await engine.top(c.id);
    expect(procs.some((p) => p.command.includes('sleep 1000'))).toBe(true);
  });
});
