// The inspect summary (from hand-written Docker and Podman answers shaped like the real ones), its
// lines for the Inspect tab, and env secrets with their mask.
import { describe, expect, it } from 'vitest';
import { envEntries, inspectSummary } from '../../src/engine/inspect.js';
import { shellQuote, summaryLines } from '../../src/present/inspect.js';
import { isSecretEnv, maskValue } from '../../src/text/secrets.js';

// A Docker 20.10 answer for: docker run --name train --restart on-failure:3 --shm-size 2g --gpus '"device=0,2"'
// -v /data/ds:/datasets:ro -v hf-cache:/cache --tmpfs /scratch:size=1g -p 127.0.0.1:7860:7860
// -e HF_TOKEN=hf_abc -e WANDB_API_KEY=k1 --health-cmd … image python train.py ; it exited 3.
const dockerRaw = {
  Id: 'd'.repeat(64),
  Name: '/train',
  Image: 'sha256:' + 'a'.repeat(64),
  RestartCount: 2,
  State: {
    Status: 'exited',
    Running: false,
    Paused: false,
    Restarting: false,
    OOMKilled: false,
    Dead: false,
    ExitCode: 3,
    Error: '',
    StartedAt: '2026-11-22T10:00:00.123456789Z',
    FinishedAt: '2026-11-22T11:30:00Z',
    Health: {
      Status: 'unhealthy',
      FailingStreak: 4,
      Log: [
        { Start: '', End: '', ExitCode: 0, Output: 'ok\n' },
        { Start: '', End: '', ExitCode: 1, Output: 'curl: (7) Failed to connect\n' },
      ],
    },
  },
  Config: {
    User: '1000:1000',
    Tty: false,
    Env: ['HF_TOKEN=hf_abc', 'WANDB_API_KEY=k1', 'PATH=/usr/bin:/bin', 'NVIDIA_VISIBLE_DEVICES=0,2'],
    Cmd: ['python', 'train.py', '--name', 'run one'],
    Image: 'pytorch/pytorch:2.3',
    WorkingDir: '',
    Entrypoint: null,
    ExposedPorts: { '7860/tcp': {}, '6006/tcp': {} },
    Labels: { project: 'vla', owner: 'ana' },
  },
  HostConfig: {
    NetworkMode: 'bridge',
    PortBindings: { '7860/tcp': [{ HostIp: '127.0.0.1', HostPort: '7860' }] },
    RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 },
    IpcMode: 'private',
    ShmSize: 2147483648,
    Tmpfs: { '/scratch': 'size=1g' },
    Devices: null,
    DeviceRequests: [{ Driver: '', Count: 0, DeviceIDs: ['0', '2'], Capabilities: [['gpu']], Options: {} }],
  },
  Mounts: [
    { Type: 'bind', Source: '/data/ds', Destination: '/datasets', Mode: 'ro', RW: false, Propagation: 'rprivate' },
    { Type: 'volume', Name: 'hf-cache', Source: '/var/lib/docker/volumes/hf-cache/_data', Destination: '/cache', Driver: 'local', Mode: 'z', RW: true },
  ],
  NetworkSettings: {
    Ports: {},
    Networks: { bridge: { IPAddress: '' } },
  },
};

// Podman 4.3's compatible answer for a running container made with --network none, --ipc host,
// a CDI GPU, and no health check (Podman still has a Health object, with an empty status).
const podmanRaw = {
  Id: 'p'.repeat(64),
  Name: 'serve',
  Image: 'sha256:' + 'b'.repeat(64),
  RestartCount: 0,
  State: {
    Status: 'running',
    Running: true,
    Paused: false,
    Restarting: false,
    OOMKilled: false,
    Dead: false,
    Pid: 4242,
    ExitCode: 0,
    Error: '',
    StartedAt: '2026-11-22T12:00:00Z',
    FinishedAt: '0001-01-01T00:00:00Z',
    Health: { Status: '', FailingStreak: 0, Log: null },
  },
  Config: {
    User: '',
    Tty: true,
    Env: ['PATH=/bin', 'TERM=xterm', 'container=podman'],
    Cmd: ['sleep', '1000'],
    Image: 'localhost/serve:latest',
    WorkingDir: '/',
    Entrypoint: [],
    Labels: null,
  },
  HostConfig: {
    NetworkMode: 'none',
    PortBindings: {},
    RestartPolicy: { Name: '', MaximumRetryCount: 0 },
    IpcMode: 'host',
    ShmSize: 65536000,
    Tmpfs: { '/run': 'rw,rprivate,nosuid,nodev,tmpcopyup' },
    Devices: [{ PathOnHost: 'nvidia.com/gpu=1', PathInContainer: '', CgroupPermissions: '' }],
    DeviceRequests: null,
  },
  Mounts: [{ Type: 'volume', Name: 'models', Source: '/var/lib/containers/storage/volumes/models/_data', Destination: '/models', Mode: '', RW: true }],
  NetworkSettings: { Ports: {}, Networks: {} },
};

