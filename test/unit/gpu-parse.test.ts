import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorLine, num, parseAppLine, parseGpuLine, parseTimestamp } from '../../src/gpu/parse.js';
import { containerIdFromCgroup } from '../../src/gpu/cgroup.js';
import { gpuGrant, grantIndices } from '../../src/gpu/reservations.js';
import { attribute, usageByContainer } from '../../src/gpu/attribute.js';

const FIX = new URL('../fixtures/nvidia-smi/h100-580/', import.meta.url);
const fixture = (f: string) => readFileSync(new URL(f, FIX), 'utf8');
const H100 = 'GPU-bf772438-3350-a5f5-dafd-d10d84c57272';

describe('nvidia-smi values', () => {
  it('reads numbers with and without units, and every not-available form as undefined', () => {
    expect(num(' 16795 MiB')).toBe(16795);
    expect(num('100 %')).toBe(100);
    expect(num(' 554.38 W')).toBe(554.38);
    expect(num('60')).toBe(60);
    for (const na of ['[N/A]', 'N/A', '[Not Supported]', '[Insufficient Permissions]', '[Unknown Error]', '', ' ']) expect(num(na)).toBeUndefined();
  });
});

describe('GPU lines', () => {
  // The loop's own fields: index, uuid, name, memory.total, memory.used, utilization.gpu,
  // temperature.gpu, power.draw, power.limit, mig.mode.current. Rows built from the real captures.
  const row = (r: Record<string, string>) =>
    ['index', 'uuid', 'name', 'memory.total', 'memory.used', 'utilization.gpu', 'temperature.gpu', 'power.draw', 'power.limit', 'mig.mode.current'].map((k) => r[k]).join(', ');
  const real = (file: string) => {
    const [head, ...rows] = fixture(file).trim().split('\n');
    const names = head!.split(', ').map((h) => h.replace(/ \[.*\]$/, ''));
    return rows.map((r) => Object.fromEntries(r.split(', ').map((c, i) => [names[i]!, c])));
  };

  it('parses the busy H100 capture, units in the cells', () => {
    const s = parseGpuLine(row(real('query-gpu-busy.csv')[0]!));
    expect(s).toEqual({
      index: 0,
      uuid: H100,
      name: 'NVIDIA H100 80GB HBM3',
      memoryTotalMiB: 81559,
      memoryUsedMiB: 16795,
      utilizationPct: 100,
      temperatureC: 60,
      powerW: 554.38,
      powerLimitW: 700,
      migEnabled: false,
    });
  });

  it('parses the idle H100 capture', () => {
    const s = parseGpuLine(row(real('query-gpu-idle.csv')[0]!));
    expect(s).toMatchObject({ index: 0, memoryTotalMiB: 81559, utilizationPct: 0 });
    expect(s!.memoryUsedMiB).toBeLessThan(1000);
  });

  it('parses the nounits capture line as it is', () => {
    // query-gpu-busy-nounits.csv has the fixture's 17 fields: pick the loop's ten, in the loop's order.
    const cells = fixture('query-gpu-busy-nounits.csv').trim().split(', ');
    const line = [cells[0], cells[1], cells[2], cells[4], cells[5], cells[7], cells[9], cells[10], cells[11], cells[16]].join(', ');
    expect(parseGpuLine(line)).toMatchObject({ index: 0, memoryUsedMiB: 16795, utilizationPct: 100, powerW: 554.49, migEnabled: false });
  });

  it('handles MIG (no utilisation), N/A power and a header line', () => {
    const s = parseGpuLine(`1, ${H100}, NVIDIA H100 80GB HBM3, 81559, 2048, [N/A], 41, [Not Supported], [N/A], Enabled`);
    expect(s).toMatchObject({ index: 1, memoryUsedMiB: 2048, migEnabled: true, temperatureC: 41 });
    expect(s!.utilizationPct).toBeUndefined();
    expect(s!.powerW).toBeUndefined();
    expect(parseGpuLine('index, uuid, name, memory.total [MiB], memory.used [MiB], utilization.gpu [%], temperature.gpu, power.draw [W], power.limit [W], mig.mode.current')).toBeUndefined();
    expect(parseGpuLine('')).toBeUndefined();
    expect(parseGpuLine('garbage')).toBeUndefined();
  });
});

describe('compute process lines', () => {
  it('parses a loop line with timestamp, and names with ? or commas', () => {
    const p = parseAppLine(`2026/11/22 10:00:01.250, 424, ${H100}, 13124, python3`);
    expect(p).toMatchObject({ pid: 424, gpuUuid: H100, usedMemoryMiB: 13124, processName: 'python3' });
    expect(p!.timestamp).toBe(new Date(2026, 10, 22, 10, 0, 1, 250).getTime());
    expect(parseAppLine(`2026/11/22 10:00:01.250, 7, ${H100}, [N/A], /opt/?/train, v2`)).toMatchObject({ processName: '/opt/?/train, v2' });
    expect(parseAppLine(`2026/11/22 10:00:01.250, 7, ${H100}, [N/A], x`)!.usedMemoryMiB).toBeUndefined();
  });
  it('sees the real captures: two processes on the busy H100', () => {
    const lines = fixture('query-apps-nounits.csv').trim().split('\n');
    // That capture is pid, process_name, gpu_uuid, used_memory: reorder into the loop's fields.
    const procs = lines.map((l) => {
      const [pid, name, uuid, mem] = l.split(', ');
      return parseAppLine(`2025/07/25 06:23:20.000, ${pid}, ${uuid}, ${mem}, ${name}`)!;
    });
    expect(procs.map((p) => [p.pid, p.usedMemoryMiB])).toEqual([
      [425, 3656],
      [424, 13124],
    ]);
  });
  it('reads the timestamp format', () => {
    expect(parseTimestamp('2026/01/02 03:04:05.6')).toBe(new Date(2026, 0, 2, 3, 4, 5, 600).getTime());
    expect(parseTimestamp('yesterday')).toBeUndefined();
  });
});

