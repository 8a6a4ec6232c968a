// A container's inspect summary as "key  value" lines for the Inspect tab: secrets masked, controls shown.
import type { GpuRequest, InspectSummary, MountSummary } from '../engine/inspect.js';
import { shortImageId, type PortMapping } from '../engine/models.js';
import { showControls } from '../text/controls.js';
import { isSecretEnv, maskArgs, maskSecretsInText, maskValue } from '../text/secrets.js';
import { binaryBytes } from './bytes.js';
import { compareNames } from '../text/compare.js';

const KEY_WIDTH = 12;
const MAX_VALUE = 400;

/** One value on one line: secrets found by their shape masked, controls shown (^[, <U+202E>) rather than obeyed or dropped. */
function clean(s: string): string {
  const one = showControls(maskSecretsInText(s.replace(/\r?\n/g, ' ⏎ ')));
  return one.length > MAX_VALUE ? `${one.slice(0, MAX_VALUE - 1)}…` : one;
}

/** Quotes an argument the way a shell would need it, so a command reads as typed. */
export function shellQuote(arg: string): string {
  if (arg === '') return "''";
  if (/^[\w@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

function when(iso: string, now: number): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const d = new Date(t);
  const pad = (n: number) => String(n).padStart(2, '0');
  const abs = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  // Whole seconds gone by, as the list counts them (shortDuration): both read the same clock.
  const s = Math.floor((now - t) / 1000);
  if (s < 0) return abs;
  const rel = s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m` : s < 86400 ? `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m` : `${Math.floor(s / 86400)}d${Math.floor((s % 86400) / 3600)}h`;
  return `${abs} (${rel} ago)`;
}

function port(p: PortMapping): string {
  if (p.hostPort === undefined) return `${p.containerPort}/${p.protocol} (exposed, not published)`;
  const ip = p.hostIp && p.hostIp !== '0.0.0.0' && p.hostIp !== '::' ? `${p.hostIp.includes(':') ? `[${p.hostIp}]` : p.hostIp}:` : '';
  return `${ip}${p.hostPort} → ${p.containerPort}/${p.protocol}`;
}

function mountLine(m: MountSummary): string {
  const ro = m.rw ? '' : ' (ro)';
  if (m.type === 'tmpfs') return `tmpfs ${m.target}${m.options ? ` (${m.options})` : ''}${ro}`;
  return `${m.type} ${m.source || '?'} → ${m.target}${ro}`;
}

function gpuText(g: GpuRequest): string {
  const which = g.all ? 'all' : [...g.indices.map(String), ...g.uuids].join(',') || 'some';
  return `${which} (${g.sources.join(', ')})`;
}

/** The summary as "key  value" lines; a list continues on lines with an empty key. */
export function summaryLines(s: InspectSummary, now = Date.now()): string[] {
  const lines: string[] = [];
  const add = (key: string, values: string | string[]) => {
    const list = (Array.isArray(values) ? values : [values]).map(clean);
    if (list.length === 0) return;
    list.forEach((v, i) => lines.push(`${(i === 0 ? key : '').padEnd(KEY_WIDTH)}${v}`));
  };
  let state: string = s.state;
  if (s.exitCode !== undefined) state += ` (exit code ${s.exitCode}${s.exitCode === 137 && !s.oomKilled ? ': killed' : ''})`;
  if (s.oomKilled) state += ', OOM killed (out of memory)';
  if (s.health) state += `, ${s.health.status}`;
  add('state', state);
  if (s.error) add('error', s.error);
  if (s.startedAt) add('started', when(s.startedAt, now));
  if (s.finishedAt && s.state !== 'running' && s.state !== 'paused') add('finished', when(s.finishedAt, now));
  const policy = s.restartPolicy.name === 'on-failure' && s.restartPolicy.maxRetries > 0 ? `on-failure:${s.restartPolicy.maxRetries}` : s.restartPolicy.name;
  add('restart', `${policy}, restarted ${s.restartCount} time${s.restartCount === 1 ? '' : 's'}`);
  add('image', s.imageId ? `${s.image} (${shortImageId(s.imageId)})` : s.image);
  if (s.entrypoint.length) add('entrypoint', maskArgs(s.entrypoint).map(shellQuote).join(' '));
  add('command', s.command.length ? maskArgs(s.command).map(shellQuote).join(' ') : '(none)');
  add('workdir', s.workingDir);
  add('user', s.user || 'root (image default)');
  add('mounts', s.mounts.length ? s.mounts.map(mountLine) : ['(none)']);
  add('ports', s.ports.length ? s.ports.map(port) : ['(none)']);
  const nets = s.networks.map((n) => (n.ip ? `${n.name} ${n.ip}` : n.name));
  add('network', nets.length ? nets : [s.networkMode || '(none)']);
  add('ipc', s.ipcMode === 'host' ? 'host (shares the host /dev/shm)' : `${s.ipcMode || '?'}${s.shmSize ? `, shm ${binaryBytes(s.shmSize)}` : ''}`);
  add('gpus', s.gpus ? gpuText(s.gpus) : 'none requested');
  if (s.health) {
    const parts = [`${s.health.status}, failing streak ${s.health.failingStreak}`];
    if (s.health.lastOutput !== undefined || s.health.lastExitCode !== undefined) {
      parts.push(`last probe: ${s.health.lastExitCode !== undefined ? `exit ${s.health.lastExitCode}` : ''}${s.health.lastOutput ? `: ${s.health.lastOutput}` : ''}`);
    }
    add('health', parts);
  }
  const labels = Object.entries(s.labels)
    .sort(([a], [b]) => compareNames(a, b))
    .map(([k, v]) => `${k}=${isSecretEnv(k, v) ? maskValue(v) : v}`);
  add('labels', labels.length ? labels : ['(none)']);
  const secrets = s.env.filter((e) => e.secret).length;
  add('env', `${s.env.length} variable${s.env.length === 1 ? '' : 's'}${secrets ? `, ${secrets} secret (masked in Env)` : ''}`);
  return lines;
}
