// What remote servers cost the machine running gantry, measured: N "servers" (this machine under
// the names node-01…, through the test sshd), each with its ssh master, its two nvidia-smi loops
// at 1 s sampling and a watched Docker engine, wired into a store exactly as the TUI wires them
// (no Ink: the frames cost the same with one server or twenty). Once all are up: 30 s of CPU time
// and RSS of this process and of its ssh children, and the bytes on the servers' ssh connections.
// The remote nvidia-smi is a sh loop replaying one real sample of the 4-GPU fixture (so the
// remote side's load does not swamp a small machine); its output is byte for byte what gantry reads.
//   eval "$(bash scripts/engines.sh start | grep ^export)"; eval "$(bash scripts/sshd.sh start)"
//   node scripts/run-ts.mjs servers-scale            (SCALE_SERVERS=1,5,10 SCALE_SECONDS=30)
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wireServers } from '../src/app/servers.js';
import type { Engine } from '../src/engine/engine.js';
import { appArgs, gpuArgs } from '../src/gpu/monitor.js';
import { ServerSet } from '../src/remote/servers.js';
import { DEFAULT_SSH } from '../src/remote/ssh.js';
import { chooseServers, type ServerSpec } from '../src/remote/spec.js';
import type { EngineWatcher } from '../src/store/sources.js';
import { initialState, reducer, type Action, type AppState } from '../src/store/state.js';
import { createStore } from '../src/store/store.js';

const CLK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
const SECONDS = Number(process.env.SCALE_SECONDS ?? 30);
const COUNTS = (process.env.SCALE_SERVERS ?? '1,5,10').split(',').map(Number);
const env = (k: string) => process.env[k] ?? (() => { throw new Error(`${k} is not set: start the engines and the test sshd first (see the top of this file)`); })();
const sshConfig = env('GANTRY_TEST_SSH_CONFIG');
const port = env('GANTRY_TEST_SSH_PORT');
const dockerSock = env('GANTRY_TEST_DOCKER_SOCK');

/** The stand-in: one real sample of each query (the 4-GPU fixture, two processes), printed every interval. */
function standIn(dir: string): string {
  const fake = join(process.cwd(), 'test/helpers/fake-nvidia-smi');
  const fakeEnv = { ...process.env, FAKE_NVIDIA_SMI_PROFILE: 'rtx4', FAKE_NVIDIA_SMI_PROCS: '1:0:9500:python3 train.py,2:1:20480:python3 ppo.py' };
  writeFileSync(join(dir, 'gpu.csv'), execFileSync(fake, gpuArgs(1000).slice(0, 2), { env: fakeEnv }));
  writeFileSync(join(dir, 'app.csv'), execFileSync(fake, appArgs(1000).slice(0, 2), { env: fakeEnv }));
  const path = join(dir, 'nvidia-smi');
  const q = appArgs(1000)[0]!;
  writeFileSync(path, `#!/bin/sh\nf=${dir}/gpu.csv\nfor a in "$@"; do [ "$a" = '${q}' ] && f=${dir}/app.csv; done\nwhile :; do cat "$f" || exit 1; sleep 1; done\n`);
  chmodSync(path, 0o755);
  return path;
}

interface Proc { pid: number; ppid: number; comm: string; ticks: number; /** Proportional set size: shared pages split between their users. */ pssKiB: number }

