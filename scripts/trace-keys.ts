// `node scripts/run-ts.mjs trace-keys`: where a key's time goes on its way to the screen. Runs
// gantry as the bench's basic part does (30 containers, 20 logging, the log panel open, GPUs
// through the nvidia-smi stand-in; TRACE_MANY=N: N created containers instead, no GPU;
// TRACE_FLOOD=1: one container printing as fast as it can, its log on screen, ? toggling help) with
// GANTRY_TRACE_KEYS, types j/k as the bench does, and lines gantry's trace up with the moments
// the key was sent and the change was seen on the emulated screen (both clocks are epoch ms).
// Needs the engines up (GANTRY_TEST_DOCKER_SOCK from scripts/engines.sh).
import Docker from 'dockerode';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PtySession, ROOT } from '../test/helpers/pty.js';

const KEYS = Number(process.env.TRACE_N ?? 40);
const MANY = Number(process.env.TRACE_MANY ?? 0);
const FLOOD = process.env.TRACE_FLOOD === '1';
const sock = process.env.GANTRY_TEST_DOCKER_SOCK;
if (!sock) throw new Error('GANTRY_TEST_DOCKER_SOCK is not set: start the engines (scripts/engines.sh)');
const docker = new Docker({ socketPath: sock });
const now = () => performance.timeOrigin + performance.now();

async function ensure(name: string, running: boolean): Promise<void> {
  const c = docker.getContainer(name);
  const info = await c.inspect().catch(() => undefined);
  if (!info) {
    const made = await docker.createContainer({
      name,
      Image: 'busybox:latest',
      Cmd: running ? ['sh', '-c', 'while true; do echo "step $(date +%s) loss 0.42"; sleep 1; done'] : ['true'],
      HostConfig: { NetworkMode: 'none' },
    });
    if (MANY) return;
    await made.start();
    if (!running) await made.wait();
  } else if (running && !info.State.Running) await c.start();
}

const names: string[] = [];
if (FLOOD) {
  names.push('aaa-trace-flood');
  await docker.getContainer('aaa-trace-flood').remove({ force: true }).catch(() => undefined);
  const c = await docker.createContainer({
    name: 'aaa-trace-flood',
    Image: 'busybox:latest',
    Cmd: ['awk', 'BEGIN { while (1) for (i = 0; i < 200; i++) print i, "flood line: the quick brown fox jumps over the lazy dog 0123456789" }'],
    HostConfig: { NetworkMode: 'none' },
  });
  await c.start();
} else if (MANY) {
  for (let i = 0; i < MANY; i += 20) {
    const batch = Array.from({ length: Math.min(20, MANY - i) }, (_, k) => `trace-many-${String(i + k).padStart(4, '0')}`);
    names.push(...batch);
    await Promise.all(batch.map((n) => ensure(n, false)));
  }
} else {
  for (let i = 0; i < 30; i++) names.push(`trace-${i < 20 ? 'run' : 'exit'}-${String(i).padStart(2, '0')}`);
  for (const [i, n] of names.entries()) await ensure(n, i < 20);
}

const dir = mkdtempSync(join(tmpdir(), 'gantry-trace-'));
const file = join(dir, 'keys.trace');
const args = ['--host', `unix://${sock}`, ...(MANY || FLOOD ? ['--no-gpu'] : ['--nvidia-smi', `${ROOT}test/helpers/fake-nvidia-smi`])];
const s = PtySession.gantry(args, { cols: 160, rows: 45, env: { GANTRY_TRACE_KEYS: file, FAKE_NVIDIA_SMI_PROFILE: 'rtx4' } });
await s.waitFor((scr) => (FLOOD ? /\d+ flood line/.test(scr) : names.slice(0, 10).filter((n) => scr.includes(n)).length >= 5), 30_000, 5);
await new Promise((r) => setTimeout(r, 3000));
const keys: { sent: number; seen: number }[] = [];
for (let i = 0; i < KEYS; i++) {
  const before = await s.screen();
  const sent = now();
  s.type(FLOOD ? '?' : i % 20 < 10 ? 'j' : 'k');
  // Under the flood the log changes all the time: the help opening or closing is the key's change.
  const help = before.includes('Keys — Esc');
  await s.waitFor((scr) => (FLOOD ? scr.includes('Keys — Esc') !== help : scr !== before), 5000, 1).catch(() => undefined);
  keys.push({ sent, seen: now() });
  await new Promise((r) => setTimeout(r, 30));
}
await s.dispose();
if (FLOOD) await docker.getContainer('aaa-trace-flood').remove({ force: true }).catch(() => undefined);

