// One question to nvidia-smi for `gantry doctor`: which driver, which GPUs. No loop, a timeout,
// and the same words for a missing binary or a broken driver as the GPU strip uses.
import { execFile } from 'node:child_process';
import { MISSING_MESSAGE } from './monitor.js';
import { errorLine } from './parse.js';

export interface DriverInfo {
  /** Driver version as nvidia-smi prints it, e.g. 570.124.06. */
  driver?: string;
  /** GPU names, in index order. */
  gpus: string[];
  /** Plain words when nvidia-smi is missing, failed or did not answer. */
  error?: string;
}

export function queryDriver(binary: string, timeoutMs = 10_000): Promise<DriverInfo> {
  return new Promise((resolve) => {
    execFile(
      binary,
      ['--query-gpu=driver_version,name', '--format=csv,noheader'],
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { killed?: boolean; code?: string | number }) | null;
        if (e?.code === 'ENOENT') return resolve({ gpus: [], error: MISSING_MESSAGE });
        const lines = String(stdout).split('\n').map((l) => l.trim()).filter(Boolean);
        const driverError = lines.map(errorLine).find(Boolean);
        if (driverError) return resolve({ gpus: [], error: driverError.message });
        if (e?.killed) return resolve({ gpus: [], error: `nvidia-smi did not answer within ${Math.round(timeoutMs / 1000)} s` });
        if (e) return resolve({ gpus: [], error: `nvidia-smi failed (${String(e.code ?? e.message)}): ${(String(stderr).trim() || lines.join(' ')).slice(0, 300)}` });
        const rows = lines.map((l) => {
          const i = l.indexOf(',');
          return i < 0 ? { driver: l, name: '' } : { driver: l.slice(0, i).trim(), name: l.slice(i + 1).trim() };
        });
        const out: DriverInfo = { gpus: rows.map((r) => r.name) };
        if (rows[0]?.driver) out.driver = rows[0].driver;
        resolve(out);
      },
    );
  });
}
