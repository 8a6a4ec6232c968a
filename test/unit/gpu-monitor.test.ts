// The loop-mode monitor, driven by the nvidia-smi stand-in that replays the real captures.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GpuMonitor, type GpuSnapshot } from '../../src/gpu/monitor.js';
import { ROOT } from '../helpers/pty.js';
import { descendsFrom, pidsWhere } from '../helpers/procs.js';

const FAKE = `${ROOT}test/helpers/fake-nvidia-smi`;
let monitors: GpuMonitor[] = [];
afterEach(async () => {
  for (const m of monitors) m.stop();
  monitors = [];
  // Stopped children take a moment to exit (longer on a loaded machine): the next test counts from none.
  await until(() => fakeChildren() === 0, 10_000, () => `${fakeChildren()} stand-ins still running`);
  delete process.env.FAKE_NVIDIA_SMI_PROCS;
  delete process.env.FAKE_NVIDIA_SMI_PROFILE;
  delete process.env.FAKE_NVIDIA_SMI_PROCS_FILE;
  delete process.env.FAKE_NVIDIA_SMI_PROFILE_FILE;
  delete process.env.FAKE_NVIDIA_SMI_MODE;
  delete process.env.FAKE_NVIDIA_SMI_MODE_FILE;
  delete process.env.FAKE_NVIDIA_SMI_SET;
});

function start(binary: string, intervalMs = 200, extra: { stallMs?: number; startMs?: number } = {}) {
  const snaps: GpuSnapshot[] = [];
  const m = new GpuMonitor({ binary, intervalMs, onUpdate: (s) => snaps.push(s), ...extra });
  monitors.push(m);
  m.start();
  return { m, snaps, last: () => snaps[snaps.length - 1] };
}

async function until(cond: () => boolean, ms = 8000, state?: () => string) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms${state ? `: ${state()}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Pids of the stand-ins (node FAKE QUERY…) that descend from this worker, under their keepers:
 * other test files (and other checkouts) run their own at the same time.
 */
const fakes = (query = '--query'): number[] =>
  pidsWhere((argv) => argv[1] === FAKE && argv[2]?.startsWith(query) === true).filter((p) => descendsFrom(p, process.pid));

const fakeChildren = () => fakes().length;

describe('GpuMonitor', () => {
  it('reads GPUs and processes from the loop children', async () => {
    const { last } = start(FAKE);
    await until(() => (last()?.gpus.length ?? 0) === 1 && (last()?.processes.length ?? 0) === 2);
    expect(last()!.status).toEqual({ state: 'ok' });
    expect(last()!.gpus[0]).toMatchObject({ index: 0, name: 'NVIDIA H100 80GB HBM3', memoryUsedMiB: 16795, utilizationPct: 100 });
    expect(last()!.processes.map((p) => p.pid).sort()).toEqual([424, 425]);
  });

  it('groups the four GPUs of one sample together', async () => {
    process.env.FAKE_NVIDIA_SMI_PROFILE = 'rtx4';
    process.env.FAKE_NVIDIA_SMI_PROCS = '';
    const { snaps } = start(FAKE);
    await until(() => snaps.filter((s) => s.gpus.length > 0).length >= 3);
    for (const s of snaps.filter((x) => x.gpus.length > 0)) expect(s.gpus.map((g) => g.index)).toEqual([0, 1, 2, 3]);
  });

  it('expires a process that stops being reported (loop mode prints nothing for it)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gantry-smi-')), 'procs');
    writeFileSync(file, '4242:0:2566');
    process.env.FAKE_NVIDIA_SMI_PROCS_FILE = file;
    const { m } = start(FAKE, 150);
    await until(() => m.snapshot().processes.some((p) => p.pid === 4242));
    writeFileSync(file, '');
    const gone = Date.now();
    await until(() => !m.snapshot().processes.some((p) => p.pid === 4242), 3000);
    // Not before two intervals without it (one missed sample is not an exit).
    expect(Date.now() - gone).toBeGreaterThanOrEqual(150);
  });

  it('follows GPUs added and gone', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gantry-smi-')), 'profile');
    writeFileSync(file, 'h100-busy');
    process.env.FAKE_NVIDIA_SMI_PROFILE_FILE = file;
    process.env.FAKE_NVIDIA_SMI_PROCS = '';
    const { m } = start(FAKE, 150);
    await until(() => m.snapshot().gpus.length === 1);
    writeFileSync(file, 'rtx4');
    await until(() => m.snapshot().gpus.length === 4);
    expect(m.snapshot().gpus.map((g) => g.index)).toEqual([0, 1, 2, 3]);
    writeFileSync(file, 'h100-idle');
    await until(() => m.snapshot().gpus.length === 1 && m.snapshot().gpus[0]!.name === 'NVIDIA H100 80GB HBM3');
  });

  it('says nvidia-smi is missing, with what to do', async () => {
    const { last } = start('/nonexistent/nvidia-smi');
    await until(() => last()?.status.state === 'missing');
    expect((last()!.status as { message: string }).message).toMatch(/nvidia-smi not found.*--nvidia-smi PATH.*--no-gpu/);
  });

  it('says a path that is not an executable file is not one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gantry-smi-'));
    const bin = join(dir, 'nvidia-smi');
    writeFileSync(bin, 'not a program\n');
    for (const path of [bin, dir]) {
      const { m, last } = start(path);
      await until(() => last()?.status.state === 'failed');
      expect((last()!.status as { message: string }).message).toBe(`nvidia-smi stopped ("${path}: not an executable file"); restarting`);
      m.stop();
    }
  });

  it("reports a failing driver in nvidia-smi's words and keeps retrying", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gantry-smi-'));
    const bin = join(dir, 'nvidia-smi');
    writeFileSync(bin, `#!/bin/sh\nFAKE_NVIDIA_SMI_FAIL=driver exec ${FAKE} "$@"\n`);
    chmodSync(bin, 0o755);
    const { last } = start(bin);
    await until(() => last()?.status.state === 'failed');
    expect((last()!.status as { message: string }).message).toContain("couldn't communicate with the NVIDIA driver");
  });

  it('restarts a child that dies, and stop leaves no child behind', async () => {
    const before = fakeChildren();
    const { m, last } = start(FAKE);
    await until(() => (last()?.gpus.length ?? 0) > 0);
    expect(fakeChildren()).toBe(before + 2);
    // The nvidia-smi process itself dies (its keeper passes the exit on).
    for (const pid of fakes('--query-gpu')) process.kill(pid, 'SIGTERM');
    await until(() => last()?.status.state === 'failed');
    await until(() => fakeChildren() === before + 2 && last()?.status.state === 'ok', 10_000, () => `${fakeChildren()} stand-ins running (want ${before + 2}), status ${JSON.stringify(last()?.status)}`);
    m.stop();
    await until(() => fakeChildren() === before, 5000);
  });
});

