// Choosing the GPU: the nvidia-smi stand-in replays the 4-GPU server and reports the real pids of
// containers on both engines (and of this test, a host process); the ranking names who holds each
// GPU, `auto: N` takes the idle ones with the most free memory, a GPU index that does not exist is
// refused, and a GPU that became busy between the choice and the start stops the start.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverEngines, type DiscoveryResult } from '../../src/engine/discovery.js';
import type { RunSpec } from '../../src/engine/runSpec.js';
import { autoPick, rankGpus } from '../../src/run/gpuPick.js';
import { freshRanking, sampleGpuView } from '../../src/run/gpuSample.js';
import { engineTarget, resolveGpus, startRun } from '../../src/run/run.js';
import { enginesOrSkip, removeTestContainers, RUN_LABEL, runContainer, uniqueName } from '../helpers/engines.js';
import { ROOT } from '../helpers/pty.js';

const engines = enginesOrSkip('GPU choice tests');
const FAKE = `${ROOT}test/helpers/fake-nvidia-smi`;
const tmp = mkdtempSync(join(tmpdir(), 'gantry-pick-'));
const procs = join(tmp, 'procs');

describe.skipIf(!engines)('GPU choice against the 4-GPU stand-in and real containers', () => {
  const [dockerTe, podmanTe] = engines ?? [];
  let disc: DiscoveryResult;
  const names = { train: uniqueName('alice-train'), ppo: uniqueName('bob-ppo'), given: uniqueName('carol-given') };
  let pids = { train: 0, ppo: 0 };

  beforeAll(async () => {
    process.env.FAKE_NVIDIA_SMI_PROFILE = 'rtx4';
    process.env.FAKE_NVIDIA_SMI_PROCS_FILE = procs;
    const train = await runContainer(dockerTe!, { name: names.train });
    const ppo = await runContainer(podmanTe!, { name: names.ppo });
    pids = { train: (await train.inspect()).State.Pid, ppo: (await ppo.inspect()).State.Pid };
    disc = await discoverEngines({ env: {}, home: tmp, hosts: [dockerTe!.url, podmanTe!.url], podmanService: false, probeTimeoutMs: 20_000 });
  });
  afterAll(async () => {
    delete process.env.FAKE_NVIDIA_SMI_PROFILE;
    delete process.env.FAKE_NVIDIA_SMI_PROCS_FILE;
    disc?.shutdown();
    await removeTestContainers(dockerTe!);
    await removeTestContainers(podmanTe!);
  });

  it('ranks idle GPUs by free memory, names who holds the others, and auto: N says why', async () => {
    // GPU 0: this test's own process (a host user); GPU 1: the docker container; GPU 2 and 3 idle.
    writeFileSync(procs, `${process.pid}:0:9500:python3,${pids.train}:1:4400:python3 train.py`);
    const look = await sampleGpuView(FAKE, disc.engines);
    expect(look.error).toBeUndefined();
    const ranked = rankGpus(look.view);
    expect(ranked.map((g) => [g.index, g.idle])).toEqual([
      [3, true],
      [2, true],
      [1, false],
      [0, false],
    ]);
    expect(ranked[0]).toMatchObject({ freeMiB: 49140 - 88, why: 'idle, 47.9 GiB free' });
    expect(ranked.find((g) => g.index === 1)!.why).toBe(`busy: docker/${names.train} (4.3 GiB)`);
    expect(ranked.find((g) => g.index === 0)!.why).toBe('busy: host user root (pid ' + process.pid + ', python3, 9.3 GiB)');
    expect(autoPick(ranked, 2)).toEqual({ indices: [3, 2], reason: 'auto: 2 picked GPU 3 and 2: most free memory, idle' });
    const three = autoPick(ranked, 3);
    expect('error' in three && three.error).toMatch(/auto: 3 needs 3 idle GPUs, and only 2 are idle \(GPU 3 and 2\); GPU 1 busy: docker\/alice-train.*GPU 0 busy: host user root/);
  }, 60_000);

  it('counts a GPU given to a running container as held, and a process of the other engine', async () => {
    await runContainer(dockerTe!, { name: names.given, env: ['NVIDIA_VISIBLE_DEVICES=3'] });
    writeFileSync(procs, `${pids.ppo}:2:20480:python3 ppo.py`);
    const ranked = rankGpus((await sampleGpuView(FAKE, disc.engines)).view);
    expect(ranked.find((g) => g.index === 3)!.why).toBe(`busy: docker/${names.given}`);
    expect(ranked.find((g) => g.index === 2)!.why).toBe(`busy: podman/${names.ppo} (20.0 GiB)`);
    // GPU 0 and 1 hold memory (9.4 and 4.5 GiB) with no process gantry can see.
    expect(ranked.find((g) => g.index === 0)!.why).toBe('busy: processes gantry cannot see (9.4 GiB in use)');
    expect(ranked.every((g) => !g.idle)).toBe(true);
    const none = autoPick(ranked, 1);
    expect('error' in none && none.error).toMatch(/auto: 1 needs 1 idle GPU, and none is idle/);
    await dockerTe!.docker.getContainer(names.given).remove({ force: true });
  }, 60_000);

  it('refuses a GPU that does not exist, and one that became busy since it was chosen', async () => {
    writeFileSync(procs, '');
    const ranked = rankGpus((await sampleGpuView(FAKE, disc.engines)).view);
    expect(() => resolveGpus({ mode: 'devices', ids: ['7'] }, ranked)).toThrow(/GPU 7 does not exist: this server has GPUs 0–3 \(nvidia-smi\)/);
    expect(resolveGpus({ mode: 'devices', ids: ['GPU-6000ada0-0000-4000-8000-000000000002', '3'] }, ranked).ids).toEqual(['2', '3']);
    const pick = resolveGpus({ mode: 'auto', count: 1 }, ranked);
    expect(pick.ids).toEqual(['3']);
    // Between the choice and the start, the podman container's process lands on GPU 3.
    writeFileSync(procs, `${pids.ppo}:3:8000:python3 ppo.py`);
    const docker = disc.engines.find((e) => e.kind === 'docker')!;
    const name = uniqueName('late');
    const spec: RunSpec = { image: dockerTe!.image, name, command: ['sleep', '100'], interactive: false, gpus: pick.ids, ulimits: [], env: {}, mounts: [], ports: [], network: 'none', restart: { name: 'no' }, remove: false, labels: { [RUN_LABEL]: String(process.pid) } };
    const err = await startRun(engineTarget(docker), spec, { gpus: freshRanking(FAKE, disc.engines) }).catch((e: unknown) => e);
    expect(err).toMatchObject({ problem: 'gpu-busy', message: `GPU 3 became busy since it was chosen: podman/${names.ppo} (7.8 GiB) now on it. Choose again.` });
    expect(await dockerTe!.docker.getContainer(name).inspect().then(() => 'there', () => 'not created')).toBe('not created');
  }, 60_000);
});
