// The terminal around the TUI: the alternate screen, the cursor and raw mode, restored on every
// way out (quit, signals, crashes), and the crash log.
import { mkdirSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

export const ENTER_ALT = '\x1b[?1049h\x1b[H\x1b[2J\x1b[?25l';
export const LEAVE_ALT = '\x1b[?25h\x1b[?1049l';

export interface TerminalGuard {
  /** Leaves the alternate screen, shows the cursor, cooked mode. Safe to call twice. */
  restore(): void;
  /** Enters the alternate screen again (after an interactive child gave the terminal back). */
  enter(): void;
}

export function guardTerminal(stdout: NodeJS.WriteStream, stdin: NodeJS.ReadStream): TerminalGuard {
  let inAlt = false;
  const guard: TerminalGuard = {
    enter() {
      if (inAlt) return;
      stdout.write(ENTER_ALT);
      inAlt = true;
    },
    restore() {
      try {
        if (stdin.isTTY && stdin.isRaw) stdin.setRawMode(false);
      } catch {
        // stdin may already be closed
      }
      if (!inAlt) return;
      inAlt = false;
      try {
        // Synchronous on a TTY: this must reach the terminal even when we exit right after.
        writeFileSync(1, LEAVE_ALT);
      } catch {
        stdout.write(LEAVE_ALT);
      }
    },
  };
  process.on('exit', () => guard.restore());
  return guard;
}

export function crashLogDir(env: Record<string, string | undefined> = process.env): string {
  const base = env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith('/') ? env.XDG_STATE_HOME : join(homedir(), '.local', 'state');
  return join(base, 'gantry');
}

/** Writes the error's stack to a crash log and returns its path. */
export function writeCrashLog(err: unknown, env: Record<string, string | undefined> = process.env): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const body = [
    `gantry crashed at ${new Date().toISOString()}`,
    `node ${process.version} on ${process.platform}/${process.arch}`,
    `argv: ${JSON.stringify(process.argv.slice(2))}`,
    '',
    err instanceof Error ? (err.stack ?? String(err)) : String(err),
    '',
  ].join('\n');
  for (const dir of [crashLogDir(env), join(tmpdir(), 'gantry')]) {
    try {
      mkdirSync(dir, { recursive: true });
      const path = join(dir, `crash-${stamp}.log`);
      writeFileSync(path, body);
      return path;
    } catch {
      // try the next place
    }
  }
  return '(could not write a crash log)';
}
