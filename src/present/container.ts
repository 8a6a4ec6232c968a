// A container in words for the screen: its state, its age, its ports.
import type { Container, PortMapping } from '../engine/models.js';

/** A short age: 45s, 5m, 3h, 2d, 6w, 3y. */
export function shortDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 14) return `${d}d`;
  if (d < 365) return `${Math.floor(d / 7)}w`;
  return `${Math.floor(d / 365)}y`;
}

/** The state in words: `up 3h`, `exited (1) 5m ago`, `paused`, `restarting`, `created`. */
export function stateText(c: Container, now: number): string {
  const age = c.since !== undefined ? shortDuration(now - c.since) : undefined;
  switch (c.state) {
    case 'running': {
      const h = c.health === 'unhealthy' ? ' unhealthy' : c.health === 'starting' ? ' starting' : '';
      return age ? `up ${age}${h}` : `up${h}`;
    }
    case 'exited': {
      const code = c.exitCode !== undefined ? ` (${c.exitCode})` : '';
      return age ? `exited${code} ${age} ago` : `exited${code}`;
    }
    case 'restarting':
      return c.exitCode !== undefined ? `restarting (${c.exitCode})` : 'restarting';
    case 'paused':
      return age ? `paused, up ${age}` : 'paused';
    default:
      return c.state;
  }
}

export function portsText(ports: readonly PortMapping[]): string {
  return ports
    .map((p) => {
      const proto = p.protocol === 'tcp' ? '' : `/${p.protocol}`;
      if (p.hostPort === undefined) return `${p.containerPort}${proto}`;
      const ip = p.hostIp && p.hostIp !== '0.0.0.0' && p.hostIp !== '::' ? `${p.hostIp}:` : '';
      return `${ip}${p.hostPort}→${p.containerPort}${proto}`;
    })
    .join(',');
}
