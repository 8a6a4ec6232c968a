// A container's `GET /containers/{id}/json` answer → one engine-neutral summary for the Inspect
// tab, and the Env tab's entries with secrets masked. Docker 20.10 and Podman 4.3's compatible
// API fill the same fields differently (seen here, on both engines):
// - Podman keeps `HostConfig.PortBindings` only for a container on a bridge network (with
//   `--network none` or `host` it drops them: `{}`); Docker keeps them whatever the network, and
//   both list `NetworkSettings.Ports` bindings only once a network gives them.
// - `--network none`: Docker lists a network named `none`, Podman lists none at all.
// - Neither lists `--tmpfs` mounts in `Mounts`; they are in `HostConfig.Tmpfs`.
// - Defaults: `WorkingDir` is '' on Docker and '/' on Podman; `Entrypoint` null vs []; `IpcMode`
//   'private' vs 'shareable'; `ShmSize` 64 MiB vs 65536000 bytes.
// - Podman always has `State.Health` (`Status: ''` without a health check); Docker has it only
//   with one. Podman adds `TERM=xterm` and `container=podman` to `Config.Env`.
import { gpuGrant, type GpuGrant } from '../gpu/reservations.js';
import { bareName, type ContainerState, type PortMapping } from './models.js';
import { normaliseState } from './status.js';
import { isSecretEnv } from '../text/secrets.js';
import { compareNames } from '../text/compare.js';

export type MountType = 'bind' | 'volume' | 'tmpfs' | 'other';

export interface MountSummary {
  type: MountType;
  /** A bind's host path, a volume's name, '' for tmpfs. */
  source: string;
  /** Where it appears inside the container. */
  target: string;
  rw: boolean;
  /** A volume's directory on the host. */
  hostPath?: string;
  /** tmpfs options as given (`size=1g`). */
  options?: string;
}

export interface NetworkSummary {
  name: string;
  ip?: string;
}

export interface HealthSummary {
  status: 'starting' | 'healthy' | 'unhealthy' | string;
  failingStreak: number;
  /** The last probe's output (trimmed), and its exit code. */
  lastOutput?: string;
  lastExitCode?: number;
}

export interface GpuRequest extends GpuGrant {
  /** Where the request comes from: `--gpus`, devices, `NVIDIA_VISIBLE_DEVICES`. */
  sources: string[];
}

export interface EnvEntry {
  name: string;
  value: string;
  secret: boolean;
}

export interface InspectSummary {
  id: string;
  name: string;
  state: ContainerState;
  /** Only for a container that has run and stopped (exited or dead). */
  exitCode?: number;
  oomKilled: boolean;
  /** The engine's error for the last start, if any. */
  error?: string;
  /** RFC 3339, absent when never started / not finished. */
  startedAt?: string;
  finishedAt?: string;
  restartCount: number;
  restartPolicy: { name: string; maxRetries: number };
  image: string;
  imageId?: string;
  command: string[];
  entrypoint: string[];
  workingDir: string;
  /** '' when the image default (root unless the image sets USER). */
  user: string;
  tty: boolean;
  mounts: MountSummary[];
  ports: PortMapping[];
  networkMode: string;
  networks: NetworkSummary[];
  ipcMode: string;
  /** Bytes; for `--ipc=host` the host's /dev/shm is used instead. */
  shmSize?: number;
  gpus?: GpuRequest;
  labels: Record<string, string>;
  health?: HealthSummary;
  env: EnvEntry[];
}

// The raw inspect JSON, as loosely as both engines fill it.
interface RawMount {
  Type?: string;
  Name?: string;
  Source?: string;
  Destination?: string;
  RW?: boolean;
  Mode?: string;
}
interface RawBinding {
  HostIp?: string;
  HostPort?: string;
}
type RawPorts = Record<string, RawBinding[] | null | undefined> | null | undefined;
interface RawInspect {
  Id?: string;
  Name?: string;
  Image?: string;
  RestartCount?: number;
  State?: {
    Status?: string;
    Running?: boolean;
    Paused?: boolean;
    Restarting?: boolean;
    OOMKilled?: boolean;
    Dead?: boolean;
    ExitCode?: number;
    Error?: string;
    StartedAt?: string;
    FinishedAt?: string;
    Health?: { Status?: string; FailingStreak?: number; Log?: { ExitCode?: number; Output?: string }[] | null } | null;
  };
  Config?: {
    Image?: string;
    Cmd?: string[] | string | null;
    Entrypoint?: string[] | string | null;
    WorkingDir?: string;
    User?: string;
    Tty?: boolean;
    Env?: string[] | null;
    Labels?: Record<string, string> | null;
    ExposedPorts?: Record<string, unknown> | null;
  };
  HostConfig?: {
    RestartPolicy?: { Name?: string; MaximumRetryCount?: number } | null;
    PortBindings?: RawPorts;
    NetworkMode?: string;
    IpcMode?: string;
    ShmSize?: number;
    Tmpfs?: Record<string, string> | null;
    DeviceRequests?: { Driver?: string; Count?: number; DeviceIDs?: string[] | null; Capabilities?: string[][] | null }[] | null;
    Devices?: { PathOnHost?: string }[] | null;
  };
  Mounts?: RawMount[] | null;
  NetworkSettings?: {
    Ports?: RawPorts;
    Networks?: Record<string, { IPAddress?: string; GlobalIPv6Address?: string } | null> | null;
  } | null;
}

