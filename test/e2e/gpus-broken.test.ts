// `gantry gpus` (the real bin/gantry) with a broken driver and hostile names: the nvidia-smi stand-in
// hangs, stops half way through a line, prints garbage or values out of range, or reports a process
// named with terminal controls. No engine is needed: the report names host processes without one.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GANTRY, ROOT } from '../helpers/pty.js';

const FAKE = `${ROOT}test/helpers/fake-nvidia-smi`;
const tmp = mkdtempSync(join(tmpdir(), 'gantry-e2e-gpubroken-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const NO_ENGINE = ['--host', `unix://${tmp}/none.sock`, '--no-podman-service', '--nvidia-smi', FAKE];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** Both streams as bytes, read as Latin-1: every byte one character. */
  bytes: string;
}

/** Runs `gantry gpus …` with the stand-in's environment; a run past 120 s is killed (and fails the test). */
function gpus(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [GANTRY, 'gpus', ...args, ...NO_ENGINE],
      { encoding: 'buffer', timeout: 120_000, killSignal: 'SIGKILL', env: { ...process.env, XDG_CONFIG_HOME: join(tmp, 'config'), ...env } },
      (err, out, errOut) => {
        const code = err ? ((err as { code?: number | string }).code as number) : 0;
        resolve({ code, stdout: out.toString('utf8'), stderr: errOut.toString('utf8'), bytes: out.toString('latin1') + errOut.toString('latin1') });
      },
    );
  });
}

// Every C0 control but newline (ESC, BEL, …), DEL, C1 (as UTF-8 characters), bidirectional controls.
const RAW_CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
function inert(r: Run): void {
  expect(r.stdout + r.stderr).not.toMatch(RAW_CONTROL);
  // The bytes themselves: no ESC or BEL, and no 8-bit C1 byte where UTF-8 did not put it.
  expect(r.bytes).not.toMatch(/[\x1b\x07]/);
  expect(r.bytes.replace(/[\xc2-\xf4][\x80-\xbf]+/g, '')).not.toMatch(/[\x80-\x9f]/);
}

describe('gantry gpus with a broken nvidia-smi', () => {
  it('says a hung nvidia-smi is not answering, in words, and ends (table and JSON)', async () => {
    const [json, table, half] = await Promise.all([
      gpus(['--json'], { FAKE_NVIDIA_SMI_MODE: 'hang' }),
      gpus([], { FAKE_NVIDIA_SMI_MODE: 'hang' }),
      gpus(['--json'], { FAKE_NVIDIA_SMI_MODE: 'half-line' }),
    ]);
    expect(json.code).toBe(1);
    const r = JSON.parse(json.stdout);
    expect(r).toMatchObject({ status: 'error', gpus: [], containers: [] });
    expect(r.message).toMatch(/^nvidia-smi is not answering \(10 s\): it was stopped, and no GPU is shown\. A hung nvidia-smi usually means a driver problem/);
    expect(json.stderr).toBe(`gantry: ${r.message}\n`);
    expect(table.code).toBe(1);
    expect(table.stdout).toBe('');
    expect(table.stderr).toMatch(/^gantry: nvidia-smi is not answering \(10 s\)/);
    expect(half.code).toBe(1);
    expect(JSON.parse(half.stdout).message).toMatch(/^nvidia-smi is not answering \(10 s, after printing only "0, GPU-bf772438-3350-a5f5-dafd-d10d84c57272, NVIDIA H100"\)/);
  }, 180_000);

  it('never reports garbage as a GPU: the error carries the row with its controls shown', async () => {
    const [json, table] = await Promise.all([gpus(['--json'], { FAKE_NVIDIA_SMI_MODE: 'garbage' }), gpus([], { FAKE_NVIDIA_SMI_MODE: 'garbage' })]);
    expect(json.code).toBe(1);
    const r = JSON.parse(json.stdout);
    expect(r.status).toBe('error');
    expect(r.gpus).toEqual([]);
    expect(r.message).toBe(
      'nvidia-smi printed a row gantry cannot read (memory.used is "^[]0;pwned^G^[[2J12x", not a number): "0, GPU-bf772438-3350-a5f5-dafd-d10d84c57272, NVIDIA H100 80GB HBM3, 81559, ^[]0;pwned^G^[[2J12x, 100, 60, 554.38, 700.00, Disabled"',
    );
    expect(table.code).toBe(1);
    expect(table.stderr).toBe(`gantry: ${r.message}\n`);
    inert(json);
    inert(table);
  }, 180_000);

  it('rejects values out of range', async () => {
    const runs = await Promise.all([
      gpus(['--json'], { FAKE_NVIDIA_SMI_MODE: 'out-of-range' }),
      gpus(['--json'], { FAKE_NVIDIA_SMI_SET: JSON.stringify({ 'utilization.gpu': '130' }) }),
      gpus(['--json'], { FAKE_NVIDIA_SMI_SET: JSON.stringify({ 'memory.used': '99999' }) }),
      gpus([], { FAKE_NVIDIA_SMI_MODE: 'out-of-range' }),
    ]);
    const messages = runs.slice(0, 3).map((x) => {
      expect(x.code).toBe(1);
      const r = JSON.parse(x.stdout);
      expect(r.gpus).toEqual([]);
      return r.message as string;
    });
    expect(messages[0]).toMatch(/^nvidia-smi printed a row gantry cannot read \(utilization\.gpu is -5, outside 0–100\): "0, GPU-/);
    expect(messages[1]).toMatch(/utilization\.gpu is 130, outside 0–100/);
    expect(messages[2]).toMatch(/memory\.used 99999 MiB is more than memory\.total 81559 MiB/);
    expect(runs[3]!.code).toBe(1);
    expect(runs[3]!.stderr).toMatch(/utilization\.gpu is -5/);
  }, 180_000);
});

describe('gantry gpus with hostile names', () => {
  // Process names are the user's own choice on a shared server; a GPU name comes from the driver.
  const proc = '\x1b]0;pwned\x07\x1b[2J\u009b2J\u202eevil\u2066';
  const gpuName = '\x1b]52;c;Y3VybA==\x07NVIDIA\x1b[1;1H H100';
  const env = { FAKE_NVIDIA_SMI_PROCS: `99999999:0:100:${proc}`, FAKE_NVIDIA_SMI_SET: JSON.stringify({ name: gpuName }) };

  it('the table shows their controls, never writes them', async () => {
    const r = await gpus([], env);
    expect(r.code).toBe(0);
    inert(r);
    expect(r.stdout).toContain('GPU 0  ^[]52;c;Y3VybA==^GNVIDIA^[[1;1H H100  16.4/79.6 GiB  100%');
    expect(r.stdout).toMatch(/ {2}99999999 {2}host: pid not in \/proc +0\.1 GiB {2}\^\[\]0;pwned\^G\^\[\[2J<U\+009B>2J<U\+202E>evil<U\+2066>\n/);
  });

  it('the JSON keeps the exact data, written so that no control reaches a terminal raw', async () => {
    const r = await gpus(['--json'], env);
    expect(r.code).toBe(0);
    inert(r);
    const report = JSON.parse(r.stdout);
    expect(report.gpus[0].name).toBe(gpuName);
    expect(report.gpus[0].processes).toEqual([{ pid: 99999999, processName: proc, usedMemoryMiB: 100, container: null }]);
  });
});
