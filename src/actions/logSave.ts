// Saving the log panel's log to a file: s, the buffer as shown; S, the engine's whole log.
import { mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Engine } from '../engine/engine.js';
import { explainActionError } from '../engine/errors.js';
import { createLogFile, savedLine } from '../engine/logs/follow.js';
import type { LogSession } from '../store/logs.js';
import type { Action } from '../store/state.js';
import { crashLogDir } from '../terminal.js';

export function logsDir(dir: string): string {
  return dir || join(crashLogDir(), 'logs');
}

/** A file name (without .log) from a container name: safe characters only, and the time. */
export function logFileName(name: string, now = new Date()): string {
  const safe = name.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^\.+/, '_').slice(0, 80) || 'container';
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').replace(/\.\d+Z$/, '');
  return `${safe}-${stamp}`;
}

/** A path as a person types it: the home folder as ~. */
function tilde(path: string): string {
  const home = homedir();
  return home && home !== '/' && path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path;
}

/** s (whole false) or S (whole true) for the panel's session; says how it went in a message. */
export async function saveLog(
  session: LogSession | undefined,
  whole: boolean,
  o: { dispatch: (a: Action) => void; engines: ReadonlyMap<string, Engine>; dir: string; tty: boolean },
): Promise<void> {
  const d = o.dispatch;
  if (!session) {
    d({ type: 'message', level: 'info', text: 'no container selected: nothing to save' });
    return;
  }
  const dir = logsDir(o.dir);
  let path = dir;
  try {
    mkdirSync(dir, { recursive: true });
    const file = await createLogFile(dir, logFileName(session.title.replace('/', '-')));
    path = file.path;
    const out = file.out;
    if (whole) {
      const key = session.key;
      const engineId = key.slice(0, key.indexOf('/'));
      const engine = o.engines.get(engineId);
      if (!engine) throw new Error('its engine is not connected');
      d({ type: 'message', level: 'info', text: `saving the whole log of ${session.title}…` });
      const n = await engine.saveWholeLog(key.slice(key.indexOf('/') + 1), o.tty, out);
      d({ type: 'message', level: 'ok', text: `saved the whole log (${n} lines) to ${tilde(path)}` });
      return;
    }
    const b = session.buffer;
    for (let i = 0; i < b.length; i += 1000) {
      if (!out.write(b.slice(i, 1000).map(savedLine).join(''))) await once(out, 'drain');
    }
    out.end();
    await once(out, 'close');
    const dropped = b.dropped > 0 ? ` (the oldest ${b.dropped} lines had left the buffer; S saves the whole log)` : '';
    d({ type: 'message', level: 'ok', text: `saved ${b.length} lines to ${tilde(path)}${dropped}` });
  } catch (e) {
    d({ type: 'message', level: 'error', text: `could not save the log to ${path}: ${explainActionError(e)}` });
  }
}
