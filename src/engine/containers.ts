// The engines' container list (`/containers/json`) normalised into `Container` rows: names without
// Docker's '/', a published port once, the state, exit code and health read from the status text
// (the age is not: see status.ts).
import type Docker from 'dockerode';
import { bareName, type Container, type PortMapping } from './models.js';
import { normaliseState, parseStatus } from './status.js';

function ports(list: Docker.Port[] | undefined): PortMapping[] {
  const out: PortMapping[] = [];
  const seen = new Set<string>();
  for (const p of list ?? []) {
    const m: PortMapping = { containerPort: p.PrivatePort, protocol: p.Type || 'tcp' };
    if (p.PublicPort) m.hostPort = p.PublicPort;
    if (p.IP) m.hostIp = p.IP;
    // Docker lists a published port once for 0.0.0.0 and once for ::; show it once.
    const k = `${m.hostPort ?? ''}>${m.containerPort}/${m.protocol}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(m);
  }
  return out.sort((a, b) => a.containerPort - b.containerPort);
}

export function normaliseContainer(engineId: string, c: Docker.ContainerInfo): Container {
  const status = c.Status ?? '';
  const parsed = parseStatus(status);
  const state = normaliseState(c.State, status);
  const name = bareName(c.Names?.[0] ?? c.Id.slice(0, 12));
  const out: Container = {
    key: `${engineId}/${c.Id}`,
    engineId,
    id: c.Id,
    name,
    image: c.Image ?? '',
    state,
    status,
    created: c.Created ?? 0,
    ports: ports(c.Ports),
    command: c.Command ?? '',
    labels: c.Labels ?? {},
  };
  if (parsed.exitCode !== undefined) out.exitCode = parsed.exitCode;
  if (parsed.health) out.health = parsed.health;
  return out;
}
