// Turns an engine URL into complete dockerode options. docker-modem reads DOCKER_HOST (and
// DOCKER_CERT_PATH, DOCKER_TLS_VERIFY, …) on its own, ignores a socketPath we pass when DOCKER_HOST
// is tcp://, and throws on a malformed DOCKER_HOST even when we pass full options; so build the
// client with those variables hidden and hand it everything it needs ourselves.
import Docker from 'dockerode';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const MODEM_ENV = ['DOCKER_HOST', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'DOCKER_CLIENT_TIMEOUT', 'DOCKER_PATH_PREFIX'];

export function newDocker(options: Docker.DockerOptions): Docker {
  const saved: Record<string, string | undefined> = {};
  for (const k of MODEM_ENV) {
    saved[k] = process.env[k];
    delete process.env[k];
  }
  try {
    return new Docker(options);
  } finally {
    for (const k of MODEM_ENV) if (saved[k] !== undefined) process.env[k] = saved[k];
  }
}

export interface Transport {
  docker: Docker;
  close(): void;
}

function tlsOptions(env: Record<string, string | undefined>): Partial<Docker.DockerOptions> {
  const dir = env.DOCKER_CERT_PATH;
  const read = (f: string) => {
    try {
      return dir ? readFileSync(join(dir, f)) : undefined;
    } catch {
      return undefined;
    }
  };
  return { ca: read('ca.pem') ?? extraCas(env), cert: read('cert.pem'), key: read('key.pem') };
}

/**
 * The CAs an engine's TLS certificate is checked against when DOCKER_CERT_PATH has none: Node's own
 * and NODE_EXTRA_CA_CERTS's, which bin/gantry hands over as GANTRY_EXTRA_CA_CERTS so that node
 * does not read them at every start (see there). Undefined: Node's defaults (when node read the
 * file itself, or there is none). A file that cannot be read is left out, as node does.
 */
export function extraCas(env: Record<string, string | undefined>): string[] | undefined {
  const file = env.GANTRY_EXTRA_CA_CERTS;
  if (!file) return undefined;
  let extra: string;
  try {
    extra = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  // node:tls (and crypto) only now: most starts reach no engine over TLS.
  const { rootCertificates } = createRequire('/')('node:tls') as typeof import('node:tls');
  return [...rootCertificates, extra];
}

/** ssh argument list for a tunnel from a local socket to the engine's socket on a remote host. */
export function sshTunnelArgs(url: string, localSock: string): string[] {
  const u = new URL(url);
  const remoteSock = u.pathname && u.pathname !== '/' ? u.pathname : '/var/run/docker.sock';
  const args = ['-nNT', '-o', 'ExitOnForwardFailure=yes', '-o', 'BatchMode=yes', '-L', `${localSock}:${remoteSock}`];
  if (u.port) args.push('-p', u.port);
  args.push('--', u.username ? `${decodeURIComponent(u.username)}@${u.hostname}` : u.hostname);
  return args;
}

async function sshTransport(url: string, timeoutMs: number): Promise<Transport> {
  // An ssh tunnel respects ~/.ssh/config (docker-modem's own ssh support does not).
  const dir = mkdtempSync(join(tmpdir(), 'gantry-ssh-'));
  const sock = join(dir, 'engine.sock');
  let child: ChildProcess | undefined = spawn('ssh', sshTunnelArgs(url, sock), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((res) => child?.once('exit', (code) => res(code)));
  child.once('error', () => undefined);
  const close = () => {
    child?.kill('SIGTERM');
    child = undefined;
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(sock)) {
    const done = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 50))]);
    if (done || Date.now() > deadline) {
      close();
      const err = new Error(`ssh tunnel failed: ${stderr.trim() || 'no socket after ' + timeoutMs + ' ms'}`);
      throw err;
    }
  }
  return { docker: newDocker({ socketPath: sock }), close };
}

export async function openTransport(
  url: string,
  env: Record<string, string | undefined> = process.env,
  timeoutMs = 5000,
): Promise<Transport> {
  const m = /^([a-z]+):\/\/(.*)$/i.exec(url);
  const scheme = m?.[1]?.toLowerCase();
  const rest = m?.[2] ?? '';
  const none = () => undefined;
  if (scheme === 'unix') return { docker: newDocker({ socketPath: rest }), close: none };
  if (scheme === 'tcp' || scheme === 'https') {
    const u = new URL(`http://${rest}`);
    const tls = scheme === 'https' || env.DOCKER_TLS_VERIFY === '1' || u.port === '2376';
    return {
      docker: newDocker({
        host: u.hostname,
        port: u.port || (tls ? 2376 : 2375),
        protocol: tls ? 'https' : 'http',
        ...(tls ? tlsOptions(env) : {}),
      }),
      close: none,
    };
  }
  if (scheme === 'ssh') return sshTransport(url, timeoutMs);
  throw new Error(`unsupported engine address ${url}`);
}
