import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorLine, num, NvidiaSmiError, parseAppLine as parseAppRow, parseGpuLine as parseGpuRow, parseTimestamp } from '../../src/gpu/parse.js';
import { containerIdFromCgroup, runtimeFromCgroup } from '../../src/gpu/cgroup.js';
import { holderText } from '../../src/present/gpu.js';
import { gpuGrant, grantIndices } from '../../src/gpu/reservations.js';
import { attribute, usageByContainer } from '../../src/gpu/attribute.js';

const FIX = new URL('../fixtures/nvidia-smi/h100-580/', import.meta.url);
const fixture = (f: string) => readFileSync(new URL(f, FIX), 'utf8');
const H100 = 'GPU-bf772438-3350-a5f5-dafd-d10d84c57272';
// A row that must parse: an error fails the test with its message.
function sampleOf<T>(r: T | NvidiaSmiError | undefined): T | undefined {
  if (r instanceof NvidiaSmiError) throw new Error(`unexpected error: ${r.message}`);
  return r;
}
const parseGpuLine = (l: string) => sampleOf(parseGpuRow(l));
const parseAppLine = (l: string) => sampleOf(parseAppRow(l));

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
  });

  it('keeps a name holding commas whole', () => {
    expect(parseGpuLine(`0, ${H100}, Tesla, odd, name, 81559, 100, 5, 40, 60.5, 700, Disabled`)).toMatchObject({ name: 'Tesla, odd, name', memoryTotalMiB: 81559, utilizationPct: 5 });
  });
});

describe('rows that are not what the query asked for', () => {
  const good = [`0`, H100, 'NVIDIA H100 80GB HBM3', '81559', '16795', '100', '60', '554.38', '700', 'Disabled'];
  const withCell = (i: number, v: string) => good.map((c, j) => (j === i ? v : c)).join(', ');
  const error = (line: string) => {
    const r = parseGpuRow(line);
    expect(r).toBeInstanceOf(NvidiaSmiError);
    return (r as NvidiaSmiError).message;
  };

  it('turns garbage into an error carrying the row, never a sample', () => {
    expect(error('garbage')).toBe('nvidia-smi printed a row gantry cannot read (1 fields, the query asked for 10): "garbage"');
    expect(error(withCell(4, 'lots'))).toMatch(/memory\.used is "lots", not a number\): "0, GPU-bf77.*, lots, 100/);
    expect(error(withCell(0, '0.5'))).toMatch(/index is "0\.5", not a whole number/);
    expect(error(withCell(1, ''))).toMatch(/uuid is ""/);
    expect(error(withCell(9, 'Sometimes'))).toMatch(/mig\.mode\.current is "Sometimes"/);
    expect(error('0, GPU-1, x, 1, 2')).toMatch(/5 fields, the query asked for 10/);
  });

  it('shows the controls of the offending row visibly, and cuts a long one', () => {
    const m = error(withCell(4, '\x1b]0;pwned\x07\x1b[2J12\u202e'));
    expect(m).not.toMatch(/[\x00-\x1f\x7f-\x9f\u202e]/);
    expect(m).toContain('^[]0;pwned^G^[[2J12<U+202E>');
    expect(error(withCell(2, 'x'.repeat(5000)) + 'zz').length).toBeLessThan(400);
  });

  it('rejects values out of range: negative, utilisation over 100, used over total', () => {
    expect(error(withCell(5, '-5'))).toMatch(/utilization\.gpu is -5, outside 0–100/);
    expect(error(withCell(5, '130'))).toMatch(/utilization\.gpu is 130, outside 0–100/);
    expect(error(withCell(4, '-1'))).toMatch(/memory\.used is -1/);
    expect(error(withCell(4, '90000'))).toMatch(/memory\.used 90000 MiB is more than memory\.total 81559 MiB/);
    expect(error(withCell(7, '-20.5'))).toMatch(/power\.draw is -20\.5/);
    expect(error(withCell(6, '-3'))).toMatch(/temperature\.gpu is -3/);
    expect(error(withCell(0, '-1'))).toMatch(/index is -1/);
    // The edges themselves are real values.
    expect(parseGpuLine(withCell(5, '0'))!.utilizationPct).toBe(0);
    expect(parseGpuLine(withCell(4, '81559'))!.memoryUsedMiB).toBe(81559);
  });

  it('does the same for process rows', () => {
    const app = (pid: string, mem: string, ts = '2026/11/22 10:00:01.250') => parseAppRow(`${ts}, ${pid}, ${H100}, ${mem}, python3`);
    expect((app('abc', '10') as NvidiaSmiError).message).toMatch(/pid is "abc"/);
    expect((app('0', '10') as NvidiaSmiError).message).toMatch(/pid is 0/);
    expect((app('12', '-4') as NvidiaSmiError).message).toMatch(/used_memory is -4/);
    expect((app('12', '4', 'soon') as NvidiaSmiError).message).toMatch(/timestamp is "soon"/);
    expect((parseAppRow('12, x') as NvidiaSmiError).message).toMatch(/2 fields, the query asked for 5/);
    expect(parseAppRow('timestamp, pid, gpu_uuid, used_memory [MiB], process_name')).toBeUndefined();
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
  it('names the runtime whose cgroup holds it', () => {
    expect(runtimeFromCgroup(`12:memory:/docker/${id}\n`, id)).toBe('Docker');
    expect(runtimeFromCgroup(`0::/system.slice/docker-${id}.scope\n`, id)).toBe('Docker');
    expect(runtimeFromCgroup(`4:memory:/libpod_parent/libpod-${id}\n`, id)).toBe('Podman');
    expect(runtimeFromCgroup(`0::/machine.slice/libpod-conmon-${id2}.scope/libpod-${id}.scope\n`, id)).toBe('Podman');
    expect(runtimeFromCgroup(`0::/kubepods.slice/kubepods-pod1.slice/cri-containerd-${id}.scope\n`, id)).toBe('containerd');
    expect(runtimeFromCgroup(`0::/kubepods.slice/crio-${id}.scope\n`, id)).toBe('CRI-O');
    expect(runtimeFromCgroup(`0::/somewhere/${id}\n`, id)).toBeUndefined();
  });
  it('says who holds a process in one wording: engine/name, a container on no connected engine, host: user', () => {
    expect(holderText({ containerId: id }, { engineId: 'docker', name: 'llama' })).toBe('docker/llama');
    expect(holderText({ containerId: id, runtime: 'Docker' })).toBe(`Docker container ${id.slice(0, 12)} (not on a connected engine)`);
    expect(holderText({ containerId: id }, undefined, 'gone')).toBe(`container ${id.slice(0, 12)} (gone)`);
    expect(holderText({ hostUser: 'root' })).toBe('host: root');
    expect(holderText({})).toBe('host: pid not in /proc');
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
