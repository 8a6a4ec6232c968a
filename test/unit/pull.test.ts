// Pull, engine layer without an engine: references, credentials lookup, the progress both engines
// stream (replayed from real captures in test/fixtures/pull) and the words for each failure.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { authFiles, findAuth, normaliseAuthKey } from '../../src/engine/auth.js';
import { explainPullError } from '../../src/engine/pull.js';
import { PullTracker, type PullEvent, type RawPullLine } from '../../src/engine/pullProgress.js';
import { fullRef, isLoopbackRegistry, parseImageRef, registryListed, type ImageRef } from '../../src/engine/reference.js';
import { ROOT } from '../helpers/pty.js';

const ref = (s: string) => parseImageRef(s) as ImageRef;
const lines = (file: string) =>
  readFileSync(join(ROOT, 'test/fixtures/pull', file), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as RawPullLine);

function replay(file: string, extracts: boolean, stepMs = 100) {
  let t = 0;
  const tr = new PullTracker(extracts, () => t);
  const events: PullEvent[] = [];
  let error: string | undefined;
  let imageId: string | undefined;
  for (const l of lines(file)) {
    t += stepMs;
    const r = tr.feed(l);
    events.push(...r.events);
    error ??= r.error;
    imageId ??= r.imageId;
  }
  return { tr, events, error, imageId };
}

describe('image references', () => {
  it('reads registry, path, tag and digest as docker pull does', () => {
    expect(ref('busybox')).toMatchObject({ registry: 'docker.io', path: 'library/busybox', name: 'busybox' });
    expect(fullRef(ref('busybox'))).toBe('docker.io/library/busybox:latest');
    expect(ref('nvcr.io/nvidia/pytorch:25.06-py3')).toMatchObject({ registry: 'nvcr.io', path: 'nvidia/pytorch', tag: '25.06-py3' });
    expect(ref('127.0.0.1:5000/gantry/busybox:1')).toMatchObject({ registry: '127.0.0.1:5000', path: 'gantry/busybox', tag: '1', name: '127.0.0.1:5000/gantry/busybox' });
    expect(ref('localhost/x')).toMatchObject({ registry: 'localhost', path: 'x' });
    const d = ref(`alpine@sha256:${'a'.repeat(64)}`);
    expect(d.digest).toBe(`sha256:${'a'.repeat(64)}`);
    expect(fullRef(d)).toBe(`docker.io/library/alpine@sha256:${'a'.repeat(64)}`);
  });

  it('says what is wrong with a bad one', () => {
    expect(parseImageRef('')).toMatch(/no image named/);
    expect(parseImageRef('Busybox')).toMatch(/must be lowercase/);
    expect(parseImageRef('a b')).toMatch(/holds a space/);
    expect(parseImageRef('x:-bad')).toMatch(/is not a tag/);
    expect(parseImageRef('x@sha256:zz')).toMatch(/is not a digest/);
    expect(parseImageRef('reg.io//x')).toMatch(/empty path part/);
  });

  it('knows loopback registries and the insecure list', () => {
    expect(isLoopbackRegistry('127.0.0.1:5000')).toBe(true);
    expect(isLoopbackRegistry('127.8.0.3')).toBe(true);
    expect(isLoopbackRegistry('localhost:5000')).toBe(true);
    expect(isLoopbackRegistry('10.0.0.7:5000')).toBe(false);
    expect(registryListed('registry.lab:5000', ['registry.lab:5000'])).toBe(true);
    expect(registryListed('registry.lab:5000', ['registry.lab'])).toBe(true);
    expect(registryListed('registry.lab:5000', ['http://registry.lab:5000/'])).toBe(true);
    expect(registryListed('registry.lab:5000', ['registry.lab:5001'])).toBe(false);
  });
});

