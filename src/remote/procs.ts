// GPU process attribution on a server: /proc/<pid>/cgroup and the Uid line of /proc/<pid>/status
// of all the given pids, and the user names of those uids, read in ONE remote command, and kept
// while the pid stays on a GPU, so a steady server costs no command at all per sample.
import { sanitizeLine } from '../engine/logs/sanitize.js';
import type { ProcReader } from '../gpu/attribute.js';
import { remoteScript } from './ssh.js';

interface ProcFacts {
  cgroup?: string;
  uid?: number;
}

// One line of POSIX sh over the pids given as arguments (gantry passes only decimal numbers).
const SCRIPT = [
  'u=""; for p in "$@"; do echo "=pid $p"; cat "/proc/$p/cgroup" 2>/dev/null',
  `i=$(sed -n 's/^Uid:[[:space:]]*\\([0-9][0-9]*\\).*/\\1/p' "/proc/$p/status" 2>/dev/null)`,
  'if [ -n "$i" ]; then echo "=uid $i"; u="$u $i"; fi; done',
  'if [ -n "$u" ]; then echo "=passwd"; getent passwd $u 2>/dev/null | cut -d: -f1,3; fi; true',
].join('; ');

/** The command that reads what attribution needs about these pids. */
export function procsCommand(pids: readonly number[]): string {
  return remoteScript(SCRIPT, pids.map((p) => String(Math.trunc(p))));
}

/** Reads the command's output into facts per pid and names per uid. */
export function parseProcs(out: string): { procs: Map<number, ProcFacts>; users: Map<number, string> } {
  const procs = new Map<number, ProcFacts>();
  const users = new Map<number, string>();
  let cur: ProcFacts | undefined;
  let inPasswd = false;
  for (const line of out.split('\n')) {
    const pid = /^=pid (\d+)$/.exec(line);
    if (pid) {
      cur = {};
      procs.set(Number(pid[1]), cur);
      continue;
    }
    const uid = /^=uid (\d+)$/.exec(line);
    if (uid && cur) {
      cur.uid = Number(uid[1]);
      continue;
    }
    if (line === '=passwd') {
      inPasswd = true;
      cur = undefined;
      continue;
    }
    if (inPasswd) {
      const m = /^([^:]*):(\d+)$/.exec(line);
      if (m && m[1]) users.set(Number(m[2]), sanitizeLine(m[1], { keepColor: false }));
    } else if (cur && line) {
      cur.cgroup = cur.cgroup ? `${cur.cgroup}\n${line}` : line;
    }
  }
  return { procs, users };
}

export class RemoteProcs {
  private readonly known = new Map<number, ProcFacts>();
  private readonly users = new Map<number, string>();

  /** `run` executes a command on the server and gives its stdout (the connection's exec). */
  constructor(private readonly run: (command: string) => Promise<string>) {}

  /** A reader for these pids: what is not known yet is read in one command; pids gone are forgotten. */
  async reader(pids: readonly number[]): Promise<ProcReader> {
    const want = new Set(pids.filter((p) => Number.isInteger(p) && p > 0));
    for (const p of this.known.keys()) if (!want.has(p)) this.known.delete(p);
    const todo = [...want].filter((p) => !this.known.has(p));
    if (todo.length > 0) {
      const { procs, users } = parseProcs(await this.run(procsCommand(todo)));
      for (const p of todo) this.known.set(p, procs.get(p) ?? {});
      for (const [uid, name] of users) this.users.set(uid, name);
    }
    return {
      cgroup: (pid) => this.known.get(pid)?.cgroup,
      owner: (pid) => {
        const uid = this.known.get(pid)?.uid;
        return uid === undefined ? undefined : (this.users.get(uid) ?? String(uid));
      },
    };
  }
}
