// What the bench reads of a running program (CPU ticks and resident memory from /proc), and the
// soak part: gantry left open for BENCH_SOAK_S (30 minutes by default).
import { readFileSync } from 'node:fs';
import type { PtySession } from '../test/helpers/pty.js';

export const TICK = 100; // USER_HZ on Linux
const SOAK_S = Number(process.env.BENCH_SOAK_S ?? 1800);

export function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
}

export function rssKiB(pid: number): number {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

export const pct = (xs: number[], p: number) => {
  const a = [...xs].sort((x, y) => x - y);
  return a[Math.min(a.length - 1, Math.floor((p / 100) * a.length))] ?? NaN;
};

export interface RssSummary {
  rssFirstMinMiB: number;
  rssLastMinMiB: number;
  rssMaxMiB: number;
}

/** The largest RSS in the first minute and in the last (halves of a run shorter than 2 minutes), and overall. */
export function rssSummary(rss: { t: number; kib: number }[], span: number): RssSummary {
  const minute = (from: number, to: number) => {
    const xs = rss.filter((r) => r.t >= from && r.t < to).map((r) => r.kib);
    return xs.length ? Math.max(...xs) / 1024 : NaN;
  };
  return {
    rssFirstMinMiB: minute(0, Math.min(60_000, span / 2)),
    rssLastMinMiB: minute(Math.max(span - 60_000, span / 2), Infinity),
    rssMaxMiB: Math.max(...rss.map((r) => r.kib)) / 1024,
  };
}

export interface SoakResult extends RssSummary {
  seconds: number;
  cpuPct: number;
  /** RSS every 10 s, MiB. */
  rssMiB: number[];
}

/**
 * gantry left open on the 20 loggers, the log panel following one, GPU polling on: is resident
 * memory flat? RSS every second (the first minute against the last), CPU over the whole run.
 */
export async function soak(s: PtySession): Promise<SoakResult> {
  process.stderr.write(`bench: gantry: soak for ${SOAK_S} s… `);
  const pid = s.pid;
  const c0 = cpuTicks(pid);
  const t0 = performance.now();
  const rss: { t: number; kib: number }[] = [];
  const end = Date.now() + SOAK_S * 1000;
  while (Date.now() < end) {
    rss.push({ t: performance.now() - t0, kib: rssKiB(pid) });
    await new Promise((r) => setTimeout(r, 1000));
  }
  const span = performance.now() - t0;
  const cpuPct = (((cpuTicks(pid) - c0) / TICK) * 1000 * 100) / span;
  const out: SoakResult = {
    seconds: span / 1000,
    cpuPct,
    ...rssSummary(rss, span),
    rssMiB: rss.filter((_, i) => i % 10 === 0).map((r) => Math.round(r.kib / 102.4) / 10),
  };
  process.stderr.write(`RSS ${out.rssFirstMinMiB.toFixed(0)} → ${out.rssLastMinMiB.toFixed(0)} MiB (max ${out.rssMaxMiB.toFixed(0)}), CPU ${cpuPct.toFixed(2)} %\n`);
  return out;
}
