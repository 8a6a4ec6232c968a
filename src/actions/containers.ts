// What each container key does: which containers it applies to, whether it asks first, and the
// words it leaves in the status line. The UI calls `requestContainerAction`; nothing here knows Ink.
import { NotAnswering, whileAnswering, type Patience } from './answered.js';
import type { Engine } from '../engine/engine.js';
import { explainActionError } from '../engine/errors.js';
import { displayName, type Container, type ContainerVerb } from '../engine/models.js';
import type { Action, AppState, Confirm, ContainerCommand } from '../store/state.js';
import type { Store } from '../store/store.js';
import { refusedReadOnly } from './readOnly.js';
import { containerGpu, type ContainerGpu } from '../store/gpu.js';
import { binaryBytes } from '../present/bytes.js';
import { stateText } from '../present/container.js';

interface CommandSpec {
  /** The present participle shown while it runs. */
  doing: string;
  /** The past tense for the status line. */
  done: string;
  /** Why it does not apply to this container, or undefined when it does. */
  refuse(c: Container): string | undefined;
}

const RUNNING_LIKE = new Set(['running', 'restarting', 'paused']);

export const COMMANDS: Record<ContainerCommand, CommandSpec> = {
  start: {
    doing: 'starting',
    done: 'started',
    refuse: (c) => (c.state === 'running' ? 'is already running' : c.state === 'paused' ? 'is paused: press p to unpause' : undefined),
  },
  stop: {
    doing: 'stopping',
    done: 'stopped',
    refuse: (c) => (RUNNING_LIKE.has(c.state) ? undefined : 'is not running'),
  },
  restart: { doing: 'restarting', done: 'restarted', refuse: () => undefined },
  pause: {
    doing: 'pausing',
    done: 'paused',
    refuse: (c) => (c.state === 'running' ? undefined : 'is not running'),
  },
  unpause: {
    doing: 'unpausing',
    done: 'unpaused',
    refuse: (c) => (c.state === 'paused' ? undefined : 'is not paused'),
  },
  kill: {
    doing: 'killing',
    done: 'killed',
    refuse: (c) => (RUNNING_LIKE.has(c.state) ? undefined : 'is not running'),
  },
  remove: {
    doing: 'removing',
    done: 'removed',
    refuse: (c) => (RUNNING_LIKE.has(c.state) ? 'is running: remove it with force' : undefined),
  },
  'force-remove': { doing: 'removing', done: 'removed', refuse: () => undefined },
};

/** The commands that ask first: remove and kill always; stop and restart unless config says not to. */
export type AskingCommand = 'remove' | 'kill' | 'stop' | 'restart';

/** "It holds 9.3 GiB of GPU memory on GPU 0,1", when the container holds any. */
function gpuLine(gpu: ContainerGpu | undefined, loses: string): string[] {
  if (!gpu?.memoryMiB) return [];
  const on = gpu.indices.length ? ` on GPU ${gpu.indices.join(',')}` : '';
  return [`It holds ${binaryBytes(gpu.memoryMiB * 1024 * 1024)} of GPU memory${on}: ${loses}.`];
}

/** The question `d`, `K`, `s` and `r` ask before acting: the container by name, and its GPU memory. */
export function confirmFor(command: AskingCommand, c: Container, gpu?: ContainerGpu): Confirm {
  const name = displayName(c);
  const about = `image ${c.image} · ${stateText(c, Date.now())}`;
  const base = { target: c.key };
  switch (command) {
    case 'kill':
      return {
        ...base,
        title: `Kill ${name}?`,
        lines: [`Sends SIGKILL to its main process now: it gets no chance to clean up.`, ...gpuLine(gpu, 'its processes lose it'), about],
        choices: [{ key: 'y', label: 'kill', command: 'kill' }],
      };
    case 'stop':
      return {
        ...base,
        title: `Stop ${name}?`,
        lines: [`Sends SIGTERM, then SIGKILL if it has not stopped after the engine's grace period.`, ...gpuLine(gpu, 'its processes give it up'), about],
        choices: [{ key: 'y', label: 'stop', command: 'stop' }],
      };
    case 'restart':
      return {
        ...base,
        title: `Restart ${name}?`,
        lines: [`Stops it (SIGTERM, then SIGKILL after the grace period) and starts it again.`, ...gpuLine(gpu, 'its processes start over'), about],
        choices: [{ key: 'y', label: 'restart', command: 'restart' }],
      };
    case 'remove': {
      const running = RUNNING_LIKE.has(c.state);
      return {
        ...base,
        title: `Remove ${name}?`,
        lines: running
          ? [`It is ${c.state}: force removal kills it first.`, ...gpuLine(gpu, 'its processes lose it'), `Its writable layer goes with it (anonymous volumes stay).`, about]
          : [`Its writable layer goes with it (anonymous volumes stay).`, about],
        choices: running ? [{ key: 'f', label: 'force remove', command: 'force-remove' }] : [{ key: 'y', label: 'remove', command: 'remove' }],
      };
    }
  }
}

