// `gantry doctor`'s checks of the machine gantry runs on (no engine, no GPU): Node, the config,
// the state folder, the terminal and the locale. Pure over what they are given, for the tests.
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { crashLogDir } from '../crash.js';
import { isUtf8Locale, localeName } from '../terminal.js';
import { MIN_COLS, MIN_ROWS } from '../ui/layout.js';
import { NODE_MAJOR_NEEDED } from '../version.js';

export type Status = 'ok' | 'warn' | 'fail' | 'info';

/** One line of the report. `data` is what --json adds beside the words. */
export interface Check {
  id: string;
  status: Status;
  text: string;
  data?: Record<string, unknown>;
}

/** The V8 flags bin/gantry gives node. */
export const LAUNCHER_FLAGS = ['--min-semi-space-size=2', '--max-semi-space-size=2', '--max-old-space-size=256', '--expose-gc'];
/** The V8 setting bin/gantry makes from JavaScript on Node 20 (TIERING in bin/gantry). */
export const TIERING = '--ticks-before-optimization=60 --wasm-tiering-budget=2000000000';
/** The smallest terminal the TUI draws in. */
export const MIN_TERMINAL = { cols: MIN_COLS, rows: MIN_ROWS };

export function nodeCheck(version: string, execPath: string, execArgv: readonly string[]): Check {
  const major = Number(version.replace(/^v/, '').split('.')[0]);
  const flags = LAUNCHER_FLAGS.every((f) => execArgv.includes(f));
  const data = { version, path: execPath, needed: `>=${NODE_MAJOR_NEEDED}`, launcherFlags: flags };
  if (!(major >= NODE_MAJOR_NEEDED))
    return { id: 'node', status: 'fail', text: `Node.js ${version} (${execPath}): gantry needs ${NODE_MAJOR_NEEDED} or newer`, data };
  return {
    id: 'node',
    status: flags ? 'ok' : 'warn',
    text: `Node.js ${version} (${execPath}); needs ${NODE_MAJOR_NEEDED}+` + (flags ? '' : `; started without bin/gantry's flags (${LAUNCHER_FLAGS.join(' ')}): run gantry through bin/gantry`),
    data,
  };
}

export interface ConfigOutcome {
  check: Check;
  /** The config gantry would run with (the defaults when there is none or it is broken). */
  config: Config | undefined;
}

export function configCheck(path: string, explicit: boolean): ConfigOutcome {
  const data = { path, explicit };
  if (!existsSync(path)) {
    if (explicit) return { check: { id: 'config', status: 'fail', text: `${path}: no such file (given with --config)`, data: { ...data, exists: false } }, config: undefined };
    return { check: { id: 'config', status: 'ok', text: `${path}: none (optional; the defaults apply)`, data: { ...data, exists: false } }, config: loadConfig(path).config };
  }
  try {
    const { config } = loadConfig(path);
    return { check: { id: 'config', status: 'ok', text: `${path}: read, valid`, data: { ...data, exists: true, valid: true } }, config };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return { check: { id: 'config', status: 'fail', text: `${e.message} (gantry does not start with it)`, data: { ...data, exists: true, valid: false, error: e.message } }, config: undefined };
  }
}

/** Whether a folder exists and is writable, or the nearest existing parent is a folder that would let it be made. */
function writableFolder(path: string): { exists: boolean; writable: boolean } {
  let p = path;
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
  try {
    if (!statSync(p).isDirectory()) throw new Error('not a folder');
    accessSync(p, constants.W_OK);
    return { exists: p === path, writable: true };
  } catch {
    return { exists: p === path, writable: false };
  }
}

export function stateCheck(env: Record<string, string | undefined>, logDir: string): Check {
  const dir = crashLogDir(env);
  const logs = logDir || `${dir}/logs`;
  const s = writableFolder(dir);
  const data = { stateDir: dir, crashLogs: dir, savedLogs: logs, exists: s.exists, writable: s.writable };
  const where = `crash logs in ${dir}, saved logs in ${logs}`;
  if (!s.writable) return { id: 'state', status: 'warn', text: `${where}: not writable (crash logs go to a private folder under /tmp instead)`, data };
  return { id: 'state', status: 'ok', text: `${where}${s.exists ? '' : ' (made when first needed)'}`, data };
}

export interface TerminalInfo {
  isTTY: boolean;
  columns?: number;
  rows?: number;
}

export function terminalCheck(tty: TerminalInfo, term: string | undefined): Check {
  const data = { isTTY: tty.isTTY, columns: tty.columns ?? null, rows: tty.rows ?? null, TERM: term ?? null, minimum: MIN_TERMINAL };
  const t = term ? `TERM=${term}` : 'TERM is not set';
  if (!term || term === 'dumb') return { id: 'terminal', status: 'warn', text: `${t}: the TUI needs a terminal with cursor addressing (e.g. TERM=xterm-256color)`, data };
  if (!tty.isTTY) return { id: 'terminal', status: 'info', text: `not a terminal (output is piped); ${t}`, data };
  const size = `${tty.columns ?? '?'}×${tty.rows ?? '?'}`;
  if ((tty.columns ?? 0) < MIN_TERMINAL.cols || (tty.rows ?? 0) < MIN_TERMINAL.rows)
    return { id: 'terminal', status: 'warn', text: `${size}, ${t}: smaller than the ${MIN_TERMINAL.cols}×${MIN_TERMINAL.rows} the TUI needs`, data };
  return { id: 'terminal', status: 'ok', text: `${size}, ${t}`, data };
}

export function localeCheck(env: Record<string, string | undefined>): Check {
  const name = localeName(env);
  const utf8 = isUtf8Locale(env);
  const data = { locale: name, utf8 };
  if (utf8) return { id: 'locale', status: 'ok', text: `${name}: UTF-8`, data };
  return { id: 'locale', status: 'warn', text: `${name}: not UTF-8, so bars and marks are drawn in ASCII (set LANG=C.UTF-8 or another UTF-8 locale)`, data };
}