describe('inspectSummary', () => {
  it('reads a Docker answer: state, exit code, restart policy, mounts, ports, GPUs, health', () => {
    const s = inspectSummary(dockerRaw);
    expect(s).toMatchObject({
      name: 'train',
      state: 'exited',
      exitCode: 3,
      oomKilled: false,
      restartCount: 2,
      restartPolicy: { name: 'on-failure', maxRetries: 3 },
      image: 'pytorch/pytorch:2.3',
      imageId: 'sha256:' + 'a'.repeat(64),
      command: ['python', 'train.py', '--name', 'run one'],
      entrypoint: [],
      workingDir: '/',
      user: '1000:1000',
      ipcMode: 'private',
      shmSize: 2 * 1024 ** 3,
      labels: { project: 'vla', owner: 'ana' },
      startedAt: '2026-11-22T10:00:00.123456789Z',
      finishedAt: '2026-11-22T11:30:00Z',
    });
    expect(s.error).toBeUndefined();
    expect(s.mounts).toEqual([
      { type: 'volume', source: 'hf-cache', target: '/cache', rw: true, hostPath: '/var/lib/docker/volumes/hf-cache/_data' },
      { type: 'bind', source: '/data/ds', target: '/datasets', rw: false },
      { type: 'tmpfs', source: '', target: '/scratch', rw: true, options: 'size=1g' },
    ]);
    // Not running: the requested binding, plus the port that is only exposed.
    expect(s.ports).toEqual([
      { containerPort: 6006, protocol: 'tcp' },
      { containerPort: 7860, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 7860 },
    ]);
    expect(s.networks).toEqual([{ name: 'bridge' }]);
    expect(s.gpus).toMatchObject({ all: false, indices: [0, 2], sources: ['--gpus', 'NVIDIA_VISIBLE_DEVICES'] });
    expect(s.health).toEqual({ status: 'unhealthy', failingStreak: 4, lastOutput: 'curl: (7) Failed to connect', lastExitCode: 1 });
    expect(s.env.filter((e) => e.secret).map((e) => e.name)).toEqual(['HF_TOKEN', 'WANDB_API_KEY']);
  });

  it("reads a Podman answer and fills the gaps the same way: no health, no zero times, CDI GPU", () => {
    const s = inspectSummary(podmanRaw);
    expect(s).toMatchObject({ name: 'serve', state: 'running', restartPolicy: { name: 'no', maxRetries: 0 }, workingDir: '/', ipcMode: 'host', tty: true, labels: {} });
    expect(s.exitCode).toBeUndefined();
    expect(s.finishedAt).toBeUndefined();
    expect(s.health).toBeUndefined();
    expect(s.networks).toEqual([]);
    expect(s.ports).toEqual([]);
    expect(s.gpus).toMatchObject({ indices: [1], sources: ['devices'] });
    // Podman's default tmpfs options say nothing worth showing.
    expect(s.mounts).toEqual([
      { type: 'volume', source: 'models', target: '/models', rw: true, hostPath: '/var/lib/containers/storage/volumes/models/_data' },
      { type: 'tmpfs', source: '', target: '/run', rw: true },
    ]);
  });

  it('prefers the live port bindings of a running container and shows a port once for 0.0.0.0 and ::', () => {
    const s = inspectSummary({
      ...dockerRaw,
      State: { ...dockerRaw.State, Status: 'running', Running: true },
      HostConfig: { ...dockerRaw.HostConfig, PortBindings: { '80/tcp': [{ HostIp: '', HostPort: '' }] } },
      Config: { ...dockerRaw.Config, ExposedPorts: { '80/tcp': {} } },
      NetworkSettings: {
        Ports: { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '49153' }, { HostIp: '::', HostPort: '49153' }], '53/udp': null },
        Networks: { bridge: { IPAddress: '172.17.0.2' }, none: { IPAddress: '' } },
      },
    });
    expect(s.exitCode).toBeUndefined();
    expect(s.ports).toEqual([
      { containerPort: 53, protocol: 'udp' },
      { containerPort: 80, protocol: 'tcp', hostIp: '0.0.0.0', hostPort: 49153 },
    ]);
    expect(s.networks).toEqual([{ name: 'bridge', ip: '172.17.0.2' }]);
  });

  it('survives an answer with almost nothing in it', () => {
    const s = inspectSummary({ Id: 'x', State: { Status: 'created' } });
    expect(s).toMatchObject({ id: 'x', state: 'created', mounts: [], ports: [], networks: [], labels: {}, env: [], restartPolicy: { name: 'no' } });
    expect(summaryLines(s).length).toBeGreaterThan(5);
    expect(inspectSummary(null).state).toBe('unknown');
  });

  it('marks OOM kills and paused containers', () => {
    const oom = inspectSummary({ ...dockerRaw, State: { ...dockerRaw.State, OOMKilled: true, ExitCode: 137 } });
    expect(oom.oomKilled).toBe(true);
    expect(summaryLines(oom)[0]).toMatch(/^state\s+exited \(exit code 137\), OOM killed/);
    const paused = inspectSummary({ ...podmanRaw, State: { ...podmanRaw.State, Status: 'paused', Paused: true } });
    expect(paused.state).toBe('paused');
  });
});