const ZERO_TIME = /^0001-01-01/;

function time(t: string | undefined): string | undefined {
  return t && !ZERO_TIME.test(t) ? t : undefined;
}

function argv(v: string[] | string | null | undefined): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  if (typeof v === 'string' && v) return [v];
  return [];
}

function mountType(t: string | undefined): MountType {
  return t === 'bind' || t === 'volume' || t === 'tmpfs' ? t : 'other';
}

function mounts(raw: RawInspect): MountSummary[] {
  const out: MountSummary[] = [];
  const seen = new Set<string>();
  for (const m of raw.Mounts ?? []) {
    const target = m.Destination ?? '';
    const type = mountType(m.Type);
    const s: MountSummary = {
      type,
      source: type === 'volume' ? (m.Name ?? m.Source ?? '') : type === 'tmpfs' ? '' : (m.Source ?? ''),
      target,
      rw: m.RW !== false,
    };
    if (type === 'volume' && m.Source) s.hostPath = m.Source;
    seen.add(target);
    out.push(s);
  }
  // `--tmpfs` mounts are in HostConfig.Tmpfs only, on both engines.
  for (const [target, opts] of Object.entries(raw.HostConfig?.Tmpfs ?? {})) {
    if (seen.has(target)) continue;
    const options = (opts ?? '').split(',').filter(Boolean);
    const s: MountSummary = { type: 'tmpfs', source: '', target, rw: !options.includes('ro') };
    // Podman appends its defaults (rw,rprivate,nosuid,nodev,tmpcopyup); keep what says something.
    const shown = options.filter((o) => /^(size|mode|uid|gid|nr_inodes)=/.test(o) || o === 'noexec' || o === 'ro');
    if (shown.length) s.options = shown.join(',');
    out.push(s);
  }
  return out.sort((a, b) => compareNames(a.target, b.target));
}

function portKey(p: PortMapping): string {
  return `${p.hostPort ?? ''}>${p.containerPort}/${p.protocol}`;
}

function parsePortKey(k: string): { containerPort: number; protocol: string } | undefined {
  const m = /^(\d+)(?:\/(\w+))?$/.exec(k.trim());
  if (!m) return undefined;
  return { containerPort: Number(m[1]), protocol: m[2] ?? 'tcp' };
}

function bindings(ports: RawPorts): PortMapping[] {
  const out: PortMapping[] = [];
  for (const [k, list] of Object.entries(ports ?? {})) {
    const cp = parsePortKey(k);
    if (!cp) continue;
    for (const b of list ?? []) {
      const m: PortMapping = { containerPort: cp.containerPort, protocol: cp.protocol };
      const hp = Number(b?.HostPort);
      if (b?.HostPort && Number.isInteger(hp) && hp > 0) m.hostPort = hp;
      if (b?.HostIp) m.hostIp = b.HostIp;
      out.push(m);
    }
  }
  return out;
}

function ports(raw: RawInspect): PortMapping[] {
  // What the engine bound (running, on a network) wins; otherwise what was asked for.
  const live = bindings(raw.NetworkSettings?.Ports);
  const published = live.length ? live : bindings(raw.HostConfig?.PortBindings);
  const out: PortMapping[] = [];
  const seen = new Set<string>();
  const published2 = new Set<string>();
  for (const p of published) {
    // Docker lists a port once for 0.0.0.0 and once for ::; show it once.
    const k = portKey(p);
    if (seen.has(k)) continue;
    seen.add(k);
    published2.add(`${p.containerPort}/${p.protocol}`);
    out.push(p);
  }
  // Exposed but not published: listed without a host port.
  const exposed = [...Object.keys(raw.Config?.ExposedPorts ?? {}), ...Object.keys(raw.NetworkSettings?.Ports ?? {})];
  for (const k of exposed) {
    const cp = parsePortKey(k);
    if (!cp) continue;
    const id = `${cp.containerPort}/${cp.protocol}`;
    if (published2.has(id)) continue;
    published2.add(id);
    out.push({ containerPort: cp.containerPort, protocol: cp.protocol });
  }
  return out.sort((a, b) => a.containerPort - b.containerPort || compareNames(a.protocol, b.protocol) || (a.hostPort ?? 0) - (b.hostPort ?? 0));
}

