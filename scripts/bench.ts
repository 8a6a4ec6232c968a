// `npm run bench`: gantry beside lazydocker on the same real engine, in the same run.
// Fills Docker with 30 containers (20 running and printing a line a second, 10 exited), then runs
// each tool in a pseudo-terminal and measures: time to the first paint of the container list,
// CPU % and resident memory over an idle period, and key-press-to-screen latency (move the
// selection); then a log flood (a container printing as fast as it can, its log on screen: key
// latency, age of the newest line on screen, memory over time; then the engine's own follow of it,
// `docker logs -f`, for reference) and 1,000 containers (key latency).
// The soak part (not run by default) keeps gantry open for BENCH_SOAK_S (30 minutes) on the 20
// loggers with the log panel following one: resident memory in the first minute against the last.
// Prints tables with ratios and writes JSON to bench-results.json.
import Docker from 'dockerode';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { closeSync, existsSync, fstatSync, openSync, readdirSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { PtySession, GANTRY, ROOT } from '../test/helpers/pty.js';
import { frameCosts, frameTable, type FrameCosts } from './bench-frames.js';
import { cpuTicks, pct, rssKiB, rssSummary, soak, TICK, type RssSummary, type SoakResult } from './bench-proc.js';
import { LAUNCHER_FLAGS, TIERING } from '../src/doctor/checks.js';

const IDLE_S = Number(process.env.BENCH_IDLE_S ?? 30);
/** Each GPU polling reading: 30 s, twice with and twice without, alternating (one 20 s reading varied by ±0.4 points). */
const GPU_S = Number(process.env.BENCH_GPU_S ?? 30);
const FAKE_SMI = `${ROOT}test/helpers/fake-nvidia-smi`;
const KEYS = Number(process.env.BENCH_KEYS ?? 40);
/** First paints timed per tool (separate launches; the median is reported): one launch varies by ±20 %. */
const PAINTS = Number(process.env.BENCH_PAINTS ?? 5);
const LAZYDOCKER = process.env.LAZYDOCKER ?? `${ROOT}../shared/bin/lazydocker`;
const FLOOD_S = Number(process.env.BENCH_FLOOD_S ?? 300);
const MANY = Number(process.env.BENCH_MANY ?? 1000);
/** Which parts to run: frames (in-process frame costs), basic (paint, idle, keys, GPU), flood, many, soak; default all but soak. */
const PARTS = new Set((process.env.BENCH_PARTS ?? 'frames,basic,flood,many').split(','));
/**
 * gantry as the basic and soak parts run it: GPU polling through the nvidia-smi stand-in (4-GPU
 * profile), as on a GPU server in use: every sample's figures differ from the last (VARY).
 */
const gantryOnLoggers = (dsock: string, args = ['--nvidia-smi', FAKE_SMI], env: Record<string, string> = {}) =>
  PtySession.gantry(['--host', `unix://${dsock}`, ...args], { cols: 160, rows: 45, env: { FAKE_NVIDIA_SMI_PROFILE: 'rtx4', FAKE_NVIDIA_SMI_VARY: '1', XDG_CACHE_HOME: BENCH_CACHE, ...env } });
/** The bench's own cache folder: bin/gantry's code cache (V8's compiled code of the bundle) is made here from scratch. */
const BENCH_CACHE = `${ROOT}.gantry-test/bench-cache`;

/** First paints of n separate launches, ms, each stopped once painted. */
async function paints(start: () => PtySession, painted: (screen: string) => boolean, n = PAINTS): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const p = start();
    await p.waitFor(painted, 30_000, 2);
    out.push(performance.now() - t);
    await p.dispose();
    await new Promise((r) => setTimeout(r, 500));
  }
  return out;
}

/**
 * A build's first start compiles the bundle; it then saves V8's code cache (3 s after its list)
 * and every later start uses it. One start stays until the cache is saved; then first paints with
 * the cache off (GANTRY_CODE_CACHE=off, as a build's first start) and on alternate, so that the
 * machine's drift over a minute weighs on both alike. The rest of the bench runs with the cache,
 * as a user's starts do.
 */
