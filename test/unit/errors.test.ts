import { describe, expect, it } from 'vitest';
import { explainActionError, explainConnectError } from '../../src/engine/errors.js';

describe('explainConnectError', () => {
  it('names the fix for a permission error', () => {
    const m = explainConnectError({ code: 'EACCES' }, '/var/run/docker.sock');
    expect(m).toContain('/var/run/docker.sock: permission denied');
    expect(m).toContain('docker group');
    expect(m).toContain('rootless Podman');
  });
  it("suggests podman system migrate for Podman's UID/GID error", () => {
    const m = explainConnectError(new Error('cannot find UID/GID for user u: no subuid ranges found for user "u" in /etc/subuid'), 'podman');
    expect(m).toContain('podman system migrate');
  });
  it('explains a stopped daemon and a missing socket', () => {
    expect(explainConnectError({ code: 'ECONNREFUSED' }, '/s')).toMatch(/connection refused.*daemon stopped/);
    expect(explainConnectError({ code: 'ENOENT' }, '/s')).toMatch(/no socket there/);
  });
});

describe('explainActionError', () => {
  it("uses the engine's own message from docker-modem errors", () => {
    const e = Object.assign(new Error('(HTTP code 409) unexpected - You cannot remove a running container abc. Stop the container before attempting removal or force remove '), {
      statusCode: 409,
      json: { message: 'You cannot remove a running container abc. Stop the container before attempting removal or force remove' },
    });
    expect(explainActionError(e)).toBe('You cannot remove a running container abc. Stop the container before attempting removal or force remove');
  });
  it('says when the container is gone', () => {
    expect(explainActionError({ statusCode: 404, json: { message: 'No such container: x' } })).toMatch(/no longer exists/);
  });
});
