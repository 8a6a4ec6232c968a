// K on a GPU process: a question naming its container (or host user) and the memory it holds,
// then SIGKILL. A container's process is killed through its engine (the engine's authority, the
// same that stops the container; the pid as the container numbers it); a host process by gantry
// itself, which the kernel refuses (EPERM) for another user's process unless gantry runs as root.
// The process is checked again before the signal: a pid reused since the question is not killed.
import type { Engine } from '../engine/engine.js';
import { explainActionError } from '../engine/errors.js';
import { displayName, type Container } from '../engine/models.js';
import { userInfo } from 'node:os';
import { containerIdFromCgroup, namespacePids, processStart, readCgroup } from '../gpu/cgroup.js';
import { binaryBytes } from '../present/bytes.js';
import { holderText } from '../present/gpu.js';
import type { GpuRow } from '../store/gpu.js';
import type { Action, AppState } from '../store/state.js';
import type { Store } from '../store/store.js';
import { refusedReadOnly } from './readOnly.js';

type ProcRow = Extract<GpuRow, { kind: 'proc' }>;

/** How the process was when the question was asked. */
interface Target {
  pid: number;
  name: string;
  /** /proc/<pid>/stat's start time then: a different one now is another process. */
  start: string | undefined;
  holder: string;
  container?: Container;
}

/** Sends a signal to a host process (process.kill); replaceable in tests. */
export type HostKill = (pid: number) => void;

export class GpuController {
  private pending: Target | undefined;

  constructor(
    private readonly store: Store<AppState, Action>,
    private readonly engines: ReadonlyMap<string, Engine>,
    private readonly hostKill: HostKill = (pid) => process.kill(pid, 'SIGKILL'),
  ) {}

  private say(text: string, level: 'info' | 'ok' | 'error' = 'info'): void {
    this.store.dispatch({ type: 'message', level, text });
  }

  /** K: asks first, naming who holds the process and how much GPU memory. */
  requestKill(row: GpuRow | undefined): void {
    if (!row || row.kind !== 'proc') return this.say('no GPU process selected: j/k move between processes');
    if (refusedReadOnly(this.store, 'kill')) return;
    const p = row.proc;
    const holder = holderText(p, row.container);
    const mem = p.usedMemoryMiB ? `${binaryBytes(p.usedMemoryMiB * 1024 * 1024)} of GPU memory` : 'GPU memory';
    const on = p.gpuIndex !== undefined ? ` on GPU ${p.gpuIndex}` : '';
    const whose = row.container ? `In ${holder}` : `A host process of ${p.hostUser ?? 'an unknown user (not in /proc)'}`;
    const lines = [`${whose}: it holds ${mem}${on}.`];
    if (row.container) lines.push(`Killed through ${row.container.engineId}, inside the container; ${mainProcess(row) ? 'it is the main process: the container stops (exit 137).' : 'the container keeps running.'}`);
    else if (p.containerId) return this.say(`pid ${p.pid} is in ${holder}: gantry cannot reach its engine to kill it`, 'error');
    lines.push('Sends SIGKILL: it gets no chance to save anything.');
    this.pending = { pid: p.pid, name: p.processName, start: processStart(p.pid), holder, ...(row.container ? { container: row.container } : {}) };
    this.store.dispatch({
      type: 'confirm',
      confirm: { title: `Kill pid ${p.pid} (${p.processName})?`, lines, target: `gpu:${p.pid}`, choices: [{ key: 'y', label: 'kill', command: 'kill' }] },
    });
  }

  /** The question was answered: kill the process it named, if it is still that process. */
  async confirmed(): Promise<void> {
    const t = this.pending;
    this.pending = undefined;
    if (!t || refusedReadOnly(this.store, 'kill')) return;
    const what = `pid ${t.pid} (${t.name}, ${t.holder})`;
    if (processStart(t.pid) === undefined) return this.say(`${what} has already exited`);
    if (t.start !== undefined && processStart(t.pid) !== t.start) return this.say(`pid ${t.pid} is another process now (${t.name} exited): nothing killed`, 'error');
    try {
      if (t.container) await this.killInContainer(t, t.container);
      else this.hostKill(t.pid);
      this.say(`killed ${what}`, 'ok');
    } catch (e) {
      this.say(`could not kill ${what}: ${why(e, t)}`, 'error');
    }
  }

  private async killInContainer(t: Target, c: Container): Promise<void> {
    const engine = this.engines.get(c.engineId);
    if (!engine) throw new Error(`${c.engineId} is not connected`);
    const cg = readCgroup(t.pid);
    if (!cg || containerIdFromCgroup(cg) !== c.id) throw new Error(`it is no longer in ${displayName(c)}`);
    const inner = await containerPid(engine, c, t.pid);
    await engine.killProcess(c.id, inner);
  }
}

/** The container's main process is the one its pid namespace numbers 1. */
function mainProcess(row: ProcRow): boolean {
  return namespacePids(row.proc.pid)?.at(-1) === 1;
}

/** The pid as the container numbers it: the level of the container's own pid namespace. */
async function containerPid(engine: Engine, c: Container, pid: number): Promise<number> {
  const ns = namespacePids(pid);
  if (!ns) throw new Error('the kernel does not say its pid inside the container (no NSpid)');
  const init = (await engine.inspect(c.id)).State as { Pid?: number } | undefined;
  const depth = init?.Pid ? namespacePids(init.Pid)?.length : undefined;
  const inner = depth !== undefined ? ns[depth - 1] : ns.at(-1);
  if (inner === undefined) throw new Error('its pid inside the container is not known');
  return inner;
}

/** A refusal in words: another user's host process, a process gone, the engine's reason. */
function why(e: unknown, t: Target): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EPERM') {
    const owner = t.holder.replace(/^host: /, '');
    return `not permitted: it belongs to ${owner}, and gantry runs as ${userInfo().username}. Ask ${owner}, or an administrator (sudo kill -9 ${t.pid})`;
  }
  if (code === 'ESRCH') return 'it has already exited';
  return explainActionError(e);
}
