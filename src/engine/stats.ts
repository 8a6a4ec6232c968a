// Live resource use of one container (the Stats tab) and its processes (the Top tab), the same
// on Docker 20.10 and Podman 4.3. What differs, seen here on both engines:
// - cadence: Docker's stats stream sends a sample about every second, Podman's every 5 s. Docker's
//   first sample has an empty `precpu_stats` (no CPU % yet); Podman's first has one taken a few
//   milliseconds earlier.
// - CPU: Docker's `system_cpu_usage` is the host's total CPU time (all CPUs, idle included), so
//   its formula Δcontainer / Δsystem × online CPUs × 100 gives "% of one CPU". Podman 4.3's
//   `system_cpu_usage` counts only the host's busy time (it grew 0.5 s in 2.2 s of wall time on a
//   2-CPU idle host), so that formula overstates Podman's CPU % — by 17% on a busy host here,
//   without bound on an idle one. For Podman the same "% of one CPU" is Δcontainer CPU time over
//   the wall time between `preread` and `read` (what Podman's own `cpu` field reports).
// - memory: Docker (cgroup v1) reports usage including the page cache and the cache counters in
//   `memory_stats.stats` (usage minus `total_inactive_file` is what `docker stats` shows); Podman
//   gives `usage` and `limit` only.
// - network: Podman always has `networks` (zeros with `--network none`); Docker has none then.
// - a stopped container: Docker streams samples stamped 0001-01-01 with zeros, Podman answers
//   200 with an empty body.
// - top: `ps_args` goes to the host's `ps` on Docker (so `-eo pid,user,pcpu,pmem,rss,args` works
//   and PIDs are host PIDs; a bare descriptor list is refused: "process ID list syntax error").
//   Podman reads `ps_args` as its own (psgo) descriptors — `pid,hpid,user,pcpu,rss,args` works,
//   there is no `pmem` — and with anything else runs the image's `ps` inside the container (busybox
//   here: one column "PID USER COMMAND" per row, or an empty 200 answer for `-eo …`). PIDs are the
//   container's own, HPID the host's.
import { destroyStream, jsonLines } from './ndjson.js';
import type Docker from 'dockerode';
import { bareName, type EngineKind } from './models.js';
import { explainActionError } from './errors.js';
import { ExecError, notRunningMessage } from './exec.js';

export interface StatsSample {
  /** ms since the epoch, as stamped by the engine. */
  at: number;
  /** % of one CPU (200 = two CPUs busy); undefined until two readings exist. */
  cpuPct?: number;
  /** Bytes in use, without the reclaimable page cache where the engine says how much that is. */
  memUsed: number;
  /** Bytes: the container's limit, or the host's memory when it has none. */
  memLimit: number;
  netRx: number;
  netTx: number;
  blkRead: number;
  blkWrite: number;
  pids: number;
  /** ms between this reading and the one before, when the engine says. */
  intervalMs?: number;
}

interface CpuStats {
  cpu_usage?: { total_usage?: number; percpu_usage?: number[] | null };
  system_cpu_usage?: number;
  online_cpus?: number;
}

export interface RawStats {
  read?: string;
  preread?: string;
  cpu_stats?: CpuStats;
  precpu_stats?: CpuStats;
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> | null };
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }> | null;
  blkio_stats?: { io_service_bytes_recursive?: { op?: string; value?: number }[] | null } | null;
  pids_stats?: { current?: number };
}

const ZERO_TIME = /^0001-01-01/;

/** An engine timestamp in ms since the epoch, keeping the sub-millisecond part. */
export function stampMs(ts: string | undefined): number | undefined {
  if (!ts || ZERO_TIME.test(ts)) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(ts);
  if (!m) {
    const t = Date.parse(ts);
    return Number.isNaN(t) ? undefined : t;
  }
  const base = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(base)) return undefined;
  return base + (m[2] ? Number(`0.${m[2]}`) * 1000 : 0);
}

/**
 * CPU use as % of one CPU, from a reading and the one before it (`precpu_stats`, or `prev`
 * when the engine left that empty). undefined when there is nothing to compare with.
 */
export function cpuPercent(s: RawStats, kind: EngineKind, prev?: RawStats): number | undefined {
  const cur = s.cpu_stats;
  let pre = s.precpu_stats;
  let preStamp = stampMs(s.preread);
  if (!pre?.cpu_usage?.total_usage && prev?.cpu_stats?.cpu_usage?.total_usage) {
    pre = prev.cpu_stats;
    preStamp = stampMs(prev.read);
  }
  const now = cur?.cpu_usage?.total_usage;
  const before = pre?.cpu_usage?.total_usage;
  if (now === undefined || !before) return undefined;
  const cpuDelta = now - before;
  if (cpuDelta < 0) return undefined; // counters restarted with the container
  if (kind === 'docker') {
    const sysDelta = (cur?.system_cpu_usage ?? 0) - (pre?.system_cpu_usage ?? 0);
    if (cur?.system_cpu_usage && pre?.system_cpu_usage && sysDelta > 0) {
      const cpus = cur.online_cpus || cur.cpu_usage?.percpu_usage?.length || 1;
      return (cpuDelta / sysDelta) * cpus * 100;
    }
  }
  const at = stampMs(s.read);
  if (at === undefined || preStamp === undefined || at <= preStamp) return undefined;
  return (cpuDelta / ((at - preStamp) * 1e6)) * 100;
}

