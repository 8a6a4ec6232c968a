// Disk and clean-up end to end: the System pane, a prune from preview to result, and a bulk removal
// of marked containers, with the real bin/gantry against real Docker and Podman.
import { afterAll, describe, expect, it } from 'vitest';
import { KEY } from '../helpers/pty.js';
import { e2eSetup } from '../helpers/e2e.js';
import { enginesOrSkip, inspectState, removeTestContainers, runContainer, uniqueName, waitUntil } from '../helpers/engines.js';

const engines = enginesOrSkip('end-to-end disk and prune tests (test/e2e/resources.test.ts)');
const { gantry } = e2eSetup('e2e-res');
afterAll(async () => {
  for (const te of engines ?? []) await removeTestContainers(te);
});

describe.skipIf(!engines)('disk use and clean-up', () => {
  const [dockerTe, podmanTe] = engines ?? [];
  const hosts = () => ['--host', dockerTe!.url, '--host', podmanTe!.url, '--no-gpu'];
  const start = () => {
    return gantry(hosts(), { cols: 130, rows: 40 });
  };

  it('shows disk use per engine on the System pane', async () => {
    const s = start();
    await s.waitFor('[6] System');
    await s.press('6');
    const screen = await s.waitFor((sc) => /podman 4\.\d/.test(sc) && /docker \d+\.\d+/.test(sc));
    expect(screen).toMatch(/COUNT\s+ACTIVE\s+SIZE\s+RECLAIMABLE/);
    expect(screen).toMatch(/images\s+\d+\s+\d+\s+[\d.]+ [KMG]?B/);
    expect(screen).toMatch(/Podman has no build cache/);
    expect(screen).toMatch(/reclaimable in all: /);
  });

  it('prunes stopped containers from preview to result, removing exactly what the preview listed', async () => {
    const dead = [await runContainer(dockerTe!, { name: uniqueName('e2e-prune-d'), cmd: ['true'] }), await runContainer(podmanTe!, { name: uniqueName('e2e-prune-p'), cmd: ['true'] })];
    const alive = await runContainer(dockerTe!, { name: uniqueName('e2e-prune-alive') });
    for (const c of dead) await c.wait();
    const names = await Promise.all(dead.map(async (c) => (await c.inspect()).Name.replace(/^\//, '')));
    const s = start();
    await s.waitFor('[6] System');
    await s.press('D');
    await s.waitFor(/\[x\] stopped containers/);
    await s.press(KEY.ENTER);
    const preview = await s.waitFor(/Will remove \d+ of \d+ items?, freeing/);
    for (const n of names) expect(preview).toContain(n);
    const aliveName = (await alive.inspect()).Name.replace(/^\//, '');
    expect(preview).not.toContain(aliveName);
    await s.press('y');
    const result = await s.waitFor(/Prune — result/);
    expect(result).toMatch(/Reclaimed .* in all/);
    expect(result).toMatch(/removed container/);
    expect(await inspectState(dockerTe!, dead[0]!.id)).toBeUndefined();
    expect(await inspectState(podmanTe!, dead[1]!.id)).toBeUndefined();
    expect(await inspectState(dockerTe!, alive.id)).toBe('running');
  });

  it('removes marked containers after one question naming them all', async () => {
    const prefix = uniqueName('e2e-bulk');
    const made = [
      await runContainer(dockerTe!, { name: `${prefix}-a`, start: false }),
      await runContainer(dockerTe!, { name: `${prefix}-b`, start: false }),
      await runContainer(podmanTe!, { name: `${prefix}-c`, start: false }),
    ];
    const keep = await runContainer(dockerTe!, { name: uniqueName('e2e-keep'), start: false });
    const s = start();
    await s.waitFor(`${prefix}-c`);
    await s.press('/', ...prefix, KEY.ENTER);
    await s.waitFor((sc) => !sc.includes('e2e-keep'));
    await s.press(' ', ' ', ' ');
    await s.waitFor('3 marked');
    await s.press('d');
    const q = await s.waitFor('Remove 3 containers?');
    for (const n of ['a', 'b', 'c']) expect(q).toContain(`${prefix}-${n}`);
    await s.press('y');
    await s.waitFor(/removed .*-a/);
    // One at a time: the message names the first removal before the last is done.
    const gone = async () => (await Promise.all(made.map((c, i) => inspectState(i < 2 ? dockerTe! : podmanTe!, c.id)))).every((st) => st === undefined);
    await waitUntil(gone, 30_000, 'the three marked containers to be removed');
    expect(await inspectState(dockerTe!, keep.id)).toBe('created');
  });

  it('b: stops every listed container after one question', async () => {
    const prefix = uniqueName('e2e-b');
    const made = [await runContainer(dockerTe!, { name: `${prefix}-a` }), await runContainer(podmanTe!, { name: `${prefix}-b` })];
    const s = start();
    await s.waitFor(`${prefix}-b`);
    await s.press('/', ...prefix, KEY.ENTER);
    await s.press('b');
    const q = await s.waitFor('Bulk actions on 2 listed containers');
    expect(q).toContain(`${prefix}-a`);
    expect(q).toMatch(/\[s\] stop 2 running/);
    await s.press('s');
    await s.waitFor(/stopped 2: /, 30_000);
    expect(await inspectState(dockerTe!, made[0]!.id)).toBe('exited');
    expect(await inspectState(podmanTe!, made[1]!.id)).toBe('exited');
  });
});
