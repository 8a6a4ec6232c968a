// Run from a template on both real engines: the created container's inspect shows every field of
// the template; published ports answer; the equivalent command line makes the same container;
// Podman starts one "on GPU 1" through the test CDI spec; Docker records DeviceRequests and its
// start says the NVIDIA toolkit is missing; and each fault in words, nothing left behind.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readlinkSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Docker from 'dockerode';
import { RunError } from '../../src/engine/create.js';
import { discoverEngines, type DiscoveryResult } from '../../src/engine/discovery.js';
import type { Engine } from '../../src/engine/engine.js';
import type { RunSpec } from '../../src/engine/runSpec.js';
import { commandArgv } from '../../src/run/commandLine.js';
import { draftFromTemplate, engineTarget, specFromDraft, startRun } from '../../src/run/run.js';
import { parseTemplate } from '../../src/run/templateFiles.js';
import { enginesOrSkip, RUN_LABEL, uniqueName, waitUntil, type TestEngine } from '../helpers/engines.js';

const run = promisify(execFile);
const engines = enginesOrSkip('run tests');
const tmp = mkdtempSync(join(tmpdir(), 'gantry-run-'));
const ctx = { env: {}, home: join(tmp, 'home'), pwd: join(tmp, 'proj'), user: 'alice' };
mkdirSync(join(ctx.home, 'data'), { recursive: true });
mkdirSync(ctx.pwd, { recursive: true });

/** Every field; ulimits this VM lets an engine set (its memlock hard limit is 8 MiB; Podman needs nofile/nproc). */
const TEMPLATE = `
image: IMAGE
name: "{user}-{template}-{n}"
command: [busybox, httpd, -f, -p, "7860", -h, /]
interactive: false
gpus: none
ulimits: {stack: 67108864, memlock: 8388608, nofile: 1024, nproc: 1024}
env: {HF_HOME: /cache/hf, TORCH_HOME: /cache/torch, GREETING: "hello world"}
mounts: ["$PWD:/workspace", "~/data:/data:ro"]
workdir: /workspace
ports: ["127.0.0.1:PORT:7860"]
restart: unless-stopped
labels: {team: vision, "${RUN_LABEL}": "${process.pid}"}
`;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

/** The fields of an inspect a RunSpec decides, normalised across the engines. */
function decided(i: Docker.ContainerInspectInfo, spec: RunSpec) {
  const hc = i.HostConfig as Docker.HostConfig & { Ulimits?: { Name: string; Soft: number; Hard: number }[] | null; DeviceRequests?: unknown };
  const env = Object.fromEntries((i.Config.Env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]).filter(([k]) => k! in spec.env || k === 'GANTRY_TEST_GPU'));
  return {
    image: i.Config.Image,
    cmd: i.Config.Cmd,
    tty: i.Config.Tty,
    openStdin: i.Config.OpenStdin,
    env,
    workdir: i.Config.WorkingDir,
    labels: i.Config.Labels,
    mounts: (i.Mounts ?? []).map((m) => ({ source: m.Source, target: m.Destination, rw: m.RW })).sort((a, b) => a.target.localeCompare(b.target)),
    ulimits: (hc.Ulimits ?? []).map((u) => ({ name: (u.Name ?? '').replace(/^RLIMIT_/, '').toLowerCase(), soft: u.Soft, hard: u.Hard })).sort((a, b) => a.name.localeCompare(b.name)),
    ports: hc.PortBindings,
    restart: hc.RestartPolicy,
    autoRemove: hc.AutoRemove,
    shmSize: spec.shmSize !== undefined ? hc.ShmSize : undefined,
    ipc: i.HostConfig.IpcMode === 'host' ? 'host' : 'not host',
    deviceRequests: hc.DeviceRequests,
  };
}