function procs(): Proc[] {
  const out: Proc[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const f = stat.slice(close + 2).split(' ');
      out.push({ pid: Number(d), ppid: Number(f[1]), comm: stat.slice(stat.indexOf('(') + 1, close), ticks: Number(f[11]) + Number(f[12]), pssKiB: 0 });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** This process's descendants (the ssh masters and their clients). */
function children(): Proc[] {
  const all = procs();
  const mine = new Set([process.pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of all) if (mine.has(p.ppid) && !mine.has(p.pid)) (mine.add(p.pid), (grew = true));
  }
  return all
    .filter((p) => p.pid !== process.pid && mine.has(p.pid))
    .map((p) => {
      try {
        const m = /^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${p.pid}/smaps_rollup`, 'utf8'));
        return { ...p, pssKiB: m ? Number(m[1]) : 0 };
      } catch {
        return p;
      }
    });
}

/** Bytes both ways on the established ssh connections to the test sshd, from the kernel (ss -ti). */
function sshBytes(): number {
  const out = execFileSync('ss', ['-tinH', 'state', 'established', `( dport = :${port} )`], { encoding: 'utf8' });
  let sum = 0;
  for (const m of out.matchAll(/bytes_(?:acked|received):(\d+)/g)) sum += Number(m[1]);
  return sum;
}

async function waitFor(cond: () => boolean, ms: number, what: () => string): Promise<void> {
  const end = Date.now() + ms;
  let said = Date.now();
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what()}`);
    if (Date.now() - said > 15_000) (said = Date.now()), console.error(`  waiting: ${what()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function measure(n: number, nv: string): Promise<string> {
  const specs: ServerSpec[] = Array.from({ length: n }, (_, i) => {
    const name = `node-${String(i + 1).padStart(2, '0')}`;
    return { name, ssh: name, sockets: [dockerSock], nvidiaSmi: nv };
  });
  const set = new ServerSet(specs, { ssh: { ...DEFAULT_SSH, configFile: sshConfig }, gpuLoops: true, gpuIntervalMs: 1000, nvidiaSmi: 'nvidia-smi' });
  const store = createStore<AppState, Action>(reducer, initialState({ gpu: true }));
  const source = wireServers({ choice: { ...chooseServers(specs, [], 'scale'), local: false }, set }, store, new Map<string, Engine>(), new Map<string, EngineWatcher>(), { gpuGrants: true, resyncMs: 10_000 });
  const s = () => store.getState();
  const up = () => s().servers.list.filter((e) => e.state === 'connected' && (e.gpu?.gpus.length ?? 0) === 4).length;
  const engines = () => s().engines.filter((e) => e.status === 'up').length;
  const late = () =>
    [
      ...s().servers.list.filter((e) => e.state !== 'connected' || (e.gpu?.gpus.length ?? 0) !== 4).map((e) => `${e.name} ${e.state} ${e.gpu?.status.state ?? ''} ${e.notes.join(' ')}`),
      ...s().engines.filter((e) => e.status !== 'up').map((e) => `${e.id} ${e.status} ${e.error ?? ''}`),
    ].join('; ');
  await waitFor(() => up() === n && engines() === n, 600_000, () => `${n} servers up (${up()} servers and ${engines()} engines so far; ${late()})`);
  const c0 = process.cpuUsage();
  const k0 = children().reduce((t, p) => t + p.ticks, 0);
  const b0 = sshBytes();
  const t0 = Date.now();
  let rssMax = 0;
  // Nothing else runs in this process meanwhile (reading /proc costs CPU too: only before and after).
  while (Date.now() - t0 < SECONDS * 1000) {
    await new Promise((r) => setTimeout(r, 1000));
    rssMax = Math.max(rssMax, process.memoryUsage().rss);
  }
  const secs = (Date.now() - t0) / 1000;
  const c1 = process.cpuUsage(c0);
  const bytes = sshBytes() - b0;
  const kids = children();
  const k1 = kids.reduce((t, p) => t + p.ticks, 0);
  const kidsRss = kids.reduce((t, p) => t + p.pssKiB, 0);
  source.stop();
  set.stop();
  const selfPct = ((c1.user + c1.system) / 1e6 / secs) * 100;
  const kidsPct = ((k1 - k0) / CLK / secs) * 100;
  const ssh = kids.filter((p) => p.comm === 'ssh').length;
  return [
    `${String(n).padStart(2)} servers`,
    `gantry ${selfPct.toFixed(2)} % CPU, RSS ${(rssMax / 2 ** 20).toFixed(0)} MiB`,
    `ssh children ${ssh} (${kidsPct.toFixed(2)} % CPU, PSS ${(kidsRss / 1024).toFixed(1)} MiB)`,
    n > 0 ? `${(bytes / secs / n / 1024).toFixed(2)} KiB/s per server` : `${(bytes / secs / 1024).toFixed(2)} KiB/s`,
  ].join(' | ');
}

const dir = mkdtempSync(join(tmpdir(), 'gantry-scale-'));
const nv = standIn(dir);
for (const n of COUNTS) console.log(await measure(n, nv));
rmSync(dir, { recursive: true, force: true });
process.exit(0);
