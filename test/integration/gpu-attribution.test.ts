// Attribution end to end through real /proc/<pid>/cgroup files: the nvidia-smi stand-in reports
// the real pids of running containers on both engines, and gantry's monitor, attribution and
// store put each process on the right container.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverEngines } from '../../src/engine/discovery.js';
import { GpuMonitor } from '../../src/gpu/monitor.js';
import { attribute } from '../../src/gpu/attribute.js';
import { EngineWatcher } from '../../src/store/sources.js';
import { createStore } from '../../src/store/store.js';
import { initialState, reducer, type Action, type AppState } from '../../src/store/state.js';
import { containerGpu, gpuRows } from '../../src/store/gpu.js';
import { buildReport, formatReport } from '../../src/gpuReport.js';
import { enginesOrSkip, removeTestContainers, runContainer, uniqueName, waitUntil } from '../helpers/engines.js';
import { ROOT } from '../helpers/pty.js';

const engines = enginesOrSkip('GPU attribution tests');
const FAKE = `${ROOT}test/helpers/fake-nvidia-smi`;

describe.skipIf(!engines)('GPU attribution against real containers', () => {
  const [dockerTe, podmanTe] = engines ?? [];
  afterAll(async () => {
    delete process.env.FAKE_NVIDIA_SMI_PROFILE;
    delete process.env.FAKE_NVIDIA_SMI_PROCS_FILE;
    delete process.env.FAKE_NVIDIA_SMI_PROCS;
    await removeTestContainers(dockerTe!);
    await removeTestContainers(podmanTe!);
  });

  it('puts each GPU process on its container, on both engines, and reads what a container was given', async () => {
    const dname = uniqueName('gpu-docker');
    const pname = uniqueName('gpu-podman');
    const d = await runContainer(dockerTe!, { name: dname, env: ['NVIDIA_VISIBLE_DEVICES=1,3'] });
    const p = await runContainer(podmanTe!, { name: pname });
    const dpid = (await d.inspect()).State.Pid;
    const ppid = (await p.inspect()).State.Pid;
    const file = join(mkdtempSync(join(tmpdir(), 'gantry-gpu-')), 'procs');
    writeFileSync(file, `${dpid}:1:9500:python3,${ppid}:2:20480:python3 train.py,${process.pid}:0:512:node`);
    process.env.FAKE_NVIDIA_SMI_PROFILE = 'rtx4';
    process.env.FAKE_NVIDIA_SMI_PROCS_FILE = file;

    const disc = await discoverEngines({ env: {}, home: tmpdir(), hosts: [dockerTe!.url, podmanTe!.url], podmanService: false });
    const store = createStore<AppState, Action>(reducer, initialState({ gpu: true }));
    store.dispatch({ type: 'engines/set', engines: disc.engines.map((e) => ({ id: e.id, kind: e.kind, label: e.label, endpoint: e.url, status: 'connecting' as const })) });
    const watchers = disc.engines.map((e) => new EngineWatcher(e, store, { gpuGrants: true }));
    const mon = new GpuMonitor({
      binary: FAKE,
      intervalMs: 300,
      onUpdate: (s) => store.dispatch({ type: 'gpu/update', status: s.status, gpus: s.gpus, processes: attribute(s.processes, s.gpus), at: s.at }),
    });
    watchers.forEach((w) => w.start());
    mon.start();
    try {
      const find = (name: string) => Object.values(store.getState().containers).flat().find((c) => c.name === name);
      await waitUntil(() => !!find(dname) && !!find(pname) && store.getState().gpu.processes.length === 3, 15_000, 'containers and GPU processes');
      await waitUntil(() => `docker/${d.id}` in store.getState().grants, 10_000, 'the docker container inspected');
      const s = store.getState();
      expect(containerGpu(s, find(dname)!)).toEqual({ indices: [1, 3], memoryMiB: 9500 });
      expect(containerGpu(s, find(pname)!)).toEqual({ indices: [2], memoryMiB: 20480 });
      const rows = gpuRows(s).filter((r) => r.kind === 'proc');
      const who = rows.map((r) => (r.kind === 'proc' ? [r.proc.pid, r.container ? `${r.container.engineId}/${r.container.name}` : `host:${r.proc.hostUser}`] : []));
      expect(who).toEqual([
        [process.pid, 'host:root'],
        [dpid, `docker/${dname}`],
        [ppid, `podman/${pname}`],
      ]);

      // The same through `gantry gpus`' report builder.
      const report = await buildReport(FAKE, disc.engines);
      expect(report.status).toBe('ok');
      expect(report.gpus).toHaveLength(4);
      expect(report.gpus[1]!.processes[0]).toMatchObject({ pid: dpid, container: { engine: 'docker', name: dname }, usedMemoryMiB: 9500 });
      expect(report.gpus[2]!.processes[0]).toMatchObject({ pid: ppid, container: { engine: 'podman', name: pname } });
      expect(report.gpus[0]!.processes[0]).toMatchObject({ pid: process.pid, container: null, hostUser: 'root' });
      expect(report.containers.find((c) => c.name === dname)).toMatchObject({ gpus: [1, 3], given: [1, 3], memoryMiB: 9500 });
      // One wording with the TUI for host processes.
      expect(formatReport(report)).toMatch(new RegExp(`${process.pid} {2}host: root `));

      // With Podman alone connected, the Docker container's process is not "?": its cgroup says
      // Docker, and the report says why gantry cannot name it.
      const podmanOnly = disc.engines.filter((e) => e.kind === 'podman');
      const partial = await buildReport(FAKE, podmanOnly);
      expect(partial.gpus[1]!.processes[0]!.container).toEqual({ engine: null, id: d.id, name: d.id.slice(0, 12), runtime: 'Docker', why: expect.stringMatching(/^no Docker engine is connected/) });
      const table = formatReport(partial);
      expect(table).toContain(`Docker container ${d.id.slice(0, 12)} (no Docker engine is connected`);
      expect(table).not.toMatch(/\?\//);
      expect(JSON.stringify(partial)).not.toContain('"engine":"?"');
    } finally {
      mon.stop();
      watchers.forEach((w) => w.stop());
      disc.shutdown();
    }
  }, 60_000);
});
