// Plain words for what goes wrong between gantry and an engine: what happened and what to do.
// Every message that reaches the screen about an engine failure is made here.

interface ErrLike {
  code?: string;
  errno?: number;
  statusCode?: number;
  reason?: string;
  message?: string;
  json?: unknown;
}

function engineMessage(err: ErrLike): string | undefined {
  const j = err.json as { message?: string } | string | undefined | null;
  if (j && typeof j === 'object' && typeof j.message === 'string') return j.message;
  if (typeof j === 'string' && j.trim()) return j.trim();
  return undefined;
}

/** Node's codes for a certificate that does not check out (self-signed, unknown CA, expired, other name). */
const TLS_TRUST = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS_/;

/** The underlying reason text of an error from dockerode/docker-modem or the socket. */
export function rawReason(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as ErrLike;
    const m = engineMessage(e);
    if (m) return m;
    if (e.message) {
      // docker-modem's messages look like "(HTTP code 409) unexpected - <json message> ".
      const mm = /^\(HTTP code \d+\)\s*[^-]*-\s*(.*)$/s.exec(e.message);
      return (mm?.[1] ?? e.message).trim();
    }
  }
  return String(err);
}

/**
 * Explains a failure to reach or use an engine at `where` (a socket path or URL), with the fix.
 */
export function explainConnectError(err: unknown, where: string): string {
  const e = (err && typeof err === 'object' ? err : {}) as ErrLike;
  const reason = rawReason(err);
  if (/cannot find UID\/GID|cannot find uid|newuidmap|there might not be enough IDs available/i.test(reason)) {
    return `${where}: Podman cannot find the UID/GID mapping for your user (${reason}). Run \`podman system migrate\` (and check /etc/subuid and /etc/subgid), then start gantry again.`;
  }
  // OpenSSL's text names its source file and line: keep its words ("wrong version number").
  const words = /SSL routines:[^:]*:([^:]+)/.exec(reason)?.[1] ?? reason;
  // An https:// (or :2376) address whose port answers in plain HTTP: OpenSSL reads the reply as a
  // TLS record of a version that does not exist.
  if (/wrong version number|packet length too long/i.test(reason)) {
    return `${where}: this port does not speak TLS (the handshake read: ${words}). An engine port without TLS is tcp://HOST:2375 (--host tcp://…); keep https:// (or port 2376) for one that does.`;
  }
  // A TLS engine that refused the handshake (an alert: it wants a client certificate, or not this one).
  if (e.code === 'EPROTO' && /alert/i.test(reason)) {
    return `${where}: the engine refused the TLS handshake (${words}): it wants a client certificate it trusts. Set DOCKER_CERT_PATH to the folder holding this engine's ca.pem, cert.pem and key.pem (as the docker CLI takes them), and start gantry again.`;
  }
  if (e.code && TLS_TRUST.test(e.code)) {
    return `${where}: the engine's TLS certificate is not trusted (${reason}). Set DOCKER_CERT_PATH to the folder holding this engine's ca.pem, cert.pem and key.pem (as the docker CLI takes them), and start gantry again.`;
  }
  switch (e.code) {
    case 'EACCES':
    case 'EPERM':
      return `${where}: permission denied. Add your user to the docker group (\`sudo usermod -aG docker $USER\`, then log in again), or use rootless Podman (\`systemctl --user enable --now podman.socket\`).`;
    case 'ENOENT':
      return `${where}: no socket there (the engine is not running, or listens elsewhere).`;
    case 'ECONNREFUSED':
      // A socket file that no one listens on, or a host's port that nothing listens on.
      return /^(tcp|https?|ssh):\/\//i.test(where)
        ? `${where}: connection refused (nothing listens on that port: is the daemon stopped, or listening on another port?).`
        : `${where}: connection refused (the socket exists but no engine answers: is the daemon stopped?).`;
    case 'ETIMEDOUT':
    case 'ESOCKETTIMEDOUT':
      return `${where}: no answer in time (the engine is busy or hung).`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `${where}: host not found (${reason}).`;
    case 'ECONNRESET':
    case 'EPIPE':
      return `${where}: the connection was cut (${reason}).`;
  }
  if (e.statusCode) return `${where}: the engine answered HTTP ${e.statusCode}: ${reason}`;
  return `${where}: ${reason}`;
}

/**
 * A call the engine answered with an error (it is up: not a lost connection), in words: what
 * failed and the engine's reason. Undefined when the error is not an engine's answer.
 */
export function explainEngineAnswer(err: unknown, what: string): string | undefined {
  const status = httpStatus(err);
  if (status === undefined) return undefined;
  return `${what} failed: the engine answered HTTP ${status} (${rawReason(err).replace(/\s+/g, ' ')})`;
}

/** Explains an action's failure (stop, remove, …) in the engine's own words, cleaned up. */
export function explainActionError(err: unknown): string {
  const e = (err && typeof err === 'object' ? err : {}) as ErrLike;
  const reason = rawReason(err).replace(/\s+/g, ' ');
  if (e.code && !e.statusCode) return explainConnectError(err, 'engine');
  if (e.statusCode === 404) return `no longer exists (${reason})`;
  return reason;
}

/** The HTTP status the engine answered with, when the error is an engine's answer. */
export function httpStatus(err: unknown): number | undefined {
  return err && typeof err === 'object' ? (err as ErrLike).statusCode : undefined;
}

export function isNotFound(err: unknown): boolean {
  return httpStatus(err) === 404;
}
