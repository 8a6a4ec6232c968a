// What a new container is made of (a RunSpec: every field of `docker run` gantry offers), and the
// create request each engine takes for it. Pure.
//
// Docker gets its compatible create body, GPUs as HostConfig.DeviceRequests (driver nvidia, device
// IDs). Podman gets its own libpod SpecGenerator, GPUs as CDI names `nvidia.com/gpu=N`: Podman
// 4.3's compatible endpoint silently drops both a CDI device and --gpus (ENGINES.md), and drops
// published ports whenever the network mode is none. Podman's ulimit "unlimited" is the unsigned
// 64-bit maximum, which a JavaScript number cannot hold: the libpod body is written as text.

export type Protocol = 'tcp' | 'udp' | 'sctp';

export interface PortSpec {
  /** Host address to publish on; undefined: every address. */
  hostIp?: string;
  /** Undefined: the engine picks a free host port. */
  hostPort?: number;
  containerPort: number;
  protocol: Protocol;
}

export interface MountSpec {
  /** An absolute path on the engine's host. */
  source: string;
  target: string;
  readOnly: boolean;
}

export interface UlimitSpec {
  name: string;
  /** -1: unlimited. */
  soft: number;
  hard: number;
}

export type RestartName = 'no' | 'always' | 'unless-stopped' | 'on-failure';

export interface RunSpec {
  image: string;
  name: string;
  /** Arguments after the image; empty: the image's own command. */
  command: string[];
  /** -it (a terminal and open stdin) rather than -d. */
  interactive: boolean;
  /** GPU device ids: indices, UUIDs, or ["all"]; empty: no GPU. */
  gpus: string[];
  /** "host": share the host's IPC namespace and /dev/shm. */
  ipc?: 'host';
  /** Bytes of /dev/shm (not with ipc host). */
  shmSize?: number;
  ulimits: UlimitSpec[];
  env: Record<string, string>;
  mounts: MountSpec[];
  workdir?: string;
  ports: PortSpec[];
  /** Network mode or network name; undefined: the engine's default. */
  network?: string;
  restart: { name: RestartName; maxRetries?: number };
  /** Remove the container when it exits (--rm). */
  remove: boolean;
  labels: Record<string, string>;
}

export const ULIMIT_NAMES = ['core', 'cpu', 'data', 'fsize', 'locks', 'memlock', 'msgqueue', 'nice', 'nofile', 'nproc', 'rss', 'rtprio', 'rttime', 'sigpending', 'stack'] as const;

/** Podman's netns modes; any other network is a named network. */
const PODMAN_NS_MODES = new Set(['none', 'host', 'bridge', 'slirp4netns', 'pasta', 'private']);

export function portKey(p: PortSpec): string {
  return `${p.containerPort}/${p.protocol}`;
}

/** Problems that make a spec impossible on any engine, in words; empty when it is fine. */
export function checkSpec(s: RunSpec): string[] {
  const out: string[] = [];
  if (!s.image.trim()) out.push('no image: name one, e.g. nvcr.io/nvidia/pytorch:25.06-py3');
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(s.name)) out.push(`"${s.name}" is not a container name (letters, digits, _ . -, starting with a letter or digit)`);
  if (s.ipc === 'host' && s.shmSize !== undefined) out.push('ipc: host shares the host /dev/shm, so shmSize does not apply: keep one of them');
  if (s.remove && s.restart.name !== 'no') out.push(`remove on exit and restart "${s.restart.name}" contradict each other: keep one of them`);
  if (s.gpus.includes('all') && s.gpus.length > 1) out.push('GPUs: "all" cannot be combined with other GPUs');
  const seen = new Set<string>();
  for (const m of s.mounts) {
    if (!m.source.startsWith('/')) out.push(`mount source "${m.source}" is not an absolute path`);
    if (!m.target.startsWith('/')) out.push(`mount target "${m.target}" is not an absolute path`);
    if (seen.has(m.target)) out.push(`two mounts on ${m.target}`);
    seen.add(m.target);
  }
  if (s.workdir !== undefined && !s.workdir.startsWith('/')) out.push(`workdir "${s.workdir}" is not an absolute path`);
  for (const k of Object.keys(s.env)) if (!/^[^=\s]+$/.test(k)) out.push(`"${k}" is not an environment variable name`);
  return out;
}

// ───────────────────────────── Docker ─────────────────────────────

