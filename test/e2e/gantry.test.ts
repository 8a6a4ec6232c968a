// The real bin/gantry in a pseudo-terminal, against the real engines, read through a terminal
// emulator: what a person at the keyboard would see.
import { execFileSync, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GANTRY, KEY, PtySession, ROOT } from '../helpers/pty.js';
import { enginesOrSkip, enginesScript, inspectState, removeTestContainers, runContainer, uniqueName } from '../helpers/engines.js';

const engines = enginesOrSkip('end-to-end tests (test/e2e/gantry.test.ts)');
const tmp = mkdtempSync(join(tmpdir(), 'gantry-e2e-'));
chmodSync(tmp, 0o755);
const env = { XDG_CONFIG_HOME: join(tmp, 'config'), XDG_STATE_HOME: join(tmp, 'state'), NO_COLOR: undefined };

let sessions: PtySession[] = [];
function gantry(args: string[], opts: { cols?: number; rows?: number; env?: Record<string, string | undefined> } = {}): PtySession {
  const s = PtySession.gantry(args, { cols: opts.cols ?? 120, rows: opts.rows ?? 30, env: { ...env, ...opts.env } });
  sessions.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(sessions.map((s) => s.dispose()));
  sessions = [];
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const LEAVE_ALT = '\x1b[?1049l';
const SHOW_CURSOR = '\x1b[?25h';

describe('without engines', () => {
  it('an https:// engine is spoken to over TLS (the bundle loads node:https then): a plain HTTP port fails the handshake, and says so', async () => {
    const server = createServer((_, res) => res.end('OK'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const s = gantry(['--host', `https://127.0.0.1:${(server.address() as AddressInfo).port}`, '--no-podman-service']);
      const e = await s.waitExit();
      const screen = (await s.screen()).replace(/\n/g, '');
      expect(e.exitCode).toBe(1);
      expect(screen).toContain('gantry: no container engine is reachable. Tried:');
      expect(screen).not.toMatch(/dynamic import/i);
      expect(screen).toMatch(/https:\/\/127\.0\.0\.1:\d+ \(--host\): .*this port does not speak TLS \(the handshake read: wrong version number\)\. .*tcp:\/\/HOST:2375/);
    } finally {
      server.close();
    }
  });

  it('says every place it tried and how to start an engine, exit code 1, no stack trace', async () => {
    const s = gantry(['--host', `unix://${tmp}/none.sock`, '--host', 'tcp://127.0.0.1:1']);
    const e = await s.waitExit();
    const screen = await s.screen();
    expect(e.exitCode).toBe(1);
    expect(screen).toContain('gantry: no container engine is reachable. Tried:');
    expect(screen).toContain(`unix://${tmp}/none.sock (--host):`);
    expect(screen).toMatch(/tcp:\/\/127\.0\.0\.1:1 \(--host\): .*connection refused/);
    expect(screen).toMatch(/systemctl start docker/);
    expect(s.raw).not.toMatch(/\n\s+at /);
  });

  it('rejects a config with an unknown key, naming its line, and does not start', async () => {
    const dir = join(tmp, 'badcfg', 'gantry');
    execFileSync('mkdir', ['-p', dir]);
    writeFileSync(join(dir, 'config.yaml'), 'readOnly: false\ncolour: blue\n');
    const s = gantry(['--host', 'unix:///nonexistent.sock'], { env: { XDG_CONFIG_HOME: join(tmp, 'badcfg') } });
    const e = await s.waitExit();
    expect(e.exitCode).toBe(2);
    expect(await s.screen()).toMatch(/bad config: .*config\.yaml line 2: unknown key "colour"/);
  });

  it('refuses a config that is no regular file or is too large, naming it and why, exit code 2', () => {
    const run = (path: string) => {
      try {
        execFileSync(process.execPath, [GANTRY, '--config', path, '--host', 'unix:///nonexistent.sock'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
      } catch (e) {
        return { code: (e as { status?: number }).status, stderr: String((e as { stderr?: string }).stderr) };
      }
      return { code: 0, stderr: '' };
    };
    // Reading /dev/zero never ended; 400,000 hosts entries (11.5 MB) ran V8 out of heap (exit 134).
    let r = run('/dev/zero');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('gantry: bad config: /dev/zero: a character device, not a config file\nPoint --config (or $XDG_CONFIG_HOME/gantry/config.yaml) at a YAML file, or remove it to use the defaults.\n');
    const big = join(tmp, 'big.yaml');
    writeFileSync(big, 'hosts:\n' + '  - unix:///run/user/1000/podman/podman.sock\n'.repeat(400_000));
    r = run(big);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^gantry: bad config: ${big}: 17\\.2 MiB is too large for a config file \\(the most gantry reads is 1 MiB\\)\\n`));
    const many = join(tmp, 'many.yaml');
    writeFileSync(many, 'hosts:\n' + '  - unix:///x.sock\n'.repeat(1000));
    r = run(many);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`gantry: bad config: ${many} line 2: "hosts" has 1000 entries; the most it takes is 64`);
  });

  it('prints --help and --version', () => {
    expect(execFileSync(process.execPath, [GANTRY, '--version'], { encoding: 'utf8' })).toMatch(/^gantry \d+\.\d+\.\d+/);
    const help = execFileSync(process.execPath, [GANTRY, '--help'], { encoding: 'utf8' });
    expect(help).toContain('--host URL');
    expect(help).toContain('--read-only');
    expect(help).toMatch(/gantry doctor \[--json\] +what gantry finds/);
  });

  it('--config naming a file that does not exist is an error naming it, exit 2 (not the defaults)', () => {
    const missing = join(tmp, 'no-such-config.yaml');
    const r = spawnSync(GANTRY, ['--config', missing, '--host', 'unix:///nonexistent.sock'], { encoding: 'utf8', env: { ...process.env, ...env } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^gantry: --config ${missing.replace(/[.]/g, '\\.')}: no such file\\.`));
  });
});

describe.skipIf(!engines)('with real Docker and Podman', () => {
  const [dockerTe, podmanTe] = engines ?? [];
  const hostArgs = () => ['--host', dockerTe!.url, '--host', podmanTe!.url];
  const names = { dock: uniqueName('e2e-dock'), pod: uniqueName('e2e-pod'), rm: uniqueName('e2e-rm') };

  beforeAll(async () => {
    await runContainer(dockerTe!, { name: names.dock });
    await runContainer(podmanTe!, { name: names.pod });
    await runContainer(dockerTe!, { name: names.rm, cmd: ['true'] });
  });
  afterAll(async () => {
    await removeTestContainers(dockerTe!);
    await removeTestContainers(podmanTe!);
  });

  it('shows the containers of both engines side by side; q restores the terminal', async () => {
    const s = gantry(hostArgs());
    const screen = await s.waitFor((t) => t.includes(names.dock) && t.includes(names.pod));
    expect(await s.inAltScreen()).toBe(true);
    expect(screen).toMatch(new RegExp(`docker\\s+${names.dock}\\s+busybox`));
    expect(screen).toMatch(new RegExp(`podman\\s+${names.pod}\\s+localhost/busybox`));
    expect(screen).toMatch(/docker ● .*docker\.sock/);
    expect(screen).toMatch(/podman ● .*podman\.sock/);
    expect(screen).toContain('[1] Containers');
    await s.press('q');
    const e = await s.waitExit();
    expect(e.exitCode).toBe(0);
    expect(await s.inAltScreen()).toBe(false);
    expect(s.raw.lastIndexOf(LEAVE_ALT)).toBeGreaterThan(s.raw.lastIndexOf('\x1b[?1049h'));
    expect(s.raw.slice(s.raw.lastIndexOf('\x1b[?25l'))).toContain(SHOW_CURSOR);
  });

  it('filters with /, stops the selected container with s and shows it exited', async () => {
    const name = uniqueName('e2e-stop');
    const c = await runContainer(dockerTe!, { name });
    const s = gantry(hostArgs());
    await s.waitFor(name);
    await s.press('/', ...name.split(''));
    let screen = await s.waitFor(`filter: ${name}`);
    expect(screen).not.toContain(names.pod);
    expect(screen).toMatch(/Containers 1\/\d+/);
    await s.press(KEY.ENTER, 's');
    await s.waitFor(`Stop docker/${name}?`);
    await s.press('y');
    screen = await s.waitFor(new RegExp(`${name}\\s+busybox\\S*\\s+exited \\(\\d+\\)`), 20_000);
    expect(screen).toContain(`stopped docker/${name}`);
    expect(await inspectState(dockerTe!, c.id)).toBe('exited');
    await s.press(KEY.ESC);
    await s.waitFor(names.pod);
  });

  it('asks before removing with d, names the container, removes on y', async () => {
    const s = gantry(hostArgs());
    await s.waitFor(names.rm);
    await s.press('/', ...names.rm.split(''), KEY.ENTER);
    await s.waitFor(`filter: ${names.rm}`);
    await s.press('d');
    const screen = await s.waitFor(`Remove docker/${names.rm}?`);
    expect(screen).toContain('[y] remove');
    expect(await inspectState(dockerTe!, (await dockerTe!.docker.getContainer(names.rm).inspect()).Id)).toBe('exited');
    await s.press('y');
    await s.waitFor(`removed docker/${names.rm}`);
    await s.waitFor((t) => !new RegExp(`docker\\s+${names.rm}`).test(t));
    await expect(dockerTe!.docker.getContainer(names.rm).inspect()).rejects.toThrow();
  });

  it('redraws on resize, and says so when the terminal is too small', async () => {
    const s = gantry(hostArgs(), { cols: 120, rows: 30 });
    await s.waitFor(names.pod);
    s.resize(80, 24);
    // Redrawn for 80×24: the key hints on the frame's last row (one short of the terminal).
    await s.waitFor((t) => {
      const ls = t.split('\n');
      // (names are cut to fit 80 columns)
      return ls.length === 24 && ls[22]!.startsWith(' Enter logs  E shell') && ls[23] === '' && t.includes(names.pod.slice(0, 12));
    });
    const lines = await s.lines();
    expect(lines[0]).toMatch(/^ gantry {2}docker ● /);
    expect(lines[1]).toContain('[1] Containers');
    s.resize(60, 20);
    await s.waitFor('Terminal too small: 60×20');
    s.resize(100, 30);
    await s.waitFor((t) => t.includes(names.pod) && !t.includes('Terminal too small'));
  });

  it('restores the terminal on SIGTERM and SIGHUP', async () => {
    for (const sig of ['SIGTERM', 'SIGHUP'] as const) {
      const s = gantry(hostArgs());
      await s.waitFor(names.pod);
      s.kill(sig);
      const e = await s.waitExit();
      expect(e.exitCode === 0 ? e.signal : e.exitCode).toBe(sig === 'SIGTERM' ? 143 : 129);
      expect(await s.inAltScreen()).toBe(false);
      expect(s.raw.lastIndexOf(LEAVE_ALT)).toBeGreaterThan(s.raw.lastIndexOf('\x1b[?1049h'));
    }
  });

  it('Ctrl-C quits and restores the terminal', async () => {
    const s = gantry(hostArgs());
    await s.waitFor(names.pod);
    s.type(KEY.CTRL_C);
    const e = await s.waitExit();
    expect(e.exitCode).toBe(0);
    expect(await s.inAltScreen()).toBe(false);
  });

  it('on an uncaught error restores the terminal, writes the stack to a log and prints its path', async () => {
    const s = gantry(hostArgs(), { env: { GANTRY_TEST_CRASH_MS: '1500' } });
    await s.waitFor(names.pod);
    const e = await s.waitExit();
    expect(e.exitCode).toBe(70);
    expect(await s.inAltScreen()).toBe(false);
    const screen = await s.screen();
    expect(screen).toContain('gantry crashed: deliberate crash for testing');
    const m = /The details are in (\S+\.log)/.exec(screen.replace(/\n/g, ''));
    expect(m).toBeTruthy();
    expect(m![1]!.startsWith(join(tmp, 'state', 'gantry'))).toBe(true);
    expect(existsSync(m![1]!)).toBe(true);
    const log = readFileSync(m![1]!, 'utf8');
    expect(log).toMatch(/Error: deliberate crash[\s\S]*\n\s+at /);
    // Private, versioned, and the throw is found in the source, not only in the minified bundle.
    expect(statSync(m![1]!).mode & 0o777).toBe(0o600);
    expect(log).toMatch(/^gantry \d+\.\d+\.\d+\S* crashed at /);
    expect(log).toMatch(/\n {4}at src\/app\/run\.ts:\d+:\d+ \(dist\/gantry\.cjs:\d+:\d+/);
    expect(screen).toContain('gantry doctor');
  });

  it('tells a user without access to the socket what to do', async () => {
    // As a user outside the docker group (nobody), the root-owned socket refuses the connection.
    // gantry is a self-contained bundle: a copy in a world-readable folder runs wherever the
    // checkout lives (a checkout under /root would not be readable by nobody).
    const copy = join(tmp, 'gantry-copy');
    cpSync(join(ROOT, 'bin'), join(copy, 'bin'), { recursive: true });
    cpSync(join(ROOT, 'dist'), join(copy, 'dist'), { recursive: true });
    execFileSync('chmod', ['-R', 'a+rX', copy]);
    const s = new PtySession('runuser', ['-u', 'nobody', '--', process.execPath, join(copy, 'bin', 'gantry'), '--host', dockerTe!.url], {
      cols: 120,
      rows: 30,
      env: { HOME: tmp, ...env },
    });
    sessions.push(s);
    const e = await s.waitExit();
    expect(e.exitCode).toBe(1);
    const screen = (await s.screen()).replace(/\n/g, '');
    // The place is named once: its URL, then why (not the socket's path again).
    expect(screen).toContain(`${dockerTe!.url} (--host): permission denied`);
    expect(screen).toContain('docker group');
  });

  it('shows a banner when docker dies, keeps podman, and recovers when docker returns', async () => {
    const s = gantry(hostArgs());
    await s.waitFor((t) => t.includes(names.dock) && t.includes(names.pod));
    try {
      enginesScript('stop-docker');
      let screen = await s.waitFor('docker: connection lost, retrying', 20_000);
      expect(screen).toContain(names.pod);
      expect(screen).toContain(names.dock);
      const pname = uniqueName('e2e-while-down');
      await runContainer(podmanTe!, { name: pname });
      await s.waitFor(pname, 15_000);
      enginesScript('start-docker');
      screen = await s.waitFor((t) => !t.includes('connection lost') && /docker ●/.test(t), 40_000);
      expect(screen).toContain(names.dock);
    } finally {
      // Leave docker running for whatever runs next, even when this test failed half-way.
      try {
        enginesScript('start-docker');
      } catch {
        /* already running */
      }
    }
  }, 90_000);
});
