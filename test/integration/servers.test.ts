// Remote servers over real ssh, nothing mocked: the test sshd (scripts/sshd.sh) on 127.0.0.1
// lets "node-a", "node-b", … reach this machine's test engines through ssh, so rows come from
// this machine and from each server; the nvidia-smi stand-in runs on the "remote" side reporting
// real container pids, attributed there through /proc; actions and logs go through the tunnels;
// a server whose sshd stops mid-session is marked down with the reason and comes back.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverEngines } from '../../src/engine/discovery.js';
import type { Engine } from '../../src/engine/engine.js';
import { ServerSet } from '../../src/remote/servers.js';
import { DEFAULT_SSH } from '../../src/remote/ssh.js';
import { SSH_MISSING } from '../../src/remote/sshErrors.js';
import { chooseServers, type ServerSpec } from '../../src/remote/spec.js';
import { wireServers } from '../../src/app/servers.js';
import { EngineWatcher } from '../../src/store/sources.js';
import { createStore } from '../../src/store/store.js';
import { initialState, reducer, type Action, type AppState } from '../../src/store/state.js';
import { serverOfEngine, serverSummaries } from '../../src/store/servers.js';
import { enginesOrSkip, removeTestContainers, runContainer, uniqueName, waitUntil } from '../helpers/engines.js';
import { remoteNvidiaSmi, sshdOrSkip, sshdScript } from '../helpers/sshd.js';

const engines = enginesOrSkip('remote server tests (test/integration/servers.test.ts)');
const sshd = engines && sshdOrSkip('remote server tests (test/integration/servers.test.ts)');

