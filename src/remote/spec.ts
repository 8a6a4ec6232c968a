// Which servers gantry shows: the `servers:` entries of the config and the --server flags, checked
// and resolved into the local machine (named after its host name) plus remote servers reached by ssh.

export interface ServerSpec {
  /** How rows and engine ids name it (`node-a/docker`): letters, digits, `.`, `_`, `-`. */
  name: string;
  /** What ssh connects to: an alias from the ssh config, `user@host`, or `ssh://user@host:port`. */
  ssh: string;
  /** Engine sockets on the server; empty: the usual places, asked from the server itself. */
  sockets: string[];
  /** The nvidia-smi to run there (default: nvidia-smi on the remote PATH). */
  nvidiaSmi?: string;
}

export interface Destination {
  host: string;
  user?: string;
  port?: number;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const HOST = /^(?:[A-Za-z0-9_][A-Za-z0-9_.:%-]*|[0-9A-Fa-f:.%]+)$/;
const USER = /^[A-Za-z0-9_][A-Za-z0-9_.$-]*$/;

/** A problem with a server name, in words, or undefined. */
export function checkServerName(name: string): string | undefined {
  if (NAME.test(name)) return undefined;
  return `"${name}" is not a usable server name: use letters, digits, ".", "_" and "-" (at most 63), starting with a letter or digit`;
}

/** Where ssh connects, from `ssh://[user@]host[:port]`, `user@host` or an alias; or a problem in words. */
export function parseDestination(raw: string): Destination | string {
  const s = raw.trim();
  const bad = `"${raw}" is not an ssh destination: use an alias from your ssh config, user@host, or ssh://user@host:port`;
  if (/^ssh:\/\//i.test(s)) {
    let u: URL;
    try {
      u = new URL(s);
    } catch {
      return bad;
    }
    if (u.pathname && u.pathname !== '/') return `"${raw}": a server is the machine, not a socket: give its sockets under "sockets:" in the config`;
    const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
    const d: Destination = { host };
    if (u.username) d.user = decodeURIComponent(u.username);
    if (u.port) d.port = Number(u.port);
    if (!HOST.test(host) || (d.user !== undefined && !USER.test(d.user))) return bad;
    return d;
  }
  const at = s.lastIndexOf('@');
  const d: Destination = { host: at >= 0 ? s.slice(at + 1) : s };
  if (at >= 0) d.user = s.slice(0, at);
  if (!HOST.test(d.host) || (d.user !== undefined && !USER.test(d.user))) return bad;
  return d;
}

/** The name a server gets when only its destination is given: the host (or alias) itself. */
export function defaultServerName(d: Destination): string {
  return d.host.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 63) || 'server';
}

export interface ServerChoice {
  /** Show the local machine (its engines by discovery, its nvidia-smi) as a server. */
  local: boolean;
  /** The local machine's name as a server. */
  localName: string;
  remote: ServerSpec[];
  /** True when servers were asked for: rows say which server they are from. */
  multi: boolean;
}

/**
 * Resolves the configured servers and the --server flags. No flags: the local machine plus every
 * configured server (none configured: the local machine alone, as gantry always was). Flags: only
 * the servers they name, by name (`local` or the host name for this machine), or an ad-hoc server
 * by ssh destination. Throws an Error in words for a bad flag.
 */
export function chooseServers(configured: readonly ServerSpec[], flags: readonly string[], hostname: string): ServerChoice {
  const localName = defaultServerName({ host: hostname }) || 'local';
  const clash = configured.find((s) => s.name === localName || s.name === 'local');
  if (clash) throw new Error(`servers: "${clash.name}" is the name of this machine (which is always a server): give that server another name`);
  if (flags.length === 0) return { local: true, localName, remote: [...configured], multi: configured.length > 0 };
  let local = false;
  const remote: ServerSpec[] = [];
  const add = (s: ServerSpec) => {
    if (!remote.some((r) => r.name === s.name)) remote.push(s);
  };
  for (const f of flags) {
    const name = f.trim();
    if (name === 'local' || name === localName) {
      local = true;
      continue;
    }
    const known = configured.find((s) => s.name === name);
    if (known) {
      add(known);
      continue;
    }
    const d = parseDestination(name);
    if (typeof d === 'string') {
      const names = configured.map((s) => s.name).join(', ');
      throw new Error(`--server ${d}${names ? ` (configured servers: ${names}, and local)` : ''}`);
    }
    const sname = defaultServerName(d);
    if (sname === localName) throw new Error(`--server ${name}: that is the name of this machine; use --server local for it`);
    add({ name: sname, ssh: name, sockets: [] });
  }
  return { local, localName, remote, multi: remote.length + (local ? 1 : 0) > 1 || remote.length > 0 };
}
