// `gantry gpus`: which container holds which GPU and how much memory, as a table or JSON, for
// scripts and cron. Same discovery and attribution as the TUI, one nvidia-smi sample.
import type { Engine } from './engine/engine.js';
import type { Container } from './engine/models.js';
import { attribute, usageByContainer, type ProcReader } from './gpu/attribute.js';
import { HIDDEN_MESSAGE, type GpuLauncher } from './gpu/monitor.js';
import { queryOnce } from './gpu/once.js';
import { gpuGrant, grantIndices } from './gpu/reservations.js';
import type { GpuSample } from './gpu/parse.js';
import { showControls } from './text/controls.js';
import { wordWrap } from './text/words.js';
import { explainActionError } from './engine/errors.js';
import { holderText } from './present/gpu.js';

/** A container gantry found by its cgroup but on no connected engine: engine null, and why. */
export interface UnplacedContainer {
  engine: null;
  id: string;
  name: string;
  /** Docker, Podman, containerd, CRI-O: as its cgroup path says. */
  runtime?: string;
  why: string;
}

export interface GpuReport {
  status: 'ok' | 'no-processes-visible' | 'error';
  message?: string;
  gpus: (GpuSample & {
    processes: {
      pid: number;
      processName: string;
      usedMemoryMiB?: number;
      container: { engine: string; id: string; name: string } | UnplacedContainer | null;
      hostUser?: string;
    }[];
  })[];
  containers: { engine: string; id: string; name: string; gpus: number[]; memoryMiB: number; given: number[] }[];
  /** Engines whose containers could not be listed, in words. */
  notes?: string[];
}

/** Every engine's containers; a failed list is said in `notes` rather than read as "no containers". */
async function listAll(engines: readonly Engine[], notes: Map<string, string>): Promise<Container[]> {
  const lists = await Promise.all(
    engines.map((e) =>
      e.listContainers().then(
        (l) => {
          notes.delete(e.id);
          return l;
        },
        (err: unknown) => {
          notes.set(e.id, `${e.id} (${e.label}): its containers could not be listed: ${explainActionError(err)}`);
          return [] as Container[];
        },
      ),
    ),
  );
  return lists.flat();
}

/** Why a container id from a cgroup is on no connected engine. */
function whyUnplaced(runtime: string | undefined, engines: readonly Engine[], notes: Map<string, string>): string {
  if (notes.size) return `not listed: ${[...notes.keys()].join(', ')} could not be listed`;
  const kinds = new Set(engines.map((e) => e.kind));
  if (runtime === 'Docker' && !kinds.has('docker')) return 'no Docker engine is connected: --host unix:///var/run/docker.sock adds it';
  if (runtime === 'Podman' && !kinds.has('podman')) return "no Podman engine is connected: another user's rootless Podman, or --host adds it";
  if (engines.length === 0) return 'no engine is connected';
  return `on none of the connected engines (${engines.map((e) => e.id).join(', ')}): another user's engine, or gone`;
}

/** Where nvidia-smi runs and /proc is read, when not on this machine (a server over ssh). */
export interface ReportVia {
  launch: GpuLauncher;
  procs(pids: number[]): Promise<ProcReader>;
}