async function coldAndWarm(dsock: string, painted: (screen: string) => boolean): Promise<{ cold: number[]; warm: number[] }> {
  rmSync(BENCH_CACHE, { recursive: true, force: true });
  process.stderr.write('bench: gantry: saving the code cache… ');
  await saveCodeCache(() => gantryOnLoggers(dsock), painted);
  process.stderr.write(`first paint without and with it, alternating (${PAINTS} each)… `);
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < PAINTS; i++) {
    cold.push(...(await paints(() => gantryOnLoggers(dsock, undefined, { GANTRY_CODE_CACHE: 'off' }), painted, 1)));
    warm.push(...(await paints(() => gantryOnLoggers(dsock), painted, 1)));
  }
  process.stderr.write(`${cold.map((x) => x.toFixed(0)).join(' ')} / ${warm.map((x) => x.toFixed(0)).join(' ')} ms\n`);
  return { cold, warm };
}

/** Keeps a start open until bin/gantry has saved its code cache in BENCH_CACHE (at once when there is one). */
async function saveCodeCache(start: () => PtySession, painted: (screen: string) => boolean): Promise<void> {
  const saved = () => existsSync(`${BENCH_CACHE}/gantry`) && readdirSync(`${BENCH_CACHE}/gantry`).some((f) => f.endsWith('.v8'));
  if (saved()) return;
  const s = start();
  await s.waitFor(painted, 30_000, 2);
  const end = Date.now() + 15_000;
  while (!saved()) {
    if (Date.now() > end) throw new Error(`bin/gantry saved no code cache in ${BENCH_CACHE}/gantry within 15 s of its list`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await s.dispose();
}

function sh(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

/** The pid of the real program under the pty (node for gantry; lazydocker itself). */
function programPid(s: PtySession): number {
  return s.pid;
}

interface Result {
  /** The median of PAINTS launches. */
  firstPaintMs: number;
  firstPaintsMs: number[];
  idleCpuPct: number;
  /** The largest over the idle period. */
  rssMiB: number;
  /** At the end of the idle period, about 30 s after the first paint. */
  rssEndMiB: number;
  keyP50Ms: number;
  keyP95Ms: number;
}

/** One tool: its first paints (PAINTS launches, unless `paintsMs` already has them), then idle CPU, memory and keys. */
async function measure(label: string, start: () => PtySession, painted: (screen: string) => boolean, moveKey: string, paintsMs?: number[]): Promise<Result> {
  process.stderr.write(`bench: ${label}: ${paintsMs ? '' : `first paint (${PAINTS} launches)… `}`);
  // The last launch stays for the idle period and the keys.
  const firstPaintsMs = paintsMs ? [...paintsMs] : await paints(start, painted, PAINTS - 1);
  const t0 = performance.now();
  const s = start();
  await s.waitFor(painted, 30_000, 2);
  if (!paintsMs) firstPaintsMs.push(performance.now() - t0);
  const firstPaintMs = pct(firstPaintsMs, 50);
  process.stderr.write(`${paintsMs ? '' : `${firstPaintsMs.map((x) => x.toFixed(0)).join(' ')} ms (median ${firstPaintMs.toFixed(0)}); `}idle ${IDLE_S} s… `);
  await new Promise((r) => setTimeout(r, 2000));
  const pid = programPid(s);
  const c0 = cpuTicks(pid);
  const w0 = performance.now();
  let rssMax = 0;
  let rssEnd = 0;
  const end = Date.now() + IDLE_S * 1000;
  while (Date.now() < end) {
    rssEnd = rssKiB(pid);
    rssMax = Math.max(rssMax, rssEnd);
    await new Promise((r) => setTimeout(r, 1000));
  }
  const idleCpuPct = (((cpuTicks(pid) - c0) / TICK) * 1000 * 100) / (performance.now() - w0);
  process.stderr.write(`${idleCpuPct.toFixed(2)}% CPU; ${KEYS} key presses… `);
  const lat: number[] = [];
  for (let i = 0; i < KEYS; i++) {
    // Text and highlights: moving the selection may change only where the inverse row is.
    const before = await s.look();
    const t = performance.now();
    s.type(i % 20 < 10 ? moveKey : moveKey === 'j' ? 'k' : moveKey);
    await s.waitLookChange(before, 5000);
    lat.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 30));
  }
  process.stderr.write('done\n');
  await s.dispose();
  return { firstPaintMs, firstPaintsMs, idleCpuPct, rssMiB: rssMax / 1024, rssEndMiB: rssEnd / 1024, keyP50Ms: pct(lat, 50), keyP95Ms: pct(lat, 95) };
}

const hostUptime = () => Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);