function networks(raw: RawInspect): NetworkSummary[] {
  const out: NetworkSummary[] = [];
  for (const [name, n] of Object.entries(raw.NetworkSettings?.Networks ?? {})) {
    // Docker lists `none` as a network; Podman lists nothing. Neither is a network to show.
    if (name === 'none') continue;
    const s: NetworkSummary = { name };
    const ip = n?.IPAddress || n?.GlobalIPv6Address;
    if (ip) s.ip = ip;
    out.push(s);
  }
  return out.sort((a, b) => compareNames(a.name, b.name));
}

function gpus(raw: RawInspect, env: string[]): GpuRequest | undefined {
  const hc = raw.HostConfig ?? {};
  const devices = (hc.Devices ?? []).map((d) => d?.PathOnHost ?? '').filter(Boolean);
  const grant = gpuGrant({ deviceRequests: hc.DeviceRequests ?? null, devices, env });
  if (!grant) return undefined;
  const sources: string[] = [];
  if (gpuGrant({ deviceRequests: hc.DeviceRequests ?? null })) sources.push('--gpus');
  if (gpuGrant({ devices })) sources.push('devices');
  if (gpuGrant({ env })) sources.push('NVIDIA_VISIBLE_DEVICES');
  return { ...grant, sources };
}

function health(raw: RawInspect): HealthSummary | undefined {
  const h = raw.State?.Health;
  // Podman has a Health object with an empty status when there is no health check.
  if (!h || !h.Status) return undefined;
  const out: HealthSummary = { status: h.Status, failingStreak: h.FailingStreak ?? 0 };
  const last = (h.Log ?? []).at(-1);
  if (last) {
    const text = (last.Output ?? '').trim();
    if (text) out.lastOutput = text;
    if (typeof last.ExitCode === 'number') out.lastExitCode = last.ExitCode;
  }
  return out;
}

/** Normalises a raw inspect answer (Docker or Podman) into what the Inspect tab shows. */
export function inspectSummary(input: unknown): InspectSummary {
  const raw = (input && typeof input === 'object' ? input : {}) as RawInspect;
  const st = raw.State ?? {};
  const cfg = raw.Config ?? {};
  const hc = raw.HostConfig ?? {};
  const state: ContainerState = st.Paused
    ? 'paused'
    : st.Restarting
      ? 'restarting'
      : normaliseState(st.Status, st.Running ? 'up' : '');
  const env = (cfg.Env ?? []).filter((e): e is string => typeof e === 'string');
  const out: InspectSummary = {
    id: raw.Id ?? '',
    name: bareName(raw.Name ?? ''),
    state,
    oomKilled: st.OOMKilled === true,
    restartCount: raw.RestartCount ?? 0,
    restartPolicy: { name: hc.RestartPolicy?.Name || 'no', maxRetries: hc.RestartPolicy?.MaximumRetryCount ?? 0 },
    image: cfg.Image ?? raw.Image ?? '',
    command: argv(cfg.Cmd),
    entrypoint: argv(cfg.Entrypoint),
    // An empty working dir means the root, as Podman says outright.
    workingDir: cfg.WorkingDir || '/',
    user: cfg.User ?? '',
    tty: cfg.Tty === true,
    mounts: mounts(raw),
    ports: ports(raw),
    networkMode: hc.NetworkMode ?? '',
    networks: networks(raw),
    ipcMode: hc.IpcMode ?? '',
    labels: { ...(cfg.Labels ?? {}) },
    env: envEntries(env),
  };
  if ((state === 'exited' || state === 'dead') && typeof st.ExitCode === 'number') out.exitCode = st.ExitCode;
  if (st.Error) out.error = st.Error;
  const started = time(st.StartedAt);
  if (started) out.startedAt = started;
  const finished = time(st.FinishedAt);
  if (finished) out.finishedAt = finished;
  if (raw.Image && raw.Image !== out.image) out.imageId = raw.Image;
  if (typeof hc.ShmSize === 'number' && hc.ShmSize > 0) out.shmSize = hc.ShmSize;
  const g = gpus(raw, env);
  if (g) out.gpus = g;
  const h = health(raw);
  if (h) out.health = h;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Env: secrets

/** `NAME=value` strings (Config.Env) → entries, in order, with secrets marked. */
export function envEntries(env: readonly string[]): EnvEntry[] {
  return env.map((e) => {
    const i = e.indexOf('=');
    const name = i < 0 ? e : e.slice(0, i);
    const value = i < 0 ? '' : e.slice(i + 1);
    return { name, value, secret: isSecretEnv(name, value) };
  });
}
