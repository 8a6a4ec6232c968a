// GPUs in the real bin/gantry, in a pseudo-terminal, with the nvidia-smi stand-in replaying the
// 4-GPU server and reporting the real pids of containers running on both engines.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GANTRY, KEY, PtySession, ROOT } from '../helpers/pty.js';
import { enginesOrSkip, removeTestContainers, runContainer, uniqueName } from '../helpers/engines.js';

const engines = enginesOrSkip('GPU end-to-end tests (test/e2e/gpus.test.ts)');
const FAKE = `${ROOT}test/helpers/fake-nvidia-smi`;
const tmp = mkdtempSync(join(tmpdir(), 'gantry-e2e-gpu-'));
const procsFile = join(tmp, 'procs');
const env = { XDG_CONFIG_HOME: join(tmp, 'config'), XDG_STATE_HOME: join(tmp, 'state'), FAKE_NVIDIA_SMI_PROFILE: 'rtx4', FAKE_NVIDIA_SMI_PROCS_FILE: procsFile };

let sessions: PtySession[] = [];
afterEach(async () => {
  await Promise.all(sessions.map((s) => s.dispose()));
  sessions = [];
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(!engines)('GPUs on screen and in `gantry gpus`', () => {
  const [dockerTe, podmanTe] = engines ?? [];
  const names = { d: uniqueName('vla-train'), p: uniqueName('ppo-train') };
  let pids = { d: 0, p: 0 };
  const hosts = () => ['--host', dockerTe!.url, '--host', podmanTe!.url];

  beforeAll(async () => {
    const d = await runContainer(dockerTe!, { name: names.d, env: ['NVIDIA_VISIBLE_DEVICES=0,1'] });
    const p = await runContainer(podmanTe!, { name: names.p });
    pids = { d: (await d.inspect()).State.Pid, p: (await p.inspect()).State.Pid };
    writeFileSync(procsFile, `${pids.d}:1:9500:python3 train.py,${pids.p}:2:20480:python3 ppo.py`);
  });
  afterAll(async () => {
    await removeTestContainers(dockerTe!);
    await removeTestContainers(podmanTe!);
  });

  it('shows the strip, the GPU and VRAM columns, the GPUs pane, and Enter goes to the container', async () => {
    const s = PtySession.gantry([...hosts(), '--nvidia-smi', FAKE], { cols: 150, rows: 32, env });
    sessions.push(s);
    let screen = await s.waitFor((t) => t.includes('GPU0 ') && t.includes(names.d) && /9\.3G/.test(t));
    expect(screen).toMatch(/GPU0 ██░░░░░░ 9\.4G\/48G {3}0% 29C {2}GPU1 █░░░░░░░ 4\.5G\/48G {3}0% 53C/);
    expect(screen).toMatch(/GPU\s+VRAM/);
    expect(screen).toMatch(new RegExp(`docker\\s+${names.d}\\s+busybox\\S*\\s+0,1\\s+9\\.3G`));
    expect(screen).toMatch(new RegExp(`podman\\s+${names.p}\\s+localhost/busybox\\S*\\s+2\\s+20\\.0G`));
    await s.press('5');
    screen = await s.waitFor('PID  CONTAINER / HOST USER');
    expect(screen).toMatch(/GPU 1 {2}NVIDIA RTX 6000 Ada Generation/);
    expect(screen).toMatch(new RegExp(`${pids.d} {2}docker/${names.d}\\s+9\\.3G {2}python3 train\\.py`));
    expect(screen).toMatch(new RegExp(`${pids.p} {2}podman/${names.p}\\s+20\\.0G {2}python3 ppo\\.py`));
    // j moves from process to process (the GPUs' own lines are no stops); the podman one is the last.
    await s.press('j', 'j', 'j', 'j', KEY.ENTER);
    screen = await s.waitFor(`pid ${pids.p}: podman/${names.p}`);
    expect(screen).toContain('[1] Containers');
  });

  it('says nvidia-smi is missing in the strip, and the containers still work', async () => {
    const s = PtySession.gantry([...hosts(), '--nvidia-smi', join(tmp, 'no-such-nvidia-smi')], { cols: 130, rows: 32, env });
    sessions.push(s);
    const screen = await s.waitFor('GPUs: nvidia-smi not found');
    expect(screen).toContain(names.d);
    await s.press('5');
    await s.waitFor((t) => t.includes('PID  CONTAINER') && t.includes('nvidia-smi not found'));
  });

  it('says a hung nvidia-smi is not answering, counting on, and the containers still work', async () => {
    const s = PtySession.gantry([...hosts(), '--nvidia-smi', FAKE], { cols: 130, rows: 32, env: { ...env, FAKE_NVIDIA_SMI_MODE: 'hang' } });
    sessions.push(s);
    let screen = await s.waitFor(names.d);
    expect(screen).toContain('GPUs: starting nvidia-smi…');
    screen = await s.waitFor(/GPUs: nvidia-smi is not answering \(\d+ s\); restarting it/, 30_000);
    const first = Number(/not answering \((\d+) s\)/.exec(screen)![1]);
    expect(first).toBeGreaterThanOrEqual(10);
    await s.waitFor((t) => Number(/not answering \((\d+) s\)/.exec(t)?.[1]) > first, 15_000);
    await s.press('j');
    expect(await s.screen()).toContain(names.p);
  }, 60_000);

  it('--no-gpu shows no GPU columns or strip', async () => {
    const s = PtySession.gantry([...hosts(), '--no-gpu'], { cols: 130, rows: 32, env });
    sessions.push(s);
    const screen = await s.waitFor(names.d);
    expect(screen).not.toMatch(/VRAM/);
    expect(screen).not.toMatch(/GPUs:|GPU0/);
  });

  it('gantry gpus --json attributes processes to containers of both engines', () => {
    const out = execFileSync(process.execPath, [GANTRY, 'gpus', '--json', ...hosts(), '--nvidia-smi', FAKE], { encoding: 'utf8', env: { ...process.env, ...env } });
    const r = JSON.parse(out);
    expect(r.status).toBe('ok');
    expect(r.gpus.map((g: { index: number }) => g.index)).toEqual([0, 1, 2, 3]);
    expect(r.gpus[1].processes).toEqual([{ pid: pids.d, processName: 'python3 train.py', usedMemoryMiB: 9500, container: expect.objectContaining({ engine: 'docker', name: names.d }) }]);
    expect(r.gpus[2].processes[0].container).toMatchObject({ engine: 'podman', name: names.p });
    expect(r.containers).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ engine: 'docker', name: names.d, gpus: [0, 1], given: [0, 1], memoryMiB: 9500 }),
        expect.objectContaining({ engine: 'podman', name: names.p, gpus: [2], given: [], memoryMiB: 20480 }),
      ]),
    );
    const table = execFileSync(process.execPath, [GANTRY, 'gpus', ...hosts(), '--nvidia-smi', FAKE], { encoding: 'utf8', env: { ...process.env, ...env } });
    expect(table).toMatch(new RegExp(`GPU 1 {2}NVIDIA RTX 6000 Ada Generation[\\s\\S]*${pids.d} {2}docker/${names.d}`));
  });

  it('gantry gpus says when nvidia-smi is missing, exit code 1', () => {
    let err = '';
    let code = 0;
    try {
      execFileSync(process.execPath, [GANTRY, 'gpus', ...hosts(), '--nvidia-smi', '/nonexistent/nvidia-smi'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      err = String((e as { stderr?: string }).stderr);
      code = (e as { status?: number }).status ?? 0;
    }
    expect(code).toBe(1);
    expect(err).toContain('nvidia-smi not found');
  });
});
