// Pulling an image on either engine as a cancellable task with normalised progress events.
// Docker: `/images/create` (it pulls from 127.0.0.0/8 and from its own insecure registries over
// HTTP). Podman: the same compatible endpoint, except for registries the user named insecure,
// which go through `/libpod/images/pull?tlsVerify=false` (the compatible endpoint has no such
// switch and refuses plain HTTP). Credentials travel in X-Registry-Auth and nowhere else.
import type Docker from 'dockerode';
import type { FoundAuth } from './auth.js';
import { rawReason } from './errors.js';
import type { EngineKind } from './models.js';
import { sanitizeLine } from './logs/sanitize.js';
import { jsonLines } from './ndjson.js';
import { PullTracker, type LayerProgress, type PullEvent, type PullTotals, type RawPullLine } from './pullProgress.js';
import { fullRef, parseImageRef, type ImageRef } from './reference.js';

export type PullProblem = 'invalid-reference' | 'not-found' | 'unauthorized' | 'unreachable' | 'http-to-https' | 'disk-full' | 'engine-gone' | 'other';

export type PullOutcome =
  | { status: 'done'; ref: string; imageId: string; totals: PullTotals; endpoint: 'compat' | 'libpod' }
  | { status: 'cancelled'; ref: string; message: string }
  | { status: 'failed'; ref: string; problem: PullProblem; message: string };

export interface PullRequest {
  ref: string;
  kind: EngineKind;
  /** Credentials for the registry (findAuth, or its promise); only their source ever appears in a message. */
  auth?: FoundAuth | Promise<FoundAuth | undefined>;
  /** Podman: pull without TLS verification (the user named the registry in insecureRegistries). */
  insecure?: boolean;
  onEvent?: (e: PullEvent) => void;
  now?: () => number;
}

export interface PullTask {
  /** The full reference being pulled. */
  readonly ref: string;
  /** Stops the pull: the request is dropped and the engine cleans up what it had half-pulled. */
  cancel(): void;
  readonly done: Promise<PullOutcome>;
  layers(): LayerProgress[];
  totals(): PullTotals;
}

interface Modem {
  dial(o: object, cb: (err: unknown, stream?: NodeJS.ReadableStream) => void): void;
}

const PULL_STATUS = { 200: true, 400: 'bad parameter', 401: 'unauthorized', 403: 'forbidden', 404: 'not found', 500: 'server error' };
export const CANCELLED_WORDS = 'what was half-pulled is the engine’s to clean up (finished layers stay and the next pull reuses them)';

function openStream(docker: Docker, path: string, query: Record<string, unknown>, auth: FoundAuth | undefined, signal: AbortSignal): Promise<NodeJS.ReadableStream> {
  const modem = (docker as unknown as { modem: Modem }).modem;
  return new Promise((resolve, reject) => {
    const o: Record<string, unknown> = { path, method: 'POST', options: query, isStream: true, abortSignal: signal, statusCodes: PULL_STATUS };
    if (auth) o.authconfig = auth.auth;
    modem.dial(o, (err, stream) => (err || !stream ? reject(err ?? new Error('no stream')) : resolve(stream)));
  });
}

interface ErrInfo {
  code?: string;
  statusCode?: number;
}

const GONE_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ENOENT', 'ERR_STREAM_PREMATURE_CLOSE']);

/** Plain words for a failed pull: what happened and what to do. */
export function explainPullError(kind: EngineKind, ref: ImageRef, raw: string, info: ErrInfo = {}, auth?: FoundAuth): { problem: PullProblem; message: string } {
  const reg = ref.registry;
  const name = fullRef(ref);
  const one = sanitizeLine(raw.replace(/\s+/g, ' ').trim(), { keepColor: false });
  const words = one.length > 240 ? `${one.slice(0, 239)}…` : one;
  const cli = kind === 'docker' ? 'docker' : 'podman';
  if (info.code && GONE_CODES.has(info.code) || /socket hang up|^aborted$|premature close/i.test(raw))
    return { problem: 'engine-gone', message: `the engine went away during the pull of ${name} (${words}): ${CANCELLED_WORDS}. Pull again when it is back.` };
  if (/server gave HTTP response to HTTPS client/i.test(raw)) {
    const fix =
      kind === 'docker'
        ? `add it to "insecure-registries" in /etc/docker/daemon.json and restart Docker (Docker decides this itself)`
        : `add "${reg}" to insecureRegistries in gantry's config (gantry then pulls it without TLS), or mark it insecure in registries.conf ([[registry]] location = "${reg}", insecure = true)`;
    return { problem: 'http-to-https', message: `${reg} answers plain HTTP and ${kind === 'docker' ? 'Docker' : 'Podman'} asked for HTTPS: ${fix}.` };
  }
  if (/no space left on device|disk quota exceeded/i.test(raw))
    return { problem: 'disk-full', message: `the engine's disk is full while pulling ${name} (${words}): free space (remove images, or prune in the System pane) and pull again; ${CANCELLED_WORDS}.` };
  if (info.statusCode === 401 || /\b401\b|unauthorized|authentication required|no basic auth credentials|incorrect username or password|invalid username\/password/i.test(raw)) {
    const msg = auth
      ? `${reg} refused the credentials gantry read from ${auth.source} (unauthorized): log in again with \`${cli} login ${reg}\`, then pull again.`
      : `${reg} needs a login (unauthorized, no credentials for it were found): run \`${cli} login ${reg}\`, then pull again.`;
    return { problem: 'unauthorized', message: msg };
  }
  if (/pull access denied|repository does not exist or may require/i.test(raw))
    return { problem: 'not-found', message: `${name}: no such image on ${reg}, or it needs a login (\`${cli} login ${reg}\`). Check the name.` };
  if (info.statusCode === 404 || /manifest unknown|manifest for .* not found|name unknown|not found|no such image/i.test(raw)) {
    const what = ref.digest ? `digest ${ref.digest}` : `tag "${ref.tag ?? 'latest'}"`;
    return { problem: 'not-found', message: `${name}: no such image or ${what} on ${reg} (${words}). Check the name and the tag.` };
  }
  if (/connection refused|no such host|i\/o timeout|network is unreachable|no route to host|dial tcp|TLS handshake timeout|connection reset by peer|server misbehaving|deadline exceeded|lookup .*: /i.test(raw))
    return { problem: 'unreachable', message: `cannot reach the registry ${reg} (${words}): check the address, and that the registry is up and reachable from the engine's host.` };
  return { problem: 'other', message: `could not pull ${name}: ${words}` };
}

