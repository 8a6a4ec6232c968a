// Inside a container, on the real Docker and Podman engines: exec with and without a TTY, the
// shell choice (an image without any shell included), attach and detach, the inspect summary
// against the raw inspect, stats and top.
import type Docker from 'dockerode';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAttach } from '../../src/engine/attach.js';
import { chooseShell, execCapture, NO_SHELL_MESSAGE, startInteractiveExec } from '../../src/engine/exec.js';
import { inspectSummary } from '../../src/engine/inspect.js';
import { summaryLines } from '../../src/present/inspect.js';
import { maskValue } from '../../src/text/secrets.js';
import { streamStats, topProcesses, type StatsSample } from '../../src/engine/stats.js';
import { enginesOrSkip, removeTestContainers, RUN_LABEL, runContainer, uniqueName, waitUntil, type TestEngine } from '../helpers/engines.js';

const engines = enginesOrSkip('exec/attach/inspect/stats/top tests (test/integration/inside.test.ts)');
const tmp = mkdtempSync(join(tmpdir(), 'gantry-inside-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Collects a stream's output as text, to wait on. */
function reader(stream: Duplex) {
  let text = '';
  let ended = false;
  stream.on('data', (c: Buffer) => {
    text += c.toString('utf8');
  });
  stream.on('end', () => {
    ended = true;
  });
  return {
    get text() {
      return text;
    },
    get ended() {
      return ended;
    },
    until: (re: RegExp, ms = 10_000) => waitUntil(() => re.test(text), ms, `output matching ${re} (got ${JSON.stringify(text.slice(-300))})`),
  };
}

/** The promise's value, or 'still waiting' after `ms`. */
function within<T>(p: Promise<T>, ms = 8000): Promise<T | 'still waiting'> {
  return Promise.race([p, new Promise<'still waiting'>((r) => setTimeout(() => r('still waiting'), ms))]);
}

/** A container with stdin kept open (for attach), labelled for cleanup. */
async function stdinContainer(te: TestEngine, tty: boolean): Promise<Docker.Container> {
  const c = await te.docker.createContainer({
    name: uniqueName(tty ? 'in-att-tty' : 'in-att'),
    Image: te.image,
    Cmd: ['sh'],
    Tty: tty,
    OpenStdin: true,
    Labels: { [RUN_LABEL]: String(process.pid) },
    HostConfig: { NetworkMode: 'none' },
  });
  await c.start();
  return c;
}

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** CPU seconds (user + system) a host process has used, from /proc/PID/stat. */
function procCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

async function hostPid(c: Docker.Container): Promise<number> {
  return (await c.inspect()).State.Pid;
}

describe.skipIf(!engines).each(engines ?? [])('$kind: inside a container', (te) => {
  const volumes: string[] = [];
  const images: string[] = [];

  afterAll(async () => {
    await removeTestContainers(te);
    for (const v of volumes) await te.docker.getVolume(v).remove().catch(() => undefined);
    for (const i of images) await te.docker.getImage(i).remove({ force: true }).catch(() => undefined);
  });

  describe('exec', () => {
    let c: Docker.Container;
    beforeAll(async () => {
      c = await runContainer(te, { name: uniqueName('in-exec') });
    });

    it('captures output (stdout and stderr) and the exit code', async () => {
      const r = await execCapture(te.docker, c.id, ['sh', '-c', 'echo hi; echo oops >&2; exit 3']);
      expect(r.exitCode).toBe(3);
      // The engines copy stdout and stderr separately: both come, in either order.
      expect(r.output.split('\n').sort()).toEqual(['', 'hi', 'oops']);
      expect(r.truncated).toBe(false);
      const ok = await execCapture(te.docker, c.id, ['echo', 'plain']);
      expect(ok).toEqual({ output: 'plain\n', exitCode: 0, truncated: false });
    });

    it('keeps the start of a long output and says so', async () => {
      const r = await execCapture(te.docker, c.id, ['seq', '1', '100000'], { maxBytes: 1000 });
      expect(r.exitCode).toBe(0);
      expect(r.truncated).toBe(true);
      expect(r.output.length).toBe(1000);
      expect(r.output.startsWith('1\n2\n3\n')).toBe(true);
    });

    it('reports a command that is not in the image through its output and exit code', async () => {
      const r = await execCapture(te.docker, c.id, ['no-such-program']);
      // Docker: 126 with the runtime's words on stdout; Podman: 127 on stderr.
      expect(r.exitCode).toBe(te.kind === 'docker' ? 126 : 127);
      expect(r.output).toMatch(/executable file not found/);
    });

    it('runs an interactive shell with a TTY: keys in, output out, resize, exit code', async () => {
      const s = await startInteractiveExec(te.docker, c.id, ['sh'], { cols: 100, rows: 30 });
      const out = reader(s.stream);
      expect(s.tty).toBe(true);
      s.stream.write('stty size\n');
      await out.until(/\b30 100\b/);
      await s.resize(120, 40);
      s.stream.write('stty size; echo hi-from-$((6*7))-inside; exit 5\n');
      const end = await s.wait();
      expect(end).toEqual({ exitCode: 5 });
      expect(out.text).toMatch(/\b40 120\b/);
      // The echo of the typed line has $((6*7)); only the shell's output has 42.
      expect(out.text).toContain('hi-from-42-inside');
      // Resizing after the end is harmless.
      await expect(s.resize(80, 24)).resolves.toBeUndefined();
    });

    it('closes a session from this side without waiting for the command', async () => {
      const s = await startInteractiveExec(te.docker, c.id, ['sleep', '600'], { cols: 80, rows: 24 });
      s.close();
      // Still running in the container, so no exit code; and no waiting for it.
      expect(await within(s.wait(), 3000)).toEqual({});
    });

    it('chooses sh on busybox (no bash), even when another shell is preferred', async () => {
      expect(await chooseShell(te.docker, c.id)).toMatch(/(^|\/)sh$/);
      expect(await chooseShell(te.docker, c.id, 'zsh')).toMatch(/(^|\/)sh$/);
      // A preferred shell that is there wins.
      const sh = await chooseShell(te.docker, c.id, 'ash');
      expect(sh).toMatch(/(^|\/)ash$|(^|\/)sh$/);
    });

    it('says plainly that a stopped or paused container cannot take an exec', async () => {
      const name = uniqueName('in-stopped');
      const stopped = await runContainer(te, { name, cmd: ['true'] });
      await stopped.wait();
      const msg = `container ${name} is not running: start it with S first`;
      await expect(execCapture(te.docker, stopped.id, ['sh'])).rejects.toThrow(msg);
      await expect(startInteractiveExec(te.docker, stopped.id, ['sh'], { cols: 80, rows: 24 })).rejects.toThrow(msg);
      await expect(chooseShell(te.docker, stopped.id)).rejects.toThrow(msg);
      await expect(startAttach(te.docker, stopped.id, { cols: 80, rows: 24 })).rejects.toThrow(msg);

      const pname = uniqueName('in-paused');
      const paused = await runContainer(te, { name: pname });
      await paused.pause();
      try {
        await expect(startInteractiveExec(te.docker, paused.id, ['sh'], { cols: 80, rows: 24 })).rejects.toThrow(`container ${pname} is paused: unpause it with p first`);
        await expect(execCapture(te.docker, paused.id, ['true'])).rejects.toThrow(/is paused: unpause it with p first/);
      } finally {
        await paused.unpause();
      }
      await expect(execCapture(te.docker, 'f'.repeat(64), ['true'])).rejects.toThrow(/no longer exists/);
    });
  });

  describe('an image without any shell', () => {
    let c: Docker.Container;
    beforeAll(async () => {
      // An image holding nothing but a static busybox at /busybox: no /bin/sh, no bash.
      const bb = ['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p));
      if (!bb) throw new Error('no static busybox on this machine: install busybox-static (scripts/engines.sh install)');
      const dir = join(tmp, `noshell-${te.kind}`);
      mkdirSync(dir, { recursive: true });
      copyFileSync(bb, join(dir, 'busybox'));
      const tar = join(tmp, `noshell-${te.kind}.tar`);
      execFileSync('tar', ['-C', dir, '-cf', tar, 'busybox']);
      const repo = `gantry-test-noshell-${process.pid}`;
      const stream = await te.docker.importImage(tar, { repo, tag: 'latest' } as object);
      await new Promise<void>((resolve, reject) => te.docker.modem.followProgress(stream, (err) => (err ? reject(err) : resolve())));
      // Podman's compatible import names it docker.io/library/<repo>, as Docker would: the short name works on both.
      const ref = `${repo}:latest`;
      images.push(ref);
      c = await te.docker.createContainer({
        name: uniqueName('in-noshell'),
        Image: ref,
        Cmd: ['/busybox', 'sleep', '100000'],
        Labels: { [RUN_LABEL]: String(process.pid) },
        HostConfig: { NetworkMode: 'none' },
      });
      await c.start();
    });

    it('says there is neither bash nor sh, and what to do', async () => {
      // The container runs: a command that is there works.
      expect(await execCapture(te.docker, c.id, ['/busybox', 'echo', 'alive'])).toMatchObject({ output: 'alive\n', exitCode: 0 });
      await expect(chooseShell(te.docker, c.id)).rejects.toThrow(NO_SHELL_MESSAGE);
      await expect(chooseShell(te.docker, c.id, 'zsh')).rejects.toThrow(NO_SHELL_MESSAGE);
    });
  });

  describe('attach', () => {
    it('attaches to a TTY container: output, resize, detach with Ctrl-P Ctrl-Q leaves it running', async () => {
      const c = await stdinContainer(te, true);
      const s = await startAttach(te.docker, c.id, { cols: 90, rows: 20 });
      expect(s.tty).toBe(true);
      const out = reader(s.stream);
      s.stream.write('echo attached-$((6*7)); stty size\n');
      await out.until(/attached-42/);
      await out.until(/\b20 90\b/);
      await s.resize(100, 25);
      s.stream.write('stty size\n');
      await out.until(/\b25 100\b/);
      // Nothing but what the shell printed: no request bytes typed into its stdin (Podman did that).
      expect(out.text).not.toMatch(/not found/);
      s.stream.write(Buffer.from([0x10, 0x11]));
      expect(await within(s.wait())).toEqual({ detached: true });
      expect((await c.inspect()).State.Running).toBe(true);

      // Attach again; the main process ending ends the session with its exit code.
      const again = await startAttach(te.docker, c.id, { cols: 90, rows: 20 });
      again.stream.write('exit 4\n');
      expect(await within(again.wait())).toEqual({ exitCode: 4 });
    });

    it('attaches to a container without a TTY: demultiplexed output, detach works too, and it keeps running', async () => {
      const c = await stdinContainer(te, false);
      // Podman closes a non-TTY container's stdin when an attach with stdin ends: attach to the output only there.
      const outputOnly = te.kind === 'podman';
      const s = await startAttach(te.docker, c.id, { cols: 80, rows: 24, outputOnly });
      expect(s.tty).toBe(false);
      const out = reader(s.stream);
      if (outputOnly) {
        // Something the main process prints: written to its stdout and stderr from an exec.
        await execCapture(te.docker, c.id, ['sh', '-c', 'echo out-line >/proc/1/fd/1; echo err-line >/proc/1/fd/2']);
      } else s.stream.write('echo out-line; echo err-line >&2\n');
      await out.until(/out-line\n[^]*err-line\n|err-line\n[^]*out-line\n/);
      // No frame headers left in the text.
      expect(out.text).not.toMatch(/[\x00-\x02]/);
      expect(out.text).not.toMatch(/not found/);
      // Neither engine detaches a non-TTY attach itself; gantry does.
      s.stream.write(Buffer.from([0x10, 0x11]));
      expect(await within(s.wait())).toEqual({ detached: true });
      // Still running a while later (a closed stdin would have ended its sh by now).
      await new Promise((r) => setTimeout(r, 2000));
      expect((await c.inspect()).State.Running).toBe(true);
    });
  });

  describe('inspect summary', () => {
    it('matches the raw inspect: restart policy, mounts, ports, labels, shm, env secrets', async () => {
      const hostDir = mkdtempSync(join(tmp, 'bind-'));
      const vol = `gantry-test-vol-${process.pid}-${te.kind}`;
      volumes.push(vol);
      // Created, not started: Podman keeps port bindings only on a bridge network, and no
      // container here may start with one.
      const c = await te.docker.createContainer({
        name: uniqueName('in-insp'),
        Image: te.image,
        Cmd: ['sh', '-c', 'echo "it works"'],
        Env: ['HF_TOKEN=hf_s3cr3t', 'AWS_SECRET_ACCESS_KEY=aws-s3cr3t', 'MODE=train'],
        Labels: { [RUN_LABEL]: String(process.pid), project: 'vla' },
        ExposedPorts: { '7860/tcp': {} },
        HostConfig: {
          NetworkMode: 'bridge',
          Binds: [`${hostDir}:/workspace:ro`, `${vol}:/cache`],
          Tmpfs: { '/scratch': 'size=1m' },
          ShmSize: 128 * 1024 * 1024,
          RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 },
          PortBindings: { '7860/tcp': [{ HostIp: '127.0.0.1', HostPort: '17860' }] },
        },
      });
      const raw = await c.inspect();
      const s = inspectSummary(raw);
      expect(s.id).toBe(raw.Id);
      expect(s.state).toBe('created');
      expect(s.exitCode).toBeUndefined();
      expect(s.startedAt).toBeUndefined();
      expect(s.restartPolicy).toEqual({ name: raw.HostConfig.RestartPolicy!.Name, maxRetries: raw.HostConfig.RestartPolicy!.MaximumRetryCount });
      expect(s.restartPolicy).toEqual({ name: 'on-failure', maxRetries: 3 });
      expect(s.shmSize).toBe(raw.HostConfig.ShmSize);
      expect(s.shmSize).toBe(128 * 1024 * 1024);
      expect(s.labels).toEqual(raw.Config.Labels);
      expect(s.labels.project).toBe('vla');
      expect(s.command).toEqual(['sh', '-c', 'echo "it works"']);
      expect(s.mounts).toEqual([
        { type: 'volume', source: vol, target: '/cache', rw: true, hostPath: expect.stringContaining(vol) },
        { type: 'tmpfs', source: '', target: '/scratch', rw: true, options: 'size=1m' },
        { type: 'bind', source: hostDir, target: '/workspace', rw: false },
      ]);
      expect(s.ports).toEqual([{ containerPort: 7860, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 17860 }]);
      expect(s.ipcMode).toBe(raw.HostConfig.IpcMode);
      expect(s.env.find((e) => e.name === 'HF_TOKEN')).toEqual({ name: 'HF_TOKEN', value: 'hf_s3cr3t', secret: true });
      expect(s.env.find((e) => e.name === 'AWS_SECRET_ACCESS_KEY')?.secret).toBe(true);
      expect(s.env.find((e) => e.name === 'MODE')?.secret).toBe(false);
      expect(maskValue('hf_s3cr3t')).not.toContain('s3cr3t');
      const text = summaryLines(s).join('\n');
      expect(text).not.toContain('s3cr3t');
      expect(text).toMatch(/127\.0\.0\.1:17860 → 7860\/tcp/);
      expect(text).toMatch(/on-failure:3/);
      expect(text).toMatch(/shm 128 MiB/);
      expect(text).toContain(`bind ${hostDir} → /workspace (ro)`);
      await c.remove({ v: true });
    });

    it('reads the exit code and times of an exited container, and no health without a check', async () => {
      const c = await runContainer(te, { name: uniqueName('in-exit'), cmd: ['sh', '-c', 'exit 3'] });
      await c.wait();
      const raw = await c.inspect();
      const s = inspectSummary(raw);
      expect(s.state).toBe('exited');
      expect(s.exitCode).toBe(3);
      expect(s.exitCode).toBe(raw.State.ExitCode);
      expect(s.oomKilled).toBe(false);
      expect(s.startedAt).toBe(raw.State.StartedAt);
      expect(s.finishedAt).toBe(raw.State.FinishedAt);
      expect(s.health).toBeUndefined();
      expect(s.networks).toEqual([]);
      expect(s.workingDir).toBe('/');
      expect(summaryLines(s)[0]).toMatch(/^state\s+exited \(exit code 3\)$/);
    });

    it("reads a failing health check's streak and last output", async () => {
      const c = await te.docker.createContainer({
        name: uniqueName('in-health'),
        Image: te.image,
        Cmd: ['sleep', '100000'],
        Healthcheck: { Test: ['CMD-SHELL', 'echo probe-said-no; exit 1'], Interval: 500_000_000, Timeout: 2_000_000_000, Retries: 1 },
        Labels: { [RUN_LABEL]: String(process.pid) },
        HostConfig: { NetworkMode: 'none' },
      });
      await c.start();
      if (te.kind === 'podman') {
        // Podman schedules health checks with systemd timers, absent here: run one through its API.
        await new Promise((resolve, reject) =>
          te.docker.modem.dial({ path: `/v4.0.0/libpod/containers/${c.id}/healthcheck`, method: 'GET', statusCodes: { 200: true } }, (e: unknown, d: unknown) => (e ? reject(e) : resolve(d))),
        );
      }
      await waitUntil(async () => (inspectSummary(await c.inspect()).health?.failingStreak ?? 0) >= 1, 15_000, 'a failed health probe');
      const s = inspectSummary(await c.inspect());
      expect(s.health).toMatchObject({ status: 'unhealthy', lastOutput: 'probe-said-no', lastExitCode: 1 });
    });
  });

  describe('stats and top', () => {
    it('streams samples with memory, pids and a CPU % that makes sense for one busy process', async () => {
      const c = await runContainer(te, { name: uniqueName('in-stats'), cmd: ['sh', '-c', 'while :; do :; done'] });
      const pid = await hostPid(c);
      const samples: StatsSample[] = [];
      // What the host's /proc says the spinning shell used, read as each sample arrives.
      const truth: { at: number; cpuSeconds: number }[] = [];
      const ends: (string | undefined)[] = [];
      const cancel = streamStats(
        te.docker,
        c.id,
        te.kind,
        (s) => {
          samples.push(s);
          truth.push({ at: performance.now(), cpuSeconds: procCpuSeconds(pid) });
        },
        (r) => ends.push(r),
      );
      try {
        // Docker samples every second, Podman every 5 s.
        await waitUntil(() => samples.length >= 3, 25_000, 'three stats samples');
      } finally {
        cancel();
      }
      const s = samples.at(-1)!;
      const [a, b] = truth.slice(-2) as [(typeof truth)[0], (typeof truth)[0]];
      const measured = ((b.cpuSeconds - a.cpuSeconds) / ((b.at - a.at) / 1000)) * 100;
      expect(Math.abs(s.cpuPct! - measured), `engine said ${s.cpuPct}%, /proc said ${measured}%`).toBeLessThan(15);
      expect(s.memUsed).toBeGreaterThan(0);
      expect(s.memLimit).toBeGreaterThan(s.memUsed);
      expect(s.pids).toBeGreaterThanOrEqual(1);
      expect(s.at).toBeGreaterThan(Date.now() - 60_000);
      // One shell spinning: busy, and never more than one CPU (Podman's own system counter would say more).
      expect(s.cpuPct!).toBeGreaterThan(5);
      expect(s.cpuPct!).toBeLessThan(110);
      expect(s.intervalMs).toBeGreaterThan(te.kind === 'docker' ? 500 : 3000);
      // Cancelled: no more samples, and no end reported.
      const n = samples.length;
      await c.remove({ force: true });
      await new Promise((r) => setTimeout(r, te.kind === 'docker' ? 2500 : 6000));
      expect(samples.length).toBe(n);
      expect(ends).toEqual([]);
    });

    it('ends the stream with a plain reason when the container stops', async () => {
      const name = uniqueName('in-stats-stop');
      const c = await runContainer(te, { name });
      const samples: StatsSample[] = [];
      const ends: (string | undefined)[] = [];
      const cancel = streamStats(te.docker, c.id, te.kind, (s) => samples.push(s), (r) => ends.push(r));
      try {
        await waitUntil(() => samples.length >= 1, 15_000, 'a first sample');
        await c.stop({ t: 0 });
        await waitUntil(() => ends.length >= 1, 20_000, 'the stats stream to end');
      } finally {
        cancel();
      }
      expect(ends).toEqual([`container ${name} is not running: start it with S first`]);
      // A stopped container's stream says so at once.
      const again: (string | undefined)[] = [];
      const c2 = streamStats(te.docker, c.id, te.kind, () => undefined, (r) => again.push(r));
      await waitUntil(() => again.length === 1, 15_000, 'the end of a stopped container’s stats');
      c2();
      expect(again[0]).toMatch(/is not running: start it with S first/);
    });

    it("lists the container's processes with host PIDs, user, CPU and command", async () => {
      const c = await runContainer(te, { name: uniqueName('in-top'), cmd: ['sh', '-c', 'sleep 100000 & sleep 200000'] });
      // Until sh has started the background sleep and exec'd the last one, top shows `sh -c …`.
      const both = (ps: { command: string }[]) => ['sleep 100000', 'sleep 200000'].every((cmd) => ps.some((p) => p.command === cmd));
      await waitUntil(async () => both(await topProcesses(te.docker, c.id)), 15_000, 'both sleeps in top');
      const pid = await hostPid(c);
      for (const kind of [undefined, te.kind]) {
        const procs = await topProcesses(te.docker, c.id, kind);
        const main = procs.find((p) => p.command === 'sleep 200000');
        expect(main, JSON.stringify(procs)).toBeDefined();
        expect(main!.pid).toBe(pid);
        expect(main!.user).toBe('root');
        expect(main!.cpu).toBeGreaterThanOrEqual(0);
        expect(main!.rss).toBeGreaterThan(0);
        expect(procs.some((p) => p.command === 'sleep 100000')).toBe(true);
        if (te.kind === 'podman') expect(main!.containerPid).toBe(1);
        else expect(main!.mem).toBeGreaterThanOrEqual(0);
      }
      const name = uniqueName('in-top-stopped');
      const stopped = await runContainer(te, { name, cmd: ['true'] });
      await stopped.wait();
      await expect(topProcesses(te.docker, stopped.id)).rejects.toThrow(`container ${name} is not running: start it with S first`);
    });
  });
});
