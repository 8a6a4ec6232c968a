// One GET /_ping whose answer's headers say which engine it is: Podman sends "Libpod-Api-Version"
// and "Server: Libpod/4.3.1", Docker "Server: Docker/20.10.24". Podman's /version runs dpkg-query
// for its components' package versions: 2–13 s on a loaded 2-core machine (seen here), which made
// discovery give up on a Podman that answered /_ping at once.
import http from 'node:http';
import { createRequire } from 'node:module';
import type https from 'node:https';
import type Docker from 'dockerode';
import type { EngineKind } from './models.js';

/**
 * Node's http agent works out a TLS server name for every new socket, even a unix socket's for
 * plain HTTP that never uses one: `net.isIP('localhost')`, whose first call has V8 compile
 * net.isIPv6's long pattern (7.5 ms on the 2-core test machine, on the way to the first list:
 * the /_ping, then dockerode's first request). Giving the plain-HTTP agent a name skips that;
 * node:https has its own agent, so TLS to an engine still names its host. Engines are reached
 * through this agent only (dockerode takes Node's when given none).
 */
export function nameHttpAgent(agent: http.Agent = http.globalAgent): void {
  const options = (agent as unknown as { options: { servername?: string } }).options;
  if (options && options.servername === undefined) options.servername = 'localhost';
}
nameHttpAgent();

interface Modem {
  socketPath?: string;
  host?: string;
  port?: number | string;
  protocol?: string;
  ca?: unknown;
  cert?: unknown;
  key?: unknown;
}

export interface PingAnswer {
  kind?: EngineKind;
  version?: string;
}

/** What the headers of a /_ping answer say about the engine (nothing when they say nothing). */
export function engineFromHeaders(h: http.IncomingHttpHeaders): PingAnswer {
  const libpod = h['libpod-api-version'];
  const server = typeof h.server === 'string' ? h.server : '';
  const m = /^(Docker|Libpod)\/(\S+)/i.exec(server);
  if (typeof libpod === 'string' && libpod) return { kind: 'podman', version: libpod };
  if (m) return { kind: m[1]!.toLowerCase() === 'libpod' ? 'podman' : 'docker', version: m[2]! };
  return {};
}

/**
 * node:https (TLS and crypto, ~5 ms to load), loaded for the first engine reached over TLS. Not
 * with import(): bin/gantry compiles the bundle with vm.Script, which refuses it ("A dynamic import
 * callback was not specified"; scripts/build.mjs rejects a bundle holding one). A require made
 * here works in the bundle and in the ES-module tests alike (a built-in needs no folder).
 */
function httpsModule(): typeof https {
  return createRequire('/')('node:https') as typeof https;
}

/** Pings the engine behind a dockerode client and reads who answered. Rejects like a failed ping. */
export async function pingEngine(docker: Docker, timeoutMs: number): Promise<PingAnswer> {
  const m = (docker as unknown as { modem: Modem }).modem;
  const tls = m.protocol === 'https';
  const opts: https.RequestOptions = m.socketPath
    ? { socketPath: m.socketPath, path: '/_ping', method: 'GET' }
    : { host: m.host, port: m.port, path: '/_ping', method: 'GET', ...(tls ? { ca: m.ca, cert: m.cert, key: m.key } as object : {}) };
  const client = tls ? httpsModule() : http;
  return new Promise((resolve, reject) => {
    const req = client.request({ ...opts, signal: AbortSignal.timeout(timeoutMs) }, (res) => {
      res.resume();
      if ((res.statusCode ?? 0) >= 400) return reject(Object.assign(new Error(`HTTP ${res.statusCode} from /_ping`), { statusCode: res.statusCode }));
      resolve(engineFromHeaders(res.headers));
    });
    req.on('error', reject);
    req.end();
  });
}
