// `gantry run` and `gantry pull` in the real bin/gantry, on the real engines and registry, with the
// nvidia-smi stand-in for the 4-GPU server: what they print, and their exit codes (2 usage, 1
// failure, as `gantry gpus`).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GANTRY, ROOT } from '../helpers/pty.js';
import { enginesOrSkip, registriesOrSkip, RUN_LABEL } from '../helpers/engines.js';

const engines = enginesOrSkip('gantry run / pull end-to-end tests');
const regs = engines ? registriesOrSkip('gantry pull end-to-end tests') : undefined;
const FAKE = `${ROOT}test/helpers/fake-nvidia-smi`;
const tmp = mkdtempSync(join(tmpdir(), 'gantry-e2e-run-'));
const tdir = join(tmp, 'config', 'gantry', 'templates');
mkdirSync(tdir, { recursive: true });
mkdirSync(join(tmp, 'work'), { recursive: true });
const env = { ...process.env, XDG_CONFIG_HOME: join(tmp, 'config'), FAKE_NVIDIA_SMI_PROFILE: 'rtx4', FAKE_NVIDIA_SMI_PROCS: '', DOCKER_CONFIG: join(tmp, 'docker'), REGISTRY_AUTH_FILE: join(tmp, 'auth.json') };

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function gantry(args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    execFile(process.execPath, [GANTRY, ...args], { env, cwd: join(tmp, 'work'), encoding: 'utf8', timeout: 120_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe.skipIf(!engines)('gantry run and gantry pull', () => {
  const [dockerTe, podmanTe] = engines ?? [];
  const hosts = () => ['-H', dockerTe!.url, '-H', podmanTe!.url, '--nvidia-smi', FAKE];
  // What this VM lets Podman start (see test/integration/run.test.ts), detached, labelled for cleanup.
  writeFileSync(
    join(tdir, 'sleeper.yaml'),
    `image: localhost/busybox:latest\nname: "{user}-{template}-{n}"\ncommand: sleep 1000\ngpus: {auto: 1}\nulimits: {nofile: 1024, nproc: 1024}\nnetwork: none\nmounts: ["$PWD:/work"]\nworkdir: /work\nlabels: {${RUN_LABEL}: "${process.pid}"}\n`,
  );
  writeFileSync(join(tdir, 'broken.yaml'), 'image: busybox\ngpus: [0, x]\n');
  afterAll(async () => {
    for (const te of [dockerTe!, podmanTe!]) {
      const list = await te.docker.listContainers({ all: true, filters: { label: [`${RUN_LABEL}=${process.pid}`] } });
      await Promise.all(list.map((c) => te.docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
    }
  });

  it('--dry-run prints the command line with the GPU auto chose, and why', async () => {
    const r = await gantry(['run', 'gpu-dev', ...hosts(), '--engine', 'docker', '--gpus', 'auto:2', '--image', 'busybox:latest', '--name', 'x1', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(
      `docker run -it --rm --name x1 --gpus 'driver=nvidia,"device=3,2"' --ipc=host --ulimit memlock=-1 --ulimit stack=67108864 ` +
        '-e HF_HOME=/cache/hf -e TRANSFORMERS_CACHE=/cache/hf/transformers -e HF_DATASETS_CACHE=/cache/hf/datasets -e TORCH_HOME=/cache/torch -e PIP_CACHE_DIR=/cache/pip ' +
        `--mount type=bind,source=${join(tmp, 'work')},target=/workspace --mount type=bind,source=${process.env.HOME}/.cache/vla,target=/cache ` +
        '-w /workspace -p 7860:7860 busybox:latest bash',
    );
    expect(r.stderr).toContain('auto: 2 picked GPU 3 and 2: most free memory, idle');
  }, 120_000);

  it('starts a container from a template on Podman and prints its name and GPU', async () => {
    const r = await gantry(['run', 'sleeper', ...hosts(), '--engine', 'podman']);
    expect(r.stderr).toContain('auto: 1 picked GPU 3');
    expect(r.code).toBe(0);
    const m = /^(\S+) gpus=3$/.exec(r.stdout.trim());
    expect(m, r.stdout).not.toBeNull();
    const i = await podmanTe!.docker.getContainer(m![1]!).inspect();
    expect(i.State.Running).toBe(true);
    expect(i.Config.Env).toContain('GANTRY_TEST_GPU=3');
    expect(i.Mounts.map((x) => [x.Source, x.Destination])).toEqual([[join(tmp, 'work'), '/work']]);
    // The name pattern moves on to the next free number.
    const again = await gantry(['run', 'sleeper', ...hosts(), '--engine', 'podman', '--gpus', 'none']);
    expect(again.stdout.trim()).toBe(`${m![1]!.replace(/-1$/, '-2')} gpus=none`);
  }, 120_000);

  it('refuses in words: read-only, a broken template, a bad flag, a missing GPU, a name in use, several engines', async () => {
    const ro = await gantry(['run', 'sleeper', ...hosts(), '--read-only']);
    expect(ro).toMatchObject({ code: 1, stderr: 'gantry: read-only mode: run is disabled (started with --read-only)\n' });
    const rop = await gantry(['pull', 'busybox', '--read-only']);
    expect(rop).toMatchObject({ code: 1, stderr: 'gantry: read-only mode: pull is disabled (started with --read-only)\n' });
    const broken = await gantry(['run', 'broken', ...hosts()]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain(`${join(tdir, 'broken.yaml')} line 2: each GPU in "gpus" must be an index (0, 1, …) or a UUID (GPU-…), not "x"`);
    expect(await gantry(['run', 'sleeper', '--gpus', 'two'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--gpus takes auto:N') });
    expect(await gantry(['run'])).toMatchObject({ code: 2, stderr: expect.stringContaining('gantry run takes one template name') });
    const nogpu = await gantry(['run', 'sleeper', ...hosts(), '--engine', 'podman', '--gpus', '9']);
    expect(nogpu).toMatchObject({ code: 1, stderr: expect.stringContaining('GPU 9 does not exist: this server has GPUs 0–3') });
    const taken = await gantry(['run', 'sleeper', ...hosts(), '--engine', 'docker', '--gpus', 'none', '--name', 'dup-' + process.pid, '--image', 'busybox:latest']);
    expect(taken).toMatchObject({ code: 0, stdout: `dup-${process.pid} gpus=none\n` });
    const dup = await gantry(['run', 'sleeper', ...hosts(), '--engine', 'docker', '--gpus', 'none', '--name', 'dup-' + process.pid, '--image', 'busybox:latest']);
    expect(dup).toMatchObject({ code: 1, stderr: expect.stringContaining(`the name dup-${process.pid} is already in use: the next free one is dup-${process.pid}-2 (use --name dup-${process.pid}-2)`) });
    const which = await gantry(['run', 'sleeper', ...hosts(), '--gpus', 'none']);
    expect(which).toMatchObject({ code: 2, stderr: expect.stringContaining('several engines answer (docker, podman): choose one with --engine') });
  }, 180_000);

  it.skipIf(!regs)('gantry pull prints the layers and the result, and a missing tag fails', async () => {
    const ref = `${regs!.open}/gantry/layers:1`;
    // Every copy of the image goes, whichever registry it came from (other tests pull it too):
    // with one left, Docker has the layers and prints none.
    for (const i of await dockerTe!.docker.listImages()) {
      if ([...(i.RepoTags ?? []), ...(i.RepoDigests ?? [])].some((t) => t.includes('/gantry/layers'))) await dockerTe!.docker.getImage(i.Id).remove({ force: true }).catch(() => undefined);
    }
    const r = await gantry(['pull', ref, ...hosts(), '--engine', 'docker']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^pulling .* on docker$/m);
    expect(r.stdout).toMatch(/^[0-9a-f]{12}: Downloading \(5\.0 MB\)$/m);
    expect(r.stdout).toMatch(/^[0-9a-f]{12}: Pull complete/m);
    expect(r.stdout).toMatch(new RegExp(`^pulled ${ref.replace(/[.]/g, '\\.')} \\(sha256:[0-9a-f]{12}\\) on docker: 8\\.0 MB in [\\d.]+ s$`, 'm'));
    const missing = await gantry(['pull', `${regs!.open}/gantry/layers:nope`, ...hosts(), '--engine', 'docker']);
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining('no such image or tag "nope"') });
  }, 120_000);
});