describe('summaryLines', () => {
  const now = Date.parse('2026-11-22T12:30:00Z');
  const lines = summaryLines(inspectSummary(dockerRaw), now);
  const line = (key: string) => lines.find((l) => l.startsWith(`${key} `));

  it('has one "key  value" line per field, continuation lines for lists', () => {
    expect(line('state')).toMatch(/^state\s+exited \(exit code 3\), unhealthy$/);
    expect(line('restart')).toMatch(/on-failure:3, restarted 2 times$/);
    expect(line('command')).toMatch(/python train.py --name 'run one'$/);
    expect(line('ports')).toMatch(/6006\/tcp \(exposed, not published\)$/);
    expect(lines).toContainEqual(expect.stringMatching(/^\s+127\.0\.0\.1:7860 → 7860\/tcp$/));
    expect(line('mounts')).toMatch(/volume hf-cache → \/cache$/);
    expect(lines).toContainEqual(expect.stringMatching(/^\s+bind \/data\/ds → \/datasets \(ro\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/^\s+tmpfs \/scratch \(size=1g\)$/));
    expect(line('ipc')).toMatch(/private, shm 2 GiB$/);
    expect(line('gpus')).toMatch(/0,2 \(--gpus, NVIDIA_VISIBLE_DEVICES\)$/);
    expect(lines).toContainEqual(expect.stringMatching(/^\s+last probe: exit 1: curl: \(7\) Failed to connect$/));
    expect(line('finished')).toMatch(/\(1h0m ago\)$/);
    expect(line('env')).toMatch(/4 variables, 2 secret \(masked in Env\)$/);
    expect(line('labels')).toMatch(/owner=ana$/);
    // Keys line up.
    const col = line('state')!.search(/exited/);
    expect(line('image')!.search(/pytorch/)).toBe(col);
  });

  it('never shows a secret value, and shows the controls in labels and arguments instead of obeying or dropping them', () => {
    const s = inspectSummary({
      ...dockerRaw,
      Config: {
        ...dockerRaw.Config,
        Labels: { evil: 'a\x1b[2Jb\x1b]0;title\x07c\u202ed', title: '\x1b]0;x\x07' },
        Cmd: ['python', 'serve.py', '\x1b[2J', '--token=abc123', '--password', 'hunter2', '--url', 'https://ana:s3cret@hub/x'],
      },
    });
    const all = summaryLines(s, now).join('\n');
    expect(all).not.toContain('hf_abc');
    expect(all).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]/);
    // Was `evil=abc`, `title=` and an argument shown as '': what is there is visible.
    expect(all).toContain('evil=a^[[2Jb^[]0;title^Gc<U+202E>d');
    expect(all).toContain('title=^[]0;x^G');
    expect(all).toContain("command     python serve.py '^[[2J' '--token=********' --password '********' --url 'https://ana:********@hub/x'");
    expect(all).not.toMatch(/abc123|hunter2|s3cret/);
  });

  it('masks labels named like secrets, or holding one', () => {
    const s = inspectSummary({ ...dockerRaw, Config: { ...dockerRaw.Config, Labels: { AUTH: 'Zm9vOmJhcg==', note: 'ghp_R8fK2mQ9xLp4Tz7vWc1Yb6Nd3Hs0Ja5Ue2Gi', owner: 'ana' } } });
    const all = summaryLines(s, now).join('\n');
    expect(all).toMatch(/AUTH=\*{8}/);
    expect(all).toMatch(/note=\*{8}/);
    expect(all).toMatch(/owner=ana/);
    expect(all).not.toMatch(/Zm9v|R8fK/);
  });

  it('says ipc=host shares the host shm, and "none requested" without GPUs', () => {
    const l = summaryLines(inspectSummary({ ...podmanRaw, HostConfig: { ...podmanRaw.HostConfig, Devices: [] } }), now);
    expect(l.find((x) => x.startsWith('ipc'))).toMatch(/host \(shares the host \/dev\/shm\)/);
    expect(l.find((x) => x.startsWith('gpus'))).toMatch(/none requested/);
    expect(l.find((x) => x.startsWith('user'))).toMatch(/root \(image default\)/);
  });

  it('quotes arguments as a shell would need them', () => {
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('')).toBe("''");
    expect(shellQuote('--lr=0.1')).toBe('--lr=0.1');
  });
});

