// The first hour on a shared GPU server, end to end: the real bin/gantry in a pseudo-terminal on
// the real engines, with other people's containers beside one's own — no wrong container touched
// after a filter is cleared, keys that arrive in one read all taken, the 80×24 hints, `:exec`'s
// output in the panel.
import { afterAll, describe, expect, it } from 'vitest';
import { KEY, ROOT } from '../helpers/pty.js';
import { e2eSetup } from '../helpers/e2e.js';
import { enginesOrSkip, inspectState, removeTestContainers, runContainer, uniqueName, waitUntil } from '../helpers/engines.js';

const engines = enginesOrSkip('first-hour end-to-end tests (test/e2e/first-hour.test.ts)');
const { gantry } = e2eSetup('first-hour');

describe.skipIf(!engines)('the first hour, on real Docker and Podman', () => {
  const [dockerTe, podmanTe] = engines ?? [];
  const hosts = () => ['--host', dockerTe!.url, '--host', podmanTe!.url];
  afterAll(async () => {
    await removeTestContainers(dockerTe!);
    await removeTestContainers(podmanTe!);
  });

  it('/llama Enter Esc keeps the llama container selected: s asks about it by name, y stops it and nothing else', async () => {
    // Someone else's container sorts first: after Esc, row 1 is theirs.
    const other = await runContainer(dockerTe!, { name: uniqueName('aaa-someone-else') });
    const llamaName = uniqueName('walk-llama-7b-finetune-lr3e-5');
    const llama = await runContainer(dockerTe!, { name: llamaName });
    const otherName = (await other.inspect()).Name.replace(/^\//, '');
    const s = gantry(hosts(), { cols: 160, rows: 45 });
    await s.waitFor((t) => t.includes(llamaName) && t.includes(otherName));
    await s.press('/', ...llamaName, KEY.ENTER);
    await s.waitFor((t) => t.includes(`filter: ${llamaName}`) && !t.includes(otherName));
    await s.press(KEY.ESC);
    await s.waitFor((t) => t.includes(otherName) && !t.includes('filter:'));
    await s.press('s');
    const q = await s.waitFor('[y] stop');
    expect(q).toContain(`Stop docker/${llamaName}?`);
    expect(q).not.toContain(`Stop docker/${otherName}?`);
    expect(await inspectState(dockerTe!, llama.id)).toBe('running');
    await s.press('y');
    await s.waitFor(`stopped docker/${llamaName}`, 30_000);
    expect(await inspectState(dockerTe!, llama.id)).toBe('exited');
    expect(await inspectState(dockerTe!, other.id)).toBe('running');
  });

  it('D from a filtered list previews only what the filter matches, on both engines, and removes exactly the ticked items', async () => {
    const prefix = uniqueName('prn');
    const go = [await runContainer(dockerTe!, { name: `${prefix}-a`, start: false }), await runContainer(podmanTe!, { name: `${prefix}-b`, start: false }), await runContainer(podmanTe!, { name: `${prefix}-c`, start: false })];
    const stay = await runContainer(dockerTe!, { name: uniqueName('prn-someone-else'), start: false });
    const s = gantry(hosts(), { cols: 160, rows: 45 });
    await s.waitFor(`${prefix}-c`);
    await s.press('/', ...prefix, KEY.ENTER);
    await s.waitFor(`filter: ${prefix}`);
    await s.press('D');
    const choose = await s.waitFor(`Only items matching "${prefix}" (the Containers filter) will be listed.`);
    expect(choose).toMatch(/\[x\] docker\n\s+\[x\] podman/);
    await s.press(KEY.ENTER);
    // Podman's /system/df (the bytes of each item) takes seconds on a loaded machine.
    let screen = await s.waitFor('Will remove 3 of 3 items', 90_000);
    expect(screen).toMatch(/Only items matching ".*" \(the Containers filter\); \d+ other items? left out\./);
    expect(screen).toMatch(new RegExp(`docker: 1 of 1 item`));
    expect(screen).toMatch(new RegExp(`podman: 2 of 2 items`));
    expect(screen).not.toContain('prn-someone-else');
    // The last item (G) is unticked with space: the totals follow.
    await s.press('G', ' ');
    screen = await s.waitFor('Will remove 2 of 3 items');
    const unticked = /\[ \] container\s+(\S+)/.exec(screen)![1]!;
    expect(unticked.startsWith(prefix)).toBe(true);
    await s.press('y');
    await s.waitFor('Reclaimed', 60_000);
    const [a, b, c] = go.map((x) => x.id);
    const state = async (i: number) => inspectState(i === 0 ? dockerTe! : podmanTe!, [a, b, c][i]!);
    const names = [`${prefix}-a`, `${prefix}-b`, `${prefix}-c`];
    for (let i = 0; i < 3; i++) expect(await state(i), names[i]).toBe(names[i] === unticked ? 'created' : undefined);
    expect(await inspectState(dockerTe!, stay.id)).toBe('created');
  }, 180_000);

  it('at 80×24: the hints keep / filter, ? help, q quit; the log hints keep s save, 0-6 since, Esc back; every GPU is on the strip', async () => {
    const name = uniqueName('walk-llama-7b-finetune-lr3e-5');
    await runContainer(dockerTe!, { name });
    const s = gantry([...hosts(), '--nvidia-smi', `${ROOT}test/helpers/fake-nvidia-smi`], { cols: 80, rows: 24, env: { FAKE_NVIDIA_SMI_PROFILE: 'rtx4', FAKE_NVIDIA_SMI_PROCS: `${process.pid}:0:512:node` } });
    let screen = await s.waitFor((t) => t.includes(name) && t.includes('GPU3'));
    const lines = await s.lines();
    const hints = lines.filter((l) => l.trim() !== '').at(-1)!;
    for (const h of ['s stop', '/ filter', '? help', 'q quit']) expect(hints).toContain(h);
    expect(lines.find((l) => l.includes('GPU0'))).toMatch(/GPU0 \S+\/48G \d+% {2}GPU1 .* {2}GPU2 .* {2}GPU3 \S+\/48G \d+%/);
    await s.press('/', ...name, KEY.ENTER, KEY.ENTER);
    screen = await s.waitFor('Esc back');
    const logHints = screen.split('\n').filter((l) => l.trim() !== '').at(-1)!;
    for (const h of ['s save', '0-6 since', 'Esc back']) expect(logHints).toContain(h);
    for (const l of await s.lines()) expect(l.length).toBeLessThanOrEqual(80);
  });

  it('takes three Backspaces that arrive in one read, in the / filter', async () => {
    const name = uniqueName('bs-batch');
    await runContainer(podmanTe!, { name });
    const s = gantry(hosts());
    await s.waitFor(name);
    await s.press('/');
    s.type(`${name}xyz`);
    await s.waitFor(`no container matches "${name}xyz"`);
    // One write, as key repeat over SSH delivers it.
    s.type('\x7f\x7f\x7f');
    const screen = await s.waitFor((t) => new RegExp(`filter: ${name}(?!x)`).test(t) && new RegExp(`podman\\s+${name}`).test(t));
    expect(screen).not.toContain(`${name}x`);
    // And a run of arrows: the cursor goes three left, the typed letter lands before "xyz".
    s.type('xyz');
    await s.waitFor(`filter: ${name}xyz`);
    s.type('\x1b[D\x1b[D\x1b[D');
    s.type('Q');
    await s.waitFor(`filter: ${name}Qxyz`);
    await waitUntil(async () => (await s.screen()).includes('no container matches'), 5000, 'the filter applied');
  });

  it(":exec CMD shows the output in the Exec tab, sanitised and scrollable, with the exit code and the engine's reason, on both engines", async () => {
    for (const te of [dockerTe!, podmanTe!]) {
      const name = uniqueName(`exec-out-${te.kind}`);
      await runContainer(te, { name });
      const s = gantry(hosts(), { cols: 160, rows: 30 });
      await s.waitFor(name);
      await s.press('/', ...name, KEY.ENTER);
      await s.waitFor(`filter: ${name}`);
      s.type(`:exec sh -c 'echo one; printf "\\033]0;pwned\\007two\\n"; for i in $(seq 1 60); do echo row$i; done; exit 3'\r`);
      let screen = await s.waitFor('exit code 3', 30_000);
      expect(screen, te.kind).toContain(` Exec `);
      expect(screen, te.kind).toMatch(/exit code 3 · 62 lines/);
      expect(screen, te.kind).toMatch(/\n\s*│?\s*one\s*\n\s*│?\s*two\s*\n/);
      // The title-setting sequence is gone from the output: only the typed command shows it.
      expect(screen.split('\n').filter((l) => l.includes('pwned') && !l.includes('printf')), te.kind).toEqual([]);
      expect(screen, te.kind).toMatch(new RegExp(`exec in ${te.kind}/${name}: exit code 3 · 62 lines of output in the Exec tab`));
      expect(screen, te.kind).not.toContain('row60');
      // The Exec tab has the keys: G goes to the end of the output.
      await s.press('G');
      screen = await s.waitFor('row60');
      expect(screen, te.kind).not.toMatch(/\brow1\s*$/m);
      // A command the image does not have: the engine's reason, not just a number.
      s.type(':exec dfx -h /ckpt\r');
      screen = await s.waitFor(/exit code 12[67]: "dfx": executable file not found in \$PATH/, 30_000);
      expect(screen, te.kind).toContain(`exit code ${te.kind === 'docker' ? 126 : 127}`);
      expect(screen, te.kind).not.toContain('connection reset by peer');
      await s.dispose();
    }
  }, 120_000);
});
