// Pulls on both real engines from the real test registries (scripts/registry.sh): progress events
// read, the image checked by inspect; a missing tag; an unreachable registry; basic auth with and
// without credentials (private DOCKER_CONFIG / REGISTRY_AUTH_FILE, never the user's); plain HTTP
// on Podman; cancelling mid-pull and the engine going away mid-pull (through a slow relay).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthEnv } from '../../src/engine/auth.js';
import { discoverEngines, type DiscoveryResult } from '../../src/engine/discovery.js';
import type { Engine } from '../../src/engine/engine.js';
import type { PullEvent } from '../../src/engine/pullProgress.js';
import { enginesOrSkip, enginesScript, registriesOrSkip, waitUntil, type TestEngine } from '../helpers/engines.js';
import { slowRelay, type Relay } from '../helpers/slowRelay.js';

const engines = enginesOrSkip('pull tests');
const regs = engines ? registriesOrSkip('pull tests') : undefined;
const tmp = mkdtempSync(join(tmpdir(), 'gantry-pull-'));
const noCreds: AuthEnv = { env: { DOCKER_CONFIG: join(tmp, 'none'), REGISTRY_AUTH_FILE: join(tmp, 'none', 'auth.json') }, home: join(tmp, 'none') };

function credsEnv(name: string, registry: string, user: string, password: string): AuthEnv {
  const dir = join(tmp, name);
  mkdirSync(join(dir, 'docker'), { recursive: true });
  const json = JSON.stringify({ auths: { [registry]: { auth: Buffer.from(`${user}:${password}`).toString('base64') } } });
  writeFileSync(join(dir, 'docker', 'config.json'), json);
  writeFileSync(join(dir, 'auth.json'), json);
  return { env: { DOCKER_CONFIG: join(dir, 'docker'), REGISTRY_AUTH_FILE: join(dir, 'auth.json') }, home: dir };
}

async function removeImage(te: TestEngine, ref: string): Promise<void> {
  await te.docker.getImage(ref).remove({ force: true }).catch(() => undefined);
}

