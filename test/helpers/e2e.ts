// The set-up every end-to-end file shares: a private config, state and cache folder (the code
// cache: the file's first start compiles, later ones use it), NO_COLOR (inverse
// video only, so styles are easy to read back), and every gantry started here stopped after each test.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';
import { PtySession, type PtyOptions } from './pty.js';

export function e2eSetup(prefix: string, extraEnv: Record<string, string | undefined> = {}) {
  const tmp = mkdtempSync(join(tmpdir(), `gantry-${prefix}-`));
  // Readable by the unprivileged user some tests run gantry as.
  chmodSync(tmp, 0o755);
  const env = { XDG_CONFIG_HOME: join(tmp, 'config'), XDG_STATE_HOME: join(tmp, 'state'), XDG_CACHE_HOME: join(tmp, 'cache'), NO_COLOR: '1', ...extraEnv };
  let sessions: PtySession[] = [];
  afterEach(async () => {
    await Promise.all(sessions.map((s) => s.dispose()));
    sessions = [];
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const gantry = (args: string[], opts: PtyOptions = {}): PtySession => {
    const s = PtySession.gantry(args, { cols: 120, rows: 30, ...opts, env: { ...env, ...opts.env } });
    sessions.push(s);
    return s;
  };
  return { tmp, env, gantry };
}