export async function buildReport(binary: string, engines: readonly Engine[], via?: ReportVia): Promise<GpuReport> {
  const notes = new Map<string, string>();
  const [smi, first] = await Promise.all([queryOnce(binary, via?.launch), listAll(engines, notes)]);
  if (smi.error) return { status: 'error', message: smi.error, gpus: [], containers: [] };
  const procs = attribute(smi.processes, smi.gpus, via ? await via.procs(smi.processes.map((p) => p.pid)) : undefined);
  // A container started after the list, or an engine that failed to answer the list: one more look.
  let all = first;
  const known = () => new Set(all.map((c) => c.id));
  if (procs.some((p) => p.containerId && !known().has(p.containerId))) all = await listAll(engines, notes);
  const byId = new Map<string, Container>();
  all.forEach((c) => byId.set(c.id, c));
  const used = usageByContainer(procs);
  const unplaced = (id: string, runtime: string | undefined): UnplacedContainer => ({
    engine: null,
    id,
    name: id.slice(0, 12),
    ...(runtime ? { runtime } : {}),
    why: whyUnplaced(runtime, engines, notes),
  });
  const report: GpuReport = {
    status: 'ok',
    gpus: smi.gpus.map((g) => ({
      ...g,
      processes: procs
        .filter((p) => p.gpuIndex === g.index)
        .map((p) => {
          const c = p.containerId ? byId.get(p.containerId) : undefined;
          const row: ReportProcess = {
            pid: p.pid,
            processName: p.processName,
            container: c ? { engine: c.engineId, id: c.id, name: c.name } : p.containerId ? unplaced(p.containerId, p.runtime) : null,
          };
          if (p.usedMemoryMiB !== undefined) row.usedMemoryMiB = p.usedMemoryMiB;
          if (!p.containerId && p.hostUser) row.hostUser = p.hostUser;
          return row;
        }),
    })),
    containers: [],
  };
  const running = all.filter((c) => c.state === 'running');
  const engineOf = new Map(engines.map((e) => [e.id, e]));
  const grants = await Promise.all(
    running.map((c) => engineOf.get(c.engineId)!.gpuSettings(c.id).then((s) => gpuGrant(s), () => undefined)),
  );
  running.forEach((c, i) => {
    const u = used.get(c.id);
    const given = grants[i] ? grantIndices(grants[i]!, smi.gpus) : [];
    if (!u && given.length === 0) return;
    report.containers.push({
      engine: c.engineId,
      id: c.id,
      name: c.name,
      gpus: [...new Set([...(u?.indices ?? []), ...given])].sort((a, b) => a - b),
      memoryMiB: u?.memoryMiB ?? 0,
      given,
    });
  });
  if (notes.size) report.notes = [...notes.values()];
  const memUsed = smi.gpus.some((g) => (g.memoryUsedMiB ?? 0) > 1024);
  if (memUsed && smi.processes.length === 0) {
    report.status = 'no-processes-visible';
    report.message = HIDDEN_MESSAGE;
  }
  return report;
}

type ReportProcess = GpuReport['gpus'][number]['processes'][number];

/** Who holds a process, in the TUI's words. */
function holderOf(p: ReportProcess): string {
  const c = p.container;
  if (!c) return holderText(p.hostUser ? { hostUser: p.hostUser } : {});
  if (c.engine === null) return holderText({ containerId: c.id, ...(c.runtime ? { runtime: c.runtime } : {}) }, undefined, c.why);
  return holderText({}, { engineId: c.engine, name: c.name });
}

const gib = (mib: number | undefined) => (mib === undefined ? '-' : `${(mib / 1024).toFixed(1)}`);

/** The table for a terminal: every string from nvidia-smi, /proc or an engine has its controls shown, never obeyed. */
export function formatReport(r: GpuReport): string {
  const t = showControls;
  const out: string[] = [];
  if (r.gpus.length === 0) out.push('no GPUs reported by nvidia-smi');
  for (const g of r.gpus) {
    const util = g.utilizationPct === undefined ? 'n/a' : `${g.utilizationPct}%`;
    const power = g.powerW === undefined ? '' : `  ${Math.round(g.powerW)}/${g.powerLimitW === undefined ? '?' : Math.round(g.powerLimitW)} W`;
    const temp = g.temperatureC === undefined ? '' : `  ${g.temperatureC}C`;
    out.push(`GPU ${g.index}  ${t(g.name)}  ${gib(g.memoryUsedMiB)}/${gib(g.memoryTotalMiB)} GiB  ${util}${temp}${power}`);
    if (g.processes.length === 0) out.push('    (no processes)');
    for (const p of g.processes) {
      const who = holderOf(p);
      out.push(`    ${String(p.pid).padStart(8)}  ${t(who).padEnd(32)} ${gib(p.usedMemoryMiB).padStart(6)} GiB  ${t(p.processName)}`);
    }
  }
  if (r.containers.length > 0) {
    out.push('', 'CONTAINERS');
    for (const c of r.containers) out.push(`    ${t(`${c.engine}/${c.name}`).padEnd(40)} GPU ${c.gpus.join(',') || '-'}  ${gib(c.memoryMiB)} GiB`);
  }
  // Sentences broken at spaces at 80 columns: a terminal would break them inside a word.
  const prose = (text: string) => t(text).split('\n').flatMap((l) => wordWrap(l, 80));
  for (const n of r.notes ?? []) out.push('', ...prose(n));
  if (r.message) out.push('', ...prose(r.message));
  return out.join('\n');
}