/** The uptime marks of the flood lines in `text` (each line starts with the host's uptime when printed). */
const floodMarks = (text: string): number[] => [...text.matchAll(/(\d+\.\d\d) \d+ flood line/g)].map((m) => Number(m[1]));

/** A flood line with the log panel's time column before it ("12-03 14:59:01.123 "). */
const STAMPED = /\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} +\d+\.\d\d \d+ flood line/;

interface FloodResult extends RssSummary {
  keyP50Ms?: number;
  keyP95Ms?: number;
  lagP50Ms: number;
  lagP95Ms: number;
  cpuPct: number;
  lines: number;
}

/**
 * A container printing as fast as it can while its log is on screen. Every line carries the
 * host's uptime when it was printed, so the newest line on screen says how old it is.
 */
async function flood(label: string, s: PtySession, keys: boolean): Promise<FloodResult> {
  process.stderr.write(`bench: ${label}: log flood for ${FLOOD_S} s… `);
  if (keys) {
    // Keys to the log panel (Enter), where t toggles the time column.
    s.type('\r');
    await s.waitFor((scr) => scr.includes('Esc back'), 5000, 1).catch(() => undefined);
  }
  const pid = programPid(s);
  const c0 = cpuTicks(pid);
  const t0 = performance.now();
  const rss: { t: number; kib: number }[] = [];
  const lag: number[] = [];
  const lat: number[] = [];
  const end = Date.now() + FLOOD_S * 1000;
  let n = 0;
  while (Date.now() < end) {
    n++;
    rss.push({ t: performance.now() - t0, kib: rssKiB(pid) });
    const screen = await s.screen();
    const now = hostUptime();
    // (Beside the list on a wide screen, so not at the start of a row.)
    const marks = floodMarks(screen);
    if (marks.length) lag.push((now - Math.max(...marks)) * 1000);
    if (keys && n % 2 === 0) {
      // A key that changes the screen in a known way and keeps the log on it (the flood drawn the
      // whole time): t shows each line's time, t again hides it.
      for (const want of [true, false]) {
        const t = performance.now();
        s.type('t');
        await s.waitFor((scr) => STAMPED.test(scr) === want, 5000, 1).catch(() => undefined);
        lat.push(performance.now() - t);
      }
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  const cpuPct = (((cpuTicks(pid) - c0) / TICK) * 1000 * 100) / (performance.now() - t0);
  const out: FloodResult = {
    lagP50Ms: pct(lag, 50),
    lagP95Ms: pct(lag, 95),
    ...rssSummary(rss, performance.now() - t0),
    cpuPct,
    lines: lag.length,
  };
  if (keys) {
    out.keyP50Ms = pct(lat, 50);
    out.keyP95Ms = pct(lat, 95);
  }
  process.stderr.write(`lag p95 ${out.lagP95Ms.toFixed(0)} ms, RSS ${out.rssFirstMinMiB.toFixed(0)} → ${out.rssLastMinMiB.toFixed(0)} MiB\n`);
  return out;
}

/** The newest flood line's mark in the last few KiB of a file (the uptime it was printed at), or undefined. */
function newestMark(file: string): number | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    const buf = Buffer.alloc(Math.min(size, 8192));
    readSync(fd, buf, 0, buf.length, size - buf.length);
    const marks = floodMarks(buf.toString('latin1'));
    return marks.length ? Math.max(...marks) : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The engine's own follow under the same flood, no terminal: `docker logs -f` (Docker's own
 * client) writing into a file, the newest line in the file read twice a second. What no client
 * can be ahead of; undefined when there is no docker CLI. The file grows by ~10 MB a second of
 * the flood (a few hundred MB in all) and is removed after.
 */
async function engineFollow(dsock: string, name: string, seconds: number): Promise<{ lagP50Ms: number; lagP95Ms: number } | undefined> {
  if (spawnSync('docker', ['--version'], { stdio: 'ignore' }).status !== 0) return undefined;
  process.stderr.write(`bench: docker logs -f for ${seconds} s… `);
  const file = `${ROOT}.gantry-test/bench-follow.log`;
  const out = openSync(file, 'w');
  const child = spawn('docker', ['logs', '-f', '--tail', '0', name], { stdio: ['ignore', out, out], env: { ...process.env, DOCKER_HOST: `unix://${dsock}` } });
  closeSync(out);
  const lag: number[] = [];
  const end = Date.now() + seconds * 1000;
  await new Promise((r) => setTimeout(r, 1000));
  while (Date.now() < end) {
    const mark = newestMark(file);
    if (mark !== undefined) lag.push((hostUptime() - mark) * 1000);
    await new Promise((r) => setTimeout(r, 500));
  }
  child.kill();
  await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(undefined) : child.once('exit', r)));
  rmSync(file, { force: true });
  if (lag.length === 0) {
    process.stderr.write('no flood line came through docker logs -f (left out)\n');
    return undefined;
  }
  const r = { lagP50Ms: pct(lag, 50), lagP95Ms: pct(lag, 95) };
  process.stderr.write(`lag p50 ${r.lagP50Ms.toFixed(0)} ms, p95 ${r.lagP95Ms.toFixed(0)} ms\n`);
  return r;
}

