// Which container a process belongs to, from /proc/<pid>/cgroup, and who owns a host process.
import { readFileSync } from 'node:fs';

const ID = /(?:^|[^0-9a-f])([0-9a-f]{64})(?![0-9a-f])/g;

/**
 * The container id in a /proc/<pid>/cgroup text: `/docker/<id>`, `docker-<id>.scope`,
 * `libpod-<id>`, `libpod-<id>.scope`, `cri-containerd-<id>.scope` (cgroup v1 and v2). The last
 * run of exactly 64 hex digits wins (nested cgroups name the innermost last).
 */
export function containerIdFromCgroup(text: string): string | undefined {
  let last: string | undefined;
  for (const line of text.split('\n')) {
    for (const m of line.matchAll(ID)) last = m[1];
  }
  return last;
}

export function readCgroup(pid: number, procRoot = '/proc'): string | undefined {
  try {
    return readFileSync(`${procRoot}/${pid}/cgroup`, 'utf8');
  } catch {
    return undefined;
  }
}

let passwd: Map<number, string> | undefined;

function userName(uid: number): string {
  if (!passwd) {
    passwd = new Map();
    try {
      for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
        const f = line.split(':');
        if (f.length > 2 && f[0]) passwd.set(Number(f[2]), f[0]);
      }
    } catch {
      // no /etc/passwd: uids are shown as numbers
    }
  }
  return passwd.get(uid) ?? String(uid);
}

/** The user name owning a process (real uid), or undefined when the pid is gone. */
export function processOwner(pid: number, procRoot = '/proc'): string | undefined {
  try {
    const m = /^Uid:\s+(\d+)/m.exec(readFileSync(`${procRoot}/${pid}/status`, 'utf8'));
    return m ? userName(Number(m[1])) : undefined;
  } catch {
    return undefined;
  }
}
