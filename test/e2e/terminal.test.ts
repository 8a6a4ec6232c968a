// The terminal around gantry, end to end through a pseudo-terminal on the real engines: TERM=dumb is
// refused in words, a non-UTF-8 locale gets only ASCII bytes, and a question takes no answer typed
// before it was on screen (`d` `y` in one burst removes nothing).
import { afterAll, describe, expect, it } from 'vitest';
import { KEY } from '../helpers/pty.js';
import { e2eSetup } from '../helpers/e2e.js';
import { enginesOrSkip, removeTestContainers, runContainer, uniqueName } from '../helpers/engines.js';

const engines = enginesOrSkip('terminal end-to-end tests (test/e2e/terminal.test.ts)');
const { gantry } = e2eSetup('terminal');
const ALL_ASCII = /^[\x00-\x7f]*$/;

describe.skipIf(!engines)('the terminal around gantry', () => {
  const [dockerTe, podmanTe] = engines ?? [];
  const hosts = () => ['--host', dockerTe!.url, '--host', podmanTe!.url, '--no-gpu'];
  afterAll(async () => {
    await removeTestContainers(dockerTe!);
    await removeTestContainers(podmanTe!);
  });

  it('refuses TERM=dumb with what to do instead, exit code 2', async () => {
    const s = gantry(hosts(), { env: { TERM: 'dumb' } });
    const exit = await s.waitExit();
    expect(exit.exitCode).toBe(2);
    expect(s.raw).toContain('TERM=dumb');
    expect(s.raw).toMatch(/Run gantry in a terminal that can/);
    // Never the alternate screen or cursor addressing.
    expect(s.raw).not.toContain('\x1b[?1049h');
  });

  it('writes only ASCII under LC_ALL=C: look-alikes for the marks and borders, the columns kept', async () => {
    const name = uniqueName('ascii');
    await runContainer(dockerTe!, { name });
    const s = gantry(hosts(), { cols: 120, rows: 30, env: { LC_ALL: 'C', LANG: undefined, LC_CTYPE: undefined } });
    let screen = await s.waitFor((t) => t.includes('docker *') && t.includes('podman *') && t.includes(name));
    // The help box has a border.
    await s.press('?');
    screen = await s.waitFor((t) => t.includes('this help'));
    expect(screen).toMatch(/[+|-]/);
    await s.press(KEY.ESC);
    await s.waitFor((t) => !t.includes('this help'));
    expect(s.raw.length).toBeGreaterThan(1000);
    const bad = [...s.raw].findIndex((ch) => !ALL_ASCII.test(ch));
    expect(bad < 0 ? '' : JSON.stringify(s.raw.slice(Math.max(0, bad - 30), bad + 30))).toBe('');
  });

  it('takes no answer typed before the question was on screen: d y in one read removes nothing', async () => {
    const name = uniqueName('burst');
    const c = await runContainer(dockerTe!, { name, start: false });
    const s = gantry(hosts(), { cols: 160, rows: 45 });
    await s.waitFor(name);
    await s.press('/', ...name, KEY.ENTER);
    await s.waitFor(`filter: ${name}`);
    s.type('dy');
    await s.waitFor((t) => t.includes(`Remove docker/${name}?`) && t.includes('y ignored: it came before the question was on screen'));
    expect((await c.inspect()).State.Status).toBe('created');
    // Asked and seen, the same key answers.
    await s.press('y');
    await s.waitFor(`removed docker/${name}`);
    await expect(c.inspect()).rejects.toThrow();
  });
});
