// Start-up as a person sees it: each engine's list as soon as that engine answers, a place that
// has not answered yet named "connecting…" in the header meanwhile; no engine at all: the message
// on the main screen (after a drawn TUI, too), exit 1; a stale DOCKER_HOST named on screen while
// another engine is shown.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PtySession } from '../helpers/pty.js';
import { enginesOrSkip, removeTestContainers, runContainer, uniqueName } from '../helpers/engines.js';
import { silentSocket, type SilentSocket } from '../helpers/silentSocket.js';

const engines = enginesOrSkip('end-to-end tests (test/e2e/startup.test.ts)');
// A short folder: the socket's path is shown whole in the header.
const tmp = mkdtempSync(join(tmpdir(), 'gs-'));
const env = { XDG_CONFIG_HOME: join(tmp, 'config'), XDG_STATE_HOME: join(tmp, 'state'), NO_COLOR: undefined };

let sessions: PtySession[] = [];
function gantry(args: string[]): PtySession {
  const s = PtySession.gantry(args, { cols: 140, rows: 30, env });
  sessions.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(sessions.map((s) => s.dispose()));
  sessions = [];
});

describe.skipIf(!engines)('start-up with a place that does not answer', () => {
  const [docker] = engines ?? [];
  const name = uniqueName('e2e-start');
  let silent: SilentSocket;

  beforeAll(async () => {
    silent = await silentSocket(join(tmp, 's.sock'));
    await runContainer(docker!, { name });
  });
  afterAll(async () => {
    await silent.close();
    await removeTestContainers(docker!);
    rmSync(tmp, { recursive: true, force: true });
  });

  it("shows the engine that answered, its list, while the header says the other place is connecting…; SIGTERM then restores the terminal", async () => {
    // The silent place is given first: the list must not wait for it.
    const s = gantry(['--host', `unix://${silent.path}`, '--host', docker!.url, '--no-gpu']);
    const screen = await s.waitFor((t) => t.includes(name) && t.split('\n')[0]!.includes('connecting…'));
    const header = screen.split('\n')[0]!;
    expect(header).toMatch(/docker ● .*docker\.sock/);
    expect(header).toContain(`◌ ${silent.path} connecting…`);
    expect(screen).toMatch(new RegExp(`docker\\s+${name}\\s+busybox`));
    // A signal while a place is still being tried.
    s.kill('SIGTERM');
    const e = await s.waitExit();
    expect(e.exitCode === 0 ? e.signal : e.exitCode).toBe(143);
    expect(await s.inAltScreen()).toBe(false);
  });

  it('with only a place that never answers: the TUI says connecting…, then the no-engine message on the main screen, exit 1', async () => {
    const s = gantry(['--host', `unix://${silent.path}`, '--no-gpu']);
    await s.waitFor((t) => t.includes(`${silent.path} connecting…`));
    expect(await s.inAltScreen()).toBe(true);
    const e = await s.waitExit();
    expect(e.exitCode).toBe(1);
    expect(await s.inAltScreen()).toBe(false);
    const screen = await s.screen();
    expect(screen).toContain('gantry: no container engine is reachable. Tried:');
    expect(screen).toContain(`unix://${silent.path} (--host):`);
  });
});

describe.skipIf(!engines)('start-up with DOCKER_HOST naming a socket that is not there', () => {
  const own = mkdtempSync(join(tmpdir(), 'gh-'));
  afterAll(() => rmSync(own, { recursive: true, force: true }));

  it('shows the engine that answered, and the status line says DOCKER_HOST names no socket', async () => {
    const podman = engines!.find((e) => e.kind === 'podman')!;
    // Rootless Podman where gantry looks for it ($XDG_RUNTIME_DIR/podman/podman.sock), no docker context (HOME).
    const xdg = join(own, 'xdg');
    mkdirSync(join(xdg, 'podman'), { recursive: true });
    symlinkSync(podman.socket, join(xdg, 'podman', 'podman.sock'));
    const stale = join(own, 'gone.sock');
    const s = PtySession.gantry(['--no-gpu', '--no-podman-service'], { cols: 140, rows: 30, env: { ...env, HOME: own, XDG_RUNTIME_DIR: xdg, DOCKER_HOST: `unix://${stale}` } });
    sessions.push(s);
    const screen = await s.waitFor((t) => t.includes('DOCKER_HOST names') && /podman ●/.test(t.split('\n')[0]!));
    expect(screen.replace(/\n /g, ' ')).toContain(`DOCKER_HOST names ${stale}: no socket there (the engine is not running, or listens elsewhere).`);
    // Esc puts the message away; the list stays.
    s.type('\x1b');
    await s.waitFor((t) => !t.includes('DOCKER_HOST names') && t.split('\n')[0]!.includes('podman ●'));
  });
});
