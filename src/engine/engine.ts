// One connected engine: the only way the layers above reach Docker or Podman. Its dockerode client
// is private; every call the store and the actions make is a method here, taking and returning
// engine-neutral shapes (models.ts and the modules it calls).
import { destroyStream, jsonLines } from './ndjson.js';
import type Docker from 'dockerode';
import type { WriteStream } from 'node:fs';
import { realpathSync } from 'node:fs';
import type { GpuGrantInput } from '../gpu/reservations.js';
import { normaliseContainer } from './containers.js';
import { startAttach } from './attach.js';
import { chooseShell, execCapture, startInteractiveExec, type ExecResult, type InteractiveSession, type TermSize } from './exec.js';
import { killInside } from './kill.js';
import { followLogs, saveWholeLog, type Follow, type FollowedLine, type FollowOptions } from './logs/follow.js';
import type { Container, ContainerJson, ContainerVerb, EngineKind, ResourceKindId, ResourceRowOf } from './models.js';
import { diskUsage, kindFromVersion, type DiskUsage } from './resources/disk.js';
import { RESOURCE_KINDS, type RemoveOptions, type RemoveOutcome } from './resources/kinds.js';
import { previewPrune, type PruneCategory, type PrunePreview, type PruneResult } from './resources/prune.js';
import { executePrune } from './resources/prune-run.js';
import { streamStats, topProcesses, type StatsSample, type TopProcess } from './stats.js';
import { socketPathOf } from './endpoints.js';
import { pingEngine } from './ping.js';
import { runtimeFacts, type RuntimeFacts } from './runtimes.js';
import type { Transport } from './transport.js';
import { findAuth, type AuthEnv } from './auth.js';
import { createContainer, startContainer, type Created } from './create.js';
import { startPull, type PullTask } from './pull.js';
import type { PullEvent } from './pullProgress.js';
import { parseImageRef, registryListed } from './reference.js';
import type { RunSpec } from './runSpec.js';

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

export interface ContainerDetails {
  grant: GpuGrantInput;
  /** State.StartedAt and State.FinishedAt, ms since the epoch; absent for "never" (0001-01-01). */
  startedAt?: number;
  finishedAt?: number;
}

