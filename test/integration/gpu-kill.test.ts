// K on a GPU process, against real containers: the nvidia-smi stand-in reports the real pid of a
// process inside a container (not its main process) on each engine; the question names the
// container and the memory, and y kills exactly that process through the engine, the container
// running on. Its main process is killed through the engine's kill (the container stops, 137).
// A host process of another user gets a refusal in words.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverEngines } from '../../src/engine/discovery.js';
import { GpuMonitor } from '../../src/gpu/monitor.js';
import { attribute } from '../../src/gpu/attribute.js';
import { EngineWatcher } from '../../src/store/sources.js';
import { createStore } from '../../src/store/store.js';
import { initialState, reducer, type Action, type AppState } from '../../src/store/state.js';
import { gpuRows, type GpuRow } from '../../src/store/gpu.js';
import { GpuController } from '../../src/actions/gpu.js';
import { enginesOrSkip, inspectState, removeTestContainers, runContainer, uniqueName, waitUntil, type TestEngine } from '../helpers/engines.js';
import { ROOT } from '../helpers/pty.js';

const engines = enginesOrSkip('GPU process kill tests');
const FAKE = `${ROOT}test/helpers/fake-nvidia-smi`;
const tmp = mkdtempSync(join(tmpdir(), 'gantry-gpukill-'));

/** A container whose main process (sh) keeps a child `sleep 100001` and reaps it when it dies. */
const WITH_CHILD = ['sh', '-c', 'sleep 100001 & while true; do wait; sleep 0.2; done'];

