// Start-up before the TUI: the config and the engines (discovery).
// Everything here either returns what the TUI needs or exits with a message saying what to do.
import { existsSync, lstatSync } from 'node:fs';
import { homedir } from 'node:os';
import { ConfigError, configPath, defaultConfig, type Config } from '../configDefaults.js';
import type { DiscoveryOptions, DiscoveryResult } from '../engine/discovery.js';
import { checkHostUrl, normaliseHostUrl } from '../engine/endpoints.js';
import type { Args } from '../cli/args.js';
import { showControls } from '../text/controls.js';
import { trace } from '../trace.js';

let leaveScreen: (() => void) | undefined;

/** What `fail` does first once something is drawn: leave the alternate screen, so the message stays readable. */
export function beforeFail(f: () => void): void {
  leaveScreen = f;
}

/** Writes a message and exits. What it quotes (config, engines, nvidia-smi) has its controls shown, line breaks kept. */
export function fail(message: string, code: number): never {
  leaveScreen?.();
  const text = message.split('\n').map(showControls).join('\n');
  process.stderr.write(text.endsWith('\n') ? text : text + '\n');
  process.exit(code);
}

/** True when nothing is at `path` (anything else, even a dangling link, is the config reader's to judge). */
function absent(path: string): boolean {
  try {
    lstatSync(path);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/** The config file, or exit 2 naming the line that is wrong (or the --config file that is not there). */
export async function readConfig(args: Args): Promise<Config> {
  // Named but missing is a mistake (a typo, a wrong folder): the defaults would hide it.
  if (args.config !== undefined && !existsSync(args.config))
    fail(`gantry: --config ${args.config}: no such file. Give a config file that exists, or leave --config out (gantry then reads ${configPath()} if there is one).`, 2);
  const path = args.config ?? configPath();
  let config: Config = defaultConfig();
  try {
    // No file, no YAML parser loaded: most starts have no config.
    if (!absent(path)) config = (await import('../config.js')).loadConfig(path).config;
  } catch (e) {
    if (e instanceof ConfigError) fail(`gantry: bad config: ${e.message}\n${e.hint ?? 'Fix or remove that line; gantry does not start on a half-read config.'}`, 2);
    throw e;
  }
  for (const h of config.hosts) {
    const bad = checkHostUrl(normaliseHostUrl(h));
    if (bad) fail(`gantry: bad config: hosts: ${bad}`, 2);
  }
  return config;
}

/** What discovery is told: where to look (--host, the config's hosts, the usual places) and whether to start a Podman service. */
export function discoveryOptions(args: Args, config: Config, probeTimeoutMs?: number): DiscoveryOptions {
  return {
    env: process.env,
    home: homedir(),
    hosts: args.hosts.length > 0 ? args.hosts : config.hosts.map(normaliseHostUrl),
    podmanService: args.podmanService && config.podmanService,
    ...(probeTimeoutMs ? { probeTimeoutMs } : {}),
  };
}

/** Finds the engines (all that answer). Signals during discovery still stop a session Podman service. */
export async function discover(args: Args, config: Config, probeTimeoutMs?: number): Promise<DiscoveryResult> {
  // The code that talks to engines is loaded here, not by every start (the TUI draws first).
  const { streamEngines } = await import('../engine/discovery.js');
  trace('discovery start');
  const stream = streamEngines(discoveryOptions(args, config, probeTimeoutMs));
  const earlySignal = (sig: NodeJS.Signals) => {
    stream.shutdown();
    process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGHUP' ? 1 : 15));
  };
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(s, earlySignal);
  const discovery = await stream.done;
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(s, earlySignal);
  trace('discovery done');
  return discovery;
}
