// Processes on this machine, read from /proc: the tests that check which children gantry leaves
// running (nvidia-smi loops, their keepers) find them here.
import { readdirSync, readFileSync } from 'node:fs';

/** Pids whose argv `match` accepts (a process gone while being read is skipped). */
export function pidsWhere(match: (argv: string[]) => boolean): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (match(argv)) out.push(Number(d));
  }
  return out;
}

/** Parent pid of `pid`, or 0 once it is gone. */
export function ppidOf(pid: number): number {
  try {
    // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return 0;
  }
}

/** True when `ancestor` is `pid`'s parent, grandparent, … */
export function descendsFrom(pid: number, ancestor: number): boolean {
  for (let p = ppidOf(pid); p > 1; p = ppidOf(p)) if (p === ancestor) return true;
  return false;
}

/** Pids whose parent is `pid`. */
export function childrenOf(pid: number): number[] {
  return pidsWhere(() => true).filter((p) => ppidOf(p) === pid);
}
