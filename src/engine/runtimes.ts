// What an engine says about its OCI runtimes and CDI (from /info), for `gantry doctor`'s NVIDIA
// container toolkit line: an "nvidia" runtime, and where CDI specs are read when CDI is on.
import type Docker from 'dockerode';

export interface RuntimeFacts {
  /** Runtime names the engine knows (Docker: configured; Podman: configured, not all installed). */
  runtimes: string[];
  defaultRuntime?: string;
  /** Docker 25+ with CDI enabled (and Podman, where reported): the folders CDI specs come from. */
  cdiSpecDirs?: string[];
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Reads /info; throws what dockerode throws (the caller words it). */
export async function runtimeFacts(docker: Docker, timeoutMs = 5000): Promise<RuntimeFacts> {
  const info = (await (docker as unknown as { info(o: { abortSignal: AbortSignal }): Promise<Record<string, unknown>> }).info({
    abortSignal: AbortSignal.timeout(timeoutMs),
  })) as { Runtimes?: unknown; DefaultRuntime?: unknown; CDISpecDirs?: unknown };
  const runtimes = info.Runtimes && typeof info.Runtimes === 'object' ? Object.keys(info.Runtimes).sort() : [];
  const out: RuntimeFacts = { runtimes };
  if (typeof info.DefaultRuntime === 'string' && info.DefaultRuntime) out.defaultRuntime = info.DefaultRuntime;
  if (Array.isArray(info.CDISpecDirs)) out.cdiSpecDirs = strings(info.CDISpecDirs);
  return out;
}