describe.skipIf(!engines || !sshd)('servers over real ssh', () => {
  const [dockerTe, podmanTe] = engines ?? [];
  const tmp = mkdtempSync(join(tmpdir(), 'gantry-servers-'));
  const procsFile = join(tmp, 'procs');
  writeFileSync(procsFile, '');
  const nv = remoteNvidiaSmi(tmp, procsFile);
  // Keep-alives every second: a dead server is noticed in ~3 s.
  const ssh = { ...DEFAULT_SSH, configFile: sshd?.config ?? '', aliveIntervalS: 1, aliveCountMax: 3 };
  const spec = (name: string, o: Partial<ServerSpec> = {}): ServerSpec => ({ name, ssh: name, sockets: [dockerTe!.socket, podmanTe!.socket], nvidiaSmi: nv, ...o });
  const cleanups: (() => void)[] = [];

  afterAll(async () => {
    for (const c of cleanups.splice(0)) c();
    await removeTestContainers(dockerTe!);
    await removeTestContainers(podmanTe!);
  });

  /** This machine's test engines plus `specs`, wired into a store as the TUI wires them. */
  async function screenOf(specs: ServerSpec[], gpuLoops = true) {
    const local = await discoverEngines({ env: {}, home: tmp, hosts: [dockerTe!.url, podmanTe!.url], podmanService: false, probeTimeoutMs: 20_000 });
    const set = new ServerSet(specs, { ssh, gpuLoops, gpuIntervalMs: 300, nvidiaSmi: 'nvidia-smi', backoffMs: [200, 1000] });
    const store = createStore<AppState, Action>(reducer, initialState({ gpu: true }));
    store.dispatch({ type: 'engines/set', engines: local.engines.map((e) => ({ id: e.id, kind: e.kind, label: e.label, endpoint: e.url, status: 'connecting' as const })) });
    const map = new Map<string, Engine>(local.engines.map((e) => [e.id, e]));
    const watchers = new Map(local.engines.map((e) => [e.id, new EngineWatcher(e, store, { gpuGrants: true })]));
    const source = wireServers({ choice: chooseServers(specs, [], 'this-machine'), set }, store, map, watchers, { gpuGrants: true, backoffMs: [200, 1000] });
    for (const w of watchers.values()) w.start();
    const stop = () => {
      source.stop();
      for (const w of watchers.values()) w.stop();
      set.stop();
      local.shutdown();
    };
    cleanups.push(stop);
    const rows = (name: string) =>
      Object.values(store.getState().containers)
        .flat()
        .filter((c) => c.name === name);
    return { store, set, engines: map, rows, stop };
  }

  it('shows rows of this machine and of two servers, and attributes GPU processes on the remote side', async () => {
    const dname = uniqueName('srv-docker');
    const pname = uniqueName('srv-podman');
    const d = await runContainer(dockerTe!, { name: dname, env: ['NVIDIA_VISIBLE_DEVICES=1,3'] });
    const p = await runContainer(podmanTe!, { name: pname });
    const dpid = (await d.inspect()).State.Pid;
    const ppid = (await p.inspect()).State.Pid;
    // A host process too: its user comes from the remote side's passwd.
    writeFileSync(procsFile, `${dpid}:1:9500:python3 train.py,${ppid}:2:20480:python3 ppo.py,${process.pid}:0:512:node`);
    const { store, rows, stop } = await screenOf([spec('node-a'), spec('node-b', { sockets: [dockerTe!.socket] })]);
    await waitUntil(() => rows(dname).length === 3 && rows(pname).length === 2, 60_000, 'the containers on this machine, node-a and node-b');
    expect(rows(dname).map((c) => c.engineId).sort()).toEqual(['docker', 'node-a/docker', 'node-b/docker']);
    expect(rows(pname).map((c) => c.engineId).sort()).toEqual(['node-a/podman', 'podman']);
    // Keys stay unique across servers although it is one container.
    expect(new Set(rows(dname).map((c) => c.key)).size).toBe(3);

    const gpuOf = (name: string) => store.getState().servers.list.find((s) => s.name === name)?.gpu;
    await waitUntil(() => (gpuOf('node-a')?.processes.length ?? 0) === 3 && (gpuOf('node-b')?.processes.length ?? 0) === 3, 30_000, 'GPU processes on both servers');
    const procs = gpuOf('node-a')!.processes;
    expect(procs.find((x) => x.pid === dpid)).toMatchObject({ gpuIndex: 1, containerId: d.id, usedMemoryMiB: 9500 });
    expect(procs.find((x) => x.pid === ppid)).toMatchObject({ gpuIndex: 2, containerId: p.id });
    expect(procs.find((x) => x.pid === process.pid)).toMatchObject({ gpuIndex: 0, hostUser: 'root' });

    const s = store.getState();
    expect(serverOfEngine(s, 'node-a/podman')).toBe('node-a');
    expect(serverOfEngine(s, 'docker')).toBe('this-machine');
    const sums = serverSummaries(s);
    const a = sums.find((x) => x.name === 'node-a')!;
    expect(a).toMatchObject({ state: 'connected', notes: [], idleGpus: 1, engineIds: ['node-a/docker', 'node-a/podman'] });
    expect(a.gpus.map((g) => [g.index, g.idle, g.totalMiB])).toEqual([
      [0, false, 49140],
      [1, false, 49140],
      [2, false, 49140],
      [3, true, 49140],
    ]);
    expect(a.containers.running).toBeGreaterThanOrEqual(2);
    expect(a.containers.total).toBeGreaterThanOrEqual(a.containers.running);
    expect(sums.find((x) => x.name === 'node-b')!.engineIds).toEqual(['node-b/docker']);
    expect(sums.find((x) => x.name === 'this-machine')).toMatchObject({ local: true, state: 'connected', engineIds: ['docker', 'podman'] });
    stop();
  }, 120_000);

  it('follows a log, runs an exec and stops a container through the tunnel, on both engines', async () => {
    const { engines: map, rows, stop } = await screenOf([spec('node-a')], false);
    for (const te of [dockerTe!, podmanTe!]) {
      const name = uniqueName(`tunnel-${te.kind}`);
      const c = await runContainer(te, { name, cmd: ['sh', '-c', 'echo hello-through-ssh; sleep 100000'] });
      const id = `node-a/${te.kind}`;
      await waitUntil(() => map.has(id) && rows(name).some((r) => r.engineId === id && r.state === 'running'), 60_000, `${name} running on ${id}`);
      const engine = map.get(id)!;
      const lines: string[] = [];
      const follow = engine.followLogs(c.id, { tty: false, tail: 'all' }, (ls) => lines.push(...ls.map((l) => l.text)), () => undefined);
      await waitUntil(() => lines.includes('hello-through-ssh'), 20_000, 'the log line through ssh');
      follow.cancel();
      // An interactive exec: the engine's hijacked stream, through the forwarded socket and back.
      const session = await engine.startExec(c.id, ['sh', '-c', 'echo exec-through-$((6*7)); exit 3'], { cols: 80, rows: 24 });
      let out = '';
      session.stream.on('data', (d: Buffer) => (out += d.toString()));
      expect(await session.wait()).toMatchObject({ exitCode: 3 });
      expect(out).toContain('exec-through-42');
      await engine.containerAction(c.id, 'stop');
      await waitUntil(() => rows(name).some((r) => r.engineId === id && r.state === 'exited'), 30_000, `${name} exited, seen through node-a`);
      expect((await c.inspect()).State.Running).toBe(false);
    }
    stop();
  }, 120_000);

  it('marks a server down with the reason when its sshd stops mid-session, keeps the others, and reconnects', async () => {
    const { store, engines: map, stop } = await screenOf([spec('node-c', { sockets: [dockerTe!.socket] })], false);
    const server = () => store.getState().servers.list.find((s) => s.name === 'node-c')!;
    const engineState = (id: string) => store.getState().engines.find((e) => e.id === id);
    await waitUntil(() => server().state === 'connected' && engineState('node-c/docker')?.status === 'up' && engineState('docker')?.status === 'up', 60_000, 'node-c up');
    try {
      sshdScript(sshd!, 'stop');
      await waitUntil(() => server().state === 'unreachable', 30_000, 'node-c unreachable');
      await waitUntil(() => /refused|closed/.test(server().reason ?? ''), 30_000, 'the reason');
      expect(server().reason).toMatch(/^node-c: (connection refused|the connection was closed)/);
      await waitUntil(() => engineState('node-c/docker')?.status === 'down', 30_000, 'node-c/docker down');
      expect(engineState('node-c/docker')?.error).toMatch(/^node-c: /);
      // This machine's engines are not touched.
      expect(engineState('docker')?.status).toBe('up');
      expect(engineState('podman')?.status).toBe('up');
    } finally {
      sshdScript(sshd!, 'start');
    }
    await waitUntil(() => server().state === 'connected', 60_000, 'node-c connected again');
    await waitUntil(() => engineState('node-c/docker')?.status === 'up', 30_000, 'node-c/docker up again');
    // The same engine object, through the same forwarded socket.
    expect((await map.get('node-c/docker')!.listContainers()).length).toBeGreaterThanOrEqual(0);

    // Live sessions dropped while sshd keeps listening (a network blip): back without a restart.
    sshdScript(sshd!, 'drop');
    await waitUntil(() => server().state === 'unreachable', 30_000, 'node-c dropped');
    await waitUntil(() => server().state === 'connected' && engineState('node-c/docker')?.status === 'up', 60_000, 'node-c back after the drop');
    stop();
  }, 240_000);

  it('says what to run for an unknown host key and a refused key, without prompting or hanging', async () => {
    const set = new ServerSet([spec('node-unknownkey'), spec('node-badkey')], { ssh, gpuLoops: false, gpuIntervalMs: 1000, nvidiaSmi: 'nvidia-smi' });
    cleanups.push(() => set.stop());
    set.start();
    const [unknown, bad] = set.servers;
    // Bounded waits: a prompt or a hang would leave them "connecting".
    await Promise.all([unknown!.ready(30_000), bad!.ready(30_000)]);
    expect(unknown!.status.state).toBe('unreachable');
    expect(unknown!.status.reason).toBe(
      `node-unknownkey: its host key is not known yet: run \`ssh -F ${sshd!.config} node-unknownkey\` once by hand to check and accept it (gantry never prompts: it runs ssh in batch mode).`,
    );
    expect(bad!.status.state).toBe('unreachable');
    expect(bad!.status.reason).toMatch(/^node-badkey: the server refused the login \(publickey\): put your public key in ~\/\.ssh\/authorized_keys there/);
    expect(bad!.status.nextTryAt).toBeGreaterThan(0);
    set.stop();
  }, 60_000);

  it('shows the containers of a server without nvidia-smi, says so, and names a socket that is not there', async () => {
    const missing = join(tmp, 'no-such-podman.sock');
    const { store, rows, stop } = await screenOf([spec('node-d', { sockets: [dockerTe!.socket, missing], nvidiaSmi: join(tmp, 'no-such-nvidia-smi') })]);
    const name = uniqueName('srv-nogpu');
    await runContainer(dockerTe!, { name });
    await waitUntil(() => rows(name).some((r) => r.engineId === 'node-d/docker'), 60_000, 'the container through node-d');
    const entry = () => store.getState().servers.list.find((s) => s.name === 'node-d')!;
    await waitUntil(() => entry().gpu?.status.state === 'missing', 30_000, 'the GPU status of node-d');
    const sum = serverSummaries(store.getState()).find((s) => s.name === 'node-d')!;
    expect(sum.gpuNote).toMatch(/^nvidia-smi not found on node-d: its GPUs are not shown \(its containers are\)/);
    expect(sum.gpus).toEqual([]);
    expect(entry().notes).toEqual([`node-d: ${missing}: no socket there (is the engine running on node-d?).`]);
    stop();
  }, 90_000);

  it('tries an engine that did not answer again, and shows it once it does', async () => {
    // A real socket in front of the real Docker engine that first hangs up on every connection.
    const sock = join(tmp, 'late-docker.sock');
    let open = false;
    const proxy = createServer((c) => {
      if (!open) return void c.destroy();
      const up = connect(dockerTe!.socket);
      c.pipe(up).pipe(c);
      up.on('error', () => c.destroy());
      c.on('error', () => up.destroy());
    });
    await new Promise<void>((r) => proxy.listen(sock, r));
    cleanups.push(() => proxy.close());
    const { store, stop } = await screenOf([spec('node-f', { sockets: [sock] })], false);
    const entry = () => store.getState().servers.list.find((s) => s.name === 'node-f')!;
    await waitUntil(() => entry().state === 'connected' && entry().notes.length > 0, 60_000, 'node-f connected, its engine not answering');
    expect(entry().notes[0]).toMatch(new RegExp(`^node-f:${sock}: `));
    expect(entry().engineIds).toEqual([]);
    open = true;
    await waitUntil(() => entry().engineIds.includes('node-f/docker') && entry().notes.length === 0, 60_000, 'node-f/docker after a retry');
    stop();
  }, 120_000);

  it('says ssh is missing on this machine, once, without retrying', async () => {
    const set = new ServerSet([spec('node-e')], { ssh: { ...ssh, binary: join(tmp, 'no-such-ssh') }, gpuLoops: false, gpuIntervalMs: 1000, nvidiaSmi: 'nvidia-smi' });
    cleanups.push(() => set.stop());
    set.start();
    await set.servers[0]!.ready(10_000);
    expect(set.servers[0]!.status).toMatchObject({ state: 'unreachable', reason: SSH_MISSING });
    expect(set.servers[0]!.status.nextTryAt).toBeUndefined();
    set.stop();
  });
});
