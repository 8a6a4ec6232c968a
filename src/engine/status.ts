// Turn the engine's container list fields into a state, an exit code and a health. Both Docker
// and Podman fill `State` and a human `Status` ("Up 3 hours", "Exited (1) 5 minutes ago"); the
// status is the only place `/containers/json` gives the exit code. Its age is rounded words, not a
// time: ages come from inspect's StartedAt / FinishedAt (store/sources.ts).
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

export interface ParsedStatus {
  exitCode?: number;
  health?: 'healthy' | 'unhealthy' | 'starting';
}

/**
 * The exit code and health in the status words. Not the age: the words are rounded ("About an
 * hour" is 60-89 minutes) and go stale between lists; ages come from the engine's timestamps.
 */
export function parseStatus(status: string | undefined): ParsedStatus {
  const out: ParsedStatus = {};
  if (!status) return out;
  const st = status.trim();
  const exit = /^(?:exited|restarting)\s*\((-?\d+)\)/i.exec(st);
  if (exit) out.exitCode = Number(exit[1]);
  const health = /\((healthy|unhealthy|health: starting)\)/i.exec(st);
  if (health) {
    const h = health[1]!.toLowerCase();
    out.health = h === 'health: starting' ? 'starting' : (h as 'healthy' | 'unhealthy');
  }
  return out;
}