export function dockerCreateBody(s: RunSpec): Record<string, unknown> {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of s.ports) {
    exposed[portKey(p)] = {};
    (bindings[portKey(p)] ??= []).push({ HostIp: p.hostIp ?? '', HostPort: p.hostPort === undefined ? '' : String(p.hostPort) });
  }
  const host: Record<string, unknown> = {
    // Mounts, not Binds: a bind source that does not exist is refused instead of created as root.
    Mounts: s.mounts.map((m) => ({ Type: 'bind', Source: m.source, Target: m.target, ReadOnly: m.readOnly })),
    PortBindings: bindings,
    Ulimits: s.ulimits.map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard })),
    RestartPolicy: { Name: s.restart.name, MaximumRetryCount: s.restart.maxRetries ?? 0 },
    AutoRemove: s.remove,
  };
  if (s.network) host.NetworkMode = s.network;
  if (s.ipc) host.IpcMode = s.ipc;
  if (s.shmSize !== undefined) host.ShmSize = s.shmSize;
  if (s.gpus.length > 0) {
    const all = s.gpus.includes('all');
    host.DeviceRequests = [{ Driver: 'nvidia', Count: all ? -1 : 0, DeviceIDs: all ? null : s.gpus, Capabilities: [['gpu']], Options: {} }];
  }
  const body: Record<string, unknown> = {
    Image: s.image,
    Tty: s.interactive,
    OpenStdin: s.interactive,
    AttachStdin: s.interactive,
    AttachStdout: s.interactive,
    AttachStderr: s.interactive,
    Env: Object.entries(s.env).map(([k, v]) => `${k}=${v}`),
    Labels: s.labels,
    ExposedPorts: exposed,
    HostConfig: host,
  };
  if (s.command.length > 0) body.Cmd = s.command;
  if (s.workdir) body.WorkingDir = s.workdir;
  return body;
}

// ───────────────────────────── Podman (libpod) ─────────────────────────────

/** CDI names for the GPUs: nvidia.com/gpu=N (indices, UUIDs or all, as nvidia-ctk names them). */
export function cdiDevices(gpus: readonly string[]): string[] {
  return gpus.map((g) => `nvidia.com/gpu=${g}`);
}

const U64_MAX = '18446744073709551615';
const UNLIMITED = '__gantry_u64_max__';

export function podmanNetwork(network: string | undefined): Record<string, unknown> {
  if (!network) return {};
  if (PODMAN_NS_MODES.has(network)) return { netns: { nsmode: network } };
  if (network.startsWith('container:')) return { netns: { nsmode: 'container', value: network.slice('container:'.length) } };
  if (network.startsWith('ns:')) return { netns: { nsmode: 'path', value: network.slice(3) } };
  return { netns: { nsmode: 'bridge' }, networks: { [network]: {} } };
}

/** The libpod create body, as JSON text (see the note at the top about "unlimited"). */
export function podmanCreateJson(s: RunSpec): string {
  const body: Record<string, unknown> = {
    name: s.name,
    image: s.image,
    terminal: s.interactive,
    stdin: s.interactive,
    env: s.env,
    labels: s.labels,
    mounts: s.mounts.map((m) => ({ type: 'bind', source: m.source, destination: m.target, options: m.readOnly ? ['rbind', 'ro'] : ['rbind'] })),
    portmappings: s.ports.map((p) => ({ host_ip: p.hostIp ?? '', host_port: p.hostPort ?? 0, container_port: p.containerPort, protocol: p.protocol })),
    r_limits: s.ulimits.map((u) => ({ type: u.name, soft: u.soft < 0 ? UNLIMITED : u.soft, hard: u.hard < 0 ? UNLIMITED : u.hard })),
    restart_policy: s.restart.name,
    remove: s.remove,
    devices: cdiDevices(s.gpus).map((path) => ({ path })),
    ...podmanNetwork(s.network),
  };
  if (s.restart.maxRetries !== undefined) body.restart_tries = s.restart.maxRetries;
  if (s.command.length > 0) body.command = s.command;
  if (s.workdir) body.work_dir = s.workdir;
  if (s.ipc) body.ipcns = { nsmode: s.ipc };
  if (s.shmSize !== undefined) body.shm_size = s.shmSize;
  return JSON.stringify(body).split(JSON.stringify(UNLIMITED)).join(U64_MAX);
}
