// One sample of both nvidia-smi queries, for `gantry gpus`: ended after a bounded time whatever
// nvidia-smi does, and every row checked (an error naming the row, never a sample of garbage).
import { execa } from 'execa';
import { quoteForMessage } from '../text/controls.js';
import { appArgs, gpuArgs, MISSING_MESSAGE, notAnsweringMessage, type GpuLauncher } from './monitor.js';
import { NvidiaSmiError, errorLine, parseAppLine, parseGpuLine, type GpuProcess, type GpuSample } from './parse.js';

export interface OnceResult {
  gpus: GpuSample[];
  processes: GpuProcess[];
  /** Set when nvidia-smi is missing, failed, did not answer in time or printed rows it cannot have meant; plain words. */
  error?: string;
}

/** How long `gantry gpus` waits for nvidia-smi: a driver without persistence mode can take seconds to start. */
export const ONCE_TIMEOUT_MS = 10_000;

interface OnceRun {
  lines: string[];
  error?: string;
}

/** One run of one query, ended after `timeoutMs` whatever nvidia-smi does (it may hang in the driver and ignore signals). */
async function runOnce(binary: string, args: string[], timeoutMs: number, launch?: GpuLauncher): Promise<OnceRun> {
  // Through a server's ssh connection when `launch` says so (src/remote/gpu.ts).
  const cmd = launch?.command(binary, args) ?? { file: binary, args };
  const child = execa(cmd.file, cmd.args, { reject: false, stdin: 'ignore', cleanup: true });
  let out = '';
  child.stdout?.on('data', (c: Buffer | string) => {
    if (out.length < 1_000_000) out += String(c);
  });
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), timeoutMs);
  });
  const r = await Promise.race([child, late]);
  clearTimeout(timer);
  if (r === 'late') {
    child.kill('SIGKILL');
    // Not waited for: a process stuck in the driver may never end.
    child.catch(() => undefined);
    const partial = out.slice(out.lastIndexOf('\n') + 1);
    return { lines: [], error: `${notAnsweringMessage(Math.round(timeoutMs / 1000), partial)}: it was stopped, and no GPU is shown. A hung nvidia-smi usually means a driver problem: look for NVIDIA Xid errors in \`dmesg\`.` };
  }
  const code = (r as { code?: string }).code;
  if (code === 'ENOENT') return { error: MISSING_MESSAGE, lines: [] };
  if (launch && r.exitCode === launch.missing.exitCode) return { error: launch.missing.message, lines: [] };
  const lines = out.split('\n');
  const err = lines.map(errorLine).find(Boolean);
  if (err) return { error: err.message, lines };
  if (r.exitCode !== 0) {
    const said = String(r.stderr ?? '').trim() || lines.join(' ').trim();
    const how = r.exitCode !== undefined ? `exit code ${r.exitCode}` : r.signal ? `killed by ${r.signal}` : String((r as { shortMessage?: string }).shortMessage ?? 'did not run');
    return { error: `nvidia-smi failed (${how})${said ? `: ${quoteForMessage(said, 300)}` : ''}`, lines };
  }
  return { lines };
}

/** Rows of one query: what parses, or the first row that does not, as an error. */
function rows<T>(lines: string[], parse: (l: string) => T | NvidiaSmiError | undefined): { items: T[]; error?: string } {
  const items: T[] = [];
  for (const l of lines) {
    const r = parse(l);
    if (r instanceof NvidiaSmiError) return { items, error: r.message };
    if (r !== undefined) items.push(r);
  }
  return { items };
}

/** One sample of both queries (no loop), for `gantry gpus`; never longer than `timeoutMs`. */
export async function queryOnce(binary = 'nvidia-smi', launch?: GpuLauncher, timeoutMs = ONCE_TIMEOUT_MS): Promise<OnceResult> {
  const [g, a] = await Promise.all([runOnce(binary, gpuArgs(1000).slice(0, 2), timeoutMs, launch), runOnce(binary, appArgs(1000).slice(0, 2), timeoutMs, launch)]);
  const gpus = rows(g.lines, parseGpuLine);
  const processes = rows(a.lines, parseAppLine);
  const out: OnceResult = { gpus: gpus.items, processes: processes.items };
  const error = g.error ?? a.error ?? gpus.error ?? processes.error;
  if (error) out.error = error;
  return out;
}
