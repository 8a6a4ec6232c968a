// gantry's entry point: parse the arguments, then run the command — the TUI, `gantry gpus` or `gantry doctor`.
import { parseCli, USAGE, VERSION, type Args } from './cli/args.js';
import { discover, fail, readConfig } from './app/bootstrap.js';
import { inertJson, showControls } from './text/controls.js';
import { trace } from './trace.js';
import { runTui } from './app/run.js';
import { reportCrash } from './crash.js';

export { VERSION };
// bin/gantry reports an error that escapes main() with it (a crash log, mapped to source).
export { reportCrash };

/** `gantry gpus [--json]`: one sample, attributed, printed; exit 1 when nvidia-smi fails. */
async function gpus(args: Args): Promise<void> {
  const config = await readConfig(args);
  // Loaded here: the TUI's start reads only what its first frame needs.
  const [{ buildReport, formatReport }, { gpusAcrossServers, localEngines, serversFor }] = await Promise.all([import('./gpuReport.js'), import('./app/servers.js')]);
  const servers = serversFor(args, config, false);
  const discovery = await localEngines(servers, () => discover(args, config));
  if (servers) {
    const code = await gpusAcrossServers(servers, discovery.engines, args.nvidiaSmi ?? config.nvidiaSmi, args.json);
    discovery.shutdown();
    process.exit(code);
  }
  // Without an engine the report still names GPUs and host processes.
  const report = await buildReport(args.nvidiaSmi ?? config.nvidiaSmi, discovery.engines);
  discovery.shutdown();
  // JSON keeps the exact data; the controls JSON.stringify leaves raw are written as \u escapes.
  if (args.json) process.stdout.write(inertJson(JSON.stringify(report, null, 2)) + '\n');
  if (report.status === 'error') fail(`gantry: ${showControls(report.message ?? 'nvidia-smi failed')}`, 1);
  if (!args.json) process.stdout.write(formatReport(report) + '\n');
  if (discovery.engines.length === 0) process.stderr.write('gantry: no container engine answered: processes are shown with their host users only (`gantry doctor` says why).\n');
  process.exit(0);
}

export async function main(argv: string[]): Promise<void> {
  trace('main');
  // `gantry run …` and `gantry pull …` parse their own options (src/cli/run.ts).
  if (argv[0] === 'run' || argv[0] === 'pull') return (await import('./cli/run.js')).runOrPull(argv);
  let args: Args;
  try {
    args = parseCli(argv);
  } catch (e) {
    fail(`gantry: ${(e as Error).message}`, 2);
  }
  if (args.help) return void process.stdout.write(USAGE + '\n');
  if (args.version) return void process.stdout.write(`gantry ${VERSION}\n`);
  if (args.command === 'gpus') return gpus(args);
  if (args.command === 'doctor') process.exit(await (await import('./doctor/doctor.js')).doctor(args));
  return runTui(args);
}
