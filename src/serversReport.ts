// `gantry gpus` across servers: one sample from every server at once (this machine, and each
// remote one over ssh) as ONE document with a `server` on every GPU, process and container, so a
// script can ask "which server has two idle GPUs?". A server that cannot be reached is in it with
// its reason and does not fail the others.
import type { Engine } from './engine/engine.js';
import { buildReport, formatReport, type GpuReport } from './gpuReport.js';
import { sshLauncher } from './remote/gpu.js';
import type { RemoteServer } from './remote/server.js';
import { gpuCells } from './store/servers.js';

type Gpu = GpuReport['gpus'][number];
type Proc = Gpu['processes'][number];

export interface ServerReport {
  name: string;
  local: boolean;
  /** ok; no-processes-visible (see message); error (nvidia-smi failed or is missing); unreachable (ssh). */
  status: GpuReport['status'] | 'unreachable';
  message?: string;
  /** Problems that did not stop the report (a socket refused, no engine there). */
  notes: string[];
  gpuCount: number;
  /** GPUs nobody holds: no process on them and under 1 GiB in use. */
  idleGpus: number;
  freeMemoryMiB: number;
}

export interface ServersGpuReport {
  /** ok: every server answered; partial: some did; error: none did. */
  status: 'ok' | 'partial' | 'error';
  servers: ServerReport[];
  gpus: (Omit<Gpu, 'processes'> & { server: string; idle: boolean; processes: (Proc & { server: string })[] })[];
  containers: (GpuReport['containers'][number] & { server: string })[];
}

export interface ReportTarget {
  local?: { name: string; nvidiaSmi: string; engines: readonly Engine[] };
  remote: readonly RemoteServer[];
  /** How long a server may take to answer before it is reported unreachable. */
  timeoutMs: number;
}

async function remoteReport(s: RemoteServer, timeoutMs: number): Promise<{ report?: GpuReport; status: ServerReport }> {
  await s.ready(timeoutMs);
  const st = s.status;
  const base = { name: s.name, local: false, notes: st.notes, gpuCount: 0, idleGpus: 0, freeMemoryMiB: 0 };
  if (st.state !== 'connected')
    return { status: { ...base, status: 'unreachable', message: st.reason ?? `${s.name}: no answer within ${Math.round(timeoutMs / 1000)} s` } };
  const report = await buildReport(s.nvidiaSmi, s.engines, { launch: sshLauncher(s.conn), procs: (pids) => s.procs.reader(pids) });
  return { report, status: { ...base, status: report.status } };
}

function merge(out: ServersGpuReport, server: ServerReport, r: GpuReport | undefined): void {
  if (r?.message) server.message = r.message;
  if (r) {
    const cells = gpuCells(r.gpus, r.gpus.flatMap((g) => g.processes.map(() => ({ gpuIndex: g.index }))));
    server.gpuCount = cells.length;
    server.idleGpus = cells.filter((c) => c.idle).length;
    server.freeMemoryMiB = cells.reduce((n, c) => n + Math.max(0, (c.totalMiB ?? 0) - (c.usedMiB ?? 0)), 0);
    r.gpus.forEach((g, i) =>
      out.gpus.push({ server: server.name, ...g, idle: cells[i]!.idle, processes: g.processes.map((p) => ({ server: server.name, ...p })) }),
    );
    for (const c of r.containers) out.containers.push({ server: server.name, ...c });
  }
  out.servers.push(server);
}

export async function buildServersReport(t: ReportTarget): Promise<ServersGpuReport> {
  const jobs: Promise<{ report?: GpuReport; status: ServerReport }>[] = [];
  const { local } = t;
  if (local) {
    jobs.push(
      buildReport(local.nvidiaSmi, local.engines).then((report) => ({
        report,
        status: { name: local.name, local: true, status: report.status, notes: [], gpuCount: 0, idleGpus: 0, freeMemoryMiB: 0 },
      })),
    );
  }
  for (const s of t.remote) jobs.push(remoteReport(s, t.timeoutMs));
  const out: ServersGpuReport = { status: 'ok', servers: [], gpus: [], containers: [] };
  for (const { report, status } of await Promise.all(jobs)) merge(out, status, report);
  const answered = out.servers.filter((s) => s.status === 'ok' || s.status === 'no-processes-visible').length;
  out.status = answered === out.servers.length ? 'ok' : answered > 0 ? 'partial' : 'error';
  return out;
}

/** The table: one block per server, a line with the reason for one that did not answer. */
export function formatServersReport(r: ServersGpuReport): string {
  const blocks: string[] = [];
  for (const s of r.servers) {
    if (s.status === 'unreachable' || s.status === 'error') {
      blocks.push(`== ${s.name}: ${s.status}: ${s.message ?? ''}`.trimEnd());
      continue;
    }
    const gpus = r.gpus.filter((g) => g.server === s.name);
    const one: GpuReport = { status: s.status, gpus, containers: r.containers.filter((c) => c.server === s.name) };
    if (s.message) one.message = s.message;
    blocks.push([`== ${s.name}: ${s.gpuCount} GPUs, ${s.idleGpus} idle`, formatReport(one), ...s.notes].join('\n'));
  }
  return blocks.join('\n\n');
}