/** Memory in use as `docker stats` counts it: usage less the inactive page cache. */
export function memoryUsed(s: RawStats): number {
  const usage = s.memory_stats?.usage ?? 0;
  const st = s.memory_stats?.stats ?? {};
  for (const k of ['total_inactive_file', 'inactive_file']) {
    const v = st[k];
    if (typeof v === 'number' && v < usage) return usage - v;
  }
  return usage;
}

export function sampleFromStats(s: RawStats, kind: EngineKind, prev?: RawStats): StatsSample {
  let netRx = 0;
  let netTx = 0;
  for (const n of Object.values(s.networks ?? {})) {
    netRx += n?.rx_bytes ?? 0;
    netTx += n?.tx_bytes ?? 0;
  }
  let blkRead = 0;
  let blkWrite = 0;
  for (const e of s.blkio_stats?.io_service_bytes_recursive ?? []) {
    const op = (e.op ?? '').toLowerCase();
    if (op === 'read') blkRead += e.value ?? 0;
    else if (op === 'write') blkWrite += e.value ?? 0;
  }
  const at = stampMs(s.read) ?? Date.now();
  const out: StatsSample = {
    at,
    memUsed: memoryUsed(s),
    memLimit: s.memory_stats?.limit ?? 0,
    netRx,
    netTx,
    blkRead,
    blkWrite,
    pids: s.pids_stats?.current ?? 0,
  };
  const cpu = cpuPercent(s, kind, prev);
  if (cpu !== undefined) out.cpuPct = cpu;
  const pre = stampMs(s.preread) ?? stampMs(prev?.read);
  if (pre !== undefined && at > pre) out.intervalMs = at - pre;
  return out;
}

/**
 * Streams the container's stats: `onSample` for each reading (about every second on Docker, every
 * 5 s on Podman), `onEnd` once when the stream stops by itself — with a plain reason when it
 * failed or the container is not running. The returned function cancels (then `onEnd` is not
 * called).
 */
export function streamStats(
  docker: Docker,
  id: string,
  kind: EngineKind,
  onSample: (s: StatsSample) => void,
  onEnd: (reason?: string) => void,
): () => void {
  let cancelled = false;
  let over = false;
  let stream: NodeJS.ReadableStream | undefined;
  let prev: RawStats | undefined;
  let samples = 0;
  const container = docker.getContainer(id);
  const stop = () => destroyStream(stream);
  const end = (reason?: string) => {
    if (over || cancelled) return;
    over = true;
    stop();
    onEnd(reason);
  };
  // Why did it stop? The container's state says it best.
  const endWithState = async (fallback?: string) => {
    try {
      const i = await container.inspect();
      const st = i.State;
      if (!st.Running || st.Paused) {
        const name = bareName(i.Name ?? id);
        return end(notRunningMessage(name, st.Paused ? 'paused' : (st.Status ?? 'exited')).message);
      }
      end(fallback ?? (samples === 0 ? 'the engine sent no stats for this container' : undefined));
    } catch (err) {
      end(`stats stopped: ${explainActionError(err)}`);
    }
  };
  container.stats({ stream: true }, (err: unknown, s?: NodeJS.ReadableStream) => {
    if (cancelled) {
      destroyStream(s);
      return;
    }
    if (err || !s) {
      void endWithState(`no stats: ${explainActionError(err ?? new Error('no stream'))}`);
      return;
    }
    stream = s;
    s.on(
      'data',
      jsonLines<RawStats>((raw) => {
        if (over || cancelled) return;
        // Docker streams zero samples for a container that is not running.
        if (stampMs(raw.read) === undefined) {
          void endWithState();
          return;
        }
        samples++;
        const sample = sampleFromStats(raw, kind, prev);
        prev = raw;
        onSample(sample);
      }),
    );
    s.on('error', (e: unknown) => void endWithState(`stats stream failed: ${explainActionError(e)}`));
    s.on('end', () => void endWithState());
    s.on('close', () => void endWithState());
  });
  return () => {
    cancelled = true;
    stop();
  };
}

// ---------------------------------------------------------------------------------------------
// top