describe('GpuMonitor with a broken driver', () => {
  const message = (s: GpuSnapshot | undefined) => (s?.status as { message?: string } | undefined)?.message ?? '';
  const modeFile = (mode: string) => {
    const file = join(mkdtempSync(join(tmpdir(), 'gantry-smi-')), 'mode');
    writeFileSync(file, mode);
    process.env.FAKE_NVIDIA_SMI_MODE_FILE = file;
    return file;
  };
  // Silence after a first line counts fast; a stand-in that never prints a whole line is given
  // little time too. Tests of what is printed keep the defaults: a loaded machine starts node slowly.
  const fast = { stallMs: 800, startMs: 1500 };
  const stallFast = { stallMs: 800 };

  it('says a hung nvidia-smi is not answering, counting on, and restarts it with backoff', async () => {
    process.env.FAKE_NVIDIA_SMI_MODE = 'hang';
    const before = fakeChildren();
    const { m, snaps, last } = start(FAKE, 200, fast);
    await until(() => /^nvidia-smi is not answering \(\d+ s\); restarting it$/.test(message(last())));
    const first = Number(/\((\d+) s\)/.exec(message(last()))![1]);
    expect(first).toBeGreaterThanOrEqual(1);
    // It counts on while nvidia-smi stays silent, through a restart (a new child, also hung).
    await until(() => Number(/\((\d+) s\)/.exec(message(last()))?.[1]) >= first + 2, 10_000);
    expect(snaps.every((s) => s.gpus.length === 0)).toBe(true);
    m.stop();
    // The hung children ignore SIGTERM: the monitor killed them, none is left behind.
    await until(() => fakeChildren() <= before, 8000);
  });

  it('says what a half-printed line was, and never shows it as a GPU', async () => {
    process.env.FAKE_NVIDIA_SMI_MODE = 'half-line';
    // Time enough for node to start and print the half line on a loaded machine.
    const { snaps, last } = start(FAKE, 200, { startMs: 5000 });
    await until(() => message(last()).startsWith('nvidia-smi is not answering'), 20_000);
    expect(message(last())).toMatch(/^nvidia-smi is not answering \(\d+ s, after printing only "0, GPU-bf772438-3350-a5f5-dafd-d10d84c57272, NVIDIA H100[^"]*"\); restarting it$/);
    expect(snaps.every((s) => s.gpus.length === 0)).toBe(true);
  });

  it('comes back when nvidia-smi answers again after a stall', async () => {
    const file = modeFile('stall');
    const { last } = start(FAKE, 200, stallFast);
    await until(() => message(last()).startsWith('nvidia-smi is not answering'));
    expect(last()!.gpus).toEqual([]);
    writeFileSync(file, '');
    await until(() => last()?.status.state === 'ok' && last()!.gpus.length === 1, 10_000);
  });

  it('never makes a sample of garbage rows: the status carries the row, its controls shown', async () => {
    process.env.FAKE_NVIDIA_SMI_MODE = 'garbage';
    process.env.FAKE_NVIDIA_SMI_PROCS = '';
    const { snaps, last } = start(FAKE, 200);
    await until(() => last()?.status.state === 'failed');
    expect(message(last())).toBe(
      'nvidia-smi printed a row gantry cannot read (memory.used is "^[]0;pwned^G^[[2J12x", not a number): "0, GPU-bf772438-3350-a5f5-dafd-d10d84c57272, NVIDIA H100 80GB HBM3, 81559, ^[]0;pwned^G^[[2J12x, 100, 60, 554.38, 700.00, Disabled"',
    );
    expect(snaps.every((s) => s.gpus.length === 0)).toBe(true);
  });

  it('rejects a process row of garbage too', async () => {
    process.env.FAKE_NVIDIA_SMI_MODE = 'garbage';
    process.env.FAKE_NVIDIA_SMI_PROCS = '4242:0:100:python3';
    const { m, last } = start(FAKE, 200);
    await until(() => /used_memory is "\^\[\[2Jlots"/.test(message(last())));
    expect(m.snapshot().processes).toEqual([]);
  });

  it('rejects values out of range: -5 % utilisation, over 100 %, more used than there is', async () => {
    process.env.FAKE_NVIDIA_SMI_MODE = 'out-of-range';
    let { snaps, last } = start(FAKE, 200);
    await until(() => last()?.status.state === 'failed');
    expect(message(last())).toMatch(/^nvidia-smi printed a row gantry cannot read \(utilization\.gpu is -5, outside 0–100\): "0, GPU-/);
    expect(snaps.every((s) => s.gpus.length === 0)).toBe(true);
    delete process.env.FAKE_NVIDIA_SMI_MODE;
    for (const [set, why] of [
      [{ 'utilization.gpu': '130' }, /utilization\.gpu is 130, outside 0–100/],
      [{ 'memory.used': '90000' }, /memory\.used 90000 MiB is more than memory\.total 81559 MiB/],
    ] as const) {
      process.env.FAKE_NVIDIA_SMI_SET = JSON.stringify(set);
      ({ snaps, last } = start(FAKE, 200));
      await until(() => last()?.status.state === 'failed');
      expect(message(last())).toMatch(why);
      expect(snaps.every((s) => s.gpus.length === 0)).toBe(true);
    }
  });
});

describe('gpuSignature', () => {
  it('is equal for the same sample at another time, and differs when anything shown changes', async () => {
    const { gpuSignature } = await import('../../src/gpu/monitor.js');
    const g = { index: 0, uuid: 'GPU-0', name: 'H100', memoryUsedMiB: 100, utilizationPct: 0, migEnabled: false };
    const a = { status: { state: 'ok' as const }, gpus: [g], processes: [{ pid: 1, gpuUuid: 'GPU-0', usedMemoryMiB: 50, processName: 'p', timestamp: 1 }], at: 1 };
    expect(gpuSignature({ ...a, at: 2, processes: [{ ...a.processes[0]!, timestamp: 2 }] })).toBe(gpuSignature(a));
    expect(gpuSignature({ ...a, gpus: [{ ...g, utilizationPct: 1 }] })).not.toBe(gpuSignature(a));
    expect(gpuSignature({ ...a, processes: [{ ...a.processes[0]!, usedMemoryMiB: 51 }] })).not.toBe(gpuSignature(a));
    expect(gpuSignature({ ...a, processes: [] })).not.toBe(gpuSignature(a));
  });
});
