// The pure parts of remote servers: destinations and the choice of servers, the servers: config
// entries with their lines, quoting for the remote shell (checked by a real sh), ssh's own words
// turned into what to run, the probe and /proc scripts (run here by a real sh), and the summaries
// a Servers pane reads.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';
import { parseProbe, probeCommand, socketProblems } from '../../src/remote/probe.js';
import { parseProcs, procsCommand, RemoteProcs } from '../../src/remote/procs.js';
import { chooseServers, parseDestination } from '../../src/remote/spec.js';
import { commonArgs, DEFAULT_SSH, masterArgs, muxArgs, remoteCommand, remoteScript } from '../../src/remote/ssh.js';
import { explainSsh, SSH_MISSING } from '../../src/remote/sshErrors.js';
import { serverSummaries, type ServerEntry } from '../../src/store/servers.js';
import { initialState, reducer, type AppState } from '../../src/store/state.js';
import type { Container } from '../../src/engine/models.js';

/** What a login shell on the server does with the command string ssh sends. */
const remoteSh = (command: string) => execFileSync('sh', ['-c', command], { encoding: 'utf8' });

describe('destinations and the choice of servers', () => {
  it('reads ssh://, user@host and aliases, and refuses what ssh would read as an option', () => {
    expect(parseDestination('ssh://alice@10.0.0.5:2222')).toEqual({ host: '10.0.0.5', user: 'alice', port: 2222 });
    expect(parseDestination('ssh://[::1]')).toEqual({ host: '::1' });
    expect(parseDestination('bob@gpu3.lab')).toEqual({ host: 'gpu3.lab', user: 'bob' });
    expect(parseDestination('node-a')).toEqual({ host: 'node-a' });
    for (const bad of ['-oProxyCommand=x', 'a b', 'x@-y', '']) expect(parseDestination(bad)).toMatch(/is not an ssh destination/);
    expect(parseDestination('ssh://h/var/run/docker.sock')).toMatch(/a server is the machine, not a socket/);
  });

  it('is this machine alone with nothing configured, else this machine and every server; --server picks', () => {
    const a = { name: 'a', ssh: 'node-a', sockets: [] };
    expect(chooseServers([], [], 'box')).toEqual({ local: true, localName: 'box', remote: [], multi: false });
    expect(chooseServers([a], [], 'box')).toEqual({ local: true, localName: 'box', remote: [a], multi: true });
    expect(chooseServers([a], ['a'], 'box')).toMatchObject({ local: false, remote: [a], multi: true });
    expect(chooseServers([a], ['local', 'box'], 'box')).toMatchObject({ local: true, remote: [], multi: false });
    expect(chooseServers([a], ['ssh://eve@h2:22', 'a', 'a'], 'box').remote).toEqual([{ name: 'h2', ssh: 'ssh://eve@h2:22', sockets: [] }, a]);
    expect(() => chooseServers([a], ['-x'], 'box')).toThrow('--server "-x" is not an ssh destination: use an alias from your ssh config, user@host, or ssh://user@host:port (configured servers: a, and local)');
    expect(() => chooseServers([{ ...a, name: 'box' }], [], 'box')).toThrow(/"box" is the name of this machine/);
  });
});

describe('servers: in the config', () => {
  const bad = (text: string) => {
    try {
      parseConfig(text, 'cfg.yaml');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as Error).message;
    }
    throw new Error('no error');
  };

  it('names the line and the problem', () => {
    expect(bad('servers: node-a\n')).toBe('cfg.yaml line 1: "servers" must be a list of servers (each an ssh destination, or name/ssh/sockets/nvidiaSmi)');
    expect(bad('servers:\n  - name: a\n')).toMatch(/^cfg.yaml line 2: a server needs "ssh:"/);
    expect(bad('servers:\n  - ssh: node-a\n    sokets: []\n')).toBe('cfg.yaml line 3: unknown key "sokets" in a server (known: name, ssh, sockets, nvidiaSmi)');
    expect(bad('servers:\n  - node-a\n  - ssh: node-a\n')).toBe('cfg.yaml line 3: two servers are named "node-a": give one a "name:"');
    expect(bad('servers:\n  - ssh: node-a\n    sockets: [var/run/docker.sock]\n')).toMatch(/^cfg.yaml line 3: each socket is an absolute path/);
    expect(bad('servers:\n  - ssh: node-a\n    name: "a/b"\n')).toMatch(/^cfg.yaml line 3: "a\/b" is not a usable server name/);
    expect(bad('servers:\n  - "-oProxyCommand=x"\n')).toMatch(/^cfg.yaml line 2: "-oProxyCommand=x" is not an ssh destination/);
  });
});

