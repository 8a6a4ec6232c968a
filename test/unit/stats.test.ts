// Stats and top, the pure parts: CPU % math on both engines' readings, a sample from a reading,
// and the top parser for Docker's ps, Podman's descriptors and a busybox ps.
import { describe, expect, it } from 'vitest';
import { cpuPercent, memoryUsed, parseTop, sampleFromStats, stampMs, type RawStats } from '../../src/engine/stats.js';

function cpuSample(o: { total: number; preTotal: number; sys?: number; preSys?: number; cpus?: number; read: string; preread: string }): RawStats {
  return {
    read: o.read,
    preread: o.preread,
    cpu_stats: { cpu_usage: { total_usage: o.total, percpu_usage: [1, 2, 3, 4] }, system_cpu_usage: o.sys, online_cpus: o.cpus },
    precpu_stats: { cpu_usage: { total_usage: o.preTotal }, system_cpu_usage: o.preSys },
  };
}

describe('CPU %', () => {
  it("Docker: Δcontainer / Δsystem × online CPUs × 100", () => {
    // 0.5 s of CPU while 4 CPUs ran 1 s (4e9 ns of system time): half of one CPU.
    const s = cpuSample({ total: 1_500_000_000, preTotal: 1_000_000_000, sys: 104e9, preSys: 100e9, cpus: 4, read: '2026-11-22T10:00:01Z', preread: '2026-11-22T10:00:00Z' });
    expect(cpuPercent(s, 'docker')).toBeCloseTo(50, 6);
    // Two CPUs busy → 200.
    expect(cpuPercent({ ...s, cpu_stats: { ...s.cpu_stats!, cpu_usage: { total_usage: 3_000_000_000 } } }, 'docker')).toBeCloseTo(200, 6);
    // Without online_cpus (older engines) the per-CPU list gives the count.
    const noOnline = cpuSample({ total: 1_500_000_000, preTotal: 1_000_000_000, sys: 104e9, preSys: 100e9, read: '2026-11-22T10:00:01Z', preread: '2026-11-22T10:00:00Z' });
    expect(cpuPercent(noOnline, 'docker')).toBeCloseTo(50, 6);
  });

  it("Podman: Δcontainer over the wall time between preread and read, to the nanosecond", () => {
    // Podman's system_cpu_usage counts busy host time only: ignore it. 4.77 s of CPU in 5.007 s.
    const s = cpuSample({ total: 5_467_965_079, preTotal: 693_236_555, sys: 1_918_412_063_885, preSys: 1_910_236_396_395, cpus: 2, read: '2026-11-22T13:40:58.28858214Z', preread: '2026-11-22T13:40:53.281609133Z' });
    expect(cpuPercent(s, 'podman')).toBeCloseTo((4_774_728_524 / 5_006_973_007) * 100, 3);
    // Podman's first sample compares with a reading 8 ms before: still exact.
    const first = cpuSample({ total: 693_236_555, preTotal: 685_178_415, read: '2026-11-22T13:40:53.281609133Z', preread: '2026-11-22T13:40:53.273623269Z' });
    expect(cpuPercent(first, 'podman')).toBeCloseTo((8_058_140 / 7_985_864) * 100, 3);
  });

  it('is undefined, not 0, when there is nothing to compare with', () => {
    const first = cpuSample({ total: 156_779_490, preTotal: 0, sys: 23147120000000, cpus: 2, read: '2026-11-22T13:40:47.55351534Z', preread: '0001-01-01T00:00:00Z' });
    expect(cpuPercent(first, 'docker')).toBeUndefined();
    expect(cpuPercent(first, 'podman')).toBeUndefined();
    expect(sampleFromStats(first, 'docker').cpuPct).toBeUndefined();
    // Counters that went backwards (the container restarted) say nothing either.
    expect(cpuPercent(cpuSample({ total: 5, preTotal: 10, sys: 2, preSys: 1, read: '2026-11-22T10:00:01Z', preread: '2026-11-22T10:00:00Z' }), 'docker')).toBeUndefined();
  });

  it('uses the previous reading when the engine left precpu empty', () => {
    const prev = cpuSample({ total: 1e9, preTotal: 0, sys: 100e9, cpus: 2, read: '2026-11-22T10:00:00Z', preread: '0001-01-01T00:00:00Z' });
    const cur = cpuSample({ total: 2e9, preTotal: 0, sys: 102e9, cpus: 2, read: '2026-11-22T10:00:01Z', preread: '0001-01-01T00:00:00Z' });
    expect(cpuPercent(cur, 'docker', prev)).toBeCloseTo(100, 6);
    expect(cpuPercent(cur, 'podman', prev)).toBeCloseTo(100, 6);
    expect(sampleFromStats(cur, 'podman', prev).intervalMs).toBe(1000);
  });

  it('reads engine timestamps with their fraction', () => {
    expect(stampMs('2026-11-22T13:40:53.281609133Z')! - Date.parse('2026-11-22T13:40:53Z')).toBeCloseTo(281.609133, 5);
    expect(stampMs('0001-01-01T00:00:00Z')).toBeUndefined();
    expect(stampMs(undefined)).toBeUndefined();
  });
});