async function engineAnswers(docker: Docker): Promise<boolean> {
  try {
    await (docker as unknown as { ping(o: object): Promise<unknown> }).ping({ abortSignal: AbortSignal.timeout(3000) });
    return true;
  } catch {
    return false;
  }
}

/** Reads the stream to its end; resolves with the engine's error, if it reported one. */
function readStream(stream: NodeJS.ReadableStream, tracker: PullTracker, onEvent: ((e: PullEvent) => void) | undefined, found: { imageId?: string }): Promise<{ error?: string; cut?: unknown }> {
  return new Promise((resolve) => {
    let error: string | undefined;
    let settled = false;
    const finish = (r: { error?: string; cut?: unknown }) => {
      if (settled) return;
      settled = true;
      resolve(r);
    };
    stream.on(
      'data',
      jsonLines<RawPullLine>((raw) => {
        const r = tracker.feed(raw);
        if (r.error && !error) error = r.error;
        if (r.imageId) found.imageId = r.imageId;
        for (const e of r.events) onEvent?.(e);
      }),
    );
    stream.on('end', () => finish(error ? { error } : {}));
    stream.on('error', (e: unknown) => finish(error ? { error } : { cut: e }));
    stream.on('close', () => finish(error ? { error } : { cut: new Error('aborted') }));
  });
}

async function run(docker: Docker, req: PullRequest, ref: ImageRef, tracker: PullTracker, signal: AbortSignal): Promise<PullOutcome> {
  const name = fullRef(ref);
  const auth = await req.auth;
  const cancelled = (): PullOutcome => ({ status: 'cancelled', ref: name, message: `pull of ${name} cancelled: ${CANCELLED_WORDS}.` });
  const fail = (raw: string, info: ErrInfo = {}): PullOutcome => ({ status: 'failed', ref: name, ...explainPullError(req.kind, ref, raw, info, auth) });
  const libpod = req.kind === 'podman' && req.insecure === true;
  const tagOrDigest = ref.digest ?? ref.tag ?? 'latest';
  const found: { imageId?: string } = {};
  let stream: NodeJS.ReadableStream;
  try {
    stream = libpod
      ? await openStream(docker, '/v4.0.0/libpod/images/pull?', { reference: name, tlsVerify: false }, auth, signal)
      : await openStream(docker, '/images/create?', { fromImage: ref.name, tag: tagOrDigest }, auth, signal);
  } catch (e) {
    if (signal.aborted) return cancelled();
    return fail(rawReason(e), e as ErrInfo);
  }
  const r = await readStream(stream, tracker, req.onEvent, found);
  if (signal.aborted) return cancelled();
  if (r.error) {
    // An engine shutting down cancels its pulls ("context canceled"): say it went away.
    if (/context canceled/i.test(r.error) && !(await engineAnswers(docker))) return fail(r.error, { code: 'ECONNRESET' });
    return fail(r.error);
  }
  if (r.cut) return fail(rawReason(r.cut), { code: (r.cut as ErrInfo).code ?? 'ECONNRESET' });
  const target = ref.digest ? `${ref.name}@${ref.digest}` : `${ref.name}:${tagOrDigest}`;
  try {
    const img = (await docker.getImage(found.imageId ?? target).inspect()) as { Id: string };
    return { status: 'done', ref: name, imageId: img.Id.startsWith('sha256:') ? img.Id : `sha256:${img.Id}`, totals: tracker.totals(), endpoint: libpod ? 'libpod' : 'compat' };
  } catch (e) {
    if (!(await engineAnswers(docker))) return fail(rawReason(e), { code: 'ECONNRESET' });
    return fail(`the engine ended the pull without error, but has no image ${target} (${rawReason(e)})`);
  }
}

/** Starts a pull; progress goes to `req.onEvent`, the outcome to `done` (it never rejects). */
export function startPull(docker: Docker, req: PullRequest): PullTask {
  const parsed = parseImageRef(req.ref);
  const ctl = new AbortController();
  const tracker = new PullTracker(req.kind === 'docker', req.now);
  const ref = typeof parsed === 'string' ? req.ref.trim() : fullRef(parsed);
  const done: Promise<PullOutcome> =
    typeof parsed === 'string'
      ? Promise.resolve({ status: 'failed', ref, problem: 'invalid-reference', message: parsed })
      : run(docker, req, parsed, tracker, ctl.signal).catch((e: unknown) => ({ status: 'failed' as const, ref, problem: 'other' as const, message: `could not pull ${ref}: ${rawReason(e)}` }));
  return {
    ref,
    cancel: () => ctl.abort(),
    done,
    layers: () => tracker.snapshot(),
    totals: () => tracker.totals(),
  };
}