describe('env secrets', () => {
  it.each(['HF_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'WANDB_API_KEY', 'DB_PASSWORD', 'MYSQL_ROOT_PASSWD', 'GOOGLE_APPLICATION_CREDENTIALS', 'hf_token', 'openaiApiKey', 'GITHUB_PAT_TOKEN', 'HUGGINGFACEHUB_API_TOKEN', 'DB_PASS', 'OPENAI_APIKEY', 'SSH_KEY', 'SECRET'])(
    '%s is secret',
    (name) => expect(isSecretEnv(name)).toBe(true),
  );
  it.each(['PATH', 'HOME', 'KEYBOARD_LAYOUT', 'MONKEY_MODE', 'TOKENIZERS_PARALLELISM', 'NVIDIA_VISIBLE_DEVICES', 'PASSENGER_ENV', 'SSH_AUTH_SOCK', 'PWD', 'container'])(
    '%s is not secret',
    (name) => expect(isSecretEnv(name)).toBe(false),
  );
  it('treats a URL with a password in it as secret whatever its name', () => {
    expect(isSecretEnv('DATABASE_URL', 'postgres://app:s3cret@db:5432/app')).toBe(true);
    expect(isSecretEnv('DATABASE_URL', 'postgres://db:5432/app')).toBe(false);
  });
  it('splits NAME=value at the first =, keeps order and values', () => {
    expect(envEntries(['A=1', 'HF_TOKEN=x=y', 'EMPTY=', 'BARE'])).toEqual([
      { name: 'A', value: '1', secret: false },
      { name: 'HF_TOKEN', value: 'x=y', secret: true },
      { name: 'EMPTY', value: '', secret: false },
      { name: 'BARE', value: '', secret: false },
    ]);
  });
  it('masks without telling the length', () => {
    expect(maskValue('hf_abcdefghijklmnopqrstuvwxyz')).toBe(maskValue('x'));
    expect(maskValue('hf_abc')).not.toContain('hf');
    expect(maskValue('')).toBe('');
  });
});