/** The host pid of the container's `sleep 100001` (a child of its main process). */
function childPid(init: number): number {
  const kids = readFileSync(`/proc/${init}/task/${init}/children`, 'utf8').trim().split(/\s+/).map(Number);
  const pid = kids.find((k) => readFileSync(`/proc/${k}/cmdline`, 'utf8').includes('100001'));
  if (!pid) throw new Error(`no sleep 100001 under ${init}`);
  return pid;
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function rig(te: TestEngine, procs: string) {
  const file = join(tmp, uniqueName('procs'));
  writeFileSync(file, procs);
  process.env.FAKE_NVIDIA_SMI_PROFILE = 'rtx4';
  process.env.FAKE_NVIDIA_SMI_PROCS_FILE = file;
  const disc = await discoverEngines({ env: {}, home: tmp, hosts: [te.url], podmanService: false });
  const store = createStore<AppState, Action>(reducer, initialState({ gpu: true }));
  store.dispatch({ type: 'engines/set', engines: disc.engines.map((e) => ({ id: e.id, kind: e.kind, label: e.label, endpoint: e.url, status: 'connecting' as const })) });
  const watcher = new EngineWatcher(disc.engines[0]!, store);
  const mon = new GpuMonitor({ binary: FAKE, intervalMs: 300, onUpdate: (s) => store.dispatch({ type: 'gpu/update', status: s.status, gpus: s.gpus, processes: attribute(s.processes, s.gpus), at: s.at }) });
  watcher.start();
  mon.start();
  const gpu = new GpuController(store, new Map(disc.engines.map((e) => [e.id, e])));
  const row = async (pid: number, withContainer = true): Promise<GpuRow> => {
    let found: GpuRow | undefined;
    await waitUntil(() => {
      found = gpuRows(store.getState()).find((r) => r.kind === 'proc' && r.proc.pid === pid && (!withContainer || !!r.container));
      return !!found;
    }, 15_000, `pid ${pid} in the GPUs pane`);
    return found!;
  };
  return {
    store,
    gpu,
    row,
    stop() {
      mon.stop();
      watcher.stop();
      disc.shutdown();
    },
  };
}

describe.skipIf(!engines).each(engines ?? [])('K on a GPU process in a $kind container', (te) => {
  afterAll(async () => {
    delete process.env.FAKE_NVIDIA_SMI_PROFILE;
    delete process.env.FAKE_NVIDIA_SMI_PROCS_FILE;
    await removeTestContainers(te);
  });

  it('asks, naming the container and its memory, then kills that process inside it and the container runs on', async () => {
    const name = uniqueName('gk-train');
    const c = await runContainer(te, { name, cmd: WITH_CHILD });
    const init = (await c.inspect()).State.Pid;
    await waitUntil(() => {
      try {
        return childPid(init) > 0;
      } catch {
        return false;
      }
    }, 10_000, 'the child process');
    const pid = childPid(init);
    const r = await rig(te, `${pid}:1:9500:python3 train.py`);
    try {
      r.gpu.requestKill(await r.row(pid));
      const q = r.store.getState().ui.confirm!;
      expect(q.title).toBe(`Kill pid ${pid} (python3 train.py)?`);
      expect(q.lines).toEqual([
        `In ${te.kind}/${name}: it holds 9.28 GiB of GPU memory on GPU 1.`,
        `Killed through ${te.kind}, inside the container; the container keeps running.`,
        'Sends SIGKILL: it gets no chance to save anything.',
      ]);
      expect(q.choices).toEqual([{ key: 'y', label: 'kill', command: 'kill' }]);
      expect(alive(pid)).toBe(true);
      await r.gpu.confirmed();
      expect(r.store.getState().ui.message).toMatchObject({ level: 'ok', text: `killed pid ${pid} (python3 train.py, ${te.kind}/${name})` });
      await waitUntil(() => !alive(pid), 10_000, 'the process gone');
      expect(await inspectState(te, c.id)).toBe('running');
      expect(alive(init)).toBe(true);
    } finally {
      r.stop();
    }
  }, 60_000);

  it("kills the container's main process through the engine: the container stops with 137", async () => {
    const name = uniqueName('gk-main');
    const c = await runContainer(te, { name });
    const init = (await c.inspect()).State.Pid;
    const r = await rig(te, `${init}:0:2048:sleep`);
    try {
      r.gpu.requestKill(await r.row(init));
      expect(r.store.getState().ui.confirm!.lines[1]).toBe(`Killed through ${te.kind}, inside the container; it is the main process: the container stops (exit 137).`);
      await r.gpu.confirmed();
      await waitUntil(async () => (await inspectState(te, c.id)) === 'exited', 15_000, 'the container stopped');
      expect((await c.inspect()).State.ExitCode).toBe(137);
    } finally {
      r.stop();
    }
  }, 60_000);
});

describe.skipIf(!engines)('K on a host GPU process', () => {
  it("kills one's own, and refuses another user's in words when the kernel says EPERM", async () => {
    const te = engines![0]!;
    const mine = spawn('sleep', ['100002'], { stdio: 'ignore' });
    const r = await rig(te, `${mine.pid}:0:512:sleep`);
    try {
      const row = await r.row(mine.pid!, false);
      expect(row.kind === 'proc' && row.proc.hostUser).toBe('root');
      r.gpu.requestKill(row);
      expect(r.store.getState().ui.confirm!.lines[0]).toBe('A host process of root: it holds 512 MiB of GPU memory on GPU 0.');
      await r.gpu.confirmed();
      await waitUntil(() => mine.exitCode !== null || mine.signalCode !== null, 10_000, 'sleep killed');
      expect(mine.signalCode).toBe('SIGKILL');

      // The same question answered by a gantry that is not root: the kernel's EPERM, in words.
      const other = spawn('sleep', ['100003'], { stdio: 'ignore' });
      try {
        const eperm = new GpuController(r.store, new Map(), () => {
          throw Object.assign(new Error(`kill EPERM`), { code: 'EPERM', errno: -1, syscall: 'kill' });
        });
        writeFileSync(process.env.FAKE_NVIDIA_SMI_PROCS_FILE!, `${other.pid}:2:1024:jupyter`);
        eperm.requestKill(await r.row(other.pid!, false));
        await eperm.confirmed();
        expect(r.store.getState().ui.message).toMatchObject({
          level: 'error',
          text: expect.stringMatching(new RegExp(`^could not kill pid ${other.pid} \\(jupyter, host: root\\): not permitted: it belongs to root, and gantry runs as \\S+\\. Ask root, or an administrator \\(sudo kill -9 ${other.pid}\\)$`)),
        });
        expect(alive(other.pid!)).toBe(true);
      } finally {
        other.kill('SIGKILL');
      }
    } finally {
      r.stop();
      mine.kill('SIGKILL');
    }
  }, 60_000);
});
