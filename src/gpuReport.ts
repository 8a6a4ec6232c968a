// `gantry gpus`: which container holds which GPU and how much memory, as a table or JSON, for
// scripts and cron. Same discovery and attribution as the TUI, one nvidia-smi sample.
import type { Engine } from './engine/engine.js';
import type { Container } from './engine/models.js';
import { attribute, usageByContainer } from './gpu/attribute.js';
import { HIDDEN_MESSAGE } from './gpu/monitor.js';
import { queryOnce } from './gpu/once.js';
import { gpuGrant, grantIndices } from './gpu/reservations.js';
import type { GpuSample } from './gpu/parse.js';
import { showControls } from './text/controls.js';

export interface GpuReport {
  status: 'ok' | 'no-processes-visible' | 'error';
  message?: string;
  gpus: (GpuSample & {
    processes: {
      pid: number;
      processName: string;
      usedMemoryMiB?: number;
      container: { engine: string; id: string; name: string } | null;
      hostUser?: string;
    }[];
  })[];
  containers: { engine: string; id: string; name: string; gpus: number[]; memoryMiB: number; given: number[] }[];
}

export async function buildReport(binary: string, engines: readonly Engine[]): Promise<GpuReport> {
  const [smi, lists] = await Promise.all([
    queryOnce(binary),
    Promise.all(engines.map((e) => e.listContainers().then((l) => l, () => [] as Container[]))),
  ]);
  if (smi.error) return { status: 'error', message: smi.error, gpus: [], containers: [] };
  const byId = new Map<string, Container>();
  lists.flat().forEach((c) => byId.set(c.id, c));
  const procs = attribute(smi.processes, smi.gpus);
  const used = usageByContainer(procs);
  const report: GpuReport = {
    status: 'ok',
    gpus: smi.gpus.map((g) => ({
      ...g,
      processes: procs
        .filter((p) => p.gpuIndex === g.index)
        .map((p) => {
          const c = p.containerId ? byId.get(p.containerId) : undefined;
          const row: GpuReport['gpus'][number]['processes'][number] = {
            pid: p.pid,
            processName: p.processName,
            container: c ? { engine: c.engineId, id: c.id, name: c.name } : p.containerId ? { engine: '?', id: p.containerId, name: p.containerId.slice(0, 12) } : null,
          };
          if (p.usedMemoryMiB !== undefined) row.usedMemoryMiB = p.usedMemoryMiB;
          if (!p.containerId && p.hostUser) row.hostUser = p.hostUser;
          return row;
        }),
    })),
    containers: [],
  };
  const running = lists.flat().filter((c) => c.state === 'running');
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
  const memUsed = smi.gpus.some((g) => (g.memoryUsedMiB ?? 0) > 1024);
  if (memUsed && smi.processes.length === 0) {
    report.status = 'no-processes-visible';
    report.message = HIDDEN_MESSAGE;
  }
  return report;
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
      const who = p.container ? `${p.container.engine}/${p.container.name}` : p.hostUser ? `host (${p.hostUser})` : 'host (pid not in /proc)';
      out.push(`    ${String(p.pid).padStart(8)}  ${t(who).padEnd(32)} ${gib(p.usedMemoryMiB).padStart(6)} GiB  ${t(p.processName)}`);
    }
  }
  if (r.containers.length > 0) {
    out.push('', 'CONTAINERS');
    for (const c of r.containers) out.push(`    ${t(`${c.engine}/${c.name}`).padEnd(40)} GPU ${c.gpus.join(',') || '-'}  ${gib(c.memoryMiB)} GiB`);
  }
  if (r.message) out.push('', t(r.message));
  return out.join('\n');
}
