// `gantry run TEMPLATE …` and `gantry pull REF …` for scripts: one container from a template on
// the freest GPU (or its command line with --dry-run), or one image pulled with progress lines.
// Exit codes as `gantry gpus`: 2 for bad usage (arguments, config, template), 1 for a failure.
import { homedir, userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { discover, fail, readConfig } from '../app/bootstrap.js';
import type { Args } from './args.js';
import type { Config } from '../config.js';
import { RunError } from '../engine/create.js';
import { noEngineMessage } from '../engine/discovery.js';
import type { Engine } from '../engine/engine.js';
import { checkHostUrl, normaliseHostUrl } from '../engine/endpoints.js';
import { parseImageRef } from '../engine/reference.js';
import { cdiDevices, type RunSpec } from '../engine/runSpec.js';
import { commandArgv, commandText } from '../run/commandLine.js';
import { holderText, rankGpus } from '../run/gpuPick.js';
import { freshRanking, sampleGpuView } from '../run/gpuSample.js';
import { pullWith } from './pull.js';
import { draftFromTemplate, engineTarget, nameFromPattern, resolveGpus, specFromDraft, startRun } from '../run/run.js';
import { loadTemplate } from '../run/templateFiles.js';
import { TemplateError, type GpuRequest } from '../run/templates.js';

export const RUN_USAGE = `Usage: gantry run TEMPLATE [options]   start a container from a template
       gantry pull REF [options]       pull an image with progress lines

Run options:
  --gpus auto:N|0,1|GPU-…|all|none
                        GPUs (default: the template's); auto:N takes the N
                        idle GPUs with the most free memory
  --image REF           the image (default: the template's)
  --name NAME           the container name (default: the template's pattern,
                        e.g. {user}-{template}-{n})
  --engine docker|podman|ID
                        which engine (needed when several answer)
  --dry-run             print the equivalent docker/podman run command instead
  --create-mounts       create missing mount sources (as you), not refuse
Both: -H/--host, --config, --nvidia-smi, --read-only, --no-podman-service,
as for gantry.

Templates: $XDG_CONFIG_HOME/gantry/templates/NAME.yaml (else
~/.config/gantry/templates); gpu-dev is built in. Prints the container's name
and its GPUs ("NAME gpus=3,1").`;

const OPTIONS = {
  host: { type: 'string', short: 'H', multiple: true },
  'read-only': { type: 'boolean' },
  'no-podman-service': { type: 'boolean' },
  'nvidia-smi': { type: 'string' },
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  gpus: { type: 'string' },
  image: { type: 'string' },
  name: { type: 'string' },
  engine: { type: 'string' },
  'dry-run': { type: 'boolean' },
  'create-mounts': { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

/**
 * One-shot commands wait longer for an engine than the TUI: Podman's /version runs dpkg-query for
 * its helpers' versions and took 2-4 s here on a loaded machine, past the TUI's 3 s.
 */
const PROBE_MS = 15_000;

const usage = (m: string): never => fail(`gantry: ${m}\nRun gantry run --help for the options.`, 2);

/** "auto:2", "auto", "0,1", "GPU-…", "all", "none" → a GPU request. */
export function parseGpusFlag(text: string): GpuRequest | string {
  const t = text.trim();
  if (t === 'none' || t === 'all') return { mode: t };
  const auto = /^auto(?::(\d+))?$/.exec(t);
  if (auto) {
    const n = Number(auto[1] ?? 1);
    return n >= 1 && n <= 64 ? { mode: 'auto', count: n } : `--gpus auto:N takes 1 to 64 GPUs, not ${auto[1]}`;
  }
  const ids = t.split(',').map((s) => s.trim());
  if (ids.length > 0 && ids.every((s) => /^(\d+|(GPU|MIG)-[\w-]+)$/i.test(s))) return { mode: 'devices', ids };
  return `--gpus takes auto:N, a list of GPU indices or UUIDs (0,1), all or none, not "${text}"`;
}

/** The GPU words for a started container: "GPU 1, 3" (Docker), "CDI nvidia.com/gpu=1" (Podman). */
function gpuWords(kind: Engine['kind'], spec: RunSpec): string {
  if (spec.gpus.length === 0) return 'no GPU';
  if (kind === 'podman') return `CDI ${cdiDevices(spec.gpus).join(', ')}`;
  return spec.gpus.includes('all') ? 'all GPUs' : `GPU ${spec.gpus.join(', ')}`;
}

/** The Args bootstrap needs (config, engines), from this command's values. */
function bootArgs(v: Values): Args {
  const hosts = (v.host ?? []).map(normaliseHostUrl);
  for (const h of hosts) {
    const bad = checkHostUrl(h);
    if (bad) usage(`--host ${bad}`);
  }
  const a: Args = { command: 'tui', json: false, noGpu: false, hosts, readOnly: v['read-only'] === true, podmanService: v['no-podman-service'] !== true, help: false, version: false };
  if (v.config !== undefined) a.config = v.config;
  if (v['nvidia-smi'] !== undefined) a.nvidiaSmi = v['nvidia-smi'];
  return a;
}

/** The engine to use: --engine (a kind or an engine id), else the only one. Exits when unclear. */
export function chooseEngine(engines: readonly Engine[], wanted: string | undefined): Engine | string {
  if (wanted) {
    const e = engines.find((x) => x.id === wanted) ?? engines.find((x) => x.kind === wanted);
    return e ?? `no ${wanted} engine answered (engines here: ${engines.map((x) => `${x.id} (${x.kind})`).join(', ') || 'none'})`;
  }
  if (engines.length === 1) return engines[0]!;
  return `several engines answer (${engines.map((x) => x.id).join(', ')}): choose one with --engine`;
}

export async function runOrPull(argv: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv.slice(1), options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    return usage((e as Error).message.replace(/\. To specify.*$/s, ''));
  }
  const v = parsed.values;
  if (v.help) return void process.stdout.write(RUN_USAGE + '\n');
  const what = argv[0] === 'pull' ? 'pull' : 'run';
  if (parsed.positionals.length !== 1) usage(what === 'pull' ? 'gantry pull takes one image reference, e.g. gantry pull busybox:latest' : 'gantry run takes one template name, e.g. gantry run gpu-dev');
  if (what === 'pull' && (v.gpus ?? v.image ?? v.name ?? v['dry-run'] ?? v['create-mounts']) !== undefined) usage('gantry pull takes only --engine and the engine options');
  const args = bootArgs(v);
  const config = await readConfig(args);
  if ((args.readOnly || config.readOnly) && !v['dry-run']) fail(`gantry: read-only mode: ${what} is disabled (started with --read-only)`, 1);
  if (what === 'pull') return pull(parsed.positionals[0]!, v.engine, args, config);
  return runTemplate(parsed.positionals[0]!, v, args, config);
}

async function pull(ref: string, wanted: string | undefined, args: Args, config: Config): Promise<void> {
  const bad = parseImageRef(ref);
  if (typeof bad === 'string') usage(bad);
  const discovery = await discover(args, config, PROBE_MS);
  if (discovery.engines.length === 0) {
    discovery.shutdown();
    fail(noEngineMessage(discovery.attempts), 1);
  }
  const engine = chooseEngine(discovery.engines, wanted);
  if (typeof engine === 'string') {
    discovery.shutdown();
    fail(`gantry: ${engine}`, wanted ? 1 : 2);
  }
  const code = await pullWith(engine, ref, config.insecureRegistries, (l) => process.stdout.write(l + '\n'));
  discovery.shutdown();
  process.exit(code);
}

async function runTemplate(name: string, v: Values, args: Args, config: Config): Promise<void> {
  const user = userInfo().username;
  let draft;
  try {
    draft = draftFromTemplate(loadTemplate(name, { env: process.env, home: homedir(), pwd: process.cwd(), user }));
  } catch (e) {
    if (e instanceof TemplateError) return fail(`gantry: ${e.message}`, 2);
    throw e;
  }
  if (v.gpus !== undefined) {
    const g = parseGpusFlag(v.gpus);
    if (typeof g === 'string') usage(g);
    else draft.gpus = g;
  }
  if (v.image !== undefined) draft.image = v.image;
  if (!draft.image) usage(`template ${name} names no image: give one with --image REF`);
  const ref = parseImageRef(draft.image);
  if (typeof ref === 'string') usage(ref);
  const discovery = await discover(args, config, PROBE_MS);
  const done = (code: number, out = '', err = ''): never => {
    discovery.shutdown();
    if (out) process.stdout.write(out + '\n');
    if (err) process.stderr.write(err + '\n');
    process.exit(code);
  };
  if (discovery.engines.length === 0) done(1, '', noEngineMessage(discovery.attempts));
  const engine = chooseEngine(discovery.engines, v.engine);
  if (typeof engine === 'string') return done(v.engine ? 1 : 2, '', `gantry: ${engine}`);
  const nvidiaSmi = args.nvidiaSmi ?? config.nvidiaSmi;
  try {
    let ranked;
    if (draft.gpus.mode !== 'none') {
      const look = await sampleGpuView(nvidiaSmi, discovery.engines);
      ranked = look.error ? undefined : rankGpus(look.view);
      if (look.error && draft.gpus.mode === 'auto') done(1, '', `gantry: cannot choose GPUs: ${look.error}`);
    }
    const gpus = resolveGpus(draft.gpus, ranked);
    for (const w of gpus.warnings) process.stderr.write(`gantry: ${w}\n`);
    for (const g of gpus.busy) process.stderr.write(`gantry: GPU ${g.index} is busy (${g.holders.map(holderText).join(', ')}); starting on it as asked\n`);
    const taken = new Set(await engine.listContainers().then((l) => l.map((c) => c.name), () => []));
    const cname = v.name ?? nameFromPattern(draft.name, { user, template: draft.template, image: draft.image }, taken);
    const spec = specFromDraft(draft, cname, gpus.ids);
    if (gpus.reason) process.stderr.write(`gantry: ${gpus.reason}\n`);
    if (v['dry-run']) done(0, commandText(commandArgv(engine.kind, spec)));
    const opts: Parameters<typeof startRun>[2] = { acceptBusy: gpus.busy.map((g) => g.index), createMounts: v['create-mounts'] === true };
    if (spec.gpus.length > 0) opts.gpus = freshRanking(nvidiaSmi, discovery.engines);
    const created = await startRun(engineTarget(engine), spec, opts);
    for (const w of created.warnings) process.stderr.write(`gantry: ${engine.id}: ${w}\n`);
    process.stderr.write(`gantry: started ${created.name} on ${engine.id} (${gpuWords(engine.kind, spec)})\n`);
    done(0, `${created.name} gpus=${spec.gpus.join(',') || 'none'}`);
  } catch (e) {
    if (e instanceof RunError) done(1, '', `gantry: ${e.message}${e.suggestion ? ` (use --name ${e.suggestion})` : ''}`);
    throw e;
  }
}