/** An engine's RFC 3339 time in ms; undefined for none and for Go's zero time (never). */
function engineTime(iso: string | undefined): number | undefined {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(t) && t > 0 ? t : undefined;
}

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

  private get docker(): Docker {
    return this.transport.docker;
  }

  /** What answers at `url`; with `rootDir` false, no /info is asked (Engine.rootDir asks it later, when needed). */
  static async probe(docker: Docker, url: string, timeoutMs = 3000, rootDir = true): Promise<Probe> {
    const pinged = await pingEngine(docker, timeoutMs);
    const info = rootDir ? Engine.rootDir(docker, timeoutMs) : undefined;
    let kind = pinged.kind;
    let version = pinged.version;
    if (!kind) {
      const v = (await calls(docker).version({ abortSignal: timeout(timeoutMs) })) as unknown as { Version?: string; Components?: { Name?: string }[]; Platform?: { Name?: string } };
      kind = kindFromVersion(v);
      version = v.Version;
    }
    const dir = await info;
    const probe: Probe = { kind, version: version ?? '?' };
    if (dir) probe.rootDir = dir;
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

  /** The engine's root dir (/info): it only helps to spot one engine reached by two paths, so never wait long for it. */
  static rootDir(docker: Docker, timeoutMs = 3000): Promise<string | undefined> {
    return (calls(docker).info({ abortSignal: timeout(Math.min(timeoutMs, 1500)) }) as Promise<{ DockerRootDir?: string }>).then(
      (i) => i.DockerRootDir || undefined,
      () => undefined,
    );
  }

  async ping(timeoutMs = 3000): Promise<void> {
    await calls(this.docker).ping({ abortSignal: timeout(timeoutMs) });
  }

  async listContainers(): Promise<Container[]> {
    const list = await this.docker.listContainers({ all: true, abortSignal: timeout() } as Docker.ContainerListOptions);
    return list.map((c) => normaliseContainer(this.id, c));
  }

  /** What GPU-related settings the container was created with (for the GPU column). */
  async gpuSettings(id: string): Promise<GpuGrantInput> {
    return (await this.details(id)).grant;
  }

  /**
   * One inspect: what GPU-related settings the container was created with, and when it last
   * started and finished by the engine's own clock (ms since the epoch; undefined: never).
   */
  async details(id: string): Promise<ContainerDetails> {
    const i = await this.docker.getContainer(id).inspect({ abortSignal: timeout() } as object);
    const hc = i.HostConfig as { DeviceRequests?: Docker.DeviceRequest[] | null; Devices?: { PathOnHost?: string }[] | null };
    const devices = (hc.Devices ?? []).map((d) => d.PathOnHost ?? '').filter(Boolean);
    const out: ContainerDetails = { grant: { deviceRequests: hc.DeviceRequests ?? null, devices, env: i.Config?.Env ?? null } };
    const started = engineTime(i.State?.StartedAt);
    const finished = engineTime(i.State?.FinishedAt);
    if (started !== undefined) out.startedAt = started;
    if (finished !== undefined) out.finishedAt = finished;
    return out;
  }

  /** The container's whole inspect answer, as the engine sent it (the Inspect tab shows it raw). */
  async inspect(id: string): Promise<ContainerJson> {
    return (await this.docker.getContainer(id).inspect()) as unknown as ContainerJson;
  }

  /** A verb on a container; `abortSignal` gives the call up (the engine may still act on it). */
  async containerAction(id: string, verb: ContainerVerb, opts: { force?: boolean; abortSignal?: AbortSignal } = {}): Promise<void> {
    const c = this.docker.getContainer(id);
    const signal = opts.abortSignal ? { abortSignal: opts.abortSignal } : {};
    if (verb === 'remove') await c.remove({ force: opts.force === true, ...signal });
    else await (c[verb] as (o: object) => Promise<unknown>).call(c, signal);
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
        destroyStream(s);
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
      destroyStream(stream);
    };
  }

  // ── inside a container: logs, stats, top, exec, attach ─────────────────────────────────────

  /** Follows the container's log; `onLines` gets batches, `onEnd` the reason it stopped. */
  followLogs(id: string, opts: FollowOptions, onLines: (lines: FollowedLine[]) => void, onEnd: (reason: string) => void): Follow {
    return followLogs(this.docker, id, this.kind === 'podman' ? { ...opts, podmanTail: true } : opts, onLines, onEnd);
  }

  /** Writes the container's whole log to `out` and closes it; resolves with the lines written. */
  saveWholeLog(id: string, tty: boolean, out: WriteStream): Promise<number> {
    return saveWholeLog(this.docker, id, tty, out);
  }

  /** Streams the container's resource use; the returned function cancels. */
  streamStats(id: string, onSample: (s: StatsSample) => void, onEnd: (reason?: string) => void): () => void {
    return streamStats(this.docker, id, this.kind, onSample, onEnd);
  }

  /** SIGKILL to one process of the container, `pid` as the container numbers it (1: its main process). */
  killProcess(id: string, pid: number): Promise<void> {
    return killInside(this.docker, id, pid);
  }

  /** The container's processes (throws `ExecError` for one that is not running). */
  top(id: string): Promise<TopProcess[]> {
    return topProcesses(this.docker, id, this.kind);
  }

  /** The shell to open in the container: `preferred` when the image has it, else bash, else sh. */
  chooseShell(id: string, preferred?: string): Promise<string> {
    return chooseShell(this.docker, id, preferred);
  }

  /** Runs `cmd` in the container without a terminal: its output (bounded) and exit code. */
  execCapture(id: string, cmd: string[], opts: { timeoutMs?: number; maxBytes?: number } = {}): Promise<ExecResult> {
    return execCapture(this.docker, id, cmd, opts);
  }

  /** Runs `cmd` in the container with a TTY; the caller owns the session's stream. */
  startExec(id: string, cmd: string[], size: TermSize & { env?: string[] }): Promise<InteractiveSession> {
    return startInteractiveExec(this.docker, id, cmd, size);
  }

  /** Attaches to the container's main process (detach with Ctrl-P Ctrl-Q). */
  attach(id: string, size: TermSize & { detachKeys?: string; outputOnly?: boolean; replay?: boolean }): Promise<InteractiveSession> {
    return startAttach(this.docker, id, size);
  }

  // ── images, volumes, networks, disk usage, prune ───────────────────────────────────────────

  /** The rows of one resource kind on this engine. */
  listResources<K extends ResourceKindId>(kind: K): Promise<ResourceRowOf[K][]> {
    return RESOURCE_KINDS[kind].list(this.docker, this.id);
  }

  /** Removes one row of a kind; refusals are `ResourceError`s in plain words. */
  removeResource<K extends ResourceKindId>(kind: K, row: ResourceRowOf[K], opts: RemoveOptions = {}): Promise<RemoveOutcome> {
    return RESOURCE_KINDS[kind].remove(this.docker, row, opts);
  }

  diskUsage(): Promise<DiskUsage> {
    return diskUsage(this.docker, this.kind);
  }

  /** Its OCI runtimes and CDI folders, from /info (gantry doctor's NVIDIA toolkit line). */
  runtimes(timeoutMs = 5000): Promise<RuntimeFacts> {
    return runtimeFacts(this.docker, timeoutMs);
  }

  /** What pruning `choice` would remove now, item by item. */
  previewPrune(choice: readonly PruneCategory[]): Promise<PrunePreview> {
    return previewPrune(this.docker, this.id, this.kind, choice);
  }

  /** Removes exactly what `preview` listed. */
  executePrune(preview: PrunePreview): Promise<PruneResult> {
    return executePrune(this.docker, preview);
  }

  // ── pull, create, start (issue 15) ─────────────────────────────────────────────────────────

  /** The engine runs on this machine (a local socket): paths it sees are paths gantry sees. */
  get local(): boolean {
    return this.url.toLowerCase().startsWith('unix://');
  }

  /**
   * Pulls an image as a cancellable task (src/engine/pull.ts). Credentials come from where this
   * engine's CLI keeps them; `insecureRegistries` (config) lets Podman pull those over HTTP.
   */
  pull(ref: string, o: { insecureRegistries?: readonly string[]; authEnv: AuthEnv; onEvent?: (e: PullEvent) => void }): PullTask {
    const parsed = parseImageRef(ref);
    const req: Parameters<typeof startPull>[1] = { ref, kind: this.kind };
    if (typeof parsed !== 'string') {
      req.auth = findAuth(this.kind, parsed, o.authEnv);
      req.insecure = registryListed(parsed.registry, o.insecureRegistries ?? []);
    }
    if (o.onEvent) req.onEvent = o.onEvent;
    return startPull(this.docker, req);
  }

  /** Creates a container from a RunSpec (Podman through libpod); throws a RunError in words. */
  createContainer(spec: RunSpec): Promise<Created> {
    return createContainer(this.docker, this.kind, spec);
  }

  /** Starts a container made by createContainer; throws a RunError in words. */
  startContainer(id: string, spec: RunSpec): Promise<void> {
    return startContainer(this.docker, this.kind, id, spec);
  }

  close(): void {
    this.transport.close();
  }
}
