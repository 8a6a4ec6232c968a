// The command line: the usage text, and argv parsed into Args (or a UsageError saying what is wrong).
import { parseArgs } from 'node:util';
import { checkHostUrl, normaliseHostUrl } from '../engine/endpoints.js';
import { VERSION } from '../version.js';

export { VERSION };

export const USAGE = `gantry ${VERSION}: a terminal UI for Docker and Podman on GPU servers

Usage: gantry [options]          the TUI
       gantry gpus [--json]     which container holds which GPU (every server)
       gantry run TEMPLATE      start a container on the freest GPU (run --help)
       gantry pull REF          pull an image with progress lines (pull --help)
       gantry doctor [--json]   what gantry finds (engines, GPUs, toolkit, TTY)

Options:
  -H, --host URL        use this engine (unix:///path.sock, tcp://host:port,
                        ssh://user@host); repeat for several. When given, only
                        these are used.
  --server NAME|DEST    show this server: a name from the config's servers
                        (local: this machine), or an ssh destination (alias,
                        user@host, ssh://user@host:port); repeat for several.
                        When given, only these are shown.
  --read-only           disable every action that changes anything
  --no-podman-service   do not start a Podman API service for the session
  --nvidia-smi PATH     the nvidia-smi to run (default: nvidia-smi on PATH)
  --no-gpu              do not watch GPUs
  --tail N              log lines shown when a log opens (default 200)
  --shell PATH          the shell E runs in a container (default: bash if it
                        has one, else sh)
  --json                with \`gpus\` or \`doctor\`: print JSON
  --config PATH         read this config file instead of the default
  -h, --help            show this help
  -v, --version         print the version

Engines, when no --host is given: DOCKER_HOST, the current Docker context,
/var/run/docker.sock, $XDG_RUNTIME_DIR/podman/podman.sock and
/run/podman/podman.sock; every one that answers is shown. If podman is
installed and no Podman socket answers, gantry starts \`podman system service\`
on a private socket and stops it on exit.

Config: $XDG_CONFIG_HOME/gantry/config.yaml (else ~/.config/gantry/config.yaml),
optional:
  hosts: [unix:///run/user/1000/podman/podman.sock]
  readOnly: false
  showStopped: true
  podmanService: true
  resyncSeconds: 10
  gpu: true
  nvidiaSmi: nvidia-smi
  gpuIntervalMs: 1000
  gpuIdleMinutes: 30
  logTail: 200          # lines shown when a log opens
  logLines: 10000       # lines a log panel keeps (the oldest go first)
  logLineMax: 65536     # longer lines are cut with a marker
  logColor: true        # keep the containers' colours (c toggles)
  logDir: ~/.local/state/gantry/logs   # where s / S save logs
  shell: /bin/zsh       # what E runs (default: bash if there, else sh)
  insecureRegistries: [registry.lab:5000]   # Podman pulls these over HTTP
  servers:              # other GPU servers, over ssh (this machine too)
    - node3             # an alias from your ssh config, or user@host
    - name: dgx
      ssh: ssh://alice@10.0.0.7:2222
      sockets: [/var/run/docker.sock]    # default: asked from the server
      nvidiaSmi: /usr/bin/nvidia-smi
  sshConfig: ~/.ssh/config   # what gantry's ssh reads (or GANTRY_SSH_CONFIG)

Keys: press ? inside gantry. Quit with q or Ctrl-C.`;

export interface Args {
  command: 'tui' | 'gpus' | 'doctor';
  json: boolean;
  nvidiaSmi?: string;
  tail?: number;
  shell?: string;
  noGpu: boolean;
  hosts: string[];
  /** --server: the servers to show (names or ssh destinations); absent or empty: every configured one. */
  servers?: string[];
  readOnly: boolean;
  podmanService: boolean;
  config?: string;
  help: boolean;
  version: boolean;
}

export class UsageError extends Error {}

const OPTIONS = {
  host: { type: 'string', short: 'H', multiple: true },
  server: { type: 'string', multiple: true },
  'read-only': { type: 'boolean' },
  'no-podman-service': { type: 'boolean' },
  'nvidia-smi': { type: 'string' },
  'no-gpu': { type: 'boolean' },
  tail: { type: 'string' },
  shell: { type: 'string' },
  json: { type: 'boolean' },
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

export function parseCli(argv: string[]): Args {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${(e as Error).message.replace(/\. To specify.*$/s, '')}\nRun gantry --help for the options.`);
  }
  const v = parsed.values;
  const pos = parsed.positionals;
  if (pos.length > 1 || (pos.length === 1 && pos[0] !== 'gpus' && pos[0] !== 'doctor'))
    throw new UsageError(`unknown command "${pos.join(' ')}" (the commands are \`gantry gpus\`, \`gantry doctor\`, \`gantry run\` and \`gantry pull\`)\nRun gantry --help for the options.`);
  if (v.json && pos[0] !== 'gpus' && pos[0] !== 'doctor') throw new UsageError('--json goes with `gantry gpus` or `gantry doctor`');
  const hosts = (v.host ?? []).map(normaliseHostUrl);
  for (const h of hosts) {
    const bad = checkHostUrl(h);
    if (bad) throw new UsageError(`--host ${bad}`);
  }
  const out: Args = {
    command: pos[0] === 'gpus' || pos[0] === 'doctor' ? pos[0] : 'tui',
    json: v.json === true,
    noGpu: v['no-gpu'] === true,
    hosts,
    servers: v.server ?? [],
    readOnly: v['read-only'] === true,
    podmanService: v['no-podman-service'] !== true,
    help: v.help === true,
    version: v.version === true,
  };
  if (v.config !== undefined) out.config = v.config;
  if (v['nvidia-smi'] !== undefined) out.nvidiaSmi = v['nvidia-smi'];
  if (v.shell !== undefined) {
    if (!v.shell.trim()) throw new UsageError('--shell needs a program, e.g. --shell /bin/zsh');
    out.shell = v.shell;
  }
  if (v.tail !== undefined) {
    if (!/^\d+$/.test(v.tail) || Number(v.tail) > 1_000_000) throw new UsageError(`--tail takes a number of lines from 0 to 1000000, not "${v.tail}"`);
    out.tail = Number(v.tail);
  }
  return out;
}
