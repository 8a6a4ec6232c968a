// `gantry doctor`: what a user asks when something is off, one line each — Node, every engine
// place tried (and why it failed), Podman's service, nvidia-smi and the driver, the NVIDIA
// container toolkit for Docker and Podman, config and state paths, the terminal and the locale.
import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import { discoverEngines, findOnPath, type Attempt } from '../engine/discovery.js';
import type { Engine } from '../engine/engine.js';
import { namedByUser } from '../engine/endpoints.js';
import { explainConnectError } from '../engine/errors.js';
import { sanitizeLine } from '../engine/logs/sanitize.js';
import { queryDriver } from '../gpu/driver.js';
import { configPath } from '../config.js';
import { VERSION } from '../version.js';
import { configCheck, localeCheck, nodeCheck, stateCheck, terminalCheck, type Check, type TerminalInfo } from './checks.js';
import { CDI_SPEC_DIRS, dockerToolkitCheck, nvidiaSmiCheck, podmanToolkitCheck, readCdiSpecs, resolveBinary } from './nvidia.js';

export interface DoctorOptions {
  env: Record<string, string | undefined>;
  /** --host values (normalised); empty: gantry's own discovery. */
  hosts: string[];
  /** --config, when given. */
  configFile?: string;
  defaultConfigFile: string;
  podmanService: boolean;
  nvidiaSmi?: string;
  noGpu: boolean;
  terminal: TerminalInfo;
}

export function engineChecks(attempts: readonly Attempt[], engines: number): Check[] {
  const out = attempts.map((a): Check => {
    const data = { url: a.endpoint.url, source: a.endpoint.source, why: a.endpoint.why, ok: a.ok, detail: a.detail };
    const text = `${a.endpoint.url} (${a.endpoint.why}): ${a.detail}`;
    if (a.ok) return { id: 'engine', status: 'ok', text, data };
    // A default place with nothing there is normal; one the user named, or one that refused us, is worth fixing.
    const absent = /no socket there/.test(a.detail) && !namedByUser(a.endpoint);
    return { id: 'engine', status: absent ? 'info' : engines === 0 ? 'fail' : 'warn', text, data };
  });
  if (engines === 0)
    out.push({ id: 'engine', status: 'fail', text: `no container engine answered (${attempts.length} place${attempts.length === 1 ? '' : 's'} tried): start Docker or Podman, or give --host`, data: { engines: 0 } });
  return out;
}

export function podmanServiceCheck(attempts: readonly Attempt[], engines: readonly Pick<Engine, 'kind' | 'label' | 'url' | 'sessionService' | 'version'>[], o: { wanted: boolean; hostsGiven: boolean; podman: string | undefined }): Check {
  const session = attempts.find((a) => a.endpoint.source === 'podman-session');
  const viaSocket = engines.filter((e) => e.kind === 'podman' && !e.sessionService);
  const data = { podman: o.podman ?? null, sessionService: session ? (session.ok ? 'started' : 'failed') : 'not needed', sockets: viaSocket.map((e) => e.url) };
  if (session?.ok) return { id: 'podman-service', status: 'ok', text: `no Podman socket answers, so gantry starts \`podman system service\` for its session (private socket, stopped on exit): it answered, ${session.detail}`, data };
  if (session) return { id: 'podman-service', status: 'fail', text: `gantry's session \`podman system service\` did not work: ${session.detail}`, data };
  if (viaSocket.length) return { id: 'podman-service', status: 'ok', text: `a Podman socket answers (${viaSocket.map((e) => (e.label.startsWith('/') ? e.url : `${e.label}: ${e.url}`)).join(', ')}): gantry uses it, no session service`, data };
  if (!o.podman) return { id: 'podman-service', status: 'info', text: 'podman is not installed (not on PATH)', data };
  const why = o.hostsGiven
    ? 'not started, as --host names the engines to use'
    : !o.wanted
      ? 'turned off (--no-podman-service or podmanService: false)'
      : 'not tried';
  return { id: 'podman-service', status: 'info', text: `${o.podman}: no Podman socket answers, and the session service is ${why}`, data };
}

async function toolkitChecks(dockers: readonly Engine[], gpus: boolean, env: Record<string, string | undefined>): Promise<Check[]> {
  const input = { gpus, pathVar: env.PATH, cdi: readCdiSpecs(CDI_SPEC_DIRS) };
  const facts = await Promise.all(dockers.map((e) => e.runtimes().catch((err: unknown) => explainConnectError(err, e.url))));
  const out = dockers.map((e, i) => dockerToolkitCheck(`docker ${e.url}`, facts[i]!, input));
  if (dockers.length === 0) out.push({ id: 'toolkit-docker', status: 'info', text: 'no Docker engine answered', data: { engine: null } });
  out.push(podmanToolkitCheck(input));
  return out;
}

