// The status line's words for places that did not work while others did (src/app/wire.ts).
import { describe, expect, it } from 'vitest';
import { refusedMessage } from '../../src/app/wire.js';
import type { Attempt } from '../../src/engine/discovery.js';
import type { EndpointSource } from '../../src/engine/endpoints.js';

const attempt = (url: string, source: EndpointSource, why: string, detail: string): Attempt => ({ endpoint: { url, source, why }, ok: false, detail });
const missing = (path: string) => `${path}: no socket there (the engine is not running, or listens elsewhere).`;

describe('refusedMessage', () => {
  it('says nothing of a default place with no socket: most machines have only one of the engines', () => {
    expect(refusedMessage([attempt('unix:///var/run/docker.sock', 'docker-default', 'Docker default socket', missing('/var/run/docker.sock'))])).toBeUndefined();
    expect(refusedMessage([attempt('unix:///run/podman/podman.sock', 'podman-rootful', 'rootful Podman socket', missing('/run/podman/podman.sock'))])).toBeUndefined();
  });

  it('names the setting that points at a missing socket: a stale DOCKER_HOST, a docker context, a --host typo', () => {
    expect(refusedMessage([attempt('unix:///tmp/gone.sock', 'DOCKER_HOST', 'DOCKER_HOST', missing('/tmp/gone.sock'))])).toBe(
      'DOCKER_HOST names /tmp/gone.sock: no socket there (the engine is not running, or listens elsewhere).',
    );
    expect(refusedMessage([attempt('unix:///run/user/0/docker.sock', 'context', 'docker context "rootless"', missing('/run/user/0/docker.sock'))])).toBe(
      'docker context "rootless" names /run/user/0/docker.sock: no socket there (the engine is not running, or listens elsewhere).',
    );
    expect(refusedMessage([attempt('unix:///tmp/dcoker.sock', 'flag', '--host', missing('/tmp/dcoker.sock'))])).toMatch(/^--host names \/tmp\/dcoker\.sock: no socket there/);
  });

  it('names the setting for any other failure at a place the user named (a bad address, a refused port)', () => {
    expect(refusedMessage([attempt('garbage', 'DOCKER_HOST', 'DOCKER_HOST', '"garbage" is not an engine address: use unix:///path/to.sock, tcp://host:port or ssh://user@host')])).toBe(
      'DOCKER_HOST: "garbage" is not an engine address: use unix:///path/to.sock, tcp://host:port or ssh://user@host',
    );
    expect(refusedMessage([attempt('tcp://127.0.0.1:1', 'flag', '--host', 'tcp://127.0.0.1:1: connection refused (nothing listens on that port).')])).toBe(
      '--host: tcp://127.0.0.1:1: connection refused (nothing listens on that port).',
    );
  });

  it('keeps a refusal as the engine error words it, and joins several with a dot; places that answered are left out', () => {
    const denied = attempt('unix:///var/run/docker.sock', 'docker-default', 'Docker default socket', '/var/run/docker.sock: permission denied. Add your user to the docker group.');
    const ok: Attempt = { endpoint: { url: 'unix:///run/podman/podman.sock', source: 'podman-rootful', why: 'rootful Podman socket' }, ok: true, detail: 'podman 4.3.1' };
    expect(refusedMessage([denied, ok, attempt('unix:///tmp/gone.sock', 'DOCKER_HOST', 'DOCKER_HOST', missing('/tmp/gone.sock'))])).toBe(
      '/var/run/docker.sock: permission denied. Add your user to the docker group. · DOCKER_HOST names /tmp/gone.sock: no socket there (the engine is not running, or listens elsewhere).',
    );
    expect(refusedMessage([ok])).toBeUndefined();
  });
});