describe("nvidia-smi's errors", () => {
  it('recognises the real error lines', () => {
    expect(errorLine(fixture('loop/bad-field.txt').split('\n')[0]!)?.kind).toBe('bad-field');
    expect(errorLine(fixture('loop/bad-index.txt').split('\n')[0]!)?.kind).toBe('no-devices');
    expect(errorLine("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.")?.kind).toBe('driver');
    expect(errorLine(`0, ${H100}, x`)).toBeUndefined();
  });
});

describe('cgroup → container', () => {
  const id = 'a'.repeat(8) + '0123456789abcdef'.repeat(3) + 'b'.repeat(8);
  const id2 = 'c'.repeat(64);
  it('finds the id in every form', () => {
    expect(containerIdFromCgroup(`12:memory:/docker/${id}\n11:pids:/docker/${id}\n`)).toBe(id);
    expect(containerIdFromCgroup(`4:memory:/libpod_parent/libpod-${id}\n`)).toBe(id);
    expect(containerIdFromCgroup(`0::/system.slice/docker-${id}.scope\n`)).toBe(id);
    expect(containerIdFromCgroup(`0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-${id}.scope/container\n`)).toBe(id);
    expect(containerIdFromCgroup(`0::/kubepods.slice/kubepods-pod1.slice/cri-containerd-${id}.scope\n`)).toBe(id);
    expect(containerIdFromCgroup(`0::/machine.slice/libpod-conmon-${id2}.scope/libpod-${id}.scope\n`)).toBe(id);
  });
  it('finds none for a host process, and ignores 63 or 65 hex digits', () => {
    expect(containerIdFromCgroup('0::/user.slice/user-1000.slice/session-3.scope\n')).toBeUndefined();
    expect(containerIdFromCgroup(`0::/docker/${id.slice(1)}\n`)).toBeUndefined();
    expect(containerIdFromCgroup(`0::/docker/${id}f\n`)).toBeUndefined();
  });
});

describe('what a container was given', () => {
  const gpus = [0, 1, 2, 3].map((i) => ({ index: i, uuid: `GPU-000${i}` }));
  it('reads --gpus all, --gpus device=…, counts', () => {
    expect(grantIndices(gpuGrant({ deviceRequests: [{ Driver: 'nvidia', Count: -1, Capabilities: [['gpu']] }] })!, gpus)).toEqual([0, 1, 2, 3]);
    expect(grantIndices(gpuGrant({ deviceRequests: [{ Driver: 'nvidia', Count: 0, DeviceIDs: ['0', 'GPU-0002'], Capabilities: [['gpu']] }] })!, gpus)).toEqual([0, 2]);
    expect(grantIndices(gpuGrant({ deviceRequests: [{ Driver: '', Count: 2, Capabilities: [['gpu']] }] })!, gpus)).toEqual([0, 1]);
  });
  it('reads CDI names and NVIDIA_VISIBLE_DEVICES', () => {
    expect(grantIndices(gpuGrant({ devices: ['nvidia.com/gpu=1'] })!, gpus)).toEqual([1]);
    expect(grantIndices(gpuGrant({ devices: ['nvidia.com/gpu=all'] })!, gpus)).toEqual([0, 1, 2, 3]);
    expect(grantIndices(gpuGrant({ env: ['PATH=/bin', 'NVIDIA_VISIBLE_DEVICES=2,3'] })!, gpus)).toEqual([2, 3]);
    expect(grantIndices(gpuGrant({ env: ['NVIDIA_VISIBLE_DEVICES=GPU-0001'] })!, gpus)).toEqual([1]);
    expect(gpuGrant({ env: ['NVIDIA_VISIBLE_DEVICES=void'] })).toBeUndefined();
    expect(gpuGrant({ env: ['NVIDIA_VISIBLE_DEVICES=none'] })).toBeUndefined();
    expect(gpuGrant({ env: ['PATH=/bin'], deviceRequests: [] })).toBeUndefined();
  });
});

describe('attribution', () => {
  it('joins processes to GPUs by UUID and to containers by cgroup; others are host processes with a user', () => {
    const cid = 'd'.repeat(64);
    const procs = attribute(
      [
        { pid: 10, gpuUuid: 'GPU-0001', usedMemoryMiB: 1000, processName: 'python3' },
        { pid: 11, gpuUuid: 'GPU-0002', usedMemoryMiB: 500, processName: 'python3' },
        { pid: 12, gpuUuid: 'GPU-0001', usedMemoryMiB: 300, processName: 'jupyter' },
      ],
      [
        { index: 1, uuid: 'GPU-0001', name: 'x', migEnabled: false },
        { index: 2, uuid: 'GPU-0002', name: 'x', migEnabled: false },
      ],
      { cgroup: (pid) => (pid === 12 ? '0::/user.slice/session-1.scope' : `4:memory:/docker/${cid}`), owner: (pid) => (pid === 12 ? 'alice' : 'root') },
    );
    expect(procs.map((p) => [p.pid, p.gpuIndex, p.containerId ? 'c' : p.hostUser])).toEqual([
      [10, 1, 'c'],
      [11, 2, 'c'],
      [12, 1, 'alice'],
    ]);
    expect(usageByContainer(procs).get(cid)).toEqual({ indices: [1, 2], memoryMiB: 1500 });
  });
});