describe('stats sample', () => {
  it('subtracts the inactive page cache (cgroup v1 and v2 names), sums networks and block I/O', () => {
    const s: RawStats = {
      read: '2026-11-22T10:00:01Z',
      preread: '2026-11-22T10:00:00Z',
      memory_stats: { usage: 10_000, limit: 1_000_000, stats: { total_inactive_file: 4_000, cache: 6_000 } },
      networks: { eth0: { rx_bytes: 100, tx_bytes: 10 }, eth1: { rx_bytes: 1, tx_bytes: 2 } },
      blkio_stats: { io_service_bytes_recursive: [{ op: 'Read', value: 5 }, { op: 'Write', value: 7 }, { op: 'read', value: 1 }, { op: 'Total', value: 13 }] },
      pids_stats: { current: 3 },
    };
    expect(sampleFromStats(s, 'docker')).toMatchObject({ at: Date.parse('2026-11-22T10:00:01Z'), memUsed: 6_000, memLimit: 1_000_000, netRx: 101, netTx: 12, blkRead: 6, blkWrite: 7, pids: 3, intervalMs: 1000 });
    expect(memoryUsed({ memory_stats: { usage: 10_000, stats: { inactive_file: 1_000 } } })).toBe(9_000);
    // Podman: usage only.
    expect(memoryUsed({ memory_stats: { usage: 675_840, limit: 2e10 } })).toBe(675_840);
    expect(sampleFromStats({ read: '2026-11-22T10:00:01Z' }, 'podman')).toMatchObject({ memUsed: 0, netRx: 0, pids: 0 });
  });
});

describe('parseTop', () => {
  it("reads Docker's host ps columns", () => {
    const p = parseTop({
      Titles: ['PID', 'USER', '%CPU', '%MEM', 'RSS', 'COMMAND'],
      Processes: [['8708', 'root', '8.6', '0.1', '1440', 'sleep 1000'], ['8737', '1000', '99.5', '2.0', '20480', 'python train.py --x 1']],
    });
    expect(p).toEqual([
      { pid: 8708, user: 'root', cpu: 8.6, mem: 0.1, rss: 1440 * 1024, command: 'sleep 1000' },
      { pid: 8737, user: '1000', cpu: 99.5, mem: 2, rss: 20480 * 1024, command: 'python train.py --x 1' },
    ]);
  });
  it("reads Podman's descriptors, with the host PID first", () => {
    const p = parseTop({
      Titles: ['PID', 'HPID', 'USER', '%CPU', 'RSS', 'COMMAND'],
      Processes: [['1', '21143', 'root', '0.000', '1444', 'sleep 1000']],
    });
    expect(p).toEqual([{ pid: 21143, containerPid: 1, user: 'root', cpu: 0, rss: 1444 * 1024, command: 'sleep 1000' }]);
  });
  it("reads a busybox ps run inside the container (one column per row)", () => {
    const p = parseTop({ Titles: ['PID   USER     COMMAND'], Processes: [['1 root     sleep 1000'], ['6 root     {yes} sh -c yes > /dev/null']] });
    expect(p).toEqual([
      { pid: 1, user: 'root', command: 'sleep 1000' },
      { pid: 6, user: 'root', command: '{yes} sh -c yes > /dev/null' },
    ]);
  });
  it("reads the default ps -ef columns and ignores an answer without PIDs", () => {
    const p = parseTop({ Titles: ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD'], Processes: [['root', '8708', '8678', '9', '13:40', '?', '00:00:00', 'sleep 1000']] });
    expect(p).toEqual([{ pid: 8708, user: 'root', cpu: 9, command: 'sleep 1000' }]);
    expect(parseTop({ Titles: ['X'], Processes: [['1']] })).toEqual([]);
    expect(parseTop({})).toEqual([]);
  });
});
