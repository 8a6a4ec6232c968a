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

/** Who runs a container, as its cgroup path names it. */
export type ContainerRuntime = 'Docker' | 'Podman' | 'containerd' | 'CRI-O';

/**
 * The runtime whose cgroup holds container `id`, from the name just before the id:
 * `/docker/<id>`, `docker-<id>.scope` (Docker), `libpod-<id>` (Podman), `cri-containerd-<id>`,
 * `crio-<id>`. Undefined when the path does not say.
 */
export function runtimeFromCgroup(text: string, id: string): ContainerRuntime | undefined {
  for (const line of text.split('\n')) {
    const at = line.lastIndexOf(id);
    if (at < 0) continue;
    const before = line.slice(0, at);
    if (/cri-containerd-$/.test(before)) return 'containerd';
    if (/crio-$/.test(before)) return 'CRI-O';
    if (/libpod-$/.test(before)) return 'Podman';
    if (/docker[-/]$/.test(before)) return 'Docker';
  }
  return undefined;
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

/**
 * A process's pid in each pid namespace it is in, from ours down to its own (NSpid in
 * /proc/<pid>/status); undefined when it is gone or the kernel does not say.
 */
export function namespacePids(pid: number, procRoot = '/proc'): number[] | undefined {
  try {
    const m = /^NSpid:\s+([\d\s]+)$/m.exec(readFileSync(`${procRoot}/${pid}/status`, 'utf8'));
    return m ? m[1]!.trim().split(/\s+/).map(Number) : undefined;
  } catch {
    return undefined;
  }
}

/** When a process started (clock ticks after boot, /proc/<pid>/stat): tells a pid reused by another process. */
export function processStart(pid: number, procRoot = '/proc'): string | undefined {
  try {
    const stat = readFileSync(`${procRoot}/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