describe('credentials', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const files = (m: Record<string, unknown>) => (p: string) => (p in m ? JSON.stringify(m[p]) : undefined);

  it('reads where each CLI reads, in order', () => {
    expect(authFiles('docker', { env: { DOCKER_CONFIG: '/d' }, home: '/h' })).toEqual(['/d/config.json']);
    expect(authFiles('docker', { env: {}, home: '/h' })).toEqual(['/h/.docker/config.json']);
    expect(authFiles('podman', { env: { XDG_RUNTIME_DIR: '/run/user/1' }, home: '/h' })).toEqual([
      '/run/user/1/containers/auth.json',
      '/h/.config/containers/auth.json',
      '/h/.docker/config.json',
    ]);
    expect(authFiles('podman', { env: { REGISTRY_AUTH_FILE: '/a.json', XDG_RUNTIME_DIR: '/r' }, home: '/h' })[0]).toBe('/a.json');
  });

  it('finds auths by host, by the most specific path, and Docker Hub by any of its names', async () => {
    const readFile = files({
      '/h/.docker/config.json': { auths: { 'https://index.docker.io/v1/': { auth: b64('hub:pw1') }, 'reg.lab:5000': { auth: b64('lab:pw:with:colons') } } },
      '/run/containers/auth.json': { auths: { 'quay.io/team': { auth: b64('team:pw2') }, 'quay.io': { auth: b64('any:pw3') } } },
    });
    const e = { env: { XDG_RUNTIME_DIR: '/run' }, home: '/h', readFile };
    expect(await findAuth('docker', ref('busybox'), e)).toEqual({ auth: { username: 'hub', password: 'pw1', serveraddress: 'https://index.docker.io/v1/' }, source: '/h/.docker/config.json' });
    expect((await findAuth('docker', ref('reg.lab:5000/x/y:1'), e))?.auth).toMatchObject({ username: 'lab', password: 'pw:with:colons', serveraddress: 'reg.lab:5000' });
    expect((await findAuth('podman', ref('quay.io/team/app'), e))?.auth.username).toBe('team');
    expect((await findAuth('podman', ref('quay.io/other/app'), e))?.auth.username).toBe('any');
    // Podman falls back to Docker's file, as podman does; Docker never reads Podman's.
    expect((await findAuth('podman', ref('reg.lab:5000/x'), e))?.source).toBe('/h/.docker/config.json');
    expect(await findAuth('docker', ref('quay.io/team/app'), e)).toBeUndefined();
    expect(normaliseAuthKey('http://Reg.Lab:5000/v2/')).toBe('reg.lab:5000');
  });

  it('asks a credential helper named in credHelpers or credsStore', async () => {
    const asked: string[] = [];
    const readFile = files({ '/h/.docker/config.json': { credHelpers: { 'gcr.io': 'gcloud' }, credsStore: 'pass' } });
    const helper = async (name: string, server: string) => {
      asked.push(`${name} ${server}`);
      return name === 'gcloud' ? { Username: 'oauth2accesstoken', Secret: 's1' } : { Username: '<token>', Secret: 'tok' };
    };
    const e = { env: {}, home: '/h', readFile, helper };
    expect(await findAuth('docker', ref('gcr.io/p/i'), e)).toEqual({ auth: { username: 'oauth2accesstoken', password: 's1', serveraddress: 'gcr.io' }, source: 'docker-credential-gcloud' });
    expect((await findAuth('docker', ref('busybox'), e))?.auth).toEqual({ identitytoken: 'tok', serveraddress: 'https://index.docker.io/v1/' });
    expect(asked).toEqual(['gcloud gcr.io', 'pass https://index.docker.io/v1/']);
  });
});