export interface ActionContext {
  store: Store<AppState, Action>;
  engines: ReadonlyMap<string, Engine>;
  /** Ask before s (stop) and r (restart); config `confirmStop: false` turns it off. Default: ask. */
  confirmStop?: boolean;
  /** Called after an action so the list catches up even before the event arrives. */
  refresh(engineId: string): void;
  /** When a call's engine is pinged and given up on (tests make it short). */
  patience?: Patience;
}

function findContainer(s: AppState, key: string): Container | undefined {
  const engineId = key.slice(0, key.indexOf('/'));
  return (s.containers[engineId] ?? []).find((c) => c.key === key);
}

/**
 * Runs a command on a container now (confirmation, if any, has been given). Leaves a message.
 */
export async function runContainerCommand(ctx: ActionContext, key: string, command: ContainerCommand): Promise<void> {
  const { store } = ctx;
  const s = store.getState();
  const c = findContainer(s, key);
  if (!c) {
    store.dispatch({ type: 'message', level: 'error', text: `that container no longer exists` });
    return;
  }
  const name = displayName(c);
  if (refusedReadOnly(store, command.replace('force-', 'force '))) return;
  const spec = COMMANDS[command];
  const refusal = spec.refuse(c);
  if (refusal) {
    store.dispatch({ type: 'message', level: 'info', text: `${name} ${refusal}` });
    return;
  }
  const engine = ctx.engines.get(c.engineId);
  if (!engine) {
    store.dispatch({ type: 'message', level: 'error', text: `${name}: its engine is not connected` });
    return;
  }
  if (s.ui.pending[key]) {
    store.dispatch({ type: 'message', level: 'info', text: `${name} is busy ${s.ui.pending[key]}; wait for it` });
    return;
  }
  store.dispatch({ type: 'pending', key, label: spec.doing });
  store.dispatch({ type: 'message', level: 'info', text: `${spec.doing} ${name}…` });
  try {
    const verb = command === 'force-remove' ? 'remove' : command;
    await whileAnswering(engine, `${command.replace('force-', 'force ')} ${name}`, (abortSignal) => engine.containerAction(c.id, verb, { force: command === 'force-remove', abortSignal }), ctx.patience);
    store.dispatch({ type: 'message', level: 'ok', text: `${spec.done} ${name}` });
  } catch (e) {
    const text = e instanceof NotAnswering ? e.message : `could not ${command.replace('force-', 'force ')} ${name}: ${explainActionError(e)}`;
    store.dispatch({ type: 'message', level: 'error', text });
  } finally {
    store.dispatch({ type: 'pending', key });
    ctx.refresh(c.engineId);
  }
}

/** What a container key asks for: a verb, with pause and unpause as one toggle. */
export type ContainerKeyCommand = Exclude<ContainerVerb, 'pause' | 'unpause'> | 'pause-toggle';

/** What a key asks for: run at once, or open the confirmation first. */
export function requestContainerAction(ctx: ActionContext, c: Container | undefined, cmd: ContainerKeyCommand): void {
  const { store } = ctx;
  if (!c) {
    store.dispatch({ type: 'message', level: 'info', text: 'no container selected' });
    return;
  }
  if (refusedReadOnly(store, cmd === 'pause-toggle' ? 'pause' : cmd)) return;
  const asks = cmd === 'kill' || cmd === 'remove' || ((cmd === 'stop' || cmd === 'restart') && ctx.confirmStop !== false);
  if (asks) {
    // A question about something that would be refused anyway is no use: say why instead.
    const refusal = cmd === 'remove' ? undefined : COMMANDS[cmd].refuse(c);
    if (refusal) {
      store.dispatch({ type: 'message', level: 'info', text: `${displayName(c)} ${refusal}` });
      return;
    }
    store.dispatch({ type: 'confirm', confirm: confirmFor(cmd, c, containerGpu(store.getState(), c)) });
    return;
  }
  const command: ContainerCommand = cmd === 'pause-toggle' ? (c.state === 'paused' ? 'unpause' : 'pause') : cmd;
  void runContainerCommand(ctx, c.key, command);
}