async function removeByLabel(te: TestEngine): Promise<void> {
  const list = await te.docker.listContainers({ all: true, filters: { label: [`${RUN_LABEL}=${process.pid}`] } });
  await Promise.all(list.map((c) => te.docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
}

describe.skipIf(!engines)('run from a template on real engines', () => {
  const [dockerTe, podmanTe] = engines ?? [];
  let disc: DiscoveryResult;
  const eng: Record<string, Engine> = {};
  const te = (kind: string) => (kind === 'docker' ? dockerTe! : podmanTe!);
  const netName = uniqueName('gantry-ports');
  let port = 0;

  /** The template's spec for an engine: a network that can publish ports on each (see below). */
  const specFor = (kind: 'docker' | 'podman', over: Partial<RunSpec> = {}): RunSpec => {
    const t = parseTemplate(TEMPLATE.replace('IMAGE', te(kind).image).replace('PORT', String(port)), 'it.yaml', 'it', ctx);
    const d = draftFromTemplate(t);
    // Docker here runs with --bridge=none and Podman with netns none: published ports need a
    // network. Docker: a user-defined bridge network (docker-proxy binds 127.0.0.1); Podman:
    // slirp4netns (rootlessport binds it). Neither touches the host's firewall.
    d.network = kind === 'docker' ? netName : 'slirp4netns';
    return { ...specFromDraft(d, uniqueName(`run-${kind}`), []), ...over };
  };

  beforeAll(async () => {
    disc = await discoverEngines({ env: {}, home: tmp, hosts: [dockerTe!.url, podmanTe!.url], podmanService: false, probeTimeoutMs: 20_000 });
    for (const e of disc.engines) eng[e.kind] = e;
    await dockerTe!.docker.createNetwork({ Name: netName, Driver: 'bridge', Labels: { [RUN_LABEL]: String(process.pid) } });
    port = await freePort();
  });
  afterAll(async () => {
    await removeByLabel(dockerTe!);
    await removeByLabel(podmanTe!);
    await dockerTe!.docker.getNetwork(netName).remove().catch(() => undefined);
    disc?.shutdown();
  });

  for (const kind of ['docker', 'podman'] as const) {
    it(`${kind}: every template field is on the created container, and its port answers`, async () => {
      const spec = specFor(kind);
      const c = await startRun(engineTarget(eng[kind]!), spec);
      const i = await te(kind).docker.getContainer(c.id).inspect();
      const d = decided(i, spec);
      expect(d).toMatchObject({
        image: te(kind).image,
        cmd: ['busybox', 'httpd', '-f', '-p', '7860', '-h', '/'],
        tty: false,
        env: { HF_HOME: '/cache/hf', TORCH_HOME: '/cache/torch', GREETING: 'hello world' },
        workdir: '/workspace',
        labels: { team: 'vision', [RUN_LABEL]: String(process.pid) },
        mounts: [
          { source: join(ctx.home, 'data'), target: '/data', rw: false },
          { source: ctx.pwd, target: '/workspace', rw: true },
        ],
        ulimits: expect.arrayContaining([
          { name: 'stack', soft: 67108864, hard: 67108864 },
          { name: 'memlock', soft: 8388608, hard: 8388608 },
          { name: 'nofile', soft: 1024, hard: 1024 },
          { name: 'nproc', soft: 1024, hard: 1024 },
        ]),
        ports: { '7860/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] },
        restart: { Name: 'unless-stopped', MaximumRetryCount: 0 },
        autoRemove: false,
      });
      expect(i.State.Running).toBe(true);
      // Published for real: busybox httpd answers through the engine's proxy on 127.0.0.1.
      await waitUntil(async () => (await fetch(`http://127.0.0.1:${port}/bin/`).then((r) => r.status, () => 0)) > 0, 20_000, 'the published port');
      await te(kind).docker.getContainer(c.id).remove({ force: true });
    }, 90_000);

    it(`${kind}: ipc host, shm size, interactive and remove-on-exit`, async () => {
      const ipc = await startRun(engineTarget(eng[kind]!), specFor(kind, { ports: [], ipc: 'host', restart: { name: 'no' }, remove: true, interactive: true, command: ['sh'] }));
      const i = await te(kind).docker.getContainer(ipc.id).inspect();
      expect(i.Config).toMatchObject({ Tty: true, OpenStdin: true });
      expect(i.HostConfig.AutoRemove).toBe(true);
      // Podman 4.3's inspect says "shareable" even for --ipc=host: the namespace itself is the proof.
      if (kind === 'docker') expect(i.HostConfig.IpcMode).toBe('host');
      expect(readlinkSync(`/proc/${i.State.Pid}/ns/ipc`)).toBe(readlinkSync('/proc/self/ns/ipc'));
      const shm = await startRun(engineTarget(eng[kind]!), specFor(kind, { ports: [], shmSize: 256 * 1024 * 1024 }));
      const j = await te(kind).docker.getContainer(shm.id).inspect();
      expect(j.HostConfig.ShmSize).toBe(256 * 1024 * 1024);
      expect(readlinkSync(`/proc/${j.State.Pid}/ns/ipc`)).not.toBe(readlinkSync('/proc/self/ns/ipc'));
    }, 90_000);

    it(`${kind}: the equivalent command line makes the same container`, async () => {
      const spec = specFor(kind, { gpus: kind === 'podman' ? ['1', '2'] : ['1', '3'], shmSize: 64 * 1024 * 1024, env: { A: "it's $HOME, \"quoted\"", B: 'x y' } });
      const ours = await eng[kind]!.createContainer(spec);
      const argv = commandArgv(kind, { ...spec, name: `${spec.name}-cli` });
      // The same flags through the engine's own CLI; `create` instead of `run -d` so both stay created.
      const args = argv.slice(1).map((a) => (a === 'run' ? 'create' : a)).filter((a) => a !== '-d');
      const where = kind === 'docker' ? ['-H', dockerTe!.url] : ['--url', podmanTe!.url];
      await run(kind, [...where, ...args]);
      const a = await te(kind).docker.getContainer(ours.id).inspect();
      const b = await te(kind).docker.getContainer(`${spec.name}-cli`).inspect();
      expect(decided(b, spec)).toEqual(decided(a, spec));
      if (kind === 'podman') {
        // CDI devices do not show in Podman 4.3's inspect; started (one at a time: they publish the
        // same port), both carry the edits of GPU 1 and 2.
        const started = async (id: string) => {
          const c = te(kind).docker.getContainer(id);
          await c.start();
          const env = (await c.inspect()).Config.Env.filter((e) => e.startsWith('GANTRY_TEST_GPU=')).sort();
          await c.remove({ force: true });
          return env;
        };
        const envA = await started(a.Id);
        expect(envA.length).toBeGreaterThan(0);
        expect(await started(b.Id)).toEqual(envA);
      } else {
        expect(decided(a, spec).deviceRequests).toEqual([{ Driver: 'nvidia', Count: 0, DeviceIDs: ['1', '3'], Capabilities: [['gpu']], Options: {} }]);
      }
    }, 90_000);
  }

  it('podman: a container really starts on GPU 1 through CDI', async () => {
    const c = await startRun(engineTarget(eng.podman!), specFor('podman', { ports: [], gpus: ['1'], command: ['sleep', '1000'] }));
    // The container's own process carries the CDI edits (Podman 4.3's exec sessions do not get them).
    const exec = await podmanTe!.docker.getContainer(c.id).exec({ Cmd: ['cat', '/proc/1/environ'], AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({ hijack: true, stdin: false });
    const out = await new Promise<string>((resolve) => {
      let s = '';
      stream.on('data', (d: Buffer) => (s += d.toString('latin1')));
      stream.on('end', () => resolve(s));
    });
    const env = out.split('\0');
    expect(env).toContain('GANTRY_TEST_GPU=1');
    expect(env.filter((e) => e.startsWith('GANTRY_TEST_GPU='))).toEqual(['GANTRY_TEST_GPU=1']);
  }, 60_000);

  it('docker: DeviceRequests on the created container, and the toolkit message when starting it', async () => {
    const spec = specFor('docker', { ports: [], gpus: ['1'] });
    const created = await eng.docker!.createContainer(spec);
    const i = await dockerTe!.docker.getContainer(created.id).inspect();
    expect((i.HostConfig as { DeviceRequests?: unknown }).DeviceRequests).toEqual([{ Driver: 'nvidia', Count: 0, DeviceIDs: ['1'], Capabilities: [['gpu']], Options: {} }]);
    const err = await eng.docker!.startContainer(created.id, spec).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RunError);
    expect(err).toMatchObject({ problem: 'nvidia-toolkit-missing', message: expect.stringMatching(/NVIDIA container toolkit is missing .*nvidia-ctk runtime configure --runtime=docker.*restart Docker/) });
    // Through startRun, the container that could not start goes again.
    const name = uniqueName('toolkit');
    const e2 = await startRun(engineTarget(eng.docker!), { ...spec, name }).catch((e: unknown) => e);
    expect(e2).toMatchObject({ problem: 'nvidia-toolkit-missing', message: expect.stringContaining(`${name} was created, could not start, and was removed again`) });
    expect(await dockerTe!.docker.getContainer(name).inspect().then(() => 'there', () => 'gone')).toBe('gone');
  }, 60_000);

  describe('faults, in words, on both engines', () => {
    for (const kind of ['docker', 'podman'] as const) {
      it(`${kind}: a name in use (with the next free one), a port in use, a missing mount source, a missing CDI device`, async () => {
        const target = engineTarget(eng[kind]!);
        const first = await startRun(target, specFor(kind, { ports: [] }));
        const dup = await startRun(target, specFor(kind, { ports: [], name: first.name })).catch((e: unknown) => e);
        expect(dup).toMatchObject({ problem: 'name-in-use', suggestion: `${first.name}-2`, message: `the name ${first.name} is already in use: the next free one is ${first.name}-2` });

        const holder: Server = await new Promise((r) => {
          const s = createServer().listen(0, '127.0.0.1', () => r(s));
        });
        const held = (holder.address() as { port: number }).port;
        const name = uniqueName(`port-${kind}`);
        const busy = await startRun(target, specFor(kind, { name, ports: [{ hostIp: '127.0.0.1', hostPort: held, containerPort: 7860, protocol: 'tcp' }] })).catch((e: unknown) => e);
        holder.close();
        expect(busy).toMatchObject({ problem: 'port-in-use', message: expect.stringMatching(new RegExp(`host port ${held} is already in use .*removed again`)) });
        expect(await te(kind).docker.getContainer(name).inspect().then(() => 'there', () => 'gone')).toBe('gone');

        // Checked here before anything is created; created only when asked, as this user.
        const missing = join(tmp, `missing-${kind}`, 'deep');
        const withMissing = (source: string) => specFor(kind, { ports: [], mounts: [...specFor(kind).mounts, { source, target: '/m', readOnly: false }] });
        const refused = await startRun(target, withMissing(missing)).catch((e: unknown) => e);
        expect(refused).toMatchObject({ problem: 'mount-missing', message: expect.stringContaining(`mount source ${missing} does not exist`) });
        const made = await startRun(target, withMissing(missing), { createMounts: true });
        expect(statSync(missing).uid).toBe(process.getuid!());
        await te(kind).docker.getContainer(made.id).remove({ force: true });
        // A remote engine checks for itself: its own refusal, in the same words.
        const remote = { ...target, local: false };
        const gone = join(tmp, `never-${kind}`);
        const byEngine = await startRun(remote, withMissing(gone)).catch((e: unknown) => e);
        expect(byEngine).toMatchObject({ problem: 'mount-missing', message: expect.stringContaining(`mount source ${gone} does not exist on the engine's host`) });

        if (kind === 'podman') {
          // Podman does not make a missing workdir (Docker does).
          const noWorkdir = await startRun(target, specFor(kind, { ports: [], mounts: [], workdir: '/nowhere' })).catch((e: unknown) => e);
          expect(noWorkdir).toMatchObject({ problem: 'invalid', message: expect.stringMatching(/the workdir \/nowhere does not exist in the image, and Podman does not create it/) });
          const noDevice = await startRun(target, specFor(kind, { ports: [], gpus: ['7'] })).catch((e: unknown) => e);
          expect(noDevice).toMatchObject({ problem: 'cdi-missing', message: expect.stringMatching(/no CDI device nvidia\.com\/gpu=7.*nvidia-ctk cdi generate --output=\/etc\/cdi\/nvidia\.yaml/) });
        }
      }, 120_000);
    }
  });
});