describe('progress from the real streams', () => {
  it('Docker: every layer through download and extraction, totals and a rate', () => {
    const { tr, events, error } = replay('docker-layers.jsonl', true);
    expect(error).toBeUndefined();
    const layers = tr.snapshot();
    expect(layers.map((l) => l.phase)).toEqual(['exists', 'done', 'done']);
    expect(layers[1]).toMatchObject({ total: 3001167, current: 3001167 });
    const totals = tr.totals();
    expect(totals).toMatchObject({ currentBytes: 3001167 + 5001775, totalBytes: 3001167 + 5001775, layers: 3, layersDone: 3, bytesKnown: true });
    const dl = events.filter((e) => e.type === 'layer' && e.layer.phase === 'downloading');
    expect(dl.length).toBeGreaterThan(0);
    const ex = events.find((e) => e.type === 'layer' && e.layer.phase === 'extracting');
    expect(ex?.type === 'layer' && ex.layer.total).toBeGreaterThan(0);
    // A layer counts as finished only once extracted on Docker.
    const verified = events.find((e) => e.type === 'layer' && e.layer.phase === 'downloaded');
    expect(verified?.totals.layersDone).toBeLessThan(3);
    expect(events.filter((e) => e.type === 'status').map((e) => (e.type === 'status' ? e.text : ''))).toEqual([
      'Pulling from gantry/layers',
      expect.stringMatching(/^Digest: sha256:/),
      'Status: Downloaded newer image for registry.test:5000/gantry/layers:1',
    ]);
    expect(events.some((e) => e.totals.rateBytesPerSec > 0)).toBe(true);
  });

  it('Podman compatible endpoint: bytes once a second, no extraction', () => {
    const { tr } = replay('podman-compat-big.jsonl', false);
    const t = tr.totals();
    expect(t).toMatchObject({ currentBytes: 300091788, totalBytes: 300091788, bytesKnown: true });
    expect(t.layersDone).toBe(t.layers);
    const mid = new PullTracker(false, () => 0);
    for (const l of lines('podman-compat-big.jsonl').slice(0, 3)) mid.feed(l);
    expect(mid.snapshot()[1]).toEqual({ id: '9ed3be64911c', phase: 'downloading', status: 'Downloading', current: 202087424, total: 300091788 });
    expect(replay('podman-compat-auth.jsonl', false).tr.totals()).toMatchObject({ layers: 4, layersDone: 4 });
  });

  it('Podman libpod endpoint: blobs without bytes, the image id at the end', () => {
    const { tr, imageId } = replay('podman-libpod-layers.jsonl', false);
    expect(tr.totals()).toMatchObject({ bytesKnown: false, layers: 3, layersDone: 3, currentBytes: 0 });
    expect(imageId).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reports the engine’s error line', () => {
    expect(replay('podman-libpod-missing-tag.jsonl', false).error).toMatch(/manifest unknown/);
    expect(replay('podman-compat-http.jsonl', false).error).toMatch(/server gave HTTP response to HTTPS client/);
    expect(replay('podman-compat-unauthorized.jsonl', false).error).toMatch(/unauthorized: authentication required/);
  });

  it('keeps control sequences from the engine off the screen', () => {
    const tr = new PullTracker(true, () => 0);
    const r = tr.feed({ status: 'Pulling from \u001b]0;owned\u0007evil\u001b[2J' });
    expect(r.events[0]?.type === 'status' && r.events[0].text).toBe('Pulling from evil');
  });
});

describe('words for a failed pull', () => {
  const r = ref('127.0.0.1:5000/gantry/layers:nope');
  it('names each fault and what to do', () => {
    expect(explainPullError('docker', r, 'manifest for 127.0.0.1:5000/gantry/layers:nope not found: manifest unknown: manifest unknown')).toMatchObject({ problem: 'not-found', message: expect.stringMatching(/no such image or tag "nope" on 127\.0\.0\.1:5000/) });
    expect(explainPullError('docker', r, 'Head "http://127.0.0.1:5000/v2/x/manifests/1": no basic auth credentials')).toMatchObject({ problem: 'unauthorized', message: expect.stringMatching(/needs a login .* `docker login 127\.0\.0\.1:5000`/) });
    const withCreds = explainPullError('podman', r, 'unauthorized: authentication required', {}, { auth: { username: 'u', password: 'sekret', serveraddress: 'x' }, source: '/tmp/auth.json' });
    expect(withCreds.message).toMatch(/refused the credentials gantry read from \/tmp\/auth\.json .*`podman login/);
    expect(withCreds.message).not.toMatch(/sekret|"u"/);
    expect(explainPullError('docker', r, 'Get "http://127.0.0.1:5000/v2/": dial tcp 127.0.0.1:5000: connect: connection refused').problem).toBe('unreachable');
    const http = explainPullError('podman', r, 'pinging container registry 127.0.0.1:5000: Get "https://127.0.0.1:5000/v2/": http: server gave HTTP response to HTTPS client');
    expect(http).toMatchObject({ problem: 'http-to-https', message: expect.stringMatching(/insecureRegistries in gantry's config.*registries\.conf/) });
    expect(explainPullError('docker', r, 'http: server gave HTTP response to HTTPS client').message).toMatch(/insecure-registries" in \/etc\/docker\/daemon\.json/);
    // The Go error dockerd and Podman give when their disk fills (write … : no space left on device).
    expect(explainPullError('docker', r, 'failed to register layer: write /var/lib/docker/tmp/x: no space left on device')).toMatchObject({ problem: 'disk-full', message: expect.stringMatching(/disk is full.*engine’s to clean up/) });
    expect(explainPullError('docker', r, 'socket hang up', { code: 'ECONNRESET' })).toMatchObject({ problem: 'engine-gone', message: expect.stringMatching(/went away during the pull.*engine’s to clean up/) });
    expect(explainPullError('docker', ref('nosuch/thing'), "pull access denied for nosuch/thing, repository does not exist or may require 'docker login'").problem).toBe('not-found');
  });
});
