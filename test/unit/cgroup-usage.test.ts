// Finding and reading a container's cgroup usage files, cgroup v2 and v1 layouts (this machine's
// engines run on one of them; the other is laid out here as the kernel lays it out).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cgroupFiles, readCgroupUsage } from '../../src/engine/cgroupUsage.js';

const root = mkdtempSync(join(tmpdir(), 'gantry-cgroup-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const put = (path: string, text: string) => {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
};

describe('cgroup usage', () => {
  it('v2: cpu.stat usage_usec (as ns) and memory.current', () => {
    const path = '/system.slice/docker-abc.scope';
    put(`v2${path}/cpu.stat`, 'usage_usec 1234567\nuser_usec 1000000\nsystem_usec 234567\n');
    put(`v2${path}/memory.current`, '52428800\n');
    const files = cgroupFiles(`0::${path}\n`, join(root, 'v2'));
    expect(readCgroupUsage(files)).toEqual({ cpuNs: 1_234_567_000, memBytes: 52_428_800 });
  });
  it('v1: cpuacct.usage (ns) under cpu,cpuacct and memory.usage_in_bytes', () => {
    const path = '/docker/abc';
    put(`v1/cpu,cpuacct${path}/cpuacct.usage`, '987654321\n');
    put(`v1/memory${path}/memory.usage_in_bytes`, '1048576\n');
    const files = cgroupFiles(`12:memory:${path}\n4:cpu,cpuacct:${path}\n0::${path}\n`, join(root, 'v1'));
    expect(readCgroupUsage(files)).toEqual({ cpuNs: 987_654_321, memBytes: 1_048_576 });
  });
  it('nothing when the cgroup is gone', () => {
    expect(readCgroupUsage(cgroupFiles('0::/gone\n', join(root, 'none')))).toBeUndefined();
  });
});