export interface TopProcess {
  /** The host's PID where the engine gives it (always on Docker; HPID on Podman), else the container's. */
  pid: number;
  /** Podman only: the PID inside the container. */
  containerPid?: number;
  user: string;
  /** % of one CPU, as ps reports it. */
  cpu?: number;
  /** % of the host's memory (Docker only: Podman's ps has no %MEM). */
  mem?: number;
  /** Resident memory in bytes. */
  rss?: number;
  command: string;
}

export interface TopResult {
  Titles?: string[];
  Processes?: string[][];
}

/** The ways to ask, in order: Docker's host ps, then Podman's descriptors, then the engine's default. */
export const TOP_ATTEMPTS: readonly (string | undefined)[] = ['-eo pid,user,pcpu,pmem,rss,args', 'pid,hpid,user,pcpu,rss,args', undefined];

function column(titles: string[], ...names: string[]): number {
  return titles.findIndex((t) => names.includes(t.toUpperCase()));
}

function num(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === '' || v.trim() === '-') return undefined;
  const n = Number(v.trim());
  return Number.isFinite(n) ? n : undefined;
}

/** The engine's `top` answer → processes. Understands ps's titles and Podman's descriptors. */
export function parseTop(result: TopResult): TopProcess[] {
  let titles = (result.Titles ?? []).map((t) => t.trim());
  let rows = result.Processes ?? [];
  // A ps run inside the container (busybox) may come back as one column holding the whole line.
  if (titles.length === 1 && /\s/.test(titles[0]!)) {
    titles = titles[0]!.split(/\s+/).filter(Boolean);
    const n = titles.length;
    rows = rows.map((r) => {
      const parts = (r[0] ?? '').trim().split(/\s+/);
      return [...parts.slice(0, n - 1), parts.slice(n - 1).join(' ')];
    });
  }
  const iPid = column(titles, 'PID');
  const iHpid = column(titles, 'HPID');
  const iUser = column(titles, 'USER', 'UID');
  const iCpu = column(titles, '%CPU', 'C', 'PCPU');
  const iMem = column(titles, '%MEM', 'PMEM');
  const iRss = column(titles, 'RSS');
  const iCmd = column(titles, 'COMMAND', 'CMD', 'ARGS');
  if (iPid < 0) return [];
  const out: TopProcess[] = [];
  for (const r of rows) {
    const cpid = num(r[iPid]);
    if (cpid === undefined) continue;
    const hpid = iHpid >= 0 ? num(r[iHpid]) : undefined;
    const p: TopProcess = {
      pid: hpid ?? cpid,
      user: iUser >= 0 ? (r[iUser] ?? '') : '',
      // The command is the last column; ps may have split it if the row came as words.
      command: iCmd >= 0 ? r.slice(iCmd).join(' ') : '',
    };
    if (hpid !== undefined) p.containerPid = cpid;
    const cpu = iCpu >= 0 ? num(r[iCpu]) : undefined;
    if (cpu !== undefined) p.cpu = cpu;
    const mem = iMem >= 0 ? num(r[iMem]) : undefined;
    if (mem !== undefined) p.mem = mem;
    const rss = iRss >= 0 ? num(r[iRss]) : undefined;
    if (rss !== undefined) p.rss = rss * 1024; // ps and psgo report KiB
    out.push(p);
  }
  return out;
}

/**
 * The container's processes. Tries the ways in TOP_ATTEMPTS until one gives processes: the first
 * works on Docker, the second on Podman, the last anywhere (fewer columns). `kind` only saves a
 * useless first try on Podman; without it the result is the same. Throws `ExecError`
 * with a plain message for a container that is not running.
 */
export async function topProcesses(docker: Docker, id: string, kind?: EngineKind): Promise<TopProcess[]> {
  const container = docker.getContainer(id);
  let lastErr: unknown;
  // Podman would run the image's own ps for the first (Docker's) way: skip it when we know.
  const attempts = kind === 'podman' ? TOP_ATTEMPTS.slice(1) : TOP_ATTEMPTS;
  for (const ps_args of attempts) {
    try {
      const r = (await container.top(ps_args ? { ps_args } : {})) as unknown;
      if (r && typeof r === 'object' && !Buffer.isBuffer(r)) {
        const list = parseTop(r as TopResult);
        if (list.length) return list;
      }
    } catch (err) {
      lastErr = err;
    }
  }
  // Nothing: a stopped container (Docker says 409, Podman answers with an empty body), or worse.
  let state: { name: string; running: boolean; paused: boolean } | undefined;
  try {
    const i = await container.inspect();
    state = { name: bareName(i.Name ?? id), running: i.State.Running, paused: i.State.Paused };
  } catch (err) {
    throw new ExecError(`cannot list processes: ${explainActionError(err)}`, 'gone', err);
  }
  if (!state.running) throw notRunningMessage(state.name, 'exited');
  if (state.paused) return [];
  if (lastErr) throw new ExecError(`cannot list the processes of ${state.name}: ${explainActionError(lastErr)}`, 'engine', lastErr);
  return [];
}
