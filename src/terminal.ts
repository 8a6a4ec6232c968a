// The terminal around the TUI: the alternate screen, the cursor and raw mode, restored on every
// way out (quit, signals, crashes).
import { writeFileSync } from 'node:fs';

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

// The crash log lives in its own module (src/crash.ts); its folder is also where saved logs go.
export { crashLogDir } from './crash.js';

/** The locale that decides the character set: LC_ALL, else LC_CTYPE, else LANG; "C" when none. */
export function localeName(env: Record<string, string | undefined> = process.env): string {
  return env.LC_ALL || env.LC_CTYPE || env.LANG || 'C';
}

/** True when the locale's character set is UTF-8 (C.UTF-8, en_US.utf8, …). */
export function isUtf8Locale(env: Record<string, string | undefined> = process.env): boolean {
  return /utf-?8/i.test(localeName(env));
}
