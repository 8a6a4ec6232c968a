// How gantry runs OpenSSH: the options every ssh child gets (batch mode, time-outs, keep-alives,
// an optional private config), the argument lists of the one master per server and of the clients
// that ride on it, and quoting for the remote shell (ssh hands the server one command string).
import type { Destination } from './spec.js';

export interface SshSettings {
  /** The ssh program (default: ssh on PATH). */
  binary: string;
  /** `-F FILE`: read this ssh config instead of ~/.ssh/config (GANTRY_SSH_CONFIG, config sshConfig). */
  configFile?: string;
  /** Seconds to wait for the TCP connection (ConnectTimeout). */
  connectTimeoutS: number;
  /** A server silent this long gets a keep-alive; this many unanswered ones and it is down. */
  aliveIntervalS: number;
  aliveCountMax: number;
}

export const DEFAULT_SSH: SshSettings = { binary: 'ssh', connectTimeoutS: 5, aliveIntervalS: 2, aliveCountMax: 3 };

/** Options for every ssh gantry runs: never a prompt, a dead server noticed in seconds. */
export function commonArgs(s: SshSettings): string[] {
  const out = s.configFile ? ['-F', s.configFile] : [];
  out.push(
    '-o', 'BatchMode=yes',
    '-o', `ConnectTimeout=${s.connectTimeoutS}`,
    '-o', `ServerAliveInterval=${s.aliveIntervalS}`,
    '-o', `ServerAliveCountMax=${s.aliveCountMax}`,
  );
  return out;
}

/** `-p`, `-l` and the host, after `--` so that no destination is read as an option. */
export function destinationArgs(d: Destination): string[] {
  const out: string[] = [];
  if (d.port !== undefined) out.push('-p', String(d.port));
  if (d.user !== undefined) out.push('-l', d.user);
  out.push('--', d.host);
  return out;
}

/**
 * The master: one connection per server that every other ssh child of that server shares. It
 * stays in the foreground as gantry's child (ControlPersist off), so it ends with gantry; it
 * forwards no agent or X11 and replaces a stale forwarded socket.
 */
export function masterArgs(s: SshSettings, d: Destination, controlPath: string): string[] {
  return [
    ...commonArgs(s),
    '-M', '-S', controlPath, '-N', '-T',
    '-o', 'ControlPersist=no',
    '-o', 'StreamLocalBindUnlink=yes',
    '-o', 'ForwardAgent=no',
    '-o', 'ForwardX11=no',
    '-o', 'ClearAllForwardings=yes',
    ...destinationArgs(d),
  ];
}

/**
 * A client of the master. ProxyCommand=false: should the master be gone, ssh would otherwise open
 * a connection of its own (and wait for a dead server); this way it fails at once. A master uses
 * its own connection, so the proxy setting never applies while it is up.
 */
export function muxArgs(s: SshSettings, d: Destination, controlPath: string): string[] {
  return [...commonArgs(s), '-S', controlPath, '-o', 'ControlMaster=no', '-o', 'ProxyCommand=false', '-T', ...destinationArgs(d)];
}

/** One word for a POSIX shell (also right for bash, zsh and fish): single quotes around it. */
export function shQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The command string ssh sends: every word quoted, so nothing in it is read by the remote shell. */
export function remoteCommand(words: readonly string[]): string {
  return words.map(shQuote).join(' ');
}

/**
 * Runs a small sh script on the server with arguments: `sh -c SCRIPT gantry ARG…`. The script is
 * gantry's own fixed text; the arguments reach it as "$1"… and are never parsed as shell.
 */
export function remoteScript(script: string, args: readonly string[] = []): string {
  if (/[\n\r]/.test(script)) throw new Error('a remote script is one line (csh and tcsh refuse a newline in quotes)');
  return remoteCommand(['sh', '-c', script, 'gantry', ...args]);
}
