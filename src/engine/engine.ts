// One connected engine: a dockerode client plus the normalisation of what it returns.
import { jsonLines } from './ndjson.js';
import type Docker from 'dockerode';
import { realpathSync } from 'node:fs';
import type { Container, EngineKind, PortMapping } from './models.js';
import { normaliseState, parseStatus } from './status.js';
import { socketPathOf } from './endpoints.js';
import type { Transport } from './transport.js';

export type ContainerVerb = 'start' | 'stop' | 'restart' | 'pause' | 'unpause' | 'kill' | 'remove';

export interface EngineEvent {
  type: string;
  action: string;
  id?: string;
  attributes: Record<string, string>;
}

export interface Probe {
  kind: EngineKind;
  version: string;
  rootDir?: string;
  realSocket?: string;
}

const REQUEST_TIMEOUT_MS = 10_000;

/** dockerode accepts an abort signal on these calls; its type definitions do not say so. */
interface SignalCalls {
  ping(o: { abortSignal: AbortSignal }): Promise<unknown>;
  version(o: { abortSignal: AbortSignal }): Promise<unknown>;
  info(o: { abortSignal: AbortSignal }): Promise<unknown>;
}

function calls(docker: Docker): SignalCalls {
  return docker as unknown as SignalCalls;
}

function timeout(ms = REQUEST_TIMEOUT_MS): AbortSignal {
  return AbortSignal.timeout(ms);
}

export function kindFromVersion(v: { Components?: { Name?: string }[]; Platform?: { Name?: string } }): EngineKind {
  const names = [...(v.Components ?? []).map((c) => c.Name ?? ''), v.Platform?.Name ?? ''];
  return names.some((n) => /podman/i.test(n)) ? 'podman' : 'docker';
}

function stripSlash(name: string): string {
  // Docker prefixes names with '/'; Podman does not everywhere. Strip one only where there is one.
  return name.startsWith('/') ? name.slice(1) : name;
}

