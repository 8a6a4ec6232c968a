// w: a container's published port in a browser. Where a browser can open (a display, and
// xdg-open or open on the PATH) the first port's URL opens, the others are named; where none can
// (a server reached over SSH, a console) the URLs are shown, with the `ssh -L` line that forwards
// them to the user's own machine when gantry runs over SSH or the engine is reached over SSH.
import { spawn } from 'node:child_process';
import { findOnPath } from '../engine/discovery.js';
import { displayName, type Container, type PortMapping } from '../engine/models.js';
import type { Action, AppState } from '../store/state.js';
import type { Store } from '../store/store.js';

export interface PortEnv {
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  /** The local user's name, for the `ssh -L` line. */
  user: string;
}

export interface PortPlan {
  /** Each published TCP port's URL, the first the one to open. */
  urls: { port: PortMapping; url: string }[];
  /** The program that opens a URL, when a browser can be reached. */
  opener?: string;
  /** Why no browser opens (when `opener` is absent). */
  why?: string;
  /** The line that forwards the ports to the user's machine. */
  forward?: string;
  /** The container publishes nothing: what to say instead. */
  none?: string;
}

/** Where the published ports listen, as seen from where gantry runs, and an SSH login that reaches them. */
function where(endpoint: string, p: PortMapping): { host: string; sshTarget?: string } {
  const ssh = /^ssh:\/\/([^/:]+)/.exec(endpoint);
  if (ssh) return { host: '127.0.0.1', sshTarget: ssh[1]! };
  const tcp = /^(?:tcp|https?):\/\/(\[[^\]]+\]|[^/:]+)/.exec(endpoint);
  if (tcp) return { host: tcp[1]! };
  const bound = p.hostIp && p.hostIp !== '0.0.0.0' && p.hostIp !== '::' ? p.hostIp : '127.0.0.1';
  return { host: bound.includes(':') ? `[${bound}]` : bound };
}

/** What `w` does for this container on this engine, in this environment. */
export function portPlan(c: Container, endpoint: string, e: PortEnv): PortPlan {
  const published = c.ports.filter((p) => p.hostPort !== undefined && p.protocol === 'tcp');
  if (published.length === 0) {
    const exposed = c.ports.filter((p) => p.hostPort === undefined).map((p) => p.containerPort);
    const what = exposed.length ? `exposes ${exposed.join(', ')} but publishes no port` : 'publishes no TCP port';
    return { urls: [], none: `${displayName(c)} ${what}: nothing to open (publish one with -p HOST:CONTAINER, the run form's ports field)` };
  }
  let sshTarget: string | undefined;
  let sshPort = '';
  const urls = published.map((p) => {
    const w = where(endpoint, p);
    sshTarget ??= w.sshTarget;
    const scheme = p.containerPort === 443 || p.containerPort === 8443 ? 'https' : 'http';
    return { port: p, url: `${scheme}://${w.host}:${p.hostPort}` };
  });
  // gantry itself runs over SSH: the ports are forwarded from the user's machine to this server.
  const conn = e.env.SSH_CONNECTION?.trim().split(/\s+/);
  if (!sshTarget && conn && conn.length >= 4 && urls.every((u) => /\/\/(127\.0\.0\.1|\[::1\]|localhost):/.test(u.url))) {
    sshTarget = `${e.user}@${conn[2]}`;
    if (conn[3] && conn[3] !== '22') sshPort = `-p ${conn[3]} `;
  }
  const forward = sshTarget ? `ssh ${sshPort}${published.map((p) => `-L ${p.hostPort}:127.0.0.1:${p.hostPort}`).join(' ')} ${sshTarget}` : undefined;
  const display = e.platform === 'darwin' || !!e.env.DISPLAY || !!e.env.WAYLAND_DISPLAY;
  const opener = findOnPath(e.platform === 'darwin' ? 'open' : 'xdg-open', e.env.PATH);
  const plan: PortPlan = { urls, ...(forward ? { forward } : {}) };
  if (sshTarget) plan.why = e.env.SSH_CONNECTION ? 'gantry runs over SSH' : 'the engine is reached over SSH';
  else if (!display) plan.why = 'no display here (DISPLAY and WAYLAND_DISPLAY are unset)';
  else if (!opener) plan.why = `no ${e.platform === 'darwin' ? 'open' : 'xdg-open'} on the PATH`;
  else plan.opener = opener;
  return plan;
}

export class OpenPortController {
  constructor(
    private readonly store: Store<AppState, Action>,
    private readonly e: PortEnv,
  ) {}

  private say(text: string, level: 'info' | 'ok' | 'error' = 'info'): void {
    this.store.dispatch({ type: 'message', level, text });
  }

  open(c: Container | undefined): void {
    if (!c) return this.say('no container selected: no port to open');
    const endpoint = this.store.getState().engines.find((x) => x.id === c.engineId)?.endpoint ?? '';
    const plan = portPlan(c, endpoint, this.e);
    if (plan.none) return this.say(plan.none);
    const [first, ...rest] = plan.urls;
    const others = rest.length ? ` (also published: ${rest.map((u) => u.url).join(', ')})` : '';
    if (plan.opener) {
      const child = spawn(plan.opener, [first!.url], { detached: true, stdio: 'ignore' });
      child.on('error', (err) => this.say(`cannot run ${plan.opener}: ${err.message}; the URL is ${first!.url}`, 'error'));
      child.unref();
      return this.say(`opening ${first!.url} for ${displayName(c)}${others}`, 'ok');
    }
    const lines = plan.urls.map((u) => `${u.url}   (container port ${u.port.containerPort})`);
    lines.push(' ', `No browser opens from here: ${plan.why}.`);
    if (plan.forward) lines.push('On your own machine, forward the ports with', `  ${plan.forward}`, `then open http://localhost:${first!.port.hostPort} there.`);
    this.store.dispatch({ type: 'confirm', confirm: { title: `${displayName(c)} publishes:`, lines, target: c.key, choices: [], note: true } });
  }
}
