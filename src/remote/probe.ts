// What a server has, asked in one remote command when its connection comes up: the remote user
// and runtime directory (where rootless Podman listens), which engine sockets exist and may be
// used, and whether docker, podman and nvidia-smi are installed there.
import { sanitizeLine } from '../engine/logs/sanitize.js';
import { remoteScript } from './ssh.js';

export type SocketAccess = 'ok' | 'denied' | 'missing';

export interface RemoteSocket {
  /** The path as tried. */
  path: string;
  /** Its real path on the server (two paths to one socket are one engine). */
  real: string;
  access: SocketAccess;
}

export interface RemoteFacts {
  uid: number;
  user: string;
  /** $XDG_RUNTIME_DIR of the remote user, else /run/user/UID. */
  runtimeDir: string;
  sockets: RemoteSocket[];
  has: { docker: boolean; podman: boolean; nvidiaSmi: boolean };
}

// One line of POSIX sh; "$1" is the nvidia-smi to look for, the rest the sockets to try (none: the
// default places in DESIGN.md's order, the rootless Podman one under the remote user's runtime dir).
const SCRIPT = [
  'nv=$1; shift; u=$(id -u); x=${XDG_RUNTIME_DIR:-/run/user/$u}',
  `printf 'user\\t%s\\t%s\\t%s\\n' "$u" "$(id -un 2>/dev/null)" "$x"`,
  'if [ $# -eq 0 ]; then set -- /var/run/docker.sock "$x/podman/podman.sock" /run/podman/podman.sock; fi',
  'for s in "$@"; do if [ -S "$s" ]; then r=$(readlink -f "$s" 2>/dev/null || printf %s "$s"); if [ -r "$s" ] && [ -w "$s" ]; then a=ok; else a=denied; fi; else a=missing; r=-; fi',
  `printf 'sock\\t%s\\t%s\\t%s\\n' "$a" "$r" "$s"; done`,
  `for b in docker podman "$nv"; do command -v "$b" >/dev/null 2>&1 && printf 'has\\t%s\\n' "$b"; done`,
  'true',
].join('; ');

/** The command string that asks a server for its facts. */
export function probeCommand(nvidiaSmi: string, sockets: readonly string[]): string {
  return remoteScript(SCRIPT, [nvidiaSmi, ...sockets]);
}

/** Reads the probe's output; undefined when it is not the probe's output at all. */
export function parseProbe(out: string, nvidiaSmi: string): RemoteFacts | undefined {
  let facts: RemoteFacts | undefined;
  const sockets: RemoteSocket[] = [];
  const has = { docker: false, podman: false, nvidiaSmi: false };
  for (const line of out.split('\n')) {
    const f = line.split('\t');
    if (f[0] === 'user' && f.length === 4 && /^\d+$/.test(f[1]!)) {
      facts = { uid: Number(f[1]), user: sanitizeLine(f[2]!, { keepColor: false }), runtimeDir: f[3]!, sockets, has };
    } else if (f[0] === 'sock' && f.length === 4 && (f[1] === 'ok' || f[1] === 'denied' || f[1] === 'missing')) {
      sockets.push({ access: f[1], real: f[2] === '-' ? f[3]! : f[2]!, path: f[3]! });
    } else if (f[0] === 'has' && f.length === 2) {
      if (f[1] === 'docker') has.docker = true;
      else if (f[1] === 'podman') has.podman = true;
      if (f[1] === nvidiaSmi) has.nvidiaSmi = true;
    }
  }
  return facts;
}

/** Words for a server's sockets that cannot be used, and for a server with no engine at all. */
export function socketProblems(server: string, facts: RemoteFacts, configured: boolean, answered: number): string[] {
  const out: string[] = [];
  const show = (p: string) => sanitizeLine(p, { keepColor: false });
  for (const s of facts.sockets) {
    if (s.access === 'denied')
      out.push(
        `${server}: ${show(s.path)}: permission denied for ${facts.user || `uid ${facts.uid}`}: add that user to the docker group there (\`sudo usermod -aG docker ${facts.user || 'USER'}\`, then reconnect), or use rootless Podman.`,
      );
    else if (s.access === 'missing' && configured) out.push(`${server}: ${show(s.path)}: no socket there (is the engine running on ${server}?).`);
  }
  if (answered === 0 && out.length === 0) {
    const tried = facts.sockets.map((s) => show(s.path)).join(', ');
    const fix = facts.has.podman
      ? `run \`systemctl --user enable --now podman.socket\` on ${server} (rootless Podman is installed there)`
      : facts.has.docker
        ? `start Docker on ${server} (\`sudo systemctl start docker\`)`
        : `neither docker nor podman is installed on ${server}`;
    out.push(`${server}: no container engine answers (tried ${tried}): ${fix}.`);
  }
  return out;
}