const events = readFileSync(file, 'utf8')
  .trim()
  .split('\n')
  .map((l) => {
    const [at, stage, ...rest] = l.split(' ');
    return { at: Number(at), stage: stage!, detail: rest.join(' ') };
  })
  // Collections are written when V8 reports them, after the moment they began.
  .sort((a, b) => a.at - b.at);
rmSync(dir, { recursive: true, force: true });

// Per key: the first of each stage after it was sent (and before the next key was sent).
const rows: Record<string, number>[] = [];
for (const [i, k] of keys.entries()) {
  const end = keys[i + 1]?.sent ?? Infinity;
  const mine = events.filter((e) => e.at >= k.sent && e.at < end);
  const first = (stage: string, after: number) => mine.find((e) => e.stage === stage && e.at >= after)?.at ?? NaN;
  const stdin = first('stdin', k.sent);
  const key = first('key', stdin);
  const dispatched = first('dispatched', key);
  const render = first('render', dispatched);
  const frame = first('frame', render);
  const write = first('write', dispatched);
  // Renders and frames between the key's arrival and its dispatch are other work the key waited on.
  const before = mine.filter((e) => e.at < stdin && e.stage === 'write').length;
  rows.push({
    'sent→stdin': stdin - k.sent,
    'stdin→key': key - stdin,
    'key→dispatched': dispatched - key,
    'dispatched→render': render - dispatched,
    'render→frame': frame - render,
    'frame→write': write - frame,
    'dispatched→write': write - dispatched,
    'write→seen': k.seen - write,
    total: k.seen - k.sent,
    // V8's collections that began while the key was on its way.
    'gc during key': mine.filter((e) => e.stage === 'gc' && e.at <= k.seen).reduce((n, e) => n + Number(e.detail.split(' ')[0]), 0),
    'writes before stdin': before,
  });
}
const pct = (xs: number[], p: number) => {
  const a = xs.filter((x) => !Number.isNaN(x)).sort((x, y) => x - y);
  return a[Math.min(a.length - 1, Math.floor((p / 100) * a.length))] ?? NaN;
};
console.log(`${KEYS} keys, ${FLOOD ? 'log flood' : MANY ? `${MANY} containers` : '30 containers'}; ms per stage (p50 / p95 / max):`);
for (const col of Object.keys(rows[0] ?? {})) {
  const xs = rows.map((r) => r[col]!);
  console.log(`  ${col.padEnd(20)} ${pct(xs, 50).toFixed(1).padStart(7)} ${pct(xs, 95).toFixed(1).padStart(7)} ${Math.max(...xs.filter((x) => !Number.isNaN(x))).toFixed(1).padStart(7)}`);
}
if (process.env.TRACE_RAW) {
  // Every traced stage of each key, ms from the moment it was sent; "seen" last.
  for (const [i, k] of keys.entries()) {
    const end = keys[i + 1]?.sent ?? Infinity;
    const mine = events.filter((e) => e.at >= k.sent && e.at < end);
    console.log(`key ${i}: ${mine.map((e) => `${(e.at - k.sent).toFixed(1)} ${e.stage}${e.detail ? `(${e.detail})` : ''}`).join(', ')}; seen ${(k.seen - k.sent).toFixed(1)}`);
  }
}
