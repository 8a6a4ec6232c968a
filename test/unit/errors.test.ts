import { createServer, type AddressInfo } from 'node:net';
import { connect } from 'node:tls';
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
  it('a refused TCP port is not called a socket file that exists', () => {
    const m = explainConnectError({ code: 'ECONNREFUSED' }, 'tcp://127.0.0.1:2375');
    expect(m).toBe('tcp://127.0.0.1:2375: connection refused (nothing listens on that port: is the daemon stopped, or listening on another port?).');
    expect(explainConnectError({ code: 'ECONNREFUSED' }, 'unix:///var/run/docker.sock')).toContain('the socket exists');
  });
  it('says a port answering in plain HTTP does not speak TLS, and what to type instead (the error Node gives)', async () => {
    const server = createServer((sock) => sock.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const err = await new Promise<unknown>((resolve) => {
        const s = connect({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, rejectUnauthorized: false });
        s.on('error', resolve);
        s.on('secureConnect', () => resolve(new Error('handshake succeeded')));
      });
      const m = explainConnectError(err, 'https://127.0.0.1:2376');
      expect(m).toMatch(/^https:\/\/127\.0\.0\.1:2376: this port does not speak TLS \(the handshake read: wrong version number\)\. /);
      expect(m).toContain('tcp://HOST:2375');
    } finally {
      server.close();
    }
  });
  it("a TLS engine's alert (it wants a client certificate) is not called a port without TLS", () => {
    const reason = 'C0D7A0F8C07F0000:error:0A000412:SSL routines:ssl3_read_bytes:sslv3 alert bad certificate:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1584:SSL alert number 42';
    const m = explainConnectError(Object.assign(new Error(reason), { code: 'EPROTO' }), 'https://gpu1:2376');
    expect(m).not.toMatch(/does not speak TLS/);
    expect(m).toBe(
      "https://gpu1:2376: the engine refused the TLS handshake (sslv3 alert bad certificate): it wants a client certificate it trusts. Set DOCKER_CERT_PATH to the folder holding this engine's ca.pem, cert.pem and key.pem (as the docker CLI takes them), and start gantry again.",
    );
  });
  it('says an untrusted certificate needs DOCKER_CERT_PATH', () => {
    const m = explainConnectError(Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), 'https://gpu1:2376');
    expect(m).toBe(
      "https://gpu1:2376: the engine's TLS certificate is not trusted (self-signed certificate). Set DOCKER_CERT_PATH to the folder holding this engine's ca.pem, cert.pem and key.pem (as the docker CLI takes them), and start gantry again.",
    );
    expect(explainConnectError(Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' }), 'h')).toMatch(/not trusted \(certificate has expired\)/);
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