/** The version, and where gantry is installed: the launcher's real folder (npm links bin/gantry from elsewhere). */
export function gantryCheck(launcher: string | undefined): Check {
  let real = launcher;
  try {
    if (launcher) real = realpathSync(launcher);
  } catch {
    // as given
  }
  const where = real ? ` in ${dirname(dirname(real))}` : '';
  const runAs = launcher && launcher !== real ? ` (run as ${launcher})` : '';
  return { id: 'gantry', status: 'ok', text: `${VERSION}${where}${runAs}`, data: { version: VERSION, installed: real ? dirname(dirname(real)) : null, launcher: launcher ?? null } };
}

/** Runs every check. Discovery is gantry's own (a session Podman service is started and stopped). */
export async function runDoctor(o: DoctorOptions): Promise<Check[]> {
  const cfg = configCheck(o.configFile ?? o.defaultConfigFile, o.configFile !== undefined);
  const config = cfg.config;
  const hosts = o.hosts.length > 0 ? o.hosts : (config?.hosts ?? []);
  const nvidiaSmi = o.nvidiaSmi ?? config?.nvidiaSmi ?? 'nvidia-smi';
  const smiPath = resolveBinary(nvidiaSmi, o.env.PATH);
  const gpuOff = o.noGpu || config?.gpu === false;
  const [discovery, driver] = await Promise.all([
    discoverEngines({ env: o.env, home: homedir(), hosts, podmanService: o.podmanService && (config?.podmanService ?? true) }),
    gpuOff ? undefined : queryDriver(nvidiaSmi),
  ]);
  try {
    const gantry = gantryCheck(process.argv[1]);
    const smi: Check = driver
      ? nvidiaSmiCheck(nvidiaSmi, smiPath, driver)
      : { id: 'nvidia-smi', status: 'info', text: 'GPUs are turned off (--no-gpu or gpu: false)', data: { binary: nvidiaSmi, path: smiPath ?? null } };
    const gpus = !!driver && !driver.error && driver.gpus.length > 0;
    const dockers = discovery.engines.filter((e) => e.kind === 'docker');
    return [
      gantry,
      nodeCheck(process.version, process.execPath, process.execArgv),
      ...engineChecks(discovery.attempts, discovery.engines.length),
      podmanServiceCheck(discovery.attempts, discovery.engines, { wanted: o.podmanService, hostsGiven: hosts.length > 0, podman: findOnPath('podman', o.env.PATH) }),
      smi,
      ...(await toolkitChecks(dockers, gpus, o.env)),
      cfg.check,
      stateCheck(o.env, config?.logDir ? config.logDir.replace(/^~(?=\/|$)/, homedir()) : ''),
      terminalCheck(o.terminal, o.env.TERM),
      localeCheck(o.env),
    ];
  } finally {
    discovery.shutdown();
  }
}

const LABEL: Record<Check['status'], string> = { ok: 'ok', warn: 'WARN', fail: 'FAIL', info: '--' };

/** One line per check; strings from outside (engines, files, the environment) made inert. */
export function formatDoctor(checks: readonly Check[]): string {
  const lines = checks.map((c) => sanitizeLine(`${LABEL[c.status].padEnd(5)}${c.id.padEnd(16)}${c.text}`, { keepColor: false }));
  const fails = checks.filter((c) => c.status === 'fail').length;
  const warns = checks.filter((c) => c.status === 'warn').length;
  lines.push('', fails || warns ? `${fails} failed, ${warns} to look at.` : 'Nothing wrong found.');
  return lines.join('\n');
}

/** JSON whose every non-ASCII control and bidirectional override is escaped, safe to print raw. */
export function doctorJson(checks: readonly Check[]): string {
  const body = { gantry: VERSION, ok: !checks.some((c) => c.status === 'fail'), checks };
  return JSON.stringify(body, null, 2).replace(/[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `gantry doctor [--json]` from the parsed command line: prints the report, returns the exit status (1 when a check failed). */
export async function doctor(args: { json: boolean; hosts: string[]; config?: string; podmanService: boolean; nvidiaSmi?: string; noGpu: boolean }): Promise<number> {
  const tty = process.stdout.isTTY ? process.stdout : process.stderr.isTTY ? process.stderr : undefined;
  const checks = await runDoctor({
    env: process.env,
    hosts: args.hosts,
    ...(args.config !== undefined ? { configFile: args.config } : {}),
    defaultConfigFile: configPath(),
    podmanService: args.podmanService,
    ...(args.nvidiaSmi !== undefined ? { nvidiaSmi: args.nvidiaSmi } : {}),
    noGpu: args.noGpu,
    terminal: tty ? { isTTY: true, columns: tty.columns, rows: tty.rows } : { isTTY: false },
  });
  process.stdout.write((args.json ? doctorJson(checks) : formatDoctor(checks)) + '\n');
  return checks.some((c) => c.status === 'fail') ? 1 : 0;
}