describe('ssh arguments and remote quoting', () => {
  it('quotes every word so the remote shell reads it back unchanged', () => {
    const words = ['a b', "it's", '$(id)', '`id`', '*', '"q"', '\\', ';rm -rf /tmp/x'];
    expect(remoteSh(remoteScript('printf "%s|" "$@"', words))).toBe(words.map((w) => `${w}|`).join(''));
    expect(remoteSh(remoteCommand(['printf', '%s', "x'y"]))).toBe("x'y");
    expect(() => remoteScript('echo a\necho b')).toThrow(/one line/);
  });

  it('runs every ssh in batch mode with keep-alives; clients cannot fall back to a connection of their own', () => {
    const s = { ...DEFAULT_SSH, configFile: '/etc/gantry/ssh_config' };
    expect(commonArgs(s)).toEqual(['-F', '/etc/gantry/ssh_config', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=5', '-o', 'ServerAliveInterval=2', '-o', 'ServerAliveCountMax=3']);
    const d = { host: 'h', user: 'u', port: 2222 };
    const m = masterArgs(s, d, '/tmp/g/s0.ctl');
    expect(m.slice(-6)).toEqual(['-p', '2222', '-l', 'u', '--', 'h']);
    expect(m).toEqual(expect.arrayContaining(['-M', '-N', 'ControlPersist=no', 'ForwardAgent=no']));
    expect(muxArgs(s, d, '/tmp/g/s0.ctl')).toEqual(expect.arrayContaining(['ControlMaster=no', 'ProxyCommand=false']));
  });
});

describe("ssh's words into what to run", () => {
  const f = (stderr: string) => explainSsh({ server: 'n1', sshCommand: 'ssh n1', stderr, exitCode: 255, connectTimeoutS: 5, aliveS: 6 });
  it('explains each failure ssh really prints', () => {
    expect(f('No ED25519 host key is known for [127.0.0.1]:41667 and you have requested strict checking.\nHost key verification failed.\n')).toBe(
      'n1: its host key is not known yet: run `ssh n1` once by hand to check and accept it (gantry never prompts: it runs ssh in batch mode).',
    );
    expect(f('root@127.0.0.1: Permission denied (publickey).\n')).toMatch(/^n1: the server refused the login \(publickey\): put your public key/);
    expect(f('ssh: connect to host 127.0.0.1 port 1: Connection refused\n')).toBe('n1: connection refused (ssh: connect to host 127.0.0.1 port 1: Connection refused): sshd is not running there, or listens on another port.');
    expect(f('ssh: Could not resolve hostname nosuch.invalid: Name or service not known\n')).toMatch(/^n1: host name not found/);
    expect(f('ssh: connect to host 10.255.255.1 port 22: Connection timed out\n')).toMatch(/^n1: no answer within 5 s/);
    expect(f('Timeout, server 10.0.0.5 not responding.\n')).toBe('n1: stopped answering (no reply to keep-alives for 6 s); reconnecting.');
    expect(f('Connection to 127.0.0.1 closed by remote host.\n')).toMatch(/^n1: the connection was closed \(Connection to 127\.0\.0\.1 closed by remote host\.\)/);
    expect(f('@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n')).toMatch(/^n1: its host key has CHANGED/);
    expect(f('weird \x1b]52;c;AAAA\x07thing\n')).toBe('n1: ssh failed: weird thing');
    expect(explainSsh({ server: 'n1', sshCommand: 'ssh n1', stderr: '', spawnError: Object.assign(new Error('spawn ssh ENOENT'), { code: 'ENOENT' }) })).toBe(SSH_MISSING);
  });
});

describe('the probe and /proc scripts, run by a real sh', () => {
  it('finds which sockets exist, and says what is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gantry-probe-'));
    const sock = join(dir, 'engine.sock');
    const server = createServer();
    await new Promise<void>((r) => server.listen(sock, r));
    try {
      const facts = parseProbe(remoteSh(probeCommand('sh', [sock, join(dir, 'none.sock')])), 'sh')!;
      expect(facts.uid).toBe(process.getuid!());
      expect(facts.sockets).toEqual([
        { path: sock, real: sock, access: 'ok' },
        { path: join(dir, 'none.sock'), real: join(dir, 'none.sock'), access: 'missing' },
      ]);
      expect(facts.has.nvidiaSmi).toBe(true);
      const defaults = parseProbe(remoteSh(probeCommand('no-such-nvidia-smi', [])), 'no-such-nvidia-smi')!;
      expect(defaults.sockets.map((s) => s.path)).toEqual(['/var/run/docker.sock', `${defaults.runtimeDir}/podman/podman.sock`, '/run/podman/podman.sock']);
      expect(defaults.has.nvidiaSmi).toBe(false);
      expect(socketProblems('n1', facts, true, 1)).toEqual([`n1: ${join(dir, 'none.sock')}: no socket there (is the engine running on n1?).`]);
    } finally {
      server.close();
    }
  });

  it('says how to fix a refused socket and a server with no engine', () => {
    const facts = { uid: 1000, user: 'alice', runtimeDir: '/run/user/1000', has: { docker: false, podman: true, nvidiaSmi: true }, sockets: [] as { path: string; real: string; access: 'ok' | 'denied' | 'missing' }[] };
    expect(socketProblems('n1', { ...facts, sockets: [{ path: '/var/run/docker.sock', real: '/run/docker.sock', access: 'denied' }] }, false, 0)).toEqual([
      'n1: /var/run/docker.sock: permission denied for alice: add that user to the docker group there (`sudo usermod -aG docker alice`, then reconnect), or use rootless Podman.',
    ]);
    expect(socketProblems('n1', { ...facts, sockets: [{ path: '/run/podman/podman.sock', real: '/run/podman/podman.sock', access: 'missing' }] }, false, 0)).toEqual([
      'n1: no container engine answers (tried /run/podman/podman.sock): run `systemctl --user enable --now podman.socket` on n1 (rootless Podman is installed there).',
    ]);
  });

  it('reads the cgroup and owner of many pids in one command, and only new pids the next time', async () => {
    const out = remoteSh(procsCommand([process.pid, 999_999_999]));
    const { procs, users } = parseProcs(out);
    expect(procs.get(process.pid)?.cgroup).toBe(execFileSync('cat', [`/proc/${process.pid}/cgroup`], { encoding: 'utf8' }).trimEnd());
    expect(procs.get(process.pid)?.uid).toBe(process.getuid!());
    expect(procs.get(999_999_999)).toEqual({});
    expect(users.get(0)).toBe('root');

    const commands: string[] = [];
    const rp = new RemoteProcs(async (cmd) => {
      commands.push(cmd);
      return remoteSh(cmd);
    });
    const r1 = await rp.reader([process.pid]);
    expect(r1.owner(process.pid)).toBe('root');
    await rp.reader([process.pid]);
    expect(commands).toHaveLength(1);
    await rp.reader([process.pid, process.ppid]);
    expect(commands).toHaveLength(2);
    expect(commands[1]).toBe(procsCommand([process.ppid]));
  });
});