/** Key → screen latency (move the selection) with MANY containers listed. */
async function manyKeys(s: PtySession, painted: (scr: string) => boolean): Promise<{ firstPaintMs: number; keyP50Ms: number; keyP95Ms: number }> {
  const t0 = performance.now();
  // A tool that never shows the list is a result (no figures), not the end of the bench.
  const shown = await s.waitFor(painted, 60_000, 5).then(
    () => true,
    () => false,
  );
  if (!shown) {
    process.stderr.write('no list within 60 s… ');
    await s.dispose();
    return { firstPaintMs: NaN, keyP50Ms: NaN, keyP95Ms: NaN };
  }
  const firstPaintMs = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 2000));
  const lat: number[] = [];
  for (let i = 0; i < KEYS; i++) {
    // Text and highlights: moving the selection may change only where the inverse row is.
    const before = await s.look();
    const t = performance.now();
    s.type(i % 20 < 10 ? 'j' : 'k');
    await s.waitLookChange(before, 5000);
    lat.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 30));
  }
  await s.dispose();
  return { firstPaintMs, keyP50Ms: pct(lat, 50), keyP95Ms: pct(lat, 95) };
}

/**
 * The frame costs, drawn in a node of their own with bin/gantry's V8 settings (its flags, and the
 * tiering threshold it sets on Node 20): which of V8's tiers runs the code is part of what a frame
 * costs. The bench itself runs without them, so that its terminal emulator reads both tools'
 * screens as fast.
 */
