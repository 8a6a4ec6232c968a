// The crash log: private, with gantry's version, secrets dropped from the arguments, and a stack
// from a real esbuild bundle mapped back to the source lines through its source map.
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DROPPED, crashReport, mapStack, redactArgs, writeCrashLog } from '../../src/crash.js';
import { VERSION } from '../../src/version.js';

const tmp = mkdtempSync(join(tmpdir(), 'gantry-crash-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('redactArgs', () => {
  it('drops the values of flags that look secret, in both forms, and passwords inside URLs', () => {
    expect(
      redactArgs(['--token=ghp_abc', '--password', 'hunter2', '--api-key', 'k1', '--read-only', '--client-secret=s', '-H', 'tcp://me:pw@gpu-3:2376', 'gpus']),
    ).toEqual(['--token=' + DROPPED, '--password', DROPPED, '--api-key', DROPPED, '--read-only', '--client-secret=' + DROPPED, '-H', DROPPED, 'gpus']);
  });

  it('keeps what is not secret', () => {
    const args = ['--host', 'unix:///run/podman/podman.sock', '-H', 'ssh://me@gpu-3', '--tail', '50', '--config', '/etc/gantry.yaml', '--read-only', 'gpus', '--json'];
    expect(redactArgs(args)).toEqual(args);
  });

  it('does not take the next flag as a secret flag\'s value', () => {
    expect(redactArgs(['--token', '--read-only'])).toEqual(['--token', '--read-only']);
  });
});

describe('writeCrashLog', () => {
  it('writes a 0600 file in a 0700 state folder, with the version and the arguments without secrets', () => {
    const state = join(tmp, 'state');
    const err = new Error('boom');
    const path = writeCrashLog(err, { XDG_STATE_HOME: state }, ['--host', 'tcp://u:secretpw@h:1', '--token=abc123']);
    expect(path.startsWith(join(state, 'gantry', 'crash-'))).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(state, 'gantry')).mode & 0o777).toBe(0o700);
    const text = readFileSync(path, 'utf8');
    expect(text).toMatch(new RegExp(`^gantry ${VERSION.replace(/\./g, '\\.')} crashed at \\d{4}-`));
    expect(text).toContain(`node ${process.version}`);
    expect(text).not.toContain('secretpw');
    expect(text).not.toContain('abc123');
    expect(text).toContain('Error: boom');
  });

  it('falls back to a private folder under the temporary directory when the state folder cannot be made', () => {
    const blocker = join(tmp, 'not-a-dir');
    writeFileSync(blocker, '');
    const path = writeCrashLog(new Error('boom'), { XDG_STATE_HOME: blocker }, []);
    expect(path.startsWith(join(tmpdir(), 'gantry-crash-'))).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(path, '..')).mode & 0o777).toBe(0o700);
    rmSync(join(path, '..'), { recursive: true, force: true });
  });
});

describe('mapStack', () => {
  it('maps the frames of a minified bundle to the source lines they came from', async () => {
    // A real bundle: src/a.ts throws from line 4, called from src/b.ts line 3.
    const pkg = join(tmp, 'pkg');
    mkdirSync(join(pkg, 'src'), { recursive: true });
    writeFileSync(join(pkg, 'src', 'a.ts'), "// a\nexport function explode(n: number): number {\n  if (n > 1) return n * 2;\n  throw new Error('mapped ' + n);\n}\n");
    writeFileSync(join(pkg, 'src', 'b.ts'), "import { explode } from './a.js';\nexport function run(): number {\n  return explode(1) + 1;\n}\n");
    await build({ entryPoints: [join(pkg, 'src', 'b.ts')], outfile: join(pkg, 'dist', 'b.js'), bundle: true, minify: true, format: 'esm', platform: 'node', sourcemap: 'external', sourcesContent: false, logLevel: 'silent' });
    const mod = (await import(pathToFileURL(join(pkg, 'dist', 'b.js')).href)) as { run(): number };
    let stack = '';
    try {
      mod.run();
    } catch (e) {
      stack = (e as Error).stack ?? '';
    }
    expect(stack).toMatch(/dist\/b\.js:1:\d+/);
    const mapped = mapStack(stack);
    const lines = mapped.split('\n');
    expect(lines[0]).toBe('Error: mapped 1');
    expect(lines[1]).toMatch(/^ {4}at src\/a\.ts:4:\d+ \(dist\/b\.js:1:\d+( \S+)?\)$/);
    expect(lines[2]).toMatch(/^ {4}at src\/b\.ts:3:\d+ \(dist\/b\.js:1:\d+( \S+)?\)$/);
  });

  it('leaves frames without a map, and lines that are not frames, as they were', () => {
    const stack = 'Error: x\n    at f (/nowhere/none.js:1:2)\n    at node:internal/process/task_queues:95:5\nnot a frame';
    expect(mapStack(stack, () => undefined)).toBe(stack);
  });

  it('is what the crash report holds', () => {
    const err = new Error('y');
    err.stack = 'Error: y\n    at g (/nowhere/none.js:3:4)';
    expect(crashReport(err, ['--password', 'p'], new Date(0))).toBe(
      `gantry ${VERSION} crashed at 1970-01-01T00:00:00.000Z\nnode ${process.version} on ${process.platform}/${process.arch}\nargv: ["--password","${DROPPED}"]\n\nError: y\n    at g (/nowhere/none.js:3:4)\n`,
    );
  });
});