describe.skipIf(!engines || !regs)('pull on real engines from real registries', () => {
  const [dockerTe, podmanTe] = engines ?? [];
  let disc: DiscoveryResult;
  let docker: Engine;
  let podman: Engine;
  const pull = (e: Engine, ref: string, o: { authEnv?: AuthEnv; insecure?: string[] } = {}) => {
    const events: PullEvent[] = [];
    const task = e.pull(ref, { authEnv: o.authEnv ?? noCreds, insecureRegistries: o.insecure ?? [], onEvent: (ev) => events.push(ev) });
    return { task, events };
  };

  beforeAll(async () => {
    disc = await discoverEngines({ env: {}, home: tmp, hosts: [dockerTe!.url, podmanTe!.url], podmanService: false, probeTimeoutMs: 20_000 });
    docker = disc.engines.find((e) => e.kind === 'docker')!;
    podman = disc.engines.find((e) => e.kind === 'podman')!;
  });
  afterAll(() => disc?.shutdown());

  it('Docker: per-layer progress and totals, then the image is there', async () => {
    const ref = `${regs!.open}/gantry/layers:1`;
    await removeImage(dockerTe!, ref);
    const { task, events } = pull(docker, ref);
    const r = await task.done;
    expect(r).toMatchObject({ status: 'done', ref, endpoint: 'compat' });
    if (r.status !== 'done') return;
    const phases = new Map<string, Set<string>>();
    for (const e of events) if (e.type === 'layer') (phases.get(e.layer.id) ?? phases.set(e.layer.id, new Set()).get(e.layer.id)!).add(e.layer.phase);
    // busybox's layer is already there; the two new ones (3 and 5 MB) are downloaded and extracted.
    const fresh = [...phases.values()].filter((p) => p.has('downloading'));
    expect(fresh).toHaveLength(2);
    for (const p of fresh) expect([...p]).toEqual(expect.arrayContaining(['downloading', 'extracting', 'done']));
    expect(r.totals.totalBytes).toBeGreaterThan(8_000_000);
    expect(r.totals.currentBytes).toBe(r.totals.totalBytes);
    expect(r.totals).toMatchObject({ layers: 3, layersDone: 3, bytesKnown: true });
    const i = await dockerTe!.docker.getImage(ref).inspect();
    expect(i.Id).toBe(r.imageId);
    expect(i.Config.Labels?.['org.gantry.test']).toBe('pull');
    expect(i.RootFS.Layers).toHaveLength(3);
  });

  it('Podman: plain HTTP is refused with what to do; named in insecureRegistries it goes through libpod', async () => {
    const ref = `${regs!.open}/gantry/layers:1`;
    await removeImage(podmanTe!, ref);
    const refused = await pull(podman, ref).task.done;
    expect(refused).toMatchObject({ status: 'failed', problem: 'http-to-https' });
    if (refused.status === 'failed') expect(refused.message).toMatch(new RegExp(`add "${regs!.open}" to insecureRegistries in gantry's config .* registries\\.conf`));
    const { task, events } = pull(podman, ref, { insecure: [regs!.open] });
    const r = await task.done;
    expect(r).toMatchObject({ status: 'done', endpoint: 'libpod', totals: { bytesKnown: false, layers: 3, layersDone: 3 } });
    expect(events.filter((e) => e.type === 'layer' && e.layer.phase === 'copying')).toHaveLength(3);
    expect(events.some((e) => e.type === 'status' && /^Writing manifest/.test(e.text))).toBe(true);
    const i = await podmanTe!.docker.getImage(ref).inspect();
    expect(i.Id.replace(/^sha256:/, '')).toBe(r.status === 'done' ? r.imageId.replace(/^sha256:/, '') : '');
    expect(i.Config.Labels?.['org.gantry.test']).toBe('pull');
  });

  it('a missing tag and an unreachable registry, on both engines', async () => {
    for (const [e, insecure] of [
      [docker, []],
      [podman, [regs!.open, '127.0.0.1:1']],
    ] as const) {
      const missing = await pull(e, `${regs!.open}/gantry/layers:nope`, { insecure: [...insecure] }).task.done;
      expect(missing, e.kind).toMatchObject({ status: 'failed', problem: 'not-found', message: expect.stringMatching(/no such image or tag "nope"/) });
      const gone = await pull(e, '127.0.0.1:1/gantry/layers:1', { insecure: [...insecure] }).task.done;
      expect(gone, e.kind).toMatchObject({ status: 'failed', problem: 'unreachable', message: expect.stringMatching(/cannot reach the registry 127\.0\.0\.1:1 .*connection refused/) });
    }
  });

  it('basic auth: refused without credentials, pulled with them, wrong ones named by their file only', async () => {
    const ref = `${regs!.auth}/gantry/busybox:1`;
    const good = credsEnv('good', regs!.auth, regs!.user, regs!.password);
    const bad = credsEnv('bad', regs!.auth, regs!.user, 'not-the-password');
    for (const [te, e] of [
      [dockerTe!, docker],
      [podmanTe!, podman],
    ] as const) {
      await removeImage(te, ref);
      const none = await pull(e, ref).task.done;
      expect(none, e.kind).toMatchObject({ status: 'failed', problem: 'unauthorized', message: expect.stringContaining(`\`${e.kind} login ${regs!.auth}\``) });
      const wrong = await pull(e, ref, { authEnv: bad }).task.done;
      expect(wrong, e.kind).toMatchObject({ status: 'failed', problem: 'unauthorized' });
      if (wrong.status === 'failed') {
        const file = e.kind === 'docker' ? join(tmp, 'bad', 'docker', 'config.json') : join(tmp, 'bad', 'auth.json');
        expect(wrong.message).toContain(`refused the credentials gantry read from ${file}`);
        expect(wrong.message).not.toContain('not-the-password');
      }
      // Podman pulls this registry through its compatible endpoint (registries.conf marks it insecure).
      const r = await pull(e, ref, { authEnv: good }).task.done;
      expect(r, e.kind).toMatchObject({ status: 'done', endpoint: 'compat' });
      expect((await te.docker.getImage(ref).inspect()).Id.replace(/^sha256:/, '')).toBe(r.status === 'done' ? r.imageId.replace(/^sha256:/, '') : '?');
    }
  });

  describe('through a slow relay (2 MB/s) in front of the open registry', () => {
    let relay: Relay;
    beforeAll(async () => {
      const [host, port] = regs!.open.split(':');
      relay = await slowRelay({ host: host!, port: Number(port) }, 2_000_000);
    });
    afterAll(() => relay?.close());
    const bigRef = () => `127.0.0.1:${relay.port}/gantry/big:1`;

    it('cancels mid-pull on both engines, saying the engine cleans up', async () => {
      for (const [te, e] of [
        [dockerTe!, docker],
        [podmanTe!, podman],
      ] as const) {
        await removeImage(te, bigRef());
        const { task, events } = pull(e, bigRef(), { insecure: [`127.0.0.1:${relay.port}`] });
        // Docker reports bytes; Podman's libpod endpoint only says a blob started.
        await waitUntil(() => events.some((ev) => ev.type === 'layer' && (ev.layer.phase === 'copying' || (ev.layer.phase === 'downloading' && (ev.layer.current ?? 0) > 0))), 60_000, `${e.kind} pull under way`);
        task.cancel();
        const r = await task.done;
        expect(r, e.kind).toMatchObject({ status: 'cancelled', message: expect.stringMatching(/cancelled: what was half-pulled is the engine’s to clean up/) });
        // The engine really stopped: it closed its connections to the registry, and has no image.
        await waitUntil(() => relay.active() === 0, 30_000, `${e.kind} closing its registry connections`);
        expect(await te.docker.getImage(bigRef()).inspect().then(() => 'there', () => 'absent'), e.kind).toBe('absent');
      }
    }, 180_000);

    it('Docker going away mid-pull is said as such', async () => {
      await removeImage(dockerTe!, bigRef());
      const { task, events } = pull(docker, bigRef());
      try {
        await waitUntil(() => events.some((ev) => ev.type === 'layer' && ev.layer.phase === 'downloading' && (ev.layer.current ?? 0) > 0), 60_000, 'docker pull under way');
        enginesScript('stop-docker');
        const r = await task.done;
        expect(r).toMatchObject({ status: 'failed', problem: 'engine-gone', message: expect.stringMatching(/the engine went away during the pull .*engine’s to clean up/) });
      } finally {
        enginesScript('start-docker');
      }
    }, 180_000);
  });
});