function ports(list: Docker.Port[] | undefined): PortMapping[] {
  const out: PortMapping[] = [];
  const seen = new Set<string>();
  for (const p of list ?? []) {
    const m: PortMapping = { containerPort: p.PrivatePort, protocol: p.Type || 'tcp' };
    if (p.PublicPort) m.hostPort = p.PublicPort;
    if (p.IP) m.hostIp = p.IP;
    // Docker lists a published port once for 0.0.0.0 and once for ::; show it once.
    const k = `${m.hostPort ?? ''}>${m.containerPort}/${m.protocol}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(m);
  }
  return out.sort((a, b) => a.containerPort - b.containerPort);
}

export function normaliseContainer(engineId: string, c: Docker.ContainerInfo, now: number): Container {
  const status = c.Status ?? '';
  const parsed = parseStatus(status, now);
  const state = normaliseState(c.State, status);
  const name = stripSlash(c.Names?.[0] ?? c.Id.slice(0, 12));
  const out: Container = {
    key: `${engineId}/${c.Id}`,
    engineId,
    id: c.Id,
    name,
    image: c.Image ?? '',
    state,
    status,
    created: c.Created ?? 0,
    ports: ports(c.Ports),
    command: c.Command ?? '',
    labels: c.Labels ?? {},
  };
  if (parsed.exitCode !== undefined) out.exitCode = parsed.exitCode;
  if (parsed.health) out.health = parsed.health;
  if (parsed.since !== undefined) out.since = parsed.since;
  return out;
}

export class Engine {
  version = '?';
  /** True when gantry started this engine's API service itself, for this session. */
  sessionService = false;

  constructor(
    readonly id: string,
    readonly kind: EngineKind,
    readonly label: string,
    readonly url: string,
    private readonly transport: Transport,
  ) {}

  get docker(): Docker {
    return this.transport.docker;
  }

  static async probe(docker: Docker, url: string, timeoutMs = 3000): Promise<Probe> {
    await calls(docker).ping({ abortSignal: timeout(timeoutMs) });
    const v = (await calls(docker).version({ abortSignal: timeout(timeoutMs) })) as unknown as {
      Version?: string;
      Components?: { Name?: string }[];
      Platform?: { Name?: string };
    };
    const kind = kindFromVersion(v);
    let rootDir: string | undefined;
    try {
      const info = (await calls(docker).info({ abortSignal: timeout(timeoutMs) })) as { DockerRootDir?: string };
      rootDir = info.DockerRootDir;
    } catch {
      // /info is slow on some engines; the root dir only helps to spot duplicates.
    }
    const probe: Probe = { kind, version: v.Version ?? '?' };
    if (rootDir) probe.rootDir = rootDir;
    const sock = socketPathOf(url);
    if (sock) {
      try {
        probe.realSocket = realpathSync(sock);
      } catch {
        probe.realSocket = sock;
      }
    }
    return probe;
  }

  async ping(timeoutMs = 3000): Promise<void> {
    await calls(this.docker).ping({ abortSignal: timeout(timeoutMs) });
  }

  async listContainers(): Promise<Container[]> {
    const list = await this.docker.listContainers({ all: true, abortSignal: timeout() } as Docker.ContainerListOptions);
    const now = Date.now();
    return list.map((c) => normaliseContainer(this.id, c, now));
  }

  /** What GPU-related settings the container was created with (for the GPU column). */
  async gpuSettings(id: string): Promise<{ deviceRequests?: Docker.DeviceRequest[] | null; devices?: string[]; env?: string[] | null }> {
    const i = await this.docker.getContainer(id).inspect({ abortSignal: timeout() } as object);
    const hc = i.HostConfig as { DeviceRequests?: Docker.DeviceRequest[] | null; Devices?: { PathOnHost?: string }[] | null };
    const devices = (hc.Devices ?? []).map((d) => d.PathOnHost ?? '').filter(Boolean);
    return { deviceRequests: hc.DeviceRequests ?? null, devices, env: i.Config?.Env ?? null };
  }

  async containerAction(id: string, verb: ContainerVerb, opts: { force?: boolean } = {}): Promise<void> {
    const c = this.docker.getContainer(id);
    if (verb === 'remove') await c.remove({ force: opts.force === true });
    else await (c[verb] as () => Promise<unknown>).call(c);
  }

  /**
   * Subscribes to the engine's event stream. `onClose` is called once, when the stream ends or
   * fails (engine stopped, connection cut); the caller reconnects.
   */
  watchEvents(onEvent: (e: EngineEvent) => void, onClose: (err?: unknown) => void): () => void {
    let closed = false;
    let stream: NodeJS.ReadableStream | undefined;
    const finish = (err?: unknown) => {
      if (closed) return;
      closed = true;
      onClose(err);
    };
    this.docker.getEvents({}, (err, s) => {
      if (err || !s) return finish(err ?? new Error('no event stream'));
      if (closed) {
        (s as unknown as { destroy?: () => void }).destroy?.();
        return;
      }
      stream = s;
      s.on(
        'data',
        jsonLines<{ Type?: string; Action?: string; status?: string; id?: string; Actor?: { ID?: string; Attributes?: Record<string, string> } }>((raw) =>
          onEvent({
            type: raw.Type ?? 'container',
            action: raw.Action ?? raw.status ?? '',
            id: raw.Actor?.ID ?? raw.id,
            attributes: raw.Actor?.Attributes ?? {},
          }),
        ),
      );
      s.on('error', (e: unknown) => finish(e));
      s.on('end', () => finish(new Error('event stream ended')));
      s.on('close', () => finish(new Error('event stream closed')));
    });
    return () => {
      closed = true;
      (stream as unknown as { destroy?: () => void } | undefined)?.destroy?.();
    };
  }

  close(): void {
    this.transport.close();
  }
}
