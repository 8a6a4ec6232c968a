// `gantry doctor`'s GPU lines: nvidia-smi (where, which driver) and the NVIDIA container toolkit
// as each engine would use it: Docker's runtimes and hook, Podman's CDI specs.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { findOnPath } from '../engine/discovery.js';
import type { RuntimeFacts } from '../engine/runtimes.js';
import type { DriverInfo } from '../gpu/driver.js';
import type { Check } from './checks.js';

/** Where Podman (and Docker with CDI on) read CDI specs by default. */
export const CDI_SPEC_DIRS = ['/etc/cdi', '/var/run/cdi'];
const SPEC_MAX_BYTES = 4 * 1024 * 1024;

/** The path nvidia-smi would run from: the given path, or the first one on PATH. */
export function resolveBinary(binary: string, pathVar: string | undefined): string | undefined {
  if (binary.includes('/')) {
    try {
      return statSync(binary).isFile() ? binary : undefined;
    } catch {
      return undefined;
    }
  }
  return findOnPath(binary, pathVar);
}

export function nvidiaSmiCheck(binary: string, path: string | undefined, info: DriverInfo): Check {
  const data = { binary, path: path ?? null, driver: info.driver ?? null, gpus: info.gpus, error: info.error ?? null };
  if (info.error) return { id: 'nvidia-smi', status: 'warn', text: `${path ?? binary}: ${info.error}`, data };
  const n = info.gpus.length;
  return { id: 'nvidia-smi', status: 'ok', text: `${path ?? binary}: driver ${info.driver ?? '?'}, ${n} GPU${n === 1 ? '' : 's'}${n ? ` (${[...new Set(info.gpus)].join(', ')})` : ''}`, data };
}

export interface CdiSpec {
  file: string;
  kind: string;
  devices: string[];
}

/** The CDI specs in these folders (YAML or JSON), with their kind and device names; unreadable ones are skipped. */
export function readCdiSpecs(dirs: readonly string[]): { specs: CdiSpec[]; problems: string[] } {
  const specs: CdiSpec[] = [];
  const problems: string[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => /\.(ya?ml|json)$/.test(n)).sort().slice(0, 100);
    } catch {
      continue;
    }
    for (const name of names) {
      const file = join(dir, name);
      try {
        if (statSync(file).size > SPEC_MAX_BYTES) throw new Error('larger than 4 MiB');
        const doc = parseYaml(readFileSync(file, 'utf8')) as { kind?: unknown; devices?: { name?: unknown }[] } | null;
        const devices = Array.isArray(doc?.devices) ? doc.devices.map((d) => String(d?.name ?? '')).filter(Boolean) : [];
        specs.push({ file, kind: typeof doc?.kind === 'string' ? doc.kind : '', devices });
      } catch (e) {
        problems.push(`${file}: ${(e as Error).message.split('\n')[0]}`);
      }
    }
  }
  return { specs, problems };
}

function gpuSpecs(specs: readonly CdiSpec[]): CdiSpec[] {
  return specs.filter((s) => s.kind === 'nvidia.com/gpu');
}

function describeSpecs(specs: readonly CdiSpec[]): string {
  return specs.map((s) => `${s.file} (${s.devices.length} device${s.devices.length === 1 ? '' : 's'}: ${s.devices.slice(0, 8).join(', ')}${s.devices.length > 8 ? ', …' : ''})`).join('; ');
}

export interface ToolkitInput {
  /** False when nvidia-smi found no GPU: the toolkit lines are then for information only. */
  gpus: boolean;
  pathVar: string | undefined;
  cdi: { specs: CdiSpec[]; problems: string[] };
}

/** One line per Docker engine: an "nvidia" runtime, the runtime hook --gpus uses, or CDI. */
export function dockerToolkitCheck(engine: string, facts: RuntimeFacts | string, input: ToolkitInput): Check {
  const hook = findOnPath('nvidia-container-runtime-hook', input.pathVar);
  if (typeof facts === 'string')
    return { id: 'toolkit-docker', status: input.gpus ? 'warn' : 'info', text: `${engine}: could not read /info: ${facts}`, data: { engine, error: facts } };
  const cdiDirs = facts.cdiSpecDirs ?? [];
  const cdi = gpuSpecs(input.cdi.specs).filter((s) => cdiDirs.some((d) => s.file.startsWith(`${d}/`)));
  const data = { engine, runtimes: facts.runtimes, defaultRuntime: facts.defaultRuntime ?? null, nvidiaRuntime: facts.runtimes.includes('nvidia'), runtimeHook: hook ?? null, cdiSpecDirs: facts.cdiSpecDirs ?? null, cdiSpecs: cdi.map((s) => s.file) };
  const ways: string[] = [];
  if (data.nvidiaRuntime) ways.push(`runtime "nvidia"${facts.defaultRuntime === 'nvidia' ? ' (the default)' : ''}`);
  if (hook) ways.push(`--gpus through ${hook}`);
  if (cdi.length) ways.push(`CDI: ${describeSpecs(cdi)}`);
  const runtimes = `runtimes ${facts.runtimes.join(', ') || 'none'}`;
  if (ways.length) return { id: 'toolkit-docker', status: 'ok', text: `${engine}: ${ways.join('; ')} (${runtimes})`, data };
  const advice = 'install the NVIDIA Container Toolkit, then `sudo nvidia-ctk runtime configure --runtime=docker` and restart dockerd';
  return { id: 'toolkit-docker', status: input.gpus ? 'warn' : 'info', text: `${engine}: no NVIDIA runtime, no runtime hook, no CDI spec (${runtimes})${input.gpus ? `: containers get no GPU; ${advice}` : ''}`, data };
}

/** Podman reaches GPUs through CDI specs (nvidia-ctk cdi generate). */
export function podmanToolkitCheck(input: ToolkitInput, dirs: readonly string[] = CDI_SPEC_DIRS): Check {
  const ctk = findOnPath('nvidia-ctk', input.pathVar);
  const gpu = gpuSpecs(input.cdi.specs);
  const data = { cdiSpecDirs: dirs, specs: input.cdi.specs, problems: input.cdi.problems, nvidiaCtk: ctk ?? null };
  const problems = input.cdi.problems.length ? `; unreadable: ${input.cdi.problems.join('; ')}` : '';
  if (gpu.length) return { id: 'toolkit-podman', status: input.cdi.problems.length ? 'warn' : 'ok', text: `CDI: ${describeSpecs(gpu)}${problems}`, data };
  const advice = ctk ? '`sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml`' : 'install the NVIDIA Container Toolkit, then `sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml`';
  return {
    id: 'toolkit-podman',
    status: input.gpus ? 'warn' : 'info',
    text: `no CDI spec for nvidia.com/gpu in ${dirs.join(', ')}${problems}${input.gpus ? `: podman run --device nvidia.com/gpu=all fails; ${advice}` : ''}`,
    data,
  };
}
