// bin/gantry keeps V8's compiled code of the bundle in the user's cache folder after the first
// list of a start, and later starts compile from it. Anything wrong with the cache (damaged, not
// the user's, a folder that cannot be written, turned off) means a start as without one: gantry
// runs, says nothing, loses nothing.
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { e2eSetup } from '../helpers/e2e.js';
import { enginesOrSkip } from '../helpers/engines.js';
import { GANTRY, ROOT } from '../helpers/pty.js';

const { tmp, gantry } = e2eSetup('code-cache');
const engines = enginesOrSkip('the code cache (test/e2e/code-cache.test.ts)');

/** The build id bin/gantry names the cache after (the bundle's first line). */
const buildId = () => /^\/\*gantry-build:([0-9a-f]{16})\*\//.exec(readFileSync(join(ROOT, 'dist/gantry.cjs'), 'latin1').slice(0, 40))![1]!;
/** This build's cache files in a folder (the last part of the name is a hash of node's flags). */
const cachesIn = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => new RegExp(`^code-${buildId()}-${process.version}-${process.arch}-[0-9a-f]{8}\\.v8$`).test(f)) : []);

let runs = 0;
/** Starts the TUI with its own cache folder and trace file; resolves once the list is drawn. */
async function start(cacheHome: string, env: Record<string, string> = {}) {
  const traceFile = join(tmp, `trace-${++runs}`);
  const s = gantry(['--host', engines![0]!.url, '--no-podman-service', '--no-gpu'], { env: { XDG_CACHE_HOME: cacheHome, GANTRY_TRACE: traceFile, ...env } });
  await s.waitFor(/Containers/, 20_000);
  const trace = () => (existsSync(traceFile) ? readFileSync(traceFile, 'utf8') : '');
  const until = async (what: RegExp, timeoutMs = 15_000) => {
    const end = Date.now() + timeoutMs;
    while (!what.test(trace())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what} in the trace:\n${trace()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return { s, trace, until };
}

/** A start that stays until it has saved its cache, then quits; the cache file's path. */
async function saveOnce(cacheHome: string, env: Record<string, string> = {}): Promise<string> {
  const run = await start(cacheHome, env);
  await run.until(/ code cache saved \d+ bytes\n/);
  await run.s.press('q');
  expect((await run.s.waitExit()).exitCode).toBe(0);
  return join(cacheHome, 'gantry', cachesIn(join(cacheHome, 'gantry'))[0]!);
}

describe.skipIf(!engines)('code cache', () => {
  it('is saved once after the first list, used by the next start, and never by --version', async () => {
    const home = join(tmp, 'c1');
    execFileSync(GANTRY, ['--version'], { env: { ...process.env, XDG_CACHE_HOME: home } });
    expect(existsSync(join(home, 'gantry'))).toBe(false);

    const first = await start(home);
    expect(first.trace()).toMatch(/ code cache none\n/);
    await first.until(/ code cache saved \d+ bytes\n/);
    expect(cachesIn(join(home, 'gantry'))).toHaveLength(1);
    const file = join(home, 'gantry', cachesIn(join(home, 'gantry'))[0]!);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, 'gantry')).mode & 0o777).toBe(0o700);
    expect(readdirSync(join(home, 'gantry'))).toHaveLength(1);
    await first.s.press('q');
    await first.s.waitExit();
    const saved = statSync(file).mtimeMs;

    const second = await start(home);
    expect(second.trace()).toMatch(/ code cache used\n/);
    // Still answering keys: the panes switch.
    await second.s.press('2');
    await second.s.waitFor(/REPOSITORY|Images/);
    // Used, so not written again (the save comes 3 s after the list).
    await new Promise((r) => setTimeout(r, 4500));
    expect(second.trace()).not.toMatch(/code cache saved/);
    expect(statSync(file).mtimeMs).toBe(saved);
    await second.s.press('q');
    await second.s.waitExit();

    // Other node flags (NODE_OPTIONS): a cache of their own; the usual one stays as it was.
    await saveOnce(home, { NODE_OPTIONS: '--no-warnings' });
    // It found no cache of its own (the usual one was not refused, nor replaced).
    expect(readFileSync(join(tmp, `trace-${runs}`), 'utf8')).toMatch(/ code cache none\n/);
    expect(cachesIn(join(home, 'gantry'))).toHaveLength(2);
    expect(statSync(file).mtimeMs).toBe(saved);
    const third = await start(home);
    expect(third.trace()).toMatch(/ code cache used\n/);
  }, 90_000);

  it('a damaged cache is refused: gantry starts as without one and writes a good one', async () => {
    const home = join(tmp, 'c2');
    // A good cache first, to learn its name.
    const file = await saveOnce(home);
    for (const damage of [Buffer.from('not a code cache\n'.repeat(5000)), Buffer.alloc(0)]) {
      writeFileSync(file, damage, { mode: 0o600 });
      const run = await start(home);
      expect(run.trace()).toMatch(damage.length ? / code cache refused\n/ : / code cache (refused|none)\n/);
      await run.until(/ code cache saved \d+ bytes\n/);
      await run.s.press('q');
      await run.s.waitExit();
    }
    // A cache cut short (a disk that filled up) is refused too.
    const good = readFileSync(file);
    writeFileSync(file, good.subarray(0, good.length >> 1));
    const cut = await start(home);
    expect(cut.trace()).toMatch(/ code cache refused\n/);
    await cut.until(/ code cache saved/);
    await cut.s.press('q');
    await cut.s.waitExit();
    expect(readFileSync(file).equals(good)).toBe(false);
    const again = await start(home);
    expect(again.trace()).toMatch(/ code cache used\n/);
  }, 120_000);

  it('a cache file larger than any real one (64 MiB) is not read', async () => {
    const home = join(tmp, 'c7');
    const file = await saveOnce(home);
    truncateSync(file, 65 * 1024 * 1024);
    const run = await start(home);
    expect(run.trace()).toMatch(/ code cache none\n/);
    await run.until(/ code cache saved/);
    expect(statSync(file).size).toBeLessThan(16 * 1024 * 1024);
  }, 60_000);

  it('a cache folder that cannot be made: gantry runs and says nothing about it', async () => {
    const notDir = join(tmp, 'a-file');
    writeFileSync(notDir, 'x');
    const run = await start(notDir);
    await run.until(/ code cache not saved: /);
    expect(await run.s.screen()).not.toMatch(/cache|ENOTDIR|EEXIST/i);
    await run.s.press('q');
    expect((await run.s.waitExit()).exitCode).toBe(0);
  }, 40_000);

  it('GANTRY_CODE_CACHE=off: nothing read or written', async () => {
    const home = join(tmp, 'c4');
    const run = await start(home, { GANTRY_CODE_CACHE: 'off' });
    expect(run.trace()).toMatch(/ code cache off\n/);
    await new Promise((r) => setTimeout(r, 4500));
    expect(existsSync(join(home, 'gantry'))).toBe(false);
  }, 40_000);

  it('no cache folder at all (HOME unset, a relative XDG_CACHE_HOME): gantry runs, writes nothing, and the trace says why', async () => {
    const run = await start('relative-cache', { HOME: '' });
    expect(run.trace()).toMatch(/ code cache without a folder \(/);
    await run.s.press('q');
    expect((await run.s.waitExit()).exitCode).toBe(0);
    expect(existsSync(join(ROOT, 'relative-cache'))).toBe(false);
  }, 40_000);

  it('keeps the four newest caches (other builds, other Node versions) and removes the rest, and old half-written ones', async () => {
    const home = join(tmp, 'c5');
    const dir = join(home, 'gantry');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const old = ['a', 'b', 'c', 'd', 'e'].map((x, i) => {
      const f = join(dir, `code-${x.repeat(16)}-v20.0.0-x64-00000000.v8`);
      writeFileSync(f, 'old');
      // a is the oldest, e the newest.
      utimesSync(f, 1_000_000 + i * 1000, 1_000_000 + i * 1000);
      return f;
    });
    // What a gantry killed while writing left: removed when old, kept while it may still be written.
    const stale = join(dir, `code-${'f'.repeat(16)}-v20.0.0-x64-00000000.v8.4242.tmp`);
    const writing = join(dir, `code-${'f'.repeat(16)}-v20.0.0-x64-00000000.v8.4343.tmp`);
    writeFileSync(stale, 'half');
    utimesSync(stale, 1_000_000, 1_000_000);
    writeFileSync(writing, 'half');
    const run = await start(home);
    await run.until(/ code cache saved/);
    expect(cachesIn(dir)).toHaveLength(1);
    expect(readdirSync(dir).sort()).toEqual([...cachesIn(dir), ...old.slice(2).map((f) => f.slice(dir.length + 1)), writing.slice(dir.length + 1)].sort());
  }, 40_000);

  it.skipIf(process.getuid?.() !== 0)("a cache file that is another user's is never run", async () => {
    const home = join(tmp, 'c6');
    const file = await saveOnce(home);
    chownSync(file, 65534, 65534);
    const run = await start(home);
    expect(run.trace()).toMatch(/ code cache none\n/);
    // Replaced by the user's own.
    await run.until(/ code cache saved/);
    expect(statSync(file).uid).toBe(0);
  }, 60_000);
});
