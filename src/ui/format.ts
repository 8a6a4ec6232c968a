// Text formatting for the screen: states in words, ages, ports, and width-exact cells (wide and
// combining characters keep columns aligned).
import stringWidth from 'string-width';
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

const segmenter = new Intl.Segmenter();

export function textWidth(s: string): number {
  return stringWidth(s);
}

/** Cuts `s` to at most `width` columns, ending with `…` when cut. Never splits a grapheme. */
export function truncate(s: string, width: number): string {
  if (width <= 0) return '';
  if (/^[\x20-\x7e]*$/.test(s)) return s.length <= width ? s : width === 1 ? '…' : `${s.slice(0, width - 1)}…`;
  if (stringWidth(s) <= width) return s;
  let out = '';
  let w = 0;
  for (const { segment } of segmenter.segment(s)) {
    const sw = stringWidth(segment);
    if (w + sw > width - 1) break;
    out += segment;
    w += sw;
  }
  return `${out}…`;
}

/** Exactly `width` columns: cut with `…` or padded with spaces (right-aligned when asked). */
export function cell(s: string, width: number, align: 'left' | 'right' = 'left'): string {
  const t = truncate(s, width);
  const pad = width - textWidth(t);
  if (pad <= 0) return t;
  return align === 'right' ? ' '.repeat(pad) + t : t + ' '.repeat(pad);
}

/** Removes control characters from engine-supplied names before they reach the screen. */
export function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\x00-\x1f\x7f-\x9f]/g, '?');
}