describe('what a Servers pane reads', () => {
  const gpu = (index: number, used: number) => ({ index, uuid: `GPU-${index}`, name: 'H100', memoryTotalMiB: 81_559, memoryUsedMiB: used, utilizationPct: 0, migEnabled: false });
  const entry = (name: string, o: Partial<ServerEntry> = {}): ServerEntry => ({ name, local: false, destination: `ssh ${name}`, state: 'connected', notes: [], since: 1, engineIds: [`${name}/docker`], ...o });
  const container = (engineId: string, state: Container['state']): Container => ({ key: `${engineId}/x${state}`, engineId, id: `x${state}`, name: 'x', image: 'i', state, status: '', created: 0, ports: [], command: '', labels: {} });

  it('puts the connected server with the most free GPU memory first, with its idle GPUs, containers and reclaimable disk', () => {
    let s: AppState = initialState({ gpu: true });
    s = reducer(s, {
      type: 'servers/set',
      servers: [entry('full'), entry('down', { state: 'unreachable', reason: 'down: connection refused', engineIds: [] }), entry('free')],
    });
    s = reducer(s, { type: 'servers/gpu', name: 'full', gpu: { status: { state: 'ok' }, gpus: [gpu(0, 80_000), gpu(1, 500)], processes: [{ pid: 7, gpuUuid: 'GPU-1', processName: 'p', gpuIndex: 1 }], at: 2 } });
    s = reducer(s, { type: 'servers/gpu', name: 'free', gpu: { status: { state: 'ok' }, gpus: [gpu(0, 0), gpu(1, 2048)], processes: [], at: 2 } });
    s = reducer(s, { type: 'containers/set', engineId: 'free/docker', containers: [container('free/docker', 'running'), container('free/docker', 'exited')] });
    const usage = { count: 1, active: 0, size: 10, reclaimable: 1000 };
    s = reducer(s, { type: 'df/set', engineId: 'free/docker', df: { images: usage, containers: usage, volumes: usage, imagesSizeEstimated: false, facts: { kind: 'docker', version: '1' } } as never });
    const sums = serverSummaries(s);
    expect(sums.map((x) => x.name)).toEqual(['free', 'full', 'down']);
    expect(sums[0]).toMatchObject({ idleGpus: 1, containers: { running: 1, total: 2 }, reclaimableBytes: 3000 });
    expect(sums[0]!.gpus.map((g) => g.idle)).toEqual([true, false]);
    // GPU 1 of "full" holds only 500 MiB but a process is on it: not idle.
    expect(sums[1]!.gpus.map((g) => g.idle)).toEqual([false, false]);
    expect(sums[2]).toMatchObject({ state: 'unreachable', reason: 'down: connection refused', gpus: [] });
    expect(serverSummaries(s)).toBe(sums);
    s = reducer(s, { type: 'servers/status', name: 'down', status: { state: 'connected', since: 5, notes: ['down: no engine'] } });
    expect(serverSummaries(s).find((x) => x.name === 'down')).toMatchObject({ state: 'connected', notes: ['down: no engine'], since: 5 });
    expect(serverSummaries(s).find((x) => x.name === 'down')!.reason).toBeUndefined();
  });
});