function framesAsGantryRuns(): FrameCosts {
  const r = spawnSync(process.execPath, [...LAUNCHER_FLAGS, fileURLToPath(import.meta.url)], {
    env: { ...process.env, BENCH_FRAMES_CHILD: '1' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`the frame costs' node exited with ${r.status ?? r.signal}`);
  return JSON.parse(r.stdout) as FrameCosts;
}

async function main() {
  if (process.env.BENCH_FRAMES_CHILD) {
    if (Number(process.versions.node.split('.')[0]) === 20) setFlagsFromString(TIERING);
    process.stdout.write(JSON.stringify(await frameCosts(160, 45)));
    process.exit(0);
  }
  let frames: FrameCosts | undefined;
  if (PARTS.has('frames')) {
    process.stderr.write(`bench: frame costs at 160×45, in a node with bin/gantry's V8 settings (${[...LAUNCHER_FLAGS, TIERING].join(' ')})… `);
    frames = framesAsGantryRuns();
    process.stderr.write('done\n');
  }
  if (![...PARTS].some((p) => p !== 'frames')) {
    if (frames) console.log(frameTable(frames).join('\n'));
    return;
  }
  const envOut = sh('bash', [`${ROOT}scripts/engines.sh`, 'start']);
  const dsock = /GANTRY_TEST_DOCKER_SOCK=(\S+)/.exec(envOut)![1]!;
  const docker = new Docker({ socketPath: dsock });
  process.stderr.write('bench: creating 30 containers (20 running and logging, 10 exited)\n');
  const names: string[] = [];
  for (let i = 0; i < 30; i++) {
    const running = i < 20;
    const name = `bench-${running ? 'run' : 'exit'}-${String(i).padStart(2, '0')}`;
    names.push(name);
    // Left by a run that was stopped part-way.
    await docker.getContainer(name).remove({ force: true }).catch(() => undefined);
    const c = await docker.createContainer({
      name,
      Image: 'busybox:latest',
      Cmd: running ? ['sh', '-c', 'while true; do echo "step $(date +%s) loss 0.42"; sleep 1; done'] : ['true'],
      HostConfig: { NetworkMode: 'none' },
    });
    await c.start();
    if (!running) await c.wait();
  }
  const painted = (scr: string) => names.slice(0, 10).filter((n) => scr.includes(n)).length >= 5;
  const results: Record<string, Result> = {};
  let codeCache: { cold: number[]; warm: number[] } | undefined;
  let withGpu = NaN;
  let withoutGpu = NaN;
  let alternated: { gantry: number[]; lazydocker: number[] } | undefined;
  if (PARTS.has('basic')) {
  codeCache = await coldAndWarm(dsock, painted);
  const lazydocker = () => new PtySession(LAZYDOCKER, [], { cols: 160, rows: 45, env: { DOCKER_HOST: `unix://${dsock}` } });
  // The two tools' first paints alternate, one launch each in turn, so that the machine's drift
  // over the minutes between them (lazydocker's own median has moved 196–290 ms from run to run)
  // weighs on both alike.
  if (existsSync(LAZYDOCKER)) {
    process.stderr.write(`bench: first paint, gantry and lazydocker alternating (${PAINTS} launches each)… `);
    alternated = { gantry: [], lazydocker: [] };
    for (let i = 0; i < PAINTS; i++) {
      alternated.gantry.push(...(await paints(() => gantryOnLoggers(dsock), painted, 1)));
      alternated.lazydocker.push(...(await paints(lazydocker, painted, 1)));
    }
    const line = (xs: number[]) => `${xs.map((x) => x.toFixed(0)).join(' ')} (median ${pct(xs, 50).toFixed(0)})`;
    process.stderr.write(`${line(alternated.gantry)} / ${line(alternated.lazydocker)} ms\n`);
  }
  results.gantry = await measure('gantry', () => gantryOnLoggers(dsock), painted, 'j', alternated?.gantry);
  // What GPU polling at 1 s costs gantry itself: the same idle period with and without it.
  const gpuCost = async (args: string[]) => {
    const s = gantryOnLoggers(dsock, args);
    await s.waitFor(painted, 30_000, 2);
    await new Promise((r) => setTimeout(r, 2000));
    const c0 = cpuTicks(s.pid);
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, GPU_S * 1000));
    const pctUsed = (((cpuTicks(s.pid) - c0) / TICK) * 1000 * 100) / (performance.now() - t0);
    await s.dispose();
    return pctUsed;
  };
  process.stderr.write(`bench: gantry CPU with and without GPU polling, ${GPU_S} s each, twice, alternating… `);
  const readings: { with: number[]; without: number[] } = { with: [], without: [] };
  for (let i = 0; i < 2; i++) {
    readings.with.push(await gpuCost(['--nvidia-smi', FAKE_SMI]));
    readings.without.push(await gpuCost(['--no-gpu']));
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  withGpu = mean(readings.with);
  withoutGpu = mean(readings.without);
  process.stderr.write(`(with ${readings.with.map((x) => x.toFixed(2)).join(', ')}; without ${readings.without.map((x) => x.toFixed(2)).join(', ')}) `);
  process.stderr.write(`${withGpu.toFixed(2)}% / ${withoutGpu.toFixed(2)}%\n`);
  if (existsSync(LAZYDOCKER)) {
    results.lazydocker = await measure('lazydocker', lazydocker, painted, 'j', alternated?.lazydocker);
  } else {
    process.stderr.write(`bench: no lazydocker at ${LAZYDOCKER} (set LAZYDOCKER): gantry only\n`);
  }
  }
  let soaked: SoakResult | undefined;
  if (PARTS.has('soak')) {
    const s = gantryOnLoggers(dsock);
    await s.waitFor(painted, 30_000, 2);
    soaked = await soak(s);
    await s.dispose();
  }
  // The log flood: one container printing as fast as it can, its log on screen.
  for (const n of names) await docker.getContainer(n).remove({ force: true }).catch(() => undefined);
  await docker.getContainer('aaa-flood').remove({ force: true }).catch(() => undefined);
  const floods: Record<string, FloodResult> = {};
  let engineFollowed: { lagP50Ms: number; lagP95Ms: number } | undefined;
  if (PARTS.has('flood')) {
    const fc = await docker.createContainer({
      name: 'aaa-flood',
      Image: 'busybox:latest',
      Cmd: ['awk', 'BEGIN { while (1) { getline u < "/proc/uptime"; close("/proc/uptime"); split(u, f, " "); for (i = 0; i < 200; i++) print f[1], i, "flood line: the quick brown fox jumps over the lazy dog 0123456789" } }'],
      HostConfig: { NetworkMode: 'none' },
    });
    await fc.start();
    {
      const s = PtySession.gantry(['--host', `unix://${dsock}`, '--no-gpu'], { cols: 160, rows: 45, env: { XDG_CACHE_HOME: BENCH_CACHE } });
      await s.waitFor(/\d+ flood line/, 30_000, 5);
      floods.gantry = await flood('gantry', s, true);
      await s.dispose();
    }
    if (existsSync(LAZYDOCKER)) {
      const s = new PtySession(LAZYDOCKER, [], { cols: 160, rows: 45, env: { DOCKER_HOST: `unix://${dsock}` } });
      await s.waitFor(/\d+ flood line/, 30_000, 5).catch(() => undefined);
      floods.lazydocker = await flood('lazydocker', s, false);
      await s.dispose();
    }
    engineFollowed = await engineFollow(dsock, 'aaa-flood', Math.min(FLOOD_S, 30));
    await fc.remove({ force: true });
  }

  // Many containers: created, not started (the list is what is measured).
  let many: Record<string, { firstPaintMs: number; keyP50Ms: number; keyP95Ms: number }> = {};
  if (PARTS.has('many') && MANY > 0) {
    process.stderr.write(`bench: creating ${MANY} containers… `);
    const manyNames: string[] = [];
    for (let i = 0; i < MANY; i += 20) {
      await Promise.all(
        Array.from({ length: Math.min(20, MANY - i) }, (_, k) => {
          const name = `bench-many-${String(i + k).padStart(4, '0')}`;
          manyNames.push(name);
          return docker.createContainer({ name, Image: 'busybox:latest', Cmd: ['true'], HostConfig: { NetworkMode: 'none' } });
        }),
      );
    }
    process.stderr.write('measuring… ');
    const paintedMany = (scr: string) => /bench-many-0\d{3}/.test(scr);
    // As a user's starts (but a build's first): with the code cache (the basic part saved it, or this start does).
    await saveCodeCache(() => PtySession.gantry(['--host', `unix://${dsock}`, '--no-gpu'], { cols: 160, rows: 45, env: { XDG_CACHE_HOME: BENCH_CACHE } }), paintedMany);
    many.gantry = await manyKeys(PtySession.gantry(['--host', `unix://${dsock}`, '--no-gpu'], { cols: 160, rows: 45, env: { XDG_CACHE_HOME: BENCH_CACHE } }), paintedMany);
    if (existsSync(LAZYDOCKER)) many.lazydocker = await manyKeys(new PtySession(LAZYDOCKER, [], { cols: 160, rows: 45, env: { DOCKER_HOST: `unix://${dsock}` } }), paintedMany);
    process.stderr.write('removing… ');
    for (let i = 0; i < manyNames.length; i += 20) await Promise.all(manyNames.slice(i, i + 20).map((n) => docker.getContainer(n).remove({ force: true }).catch(() => undefined)));
    process.stderr.write('done\n');
  }
  sh('bash', [`${ROOT}scripts/engines.sh`, 'stop']);

  const g = results.gantry;
  const l = results.lazydocker;
  const rows: [string, Exclude<keyof Result, 'firstPaintsMs'>, string, string][] = [
    [`first paint, 30 containers (median of ${PAINTS} launches${alternated ? ', the two tools alternating' : ''})`, 'firstPaintMs', 'ms', '≤ 1.2× lazydocker'],
    [`CPU (${IDLE_S} s, 20 logging, log panel following one, GPU polling)`, 'idleCpuPct', '%', '≤ 0.5× lazydocker and ≤ 1 %'],
    [`resident memory after ${IDLE_S} s`, 'rssEndMiB', 'MiB', '≤ 60 MiB'],
    [`resident memory (max over ${IDLE_S} s)`, 'rssMiB', 'MiB', '≤ 60 MiB'],
    ['key → screen p50', 'keyP50Ms', 'ms', ''],
    ['key → screen p95', 'keyP95Ms', 'ms', '≤ 50 ms'],
  ];
  const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(2));
  const lines = [
    `machine: ${sh('nproc', []).trim()} cores, node ${process.version}, ${new Date().toISOString()}`,
    ...(g ? [`| measure | gantry | lazydocker | ratio | target |`, `| --- | --- | --- | --- | --- |`] : []),
    ...(!g ? [] : rows).map(([name, k, unit, target]) => {
      if (!g) return '';
      const gv = g[k];
      const lv = l?.[k];
      return `| ${name} | ${fmt(gv)} ${unit} | ${lv === undefined ? '-' : `${fmt(lv)} ${unit}`} | ${lv ? (gv / lv).toFixed(2) + '×' : '-'} | ${target} |`;
    }),
  ];
  if (g) lines.push(
    '',
    ...(codeCache
      ? [
          `First paint, 30 containers, without / with the code cache (a build's first start / every later one), alternating, median of ${PAINTS} each: ${fmt(pct(codeCache.cold, 50))} / ${fmt(pct(codeCache.warm, 50))} ms`,
          '',
        ]
      : []),
    `GPU polling at 1 s (nvidia-smi stand-in, loop mode, figures changing every sample), gantry's own CPU, mean of two ${GPU_S} s readings each: ${withGpu.toFixed(2)} % with, ${withoutGpu.toFixed(2)} % without (--no-gpu): ${(withGpu - withoutGpu).toFixed(2)} points (target ≤ 0.3 points)`,
  );
  if (frames) lines.push('', ...frameTable(frames));
  const fg = floods.gantry;
  const fl = floods.lazydocker;
  const f2 = (v: number | undefined, unit: string) => (v === undefined || Number.isNaN(v) ? '-' : `${fmt(v)} ${unit}`);
  if (fg) lines.push(
    '',
    `Log flood (${FLOOD_S} s, one container printing as fast as it can, its log on screen):`,
    `| measure | gantry | lazydocker | target |`,
    `| --- | --- | --- | --- |`,
    `| key → screen p50 / p95 (t: the time column on / off, the log drawn throughout) | ${f2(fg.keyP50Ms, 'ms')} / ${f2(fg.keyP95Ms, 'ms')} | - | p95 ≤ 100 ms |`,
    `| newest line on screen, age p50 / p95 | ${f2(fg.lagP50Ms, 'ms')} / ${f2(fg.lagP95Ms, 'ms')} | ${fl ? `${f2(fl.lagP50Ms, 'ms')} / ${f2(fl.lagP95Ms, 'ms')}` : '-'} | ≤ 200 ms |`,
    `| resident memory, first minute → last minute (max) | ${f2(fg.rssFirstMinMiB, 'MiB')} → ${f2(fg.rssLastMinMiB, 'MiB')} (${f2(fg.rssMaxMiB, 'MiB')}) | ${fl ? `${f2(fl.rssFirstMinMiB, 'MiB')} → ${f2(fl.rssLastMinMiB, 'MiB')} (${f2(fl.rssMaxMiB, 'MiB')})` : '-'} | flat |`,
    `| CPU | ${f2(fg.cpuPct, '%')} | ${fl ? f2(fl.cpuPct, '%') : '-'} | |`,
    ...(engineFollowed
      ? [`The engine's own follow, same flood, no terminal (\`docker logs -f\` into a file, ${Math.min(FLOOD_S, 30)} s): newest line's age p50 / p95 ${f2(engineFollowed.lagP50Ms, 'ms')} / ${f2(engineFollowed.lagP95Ms, 'ms')}.`]
      : []),
  );
  if (many.gantry) {
    const mg = many.gantry;
    const ml = many.lazydocker;
    lines.push(
      '',
      `${MANY} containers:`,
      `| measure | gantry | lazydocker | target |`,
      `| --- | --- | --- | --- |`,
      `| first paint | ${fmt(mg.firstPaintMs)} ms | ${ml ? `${fmt(ml.firstPaintMs)} ms` : '-'} | |`,
      `| key → screen p50 / p95 | ${fmt(mg.keyP50Ms)} / ${fmt(mg.keyP95Ms)} ms | ${ml ? `${fmt(ml.keyP50Ms)} / ${fmt(ml.keyP95Ms)} ms` : '-'} | p95 ≤ 50 ms |`,
    );
  }
  if (soaked) lines.push(
    '',
    `Soak (${soaked.seconds.toFixed(0)} s, 20 containers logging, log panel following one, GPU polling):`,
    `| measure | gantry | target |`,
    `| --- | --- | --- |`,
    `| resident memory, first minute → last minute | ${f2(soaked.rssFirstMinMiB, 'MiB')} → ${f2(soaked.rssLastMinMiB, 'MiB')} | flat, ≤ 60 MiB |`,
    `| resident memory (max) | ${f2(soaked.rssMaxMiB, 'MiB')} | ≤ 60 MiB |`,
    `| CPU | ${f2(soaked.cpuPct, '%')} | ≤ 1 % |`,
  );
  console.log(lines.join('\n'));
  writeFileSync(
    `${ROOT}bench-results.json`,
    JSON.stringify({ date: new Date().toISOString(), idleSeconds: IDLE_S, frames, results, codeCache, gpuPolling: { seconds: GPU_S, withPct: withGpu, withoutPct: withoutGpu }, flood: { seconds: FLOOD_S, ...floods, engineFollow: engineFollowed }, soak: soaked, many: { count: MANY, ...many } }, null, 2),
  );
  console.log(`\n(JSON: ${ROOT}bench-results.json; gantry is ${GANTRY})`);
}

await main();
