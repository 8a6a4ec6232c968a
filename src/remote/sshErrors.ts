// Plain words for what goes wrong between gantry and a server over ssh: what happened and what
// to run. ssh's own last lines are the evidence; every message about a server's connection is made here.
import { sanitizeLine } from '../engine/logs/sanitize.js';

export interface SshFailure {
  /** The server's name in gantry. */
  server: string;
  /** What the user types to reach it by hand (`ssh node-a`, `ssh -p 2222 alice@10.0.0.5`). */
  sshCommand: string;
  /** ssh's stderr (the last lines are enough). */
  stderr: string;
  exitCode?: number | null;
  /** The error from starting ssh (ENOENT: not installed). */
  spawnError?: NodeJS.ErrnoException;
  connectTimeoutS?: number;
  aliveS?: number;
}

export const SSH_MISSING =
  'ssh is not installed on this machine: install the OpenSSH client (e.g. `sudo apt-get install openssh-client`), then start gantry again.';

/** ssh's last meaningful line, cleaned of control characters, for a message. */
export function lastSshLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => sanitizeLine(l, { keepColor: false }).trim())
    .filter((l) => l && !/^(Warning: Permanently added|debug\d?:)/.test(l));
  const line = lines[lines.length - 1] ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/** Explains why ssh could not reach (or lost) a server, with what to run. */
export function explainSsh(f: SshFailure): string {
  const s = f.server;
  if (f.spawnError?.code === 'ENOENT') return SSH_MISSING;
  if (f.spawnError) return `${s}: ssh could not start (${f.spawnError.message}).`;
  const err = f.stderr;
  const line = lastSshLine(err);
  const by = `run \`${f.sshCommand}\` once by hand`;
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed/i.test(err))
    return `${s}: its host key has CHANGED since you accepted it (a reinstalled server, or someone in between): ask its admin; if the change is expected, remove the old key with \`ssh-keygen -R HOST\` and ${by}.`;
  if (/Host key verification failed|host key is known for|host key for .* is not known|authenticity of host/i.test(err))
    return `${s}: its host key is not known yet: ${by} to check and accept it (gantry never prompts: it runs ssh in batch mode).`;
  const denied = /Permission denied \(([^)]*)\)/.exec(err);
  if (denied || /Too many authentication failures|no more authentication methods/i.test(err))
    return `${s}: the server refused the login${denied ? ` (${sanitizeLine(denied[1]!, { keepColor: false })})` : ''}: put your public key in ~/.ssh/authorized_keys there (\`ssh-copy-id\`), load a key with a passphrase into the agent (\`ssh-add\`), then check that \`${f.sshCommand}\` logs in without a password.`;
  if (/Could not resolve hostname|Name or service not known|nodename nor servname|Temporary failure in name resolution/i.test(err))
    return `${s}: host name not found (${line}): check the name, or define it as a Host in your ssh config.`;
  if (/Connection refused/i.test(err)) return `${s}: connection refused (${line}): sshd is not running there, or listens on another port.`;
  if (/No route to host|Network is unreachable|Host is down/i.test(err)) return `${s}: unreachable (${line}): the machine is off or the network path is down.`;
  if (/Timeout, server .* not responding|Timeout, no response/i.test(err))
    return `${s}: stopped answering (no reply to keep-alives for ${f.aliveS ?? '?'} s); reconnecting.`;
  if (/timed out|Connection timeout/i.test(err))
    return `${s}: no answer within ${f.connectTimeoutS ?? '?'} s (${line}): the machine is down, or a firewall drops ssh.`;
  if (/closed by remote host|Connection reset|Broken pipe|Connection closed|kex_exchange_identification/i.test(err))
    return `${s}: the connection was closed (${line}); reconnecting.`;
  if (/Can't open user config file|Bad owner or permissions/i.test(err)) return `${s}: ssh refuses its config: ${line}.`;
  if (line) return `${s}: ssh failed: ${line}`;
  return `${s}: ssh ended (exit code ${f.exitCode ?? '?'}) without saying why; try \`${f.sshCommand}\`.`;
}

/** What a user types to reach a server by hand, for the messages. */
export function sshCommandFor(dest: { host: string; user?: string; port?: number }, configFile?: string): string {
  const parts = ['ssh'];
  if (configFile) parts.push('-F', configFile);
  if (dest.port !== undefined) parts.push('-p', String(dest.port));
  parts.push(dest.user !== undefined ? `${dest.user}@${dest.host}` : dest.host);
  return parts.join(' ');
}
