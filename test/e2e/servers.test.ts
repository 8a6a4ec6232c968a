// Servers through the real bin/gantry: `gantry gpus --json` across this machine and "remote"
// servers reached through the test sshd (aliases of 127.0.0.1, the nvidia-smi stand-in as their
// nvidia-smi reporting real container pids), one of them refusing our key; and the TUI showing
// the servers' engines beside this machine's.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eSetup } from '../helpers/e2e.js';
import { enginesOrSkip, removeTestContainers, runContainer, uniqueName } from '../helpers/engines.js';
import { GANTRY, KEY, ROOT } from '../helpers/pty.js';
import { remoteNvidiaSmi, sshdOrSkip } from '../helpers/sshd.js';

const engines = enginesOrSkip('servers end-to-end tests (test/e2e/servers.test.ts)');
const sshd = engines && sshdOrSkip('servers end-to-end tests (test/e2e/servers.test.ts)');
const FAKE = `${ROOT}test/helpers/fake-nvidia-smi`;

describe.skipIf(!engines || !sshd)('servers in bin/gantry', () => {
  const [dockerTe, podmanTe] = engines ?? [];
  const { tmp, env, gantry } = e2eSetup('servers', { FAKE_NVIDIA_SMI_PROFILE: 'h100-idle' });
  const procsFile = join(tmp, 'procs');
  const name = uniqueName('srv-e2e');
  let pid = 0;

  beforeAll(async () => {
    const c = await runContainer(dockerTe!, { name });
    pid = (await c.inspect()).State.Pid;
    writeFileSync(procsFile, `${pid}:2:30720:python3 serve.py`);
    const nv = remoteNvidiaSmi(tmp, procsFile);
    mkdirSync(join(tmp, 'config', 'gantry'), { recursive: true });
    writeFileSync(
      join(tmp, 'config', 'gantry', 'config.yaml'),
      [
        `sshConfig: ${sshd!.config}`,
        'servers:',
        `  - { name: node-a, ssh: node-a, sockets: [${dockerTe!.socket}, ${podmanTe!.socket}], nvidiaSmi: ${nv} }`,
        `  - { name: node-b, ssh: node-b, sockets: [${dockerTe!.socket}], nvidiaSmi: ${nv} }`,
        '  - node-badkey',
        '',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await removeTestContainers(dockerTe!);
  });

  /** The ENGINE cell of each row of the test container on the Containers pane. */
  const engineOf = (t: string) => t.split('\n').flatMap((l) => (/^ (\S+) +(\S+) /.exec(l)?.[2] === name ? [l.trim().split(' ')[0]!] : []));

  const run = (args: string[]) => {
    const r = spawnSync(process.execPath, [GANTRY, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  it('gantry gpus --json: one document over this machine and the servers, a server on each GPU, the unreachable one with its reason', () => {
    const r = run(['gpus', '--json', '--nvidia-smi', FAKE, '--host', dockerTe!.url]);
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.out);
    expect(doc.status).toBe('partial');
    const byName = Object.fromEntries(doc.servers.map((s: { name: string }) => [s.name, s]));
    const local = doc.servers.find((s: { local: boolean }) => s.local);
    expect(local).toMatchObject({ status: 'ok', gpuCount: 1, idleGpus: 1 });
    expect(byName['node-a']).toMatchObject({ local: false, status: 'ok', gpuCount: 4, idleGpus: 1, notes: [] });
    expect(byName['node-b']).toMatchObject({ status: 'ok', gpuCount: 4 });
    expect(byName['node-badkey'].status).toBe('unreachable');
    expect(byName['node-badkey'].message).toMatch(/^node-badkey: the server refused the login \(publickey\)/);
    expect(r.err).toContain('gantry: node-badkey: the server refused the login');
    // Every GPU says its server: 1 here, 4 on each of node-a and node-b.
    const count = (server: string) => doc.gpus.filter((g: { server: string }) => g.server === server).length;
    expect([count(local.name), count('node-a'), count('node-b'), count('node-badkey')]).toEqual([1, 4, 4, 0]);
    const gpu2 = doc.gpus.find((g: { server: string; index: number }) => g.server === 'node-a' && g.index === 2);
    expect(gpu2.idle).toBe(false);
    expect(gpu2.processes).toEqual([
      { server: 'node-a', pid, processName: 'python3 serve.py', usedMemoryMiB: 30720, container: { engine: 'node-a/docker', id: expect.any(String), name } },
    ]);
    expect(doc.containers).toEqual(
      expect.arrayContaining([expect.objectContaining({ server: 'node-b', engine: 'node-b/docker', name, gpus: [2], memoryMiB: 30720 })]),
    );
    // The question a script asks: which servers have an idle GPU?
    const idle = [...new Set(doc.gpus.filter((g: { idle: boolean }) => g.idle).map((g: { server: string }) => g.server))].sort();
    expect(idle).toEqual([local.name, 'node-a', 'node-b'].sort());
  }, 150_000);

  it('--server picks one server (exit 0), and a bad --server says what it takes', () => {
    const r = run(['gpus', '--json', '--server', 'node-a']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.servers.map((s: { name: string }) => s.name)).toEqual(['node-a']);
    expect(doc.status).toBe('ok');
    const bad = run(['gpus', '--server=-oProxyCommand=x']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('is not an ssh destination');
    expect(bad.err).toContain('configured servers: node-a, node-b, node-badkey, and local');
  }, 150_000);

  it('the TUI shows the servers\u2019 engines beside this machine\u2019s, one row per server for the same container', async () => {
    const s = gantry(['--host', dockerTe!.url, '--nvidia-smi', FAKE], { cols: 200, rows: 32 });
    await s.waitFor((t) => /node-a\/docker ●/.test(t) && /node-a\/podman ●/.test(t) && /node-b\/docker ●/.test(t), 90_000);
    await s.press('/');
    s.type(name);
    await s.press(KEY.ENTER);
    // The ENGINE column says where a row is from: this machine's engines are named after it too.
    // Once the filter is applied (before, the three newest rows are the same three, beside other rows
    // whose CPU%/MEM readings can narrow the ENGINE column).
    const screen = await s.waitFor((t) => engineOf(t).length === 3 && t.includes('[1] Containers 3/'), 30_000);
    expect(engineOf(screen).sort()).toEqual([`${hostname()}/docker`, 'node-a/docker', 'node-b/docker'].sort());
    expect(screen).not.toContain('node-badkey/');
  }, 150_000);

  it('the Servers pane: every server with its state and GPUs, the most free GPU memory first; Enter narrows every pane to one, * shows all again', async () => {
    const s = gantry(['--host', dockerTe!.url, '--nvidia-smi', FAKE], { cols: 200, rows: 32 });
    await s.press('7');
    // node-a and node-b: the 4-GPU stand-in (GPUs 0 and 1 in use, GPU 2 held by the container once
    // its process is attributed, which may be a sample after the GPUs); this machine: one idle H100.
    const row = (t: string, server: string) => t.split('\n').find((l) => l.startsWith(` ${server} `)) ?? '';
    const servers = (t: string) => t.split('\n').flatMap((l) => /^ (node-\S+|\S+ \(here\)) /.exec(l)?.[1] ?? []).map((n) => n.replace(' (here)', ''));
    let screen = await s.waitFor((t) => /connected/.test(row(t, 'node-a')) && /connected/.test(row(t, 'node-b')) && /unreachable/.test(row(t, 'node-badkey')) && /1\/4 idle/.test(row(t, 'node-a')) && /1\/4 idle/.test(row(t, 'node-b')), 90_000);
    expect(servers(screen)).toEqual(['node-a', 'node-b', hostname(), 'node-badkey']);
    expect(row(screen, 'node-a')).toMatch(/connected +●\S+\/48 ●\S+\/48 ●\S+\/48 ○\S+\/48 {2}1\/4 idle/);
    expect(row(screen, 'node-badkey')).toMatch(/unreachable, retry.*node-badkey: the server refused the login/);
    expect(screen).toMatch(/\[7\] Servers 3\/4/);
    // Enter on node-a: its containers only, and the tab row says so.
    await s.press(KEY.ENTER);
    // The whole frame: a read can land between its first rows and the strip at the bottom.
    screen = await s.waitFor((t) => /node-a only \(\* all\)/.test(t) && engineOf(t).length === 1 && /node-a: GPU0/.test(t), 30_000);
    expect(engineOf(screen)).toEqual(['node-a/docker']);
    await s.press('5');
    screen = await s.waitFor(/── node-a · 4 GPUs, 1 idle/, 30_000);
    expect(screen).toMatch(new RegExp(`${pid} +node-a/docker/${name} +30\\.0G +python3 serve\\.py`));
    expect(screen).not.toMatch(/── node-b|── .*\(this machine\)/);
    // * : every server's rows again.
    await s.press('1', '*');
    screen = await s.waitFor((t) => !/only \(\* all\)/.test(t) && engineOf(t).length === 3, 30_000);
    expect(engineOf(screen).sort()).toEqual([`${hostname()}/docker`, 'node-a/docker', 'node-b/docker'].sort());
  }, 150_000);
});
