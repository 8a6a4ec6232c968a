// Creating and starting a container from a RunSpec on either engine, and what their refusals
// mean in words. Docker: the compatible create endpoint; Podman: /libpod/containers/create (the
// only one that applies CDI devices and, with a network, published ports).
import type Docker from 'dockerode';
import { explainConnectError, rawReason } from './errors.js';
import { sanitizeLine } from './logs/sanitize.js';
import type { EngineKind } from './models.js';
import { dockerCreateBody, podmanCreateJson, type RunSpec } from './runSpec.js';

export type RunProblem =
  | 'invalid'
  | 'name-in-use'
  | 'port-in-use'
  | 'mount-missing'
  | 'image-missing'
  | 'network-missing'
  | 'nvidia-toolkit-missing'
  | 'cdi-missing'
  | 'ulimit-refused'
  | 'gpu-unknown'
  | 'gpu-busy'
  | 'engine'
  | 'other';

export class RunError extends Error {
  constructor(
    readonly problem: RunProblem,
    message: string,
    /** The engine's own words (sanitised), for a details line. */
    readonly detail = '',
    /** What to use instead (the next free name), when there is one. */
    readonly suggestion?: string,
  ) {
    super(message);
  }
}

export interface Created {
  id: string;
  name: string;
  /** The engine's warnings (e.g. Podman dropping published ports with network none), sanitised. */
  warnings: string[];
}

interface Modem {
  dial(o: object, cb: (err: unknown, data?: unknown) => void): void;
}

const CREATE_STATUS = { 200: true, 201: true, 400: 'bad parameter', 404: 'no such image', 409: 'conflict', 500: 'server error' };
const RLIMITS = ['cpu', 'fsize', 'data', 'stack', 'core', 'rss', 'nproc', 'nofile', 'memlock', 'as', 'locks', 'sigpending', 'msgqueue', 'nice', 'rtprio', 'rttime'];

function dial<T>(docker: Docker, o: object): Promise<T> {
  const modem = (docker as unknown as { modem: Modem }).modem;
  return new Promise((resolve, reject) => modem.dial({ ...o, abortSignal: AbortSignal.timeout(60_000) }, (err, data) => (err ? reject(err) : resolve(data as T))));
}

function clean(s: string): string {
  return sanitizeLine(s.replace(/\s+/g, ' ').trim(), { keepColor: false });
}

/** Plain words for a refused create or start: what happened and what to do. */
export function explainRunError(kind: EngineKind, err: unknown, spec: RunSpec): RunError {
  const e = (err && typeof err === 'object' ? err : {}) as { code?: string; statusCode?: number };
  const raw = clean(rawReason(err));
  const mk = (p: RunProblem, m: string) => new RunError(p, m, raw);
  if (e.code && !e.statusCode) return mk('engine', explainConnectError(err, 'engine'));
  if (/name .*is already in use|already in use by container|container name .* is already in use/i.test(raw))
    return mk('name-in-use', `the name ${spec.name} is already in use`);
  if (/address already in use|port is already allocated/i.test(raw)) {
    const m = /(?:tcp4?|udp4?|sctp)? ?\[?([0-9a-f.:]*?)\]?:(\d+)(?:: bind| failed)/i.exec(raw);
    const port = m ? m[2] : spec.ports.map((p) => p.hostPort).filter(Boolean).join(', ');
    return mk('port-in-use', `host port ${port} is already in use (by another container or program): choose another host port, or stop what holds it`);
  }
  const mount = /bind source path does not exist: (\S+)|statfs (\S+): no such file or directory|lstat (\S+): no such file or directory/i.exec(raw);
  if (mount) {
    const src = mount[1] ?? mount[2] ?? mount[3] ?? '';
    return mk('mount-missing', `mount source ${src} does not exist on the engine's host: create it (as your user), or fix the template`);
  }
  if (/could not select device driver .* with capabilities/i.test(raw))
    return mk(
      'nvidia-toolkit-missing',
      'Docker cannot give GPUs to containers here: the NVIDIA container toolkit is missing or not set up for Docker. Install nvidia-container-toolkit, run `sudo nvidia-ctk runtime configure --runtime=docker`, then restart Docker (`sudo systemctl restart docker`).',
    );
  const cdi = /unresolvable CDI devices? ([^\s:]+(?:, [^\s:]+)*)/i.exec(raw);
  if (cdi)
    return mk(
      'cdi-missing',
      `Podman has no CDI device ${cdi[1]}: the NVIDIA CDI spec is missing or out of date. Generate it with \`sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml\` (again after a driver update), then start again.`,
    );
  const rl = /error setting rlimit type (\d+)/i.exec(raw);
  if (rl) {
    const name = RLIMITS[Number(rl[1])] ?? `type ${rl[1]}`;
    return mk('ulimit-refused', `the engine may not raise ulimit ${name} that high (its own hard limit is lower): lower ${name} in the template, or raise the engine's limit (e.g. Limit${name.toUpperCase()}=infinity in its systemd unit)`);
  }
  const wd = /workdir "([^"]+)" does not exist/i.exec(raw);
  if (wd) return mk('invalid', `the workdir ${wd[1]} does not exist in the image, and Podman does not create it (Docker does): mount a folder there, or choose another workdir`);
  if (/no such image|image not known|unable to find image/i.test(raw)) return mk('image-missing', `image ${spec.image} is not on this engine: pull it first`);
  if (/network .*not found|unable to find network|no such network/i.test(raw)) return mk('network-missing', `network ${spec.network ?? ''} does not exist on this engine: create it, or choose another network`);
  if (e.statusCode === 400) return mk('invalid', `the engine refused the settings: ${raw}`);
  return mk('other', raw);
}

/** Creates the container; throws a RunError in words. */
export async function createContainer(docker: Docker, kind: EngineKind, spec: RunSpec): Promise<Created> {
  try {
    const r =
      kind === 'docker'
        ? await dial<{ Id: string; Warnings?: string[] | null }>(docker, { path: '/containers/create?', method: 'POST', options: { _query: { name: spec.name }, _body: dockerCreateBody(spec) }, statusCodes: CREATE_STATUS })
        : await dial<{ Id: string; Warnings?: string[] | null }>(docker, {
            path: '/v4.0.0/libpod/containers/create',
            method: 'POST',
            file: Buffer.from(podmanCreateJson(spec)),
            headers: { 'Content-Type': 'application/json' },
            statusCodes: CREATE_STATUS,
          });
    return { id: r.Id, name: spec.name, warnings: (r.Warnings ?? []).map(clean) };
  } catch (e) {
    throw explainRunError(kind, e, spec);
  }
}

/** Starts a created container; throws a RunError in words (the GPU, port and ulimit faults show here). */
export async function startContainer(docker: Docker, kind: EngineKind, id: string, spec: RunSpec): Promise<void> {
  try {
    await dial(docker, { path: `/containers/${encodeURIComponent(id)}/start`, method: 'POST', statusCodes: { 204: true, 304: true, 404: 'no such container', 500: 'server error' } });
  } catch (e) {
    throw explainRunError(kind, e, spec);
  }
}

/** Removes a container that was created but could not start (it never ran). */
export async function removeCreated(docker: Docker, id: string): Promise<void> {
  await docker.getContainer(id).remove({ force: true, v: true });
}
