// The `docker run …` / `podman run …` command line equivalent to what gantry sends for a RunSpec:
// an argument array (never run through a shell), shell-quoted only to be shown and copied. And
// the reverse for a template's `command:` string: words split as a shell would, without expansion.
import { shellQuote } from '../present/inspect.js';
import type { EngineKind } from '../engine/models.js';
import { cdiDevices, type PortSpec, type RunSpec, type UlimitSpec } from '../engine/runSpec.js';

const UNITS: readonly [string, number][] = [
  ['g', 1024 ** 3],
  ['m', 1024 ** 2],
  ['k', 1024],
];

/** Bytes as Docker's size flags read them (binary units): 17179869184 → "16g". */
export function sizeFlag(bytes: number): string {
  for (const [u, n] of UNITS) if (bytes >= n && bytes % n === 0) return `${bytes / n}${u}`;
  return `${bytes}b`;
}

/** "16g", "512m", "1024k", "65536", "2gb" → bytes; undefined when it is not a size. */
export function parseSize(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([bkmg])?b?$/i.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]) * (UNITS.find(([u]) => u === (m[2] ?? '').toLowerCase())?.[1] ?? 1);
  return Number.isFinite(n) && Number.isInteger(n) && n > 0 ? n : undefined;
}

function ulimitFlag(u: UlimitSpec): string {
  return u.soft === u.hard ? `${u.name}=${u.soft}` : `${u.name}=${u.soft}:${u.hard}`;
}

export function portFlag(p: PortSpec): string {
  const ip = p.hostIp ? `${p.hostIp.includes(':') ? `[${p.hostIp}]` : p.hostIp}:` : '';
  const host = p.hostPort === undefined ? (ip ? `${ip}:` : '') : `${ip}${p.hostPort}:`;
  return `${host}${p.containerPort}${p.protocol === 'tcp' ? '' : `/${p.protocol}`}`;
}

/** A field of Docker's --mount CSV, quoted when it holds a comma or a quote. */
function csvField(s: string): string {
  return /[",]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function gpuFlags(kind: EngineKind, gpus: readonly string[]): string[] {
  if (gpus.length === 0) return [];
  if (kind === 'podman') return cdiDevices(gpus).flatMap((d) => ['--device', d]);
  // docker's --gpus is CSV: a device list with commas must be quoted inside the value.
  if (gpus.includes('all')) return ['--gpus', 'driver=nvidia,count=all'];
  return ['--gpus', `driver=nvidia,${csvField(`device=${gpus.join(',')}`)}`];
}

/** The argument array: ["docker", "run", …, image, …command]. */
export function commandArgv(kind: EngineKind, s: RunSpec): string[] {
  const a: string[] = [kind, 'run', s.interactive ? '-it' : '-d'];
  if (s.remove) a.push('--rm');
  a.push('--name', s.name);
  a.push(...gpuFlags(kind, s.gpus));
  if (s.ipc) a.push(`--ipc=${s.ipc}`);
  if (s.shmSize !== undefined) a.push(`--shm-size=${sizeFlag(s.shmSize)}`);
  for (const u of s.ulimits) a.push('--ulimit', ulimitFlag(u));
  for (const [k, v] of Object.entries(s.env)) a.push('-e', `${k}=${v}`);
  for (const m of s.mounts) {
    // Docker's -v creates a missing source as root; --mount refuses, as gantry does. Podman's -v refuses.
    if (kind === 'docker') a.push('--mount', `type=bind,${csvField(`source=${m.source}`)},${csvField(`target=${m.target}`)}${m.readOnly ? ',readonly' : ''}`);
    else a.push('-v', `${m.source}:${m.target}${m.readOnly ? ':ro' : ''}`);
  }
  if (s.workdir) a.push('-w', s.workdir);
  for (const p of s.ports) a.push('-p', portFlag(p));
  if (s.network) a.push(`--network=${s.network}`);
  if (s.restart.name !== 'no') a.push(`--restart=${s.restart.name}${s.restart.maxRetries ? `:${s.restart.maxRetries}` : ''}`);
  for (const [k, v] of Object.entries(s.labels)) a.push('--label', `${k}=${v}`);
  a.push(s.image, ...s.command);
  return a;
}

/** The argument array as one line a shell reads back the same (for showing and copying). */
export function commandText(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}

/** Splits a command as a shell would split words: quotes and backslashes, no expansion. */
export function splitCommand(text: string): string[] | string {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else cur += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) cur += text[++i];
      else cur += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      cur += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quote) return `an unclosed ${quote === '"' ? 'double' : 'single'} quote`;
  if (inWord) out.push(cur);
  return out;
}
