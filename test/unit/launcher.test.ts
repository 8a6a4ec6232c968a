// bin/gantry, the launcher, with a stand-in bundle in a copy of bin/ and dist/: it runs the bundle
// as CommonJS with the right require, __filename and line numbers, and says what is wrong when
// there is no bundle or the bundle fails before main() can report it.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GANTRY, ROOT } from '../helpers/pty.js';
import { LAUNCHER_FLAGS, TIERING } from '../../src/doctor/checks.js';
// @ts-expect-error: a plain .mjs build script without types
import { WRAP_CLOSE, WRAP_OPEN } from '../../scripts/bundle-checks.mjs';

const dir = mkdtempSync(join(tmpdir(), 'gantry-launcher-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A copy of the launcher beside a dist/gantry.cjs of the given module text, wrapped as the build
 * writes it (none when undefined; `raw`: the text as given, no wrapper); runs it.
 */
function launch(name: string, bundle: string | undefined, args: string[] = [], cache = join(dir, name, 'cache'), env: Record<string, string | undefined> = {}, raw = false) {
  const root = join(dir, name);
  mkdirSync(join(root, 'bin'), { recursive: true });
  copyFileSync(GANTRY, join(root, 'bin', 'gantry'));
  copyFileSync(join(ROOT, 'bin', 'package.json'), join(root, 'bin', 'package.json'));
  if (bundle !== undefined) {
    mkdirSync(join(root, 'dist'), { recursive: true });
    const banner = `/*gantry-build:${'0123456789abcdef'}*/`;
    writeFileSync(join(root, 'dist', 'gantry.cjs'), raw ? `${banner}\n${bundle}` : `${banner}${WRAP_OPEN}\n${bundle}\n${WRAP_CLOSE}\n`);
  }
  const r = spawnSync(join(root, 'bin', 'gantry'), args, { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: cache, ...env }, timeout: 20_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, root };
}

describe('bin/gantry', () => {
  it('runs the bundle as CommonJS: main gets the arguments; require, __filename and stack lines are right', () => {
    const r = launch(
      'ok',
      [
        "const path = require('node:path');",
        'exports.main = async (argv) => {',
        "  process.stdout.write(JSON.stringify({ argv, file: path.basename(__filename), dir: path.basename(__dirname), line: new Error('here').stack.split('\\n')[1] }));",
        '};',
      ].join('\n'),
      ['--one', 'two'],
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ argv: ['--one', 'two'], file: 'gantry.cjs', dir: 'dist' });
    // The Error is made on the bundle's line 4 (the build id is line 1).
    expect(out.line).toMatch(/dist\/gantry\.cjs:4:\d+\)?$/);
  });

  it("node gets the launcher's V8 flags, the ones `gantry doctor` checks for; TurboFan's thresholds (JavaScript's and WebAssembly's) are set without a word from V8", () => {
    const r = launch('flags', 'exports.main = async () => { process.stdout.write(JSON.stringify(process.execArgv)); };');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(LAUNCHER_FLAGS);
    // V8 prints "Error: unrecognized flag …" for a flag it does not know.
    expect(r.stderr).toBe('');
    expect(readFileSync(GANTRY, 'utf8')).toContain(`setFlagsFromString('${TIERING}')`);
  });

  it("the bundle finds V8's gc (--expose-gc), which src/app/oldGc.ts needs", () => {
    const r = launch('gc', "exports.main = async () => { process.stdout.write(typeof globalThis.gc + ' ' + typeof gc); };");
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('function function');
  });

  it('node does not read NODE_EXTRA_CA_CERTS at start (gantry reads it for a TLS engine), and the programs gantry starts still get it', () => {
    // Node warns at start about a file it cannot read: it tried (40 ms for the 140 CAs on these machines).
    const missing = join(dir, 'no-such-cas.pem');
    const r = launch(
      'cas',
      "exports.main = async () => { process.stdout.write(JSON.stringify([process.env.GANTRY_EXTRA_CA_CERTS, process.env.NODE_EXTRA_CA_CERTS, require('node:child_process').execFileSync(process.execPath, ['-p', 'process.env.NODE_EXTRA_CA_CERTS'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim()])); };",
      [],
      undefined,
      { NODE_EXTRA_CA_CERTS: missing },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([missing, missing, missing]);
  });

  it("node runs with one malloc arena (MALLOC_ARENA_MAX=1), the programs gantry starts get the environment as it was, and a user's own setting is kept", () => {
    const bundle = [
      'exports.main = async () => {',
      // What node was started with (its environment at exec), what gantry's code sees, what a child gets.
      "  const environ = require('node:fs').readFileSync('/proc/self/environ', 'latin1').split('\\0').filter((v) => v.startsWith('MALLOC_ARENA_MAX='));",
      "  const child = require('node:child_process').execFileSync(process.execPath, ['-p', 'String(process.env.MALLOC_ARENA_MAX)'], { encoding: 'utf8' }).trim();",
      '  process.stdout.write(JSON.stringify([environ, process.env.MALLOC_ARENA_MAX ?? null, process.env.GANTRY_MALLOC_ARENA ?? null, child]));',
      '};',
    ].join('\n');
    // (spawn leaves out a variable given as undefined)
    const r = launch('arena', bundle, [], undefined, { MALLOC_ARENA_MAX: undefined });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([['MALLOC_ARENA_MAX=1'], null, null, 'undefined']);
    const own = launch('arena', bundle, [], undefined, { MALLOC_ARENA_MAX: '4' });
    expect(own.code).toBe(0);
    expect(JSON.parse(own.stdout)).toEqual([['MALLOC_ARENA_MAX=4'], '4', null, '4']);
  });

  it("a cache made by another copy of the same build is not used: stack traces name this copy's file", () => {
    const shared = join(dir, 'shared-cache');
    const bundle = [
      'exports.main = async () => {',
      "  global[Symbol.for('gantry.saveCodeCache')]();",
      "  process.stdout.write(new Error('where').stack.split('\\n')[1]);",
      '};',
    ].join('\n');
    const a = launch('copy-a', bundle, [], shared);
    const b = launch('copy-b', bundle, [], shared);
    expect(a.stdout).toContain(join(a.root, 'dist', 'gantry.cjs'));
    expect(b.stdout).toContain(join(b.root, 'dist', 'gantry.cjs'));
    expect(b.stdout).not.toContain('copy-a');
    // And a copy's own cache serves it: the same file named again.
    const b2 = launch('copy-b', bundle, [], shared);
    expect(b2.stdout).toContain(join(b.root, 'dist', 'gantry.cjs'));
  });

  it('says to build first when there is no bundle, exit 2', () => {
    const r = launch('none', undefined);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('gantry: not built yet. Run `npm run setup`');
  });

  it('a bundle without the module wrapper the build writes: says to build again, exit 2, and runs none of it', () => {
    const r = launch('unwrapped', "process.stdout.write('ran'); exports.main = async () => {};", [], undefined, {}, true);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^gantry: .*dist\/gantry\.cjs is not a gantry build \(its module wrapper is missing\)\. Run `npm run build` in the gantry folder\.\n$/);
  });

  it('a bundle that throws while loading: "could not start" with the stack, exit 70', () => {
    const r = launch('throws', "throw new Error('broken bundle');");
    expect(r.code).toBe(70);
    expect(r.stderr).toMatch(/^gantry could not start: Error: broken bundle\n\s+at .*dist\/gantry\.cjs:2:/);
  });

  it('a bundle that is not JavaScript: "could not start" naming the file and line, exit 70', () => {
    const r = launch('syntax', 'exports.main = async () => {;\n');
    expect(r.code).toBe(70);
    expect(r.stderr).toMatch(/^gantry could not start: .*dist\/gantry\.cjs:\d+\n[\s\S]*SyntaxError/);
  });

  it('a main() that fails with no crash reporter in the bundle: "could not start", exit 70', () => {
    const r = launch('rejects', "exports.main = async () => { throw new Error('main failed'); };");
    expect(r.code).toBe(70);
    expect(r.stderr).toContain('gantry could not start: Error: main failed');
  });

  it("a main() that fails goes to the bundle's crash reporter when it has one", () => {
    const r = launch('reports', "exports.main = async () => { throw new Error('main failed'); };\nexports.reportCrash = (e) => process.stderr.write('reported: ' + e.message);");
    expect(r.code).toBe(70);
    expect(r.stderr).toBe('reported: main failed');
  });
});
