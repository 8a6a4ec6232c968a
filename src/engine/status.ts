// Turn the engine's container list fields into a state and a timestamp anchor. Both Docker and
// Podman fill `State` and a human `Status` ("Up 3 hours", "Exited (1) 5 minutes ago"); the
// status is the only place `/containers/json` gives the exit code and the age, so parse it once
// here, into an absolute time, and let the UI format it relative to "now" when it draws.
import type { ContainerState } from './models.js';

const STATES: ReadonlySet<string> = new Set([
  'running',
  'paused',
  'restarting',
  'exited',
  'created',
  'dead',
  'removing',
]);

export function normaliseState(state: string | undefined, status: string | undefined): ContainerState {
  const s = (state ?? '').toLowerCase();
  if (STATES.has(s)) return s as ContainerState;
  // Podman reports "configured" for created and "stopped" for exited containers in some versions.
  if (s === 'configured' || s === 'initialized') return 'created';
  if (s === 'stopped') return 'exited';
  const st = (status ?? '').toLowerCase();
  if (st.includes('(paused)')) return 'paused';
  if (st.startsWith('up')) return 'running';
  if (st.startsWith('exited')) return 'exited';
  if (st.startsWith('restarting')) return 'restarting';
  if (st.startsWith('created')) return 'created';
  return 'unknown';
}

const UNIT_MS: Record<string, number> = {
  second: 1000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
  month: 30 * 86_400_000,
  year: 365 * 86_400_000,
};

/** Parses Docker's `units.HumanDuration` text ("3 hours", "About a minute", "Less than a second"). */
export function parseHumanDuration(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (t.startsWith('less than a second')) return 0;
  const m = /^(about an?|an?|\d+)\s+(second|minute|hour|day|week|month|year)s?/.exec(t);
  if (!m) return undefined;
  const n = /^\d+$/.test(m[1]!) ? Number(m[1]) : 1;
  return n * UNIT_MS[m[2]!]!;
}

export interface ParsedStatus {
  exitCode?: number;
  health?: 'healthy' | 'unhealthy' | 'starting';
  /** ms since the epoch: when it started (up) or finished (exited). */
  since?: number;
}

export function parseStatus(status: string | undefined, now: number): ParsedStatus {
  const out: ParsedStatus = {};
  if (!status) return out;
  const st = status.trim();
  const exit = /^(?:exited|restarting)\s*\((-?\d+)\)\s*(.*?)(?:\s+ago)?$/i.exec(st);
  if (exit) {
    out.exitCode = Number(exit[1]);
    const d = parseHumanDuration(exit[2] ?? '');
    if (d !== undefined) out.since = now - d;
  } else {
    const up = /^up\s+(.*?)(?:\s*\((?:paused|healthy|unhealthy|health: starting)\))?$/i.exec(st);
    if (up) {
      const d = parseHumanDuration(up[1] ?? '');
      if (d !== undefined) out.since = now - d;
    }
  }
  const health = /\((healthy|unhealthy|health: starting)\)/i.exec(st);
  if (health) {
    const h = health[1]!.toLowerCase();
    out.health = h === 'health: starting' ? 'starting' : (h as 'healthy' | 'unhealthy');
  }
  return out;
}
