// The loop-mode monitor, driven by the nvidia-smi stand-in that replays the real captures.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GpuMonitor, type GpuSnapshot } from '../../src/gpu/monitor.js';
import { ROOT } from '../helpers/pty.js';

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
});

function start(binary: string, intervalMs = 200) {
  const snaps: GpuSnapshot[] = [];
  const m = new GpuMonitor({ binary, intervalMs, onUpdate: (s) => snaps.push(s) });
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

/** This worker's own stand-in children: other test files (and other checkouts) run their own at the same time. */
function fakeChildren(): number {
  try {
    return execFileSync('pgrep', ['-P', String(process.pid), '-f', 'fake-nvidia-smi --query'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
}

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
    execFileSync('pkill', ['-P', String(process.pid), '-f', 'fake-nvidia-smi --query-gpu']);
    await until(() => last()?.status.state === 'failed');
    await until(() => fakeChildren() === before + 2 && last()?.status.state === 'ok', 10_000, () => `${fakeChildren()} stand-ins running (want ${before + 2}), status ${JSON.stringify(last()?.status)}`);
    m.stop();
    await until(() => fakeChildren() === before, 5000);
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
