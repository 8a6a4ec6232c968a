// Inside a container end to end: E opens a shell through the engine API, the TUI steps aside and
// comes back with the same selection; resize during the shell; Ctrl-C goes to the shell; attach
// and detach; exec into a stopped container says why and hands nothing over.
import { afterAll, describe, expect, it } from 'vitest';
import { KEY, type PtySession } from '../helpers/pty.js';
import { e2eSetup } from '../helpers/e2e.js';
import { enginesOrSkip, inspectState, removeTestContainers, RUN_LABEL, runContainer, uniqueName } from '../helpers/engines.js';

const engines = enginesOrSkip('end-to-end exec/attach tests (test/e2e/inside.test.ts)');
const { gantry } = e2eSetup('e2e-in');
afterAll(async () => {
  for (const te of engines ?? []) await removeTestContainers(te);
});

describe.skipIf(!engines).each(engines ?? [])('inside a $kind container', (te) => {
  const start = () => {
    return gantry(['--host', te.url, '--no-gpu'], { cols: 110, rows: 30 });
  };
  const select = async (s: PtySession, name: string) => {
    // (Long names are cut to fit the column.)
    await s.waitFor(name.slice(0, 20));
    await s.press('/', ...name, KEY.ENTER);
    await s.waitFor(new RegExp(`Logs .*${te.kind}/${name}`));
  };

  it('E: a shell, output on the real terminal, resize and Ctrl-C inside, back with the same selection', async () => {
    const name = uniqueName('e2e-exec');
    await runContainer(te, { name });
    const s = start();
    await select(s, name);
    await s.press('E');
    await s.waitFor(`exit the shell to come back to gantry`);
    expect(await s.inAltScreen()).toBe(false);
    await s.press(...'echo hi-from-inside; stty size', KEY.ENTER);
    await s.waitFor(/^hi-from-inside$/m);
    await s.waitFor(/^30 110$/m);
    s.resize(90, 26);
    await s.press(...'stty size', KEY.ENTER);
    await s.waitFor(/^26 90$/m);
    // Ctrl-C goes to the shell (a sleep interrupted), not to gantry.
    await s.press(...'sleep 30', KEY.ENTER);
    await new Promise((r) => setTimeout(r, 300));
    await s.press(KEY.CTRL_C);
    await s.press(...'echo after-ctrl-c', KEY.ENTER);
    await s.waitFor(/^after-ctrl-c$/m);
    expect(s.exited).toBeUndefined();
    await s.press(...'exit 7', KEY.ENTER);
    const back = await s.waitFor(/ended \(exit code 7\)/);
    expect(await s.inAltScreen()).toBe(true);
    // Same pane, same filter, same selection.
    expect(back).toContain(`filter: ${name}`);
    expect(back).toMatch(new RegExp(`Logs .*${te.kind}/${name}`));
  });

  it('a: attach to the main process and detach with Ctrl-P Ctrl-Q, leaving it running', async () => {
    const name = uniqueName('e2e-attach');
    // As `run -it`: a TTY and an open stdin.
    const c = await te.docker.createContainer({
      name,
      Image: te.image,
      Cmd: ['sh'],
      Tty: true,
      OpenStdin: true,
      Labels: { [RUN_LABEL]: String(process.pid) },
      HostConfig: { NetworkMode: 'none' },
    });
    await c.start();
    const s = start();
    await select(s, name);
    await s.press('a');
    await s.waitFor('Detach with Ctrl-P Ctrl-Q');
    await s.press(...'echo attached-ok', KEY.ENTER);
    await s.waitFor(/^attached-ok$/m);
    await s.press('\x10', '\x11');
    await s.waitFor(/detached from .*: it keeps running/);
    expect(await inspectState(te, c.id)).toBe('running');
  });

  it('E on a stopped container says why and keeps the TUI', async () => {
    const name = uniqueName('e2e-exec-stopped');
    await runContainer(te, { name, start: false });
    const s = start();
    await select(s, name);
    await s.press('E');
    await s.waitFor(/is not running: start it/);
    expect(await s.inAltScreen()).toBe(true);
  });
});
