// A local container's CPU time and memory straight from its cgroup files, found from its main
// process's /proc/<pid>/cgroup — cheap enough to read for hundreds of containers every 2 s, where
// a stats stream per container would not be. cgroup v2 (cpu.stat usage_usec, memory.current) and
// v1 (cpuacct.usage in ns, memory.usage_in_bytes), including the hybrid layout where v2 is mounted
// at /sys/fs/cgroup/unified.
import { existsSync, readFileSync } from 'node:fs';

export interface CgroupFiles {
  cpu?: string;
  mem?: string;
}

export interface CgroupUsage {
  /** CPU time used since the cgroup began, ns. */
  cpuNs: number;
  memBytes: number;
}

/** The usage files of the cgroup a /proc/<pid>/cgroup text names, under `root`. */
export function cgroupFiles(text: string, root = '/sys/fs/cgroup'): CgroupFiles {
  const out: CgroupFiles = {};
  for (const line of text.split('\n')) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (!m) continue;
    const [, , ctrls, path] = m;
    const has = (c: string) => ctrls!.split(',').includes(c);
    if (has('cpuacct')) {
      const f = [`${root}/cpuacct${path}/cpuacct.usage`, `${root}/cpu,cpuacct${path}/cpuacct.usage`, `${root}/cpuacct,cpu${path}/cpuacct.usage`].find(existsSync);
      if (f) out.cpu = f;
    }
    if (has('memory')) {
      const f = `${root}/memory${path}/memory.usage_in_bytes`;
      if (existsSync(f)) out.mem = f;
    }
    if (ctrls === '' && m[1] === '0') {
      for (const base of [root, `${root}/unified`]) {
        if (!out.cpu && existsSync(`${base}${path}/cpu.stat`)) out.cpu = `${base}${path}/cpu.stat`;
        if (!out.mem && existsSync(`${base}${path}/memory.current`)) out.mem = `${base}${path}/memory.current`;
      }
    }
  }
  return out;
}

/** What the files say now; undefined when the cgroup is gone (the container stopped). */
export function readCgroupUsage(files: CgroupFiles): CgroupUsage | undefined {
  if (!files.cpu || !files.mem) return undefined;
  try {
    const cpuText = readFileSync(files.cpu, 'utf8');
    const cpuNs = files.cpu.endsWith('cpu.stat') ? Number(/^usage_usec (\d+)/m.exec(cpuText)?.[1]) * 1000 : Number(cpuText.trim());
    const memBytes = Number(readFileSync(files.mem, 'utf8').trim());
    return Number.isFinite(cpuNs) && Number.isFinite(memBytes) ? { cpuNs, memBytes } : undefined;
  } catch {
    return undefined;
  }
}
