// The package as a user gets it: `npm pack` in a copy of the checkout without dist/ (so prepack
// must build it), installed into a private prefix with --omit=dev and no network, then the
// installed gantry run through the symlink npm made: --version, gpus --json (nvidia-smi stand-in),
// doctor --json, with BusyBox's env and sh, with an old Node, and through npx.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/pty.js';
import { testEngines } from '../helpers/engines.js';
import { LAUNCHER_FLAGS } from '../../src/doctor/checks.js';

const engines = testEngines();
const FAKE = `${ROOT}test/helpers/fake-nvidia-smi`;
const tmp = mkdtempSync(join(tmpdir(), 'gantry-package-'));
const prefix = join(tmp, 'prefix');
const bin = join(prefix, 'bin', 'gantry');
// No network and no user cache: what install needs must be in the tarball.
const npmEnv = { ...process.env, npm_config_cache: join(tmp, 'npm-cache'), npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false' };
const env = { ...process.env, XDG_CONFIG_HOME: join(tmp, 'config'), XDG_STATE_HOME: join(tmp, 'state'), FAKE_NVIDIA_SMI_PROFILE: 'rtx4' };
let tarball = '';
let installLog = '';

function run(file: string, args: string[], extraEnv: Record<string, string | undefined> = {}) {
  const r = spawnSync(file, args, { encoding: 'utf8', env: { ...env, ...extraEnv }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  // A fresh clone has no dist/: copy what git tracks for the build, and borrow node_modules (npm ci's).
  const copy = join(tmp, 'checkout');
  for (const p of ['bin', 'src', 'scripts', 'package.json', 'package-lock.json', 'README.md', 'LICENSE', 'tsconfig.json']) cpSync(join(ROOT, p), join(copy, p), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
  const out = execFileSync('npm', ['pack', '--pack-destination', tmp], { cwd: copy, encoding: 'utf8', env: npmEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  tarball = join(tmp, out.trim().split('\n').at(-1)!);
  installLog = execFileSync('npm', ['install', '--global', '--prefix', prefix, '--omit=dev', '--offline', tarball], { encoding: 'utf8', env: npmEnv, stdio: ['ignore', 'pipe', 'pipe'] });
}, 300_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the npm package', () => {
  it('holds the bundle built by prepack, the launcher, README and LICENSE, and nothing else', () => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n').sort();
    expect(files).toContain('package/dist/gantry.cjs');
    expect(files).toContain('package/dist/gantry.cjs.map');
    expect(files).toContain('package/LICENSE');
    expect(files.filter((f) => !/^package\/(dist\/gantry\.cjs(\.map)?|bin\/gantry|bin\/package\.json|package\.json|README\.md|LICENSE)$/.test(f))).toEqual([]);
  });

  it('installs offline as one package, runs no install script, and links bin/gantry', () => {
    expect(installLog).toMatch(/added 1 package/);
    expect(installLog).not.toMatch(/install-scripts|gyp/);
    const installed = join(prefix, 'lib', 'node_modules');
    expect(readdirSync(installed)).toEqual(['gantry']);
    expect(existsSync(join(installed, 'gantry', 'node_modules'))).toBe(false);
    const pkg = JSON.parse(readFileSync(join(installed, 'gantry', 'package.json'), 'utf8')) as { scripts?: Record<string, string>; dependencies?: Record<string, string> };
    expect(Object.keys(pkg.dependencies ?? {})).toEqual([]);
    for (const s of ['preinstall', 'install', 'postinstall', 'prepare']) expect(pkg.scripts?.[s]).toBeUndefined();
    expect(lstatSync(bin).isSymbolicLink()).toBe(true);
    expect(realpathSync(bin)).toBe(join(installed, 'gantry', 'bin', 'gantry'));
  });

  it('the installed gantry prints its version, and node got the launcher\'s flags', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(run(bin, ['--version'])).toMatchObject({ code: 0, stdout: `gantry ${pkg.version}\n` });
    const probe = join(tmp, 'argv.cjs');
    writeFileSync(probe, "process.on('exit', () => process.stderr.write('execArgv=' + JSON.stringify(process.execArgv) + '\\n'));\n");
    const r = run(bin, ['--version'], { NODE_OPTIONS: `--require=${probe}` });
    // The doctor's list of the launcher's flags (it warns when node runs without them) is the one bin/gantry gives.
    expect(r.stderr).toContain(`execArgv=${JSON.stringify(LAUNCHER_FLAGS)}`);
  });

  it('gantry gpus --json reads the nvidia-smi stand-in', () => {
    const hosts = engines ? engines.flatMap((e) => ['--host', e.url]) : ['--host', `unix://${tmp}/none.sock`];
    // One GPU process: this test's own pid, so it is found in /proc as a host process.
    const r = run(bin, ['gpus', '--json', '--nvidia-smi', FAKE, ...hosts], { FAKE_NVIDIA_SMI_PROCS: `${process.pid}:1:2048:python3 train.py` });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { status: string; gpus: { name: string; processes: { pid: number; container: unknown; hostUser?: string }[] }[] };
    expect(report.status).toBe('ok');
    expect(report.gpus).toHaveLength(4);
    expect(report.gpus[0]!.name).toBe('NVIDIA RTX 6000 Ada Generation');
    expect(report.gpus[1]!.processes).toEqual([expect.objectContaining({ pid: process.pid, container: null, hostUser: userInfo().username })]);
  });

  it('gantry doctor --json: version, Node with the flags, the engines, the stand-in\'s driver', () => {
    const hosts = engines ? engines.flatMap((e) => ['--host', e.url]) : [];
    const r = run(bin, ['doctor', '--json', '--nvidia-smi', FAKE, ...hosts]);
    const report = JSON.parse(r.stdout) as { gantry: string; checks: { id: string; status: string; text: string; data: Record<string, unknown> }[] };
    const one = (id: string) => report.checks.filter((c) => c.id === id);
    expect(report.gantry).toMatch(/^\d+\.\d+\.\d+/);
    expect(one('gantry')[0]!.data).toMatchObject({ installed: join(prefix, 'lib', 'node_modules', 'gantry'), launcher: bin });
    expect(one('node')[0]).toMatchObject({ status: 'ok', data: { launcherFlags: true } });
    expect(one('nvidia-smi')[0]).toMatchObject({ status: 'ok', data: { driver: '570.124.06', gpus: Array(4).fill('NVIDIA RTX 6000 Ada Generation') } });
    expect(one('toolkit-podman')).toHaveLength(1);
    expect(one('locale')).toHaveLength(1);
    expect(one('terminal')[0]).toMatchObject({ data: { isTTY: false } });
    if (engines) {
      expect(r.code).toBe(0);
      expect(one('engine').map((c) => [c.status, c.data.url])).toEqual(engines.map((e) => ['ok', e.url]));
      expect(one('engine')[0]!.text).toMatch(/: docker \d+\./);
      expect(one('engine')[1]!.text).toMatch(/: podman \d+\./);
      // Docker's runtimes come from its /info.
      expect(one('toolkit-docker')[0]!.data.runtimes).toContain('runc');
      expect(one('podman-service')[0]!.text).toContain('a Podman socket answers');
    }
  });

  it('says which Node it found and which it needs, exit 2, when node is older', () => {
    // NODE_OPTIONS reaches the node bin/gantry starts: this one reports itself as 18.19.1.
    const old = join(tmp, 'old-node.cjs');
    writeFileSync(old, "Object.defineProperty(process, 'versions', { value: Object.assign({}, process.versions, { node: '18.19.1' }) });\n");
    const r = run(bin, ['--version'], { NODE_OPTIONS: `--require=${old}` });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`gantry: needs Node.js 20 or newer; this is Node.js 18.19.1 (${process.execPath}).`);
  });

  it('says so, exit 2, when there is no node on PATH', () => {
    const r = run(bin, ['--version'], { PATH: '/nonexistent' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^gantry: needs Node\.js 20 or newer, and there is no node on PATH/);
  });

  it('runs through npx from the tarball', () => {
    const out = execFileSync('npm', ['exec', '--yes', '--offline', `--package=${tarball}`, '--', 'gantry', '--version'], { encoding: 'utf8', env: npmEnv, cwd: tmp });
    expect(out).toMatch(/^gantry \d+\.\d+\.\d+\n$/);
  });
});

// BusyBox's env has no -S, the way `#!/usr/bin/env -S node …` failed there. In a private mount
// namespace BusyBox stands in for /usr/bin/env and for /bin/sh; the machine's own stay as they are.
const canUnshare = process.getuid?.() === 0 && spawnSync('unshare', ['-m', 'true']).status === 0 && existsSync('/usr/bin/busybox');
describe.skipIf(!canUnshare)('under BusyBox env and sh', () => {
  it('runs the installed gantry through busybox env, with busybox as /bin/sh', () => {
    const sh = realpathSync('/bin/sh');
    const script = [
      'set -e',
      `mount --bind /usr/bin/busybox /usr/bin/env`,
      `mount --bind /usr/bin/busybox ${sh}`,
      // Proof that these are BusyBox's: -S is refused, and sh names itself.
      'if /usr/bin/env -S true 2>/dev/null; then echo "env accepted -S"; exit 9; fi',
      '/bin/sh --help 2>&1 | head -n 1',
      `/usr/bin/env PATH="${join(prefix, 'bin')}:$PATH" gantry --version`,
      `/usr/bin/env PATH="${join(prefix, 'bin')}:$PATH" gantry doctor --json --no-gpu >"${join(tmp, 'doctor.json')}" || true`,
    ].join('\n');
    const r = spawnSync('unshare', ['-m', '--propagation', 'private', 'bash', '-c', script], { encoding: 'utf8', env, timeout: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^BusyBox v[\d.]+ .*\ngantry \d+\.\d+\.\d+\n$/);
    const doctor = JSON.parse(readFileSync(join(tmp, 'doctor.json'), 'utf8')) as { checks: { id: string; data: Record<string, unknown> }[] };
    expect(doctor.checks.find((c) => c.id === 'node')!.data.launcherFlags).toBe(true);
  });
});
