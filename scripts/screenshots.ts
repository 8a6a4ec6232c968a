// `npm run screenshots`: real engines, realistic containers, the nvidia-smi stand-in replaying the
// 4-GPU server (with the containers' real pids as its GPU processes), the real gantry in a
// pseudo-terminal; each scene's screen (read from the terminal emulator, cell by cell with its
// colours) is written as HTML and rendered to PNG by Debian's chromium, into screenshots/.
import Docker from 'dockerode';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEY, PtySession, ROOT } from '../test/helpers/pty.js';

const COLS = 150;
const ROWS = 40;
const OUT = join(ROOT, 'screenshots');
const CHROMIUM = ['chromium', 'chromium-browser', 'google-chrome'].find((b) => {
  try {
    execFileSync('which', [b], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
});

// xterm's 16 colours (a dark theme), then the 256-colour cube and greys.
const BASE = ['#1e1e1e', '#e06c75', '#98c379', '#e5c07b', '#61afef', '#c678dd', '#56b6c2', '#d0d0d0', '#808080', '#ff7b86', '#b5e890', '#ffd68a', '#8cc8ff', '#e0a0ff', '#7fdbe6', '#ffffff'];
function palette(i: number): string {
  if (i < 16) return BASE[i]!;
  if (i < 232) {
    const n = i - 16;
    const v = [0, 95, 135, 175, 215, 255];
    return `rgb(${v[Math.floor(n / 36)]},${v[Math.floor(n / 6) % 6]},${v[n % 6]})`;
  }
  const g = 8 + (i - 232) * 10;
  return `rgb(${g},${g},${g})`;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The emulator's screen as HTML: one span per run of cells with the same style. */
async function toHtml(s: PtySession, title: string): Promise<string> {
  await s.screen();
  const buf = s.term.buffer.active;
  const rows: string[] = [];
  for (let y = 0; y < s.term.rows; y++) {
    const line = buf.getLine(buf.viewportY + y);
    let html = '';
    let run = '';
    let style = '';
    const flush = () => {
      if (run) html += style ? `<span style="${style}">${esc(run)}</span>` : esc(run);
      run = '';
    };
    for (let x = 0; x < s.term.cols; x++) {
      const c = line?.getCell(x);
      if (!c || c.getWidth() === 0) continue;
      let fg = c.isFgDefault() ? '#d0d0d0' : c.isFgRGB() ? `#${c.getFgColor().toString(16).padStart(6, '0')}` : palette(c.getFgColor());
      let bg = c.isBgDefault() ? '' : c.isBgRGB() ? `#${c.getBgColor().toString(16).padStart(6, '0')}` : palette(c.getBgColor());
      if (c.isInverse()) [fg, bg] = [bg || '#1e1e1e', fg];
      const st = `color:${fg};${bg ? `background:${bg};` : ''}${c.isBold() ? 'font-weight:bold;' : ''}${c.isDim() ? 'opacity:0.7;' : ''}`;
      if (st !== style) {
        flush();
        style = st;
      }
      run += c.getChars() || ' ';
    }
    flush();
    rows.push(html);
  }
  return `<!doctype html><meta charset="utf-8"><title>${esc(title)}</title><style>body{margin:0;background:#1e1e1e}pre{margin:0;padding:12px;font:14px/1.25 'DejaVu Sans Mono',monospace;color:#d0d0d0}</style><pre>${rows.join('\n')}</pre>`;
}

async function shot(s: PtySession, name: string, title: string, dir: string): Promise<void> {
  const html = join(dir, `${name}.html`);
  writeFileSync(html, await toHtml(s, title));
  const png = join(OUT, `${name}.png`);
  execFileSync(CHROMIUM!, ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', `--window-size=${COLS * 9 + 24},${ROWS * 18 + 24}`, `--screenshot=${png}`, `file://${html}`], { stdio: 'ignore' });
  process.stderr.write(`screenshots: ${png}\n`);
}

async function main() {
  if (!CHROMIUM) {
    process.stderr.write('screenshots: no chromium found (apt-get install chromium)\n');
    process.exit(2);
  }
  mkdirSync(OUT, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), 'gantry-shots-'));
  const envOut = execFileSync('bash', [`${ROOT}scripts/engines.sh`, 'start'], { encoding: 'utf8' });
  const dsock = /GANTRY_TEST_DOCKER_SOCK=(\S+)/.exec(envOut)![1]!;
  const psock = /GANTRY_TEST_PODMAN_SOCK=(\S+)/.exec(envOut)![1]!;
  const docker = new Docker({ socketPath: dsock });
  const podman = new Docker({ socketPath: psock });
  const train = 'i=0; while true; do i=$((i+1)); echo "epoch 12 step $((4800+i*100)) loss=0.4$((i%10))$((i%7)) lr=3e-4 tok/s=18$((i%10))42"; [ $((i%6)) = 0 ] && echo "warning: dataloader worker 3 is slow (2.1 s/batch)" >&2; sleep 0.5; done';
  const make = async (d: Docker, image: string, name: string, cmd: string[], start = true) => {
    await d.getContainer(name).remove({ force: true }).catch(() => undefined);
    const c = await d.createContainer({ name, Image: image, Cmd: cmd, Labels: { 'ai.gantry.demo': '1' }, HostConfig: { NetworkMode: 'none' } });
    if (start) await c.start();
    return c;
  };
  const vla = await make(docker, 'busybox:latest', 'vla-train', ['sh', '-c', train]);
  await make(docker, 'busybox:latest', 'lab-jupyter', ['sh', '-c', 'echo "[I 10:02:11 ServerApp] Jupyter Server is running at http://127.0.0.1:8888/lab"; sleep 100000']);
  const ppo = await make(podman, 'localhost/busybox:latest', 'ppo-train', ['sh', '-c', train]);
  const ev = await make(docker, 'busybox:latest', 'eval-libero', ['sh', '-c', 'echo "RuntimeError: CUDA out of memory"; exit 1']);
  await ev.wait();
  const prep = await make(docker, 'busybox:latest', 'data-prep', ['true']);
  await prep.wait();
  const pid = async (c: Docker.Container) => (await c.inspect()).State.Pid;
  const procs = `${await pid(vla)}:0:9300:python,${await pid(vla)}:1:4500:python,${await pid(ppo)}:2:20100:python`;
  const env = { FAKE_NVIDIA_SMI_PROFILE: 'rtx4', FAKE_NVIDIA_SMI_PROCS: procs, XDG_STATE_HOME: join(tmp, 'state'), XDG_CONFIG_HOME: join(tmp, 'config') };
  const s = PtySession.gantry(['--host', `unix://${dsock}`, '--host', `unix://${psock}`, '--nvidia-smi', `${ROOT}test/helpers/fake-nvidia-smi`], { cols: COLS, rows: ROWS, env });
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
  try {
    await s.waitFor('ppo-train');
    await s.waitFor(/9\.\dG/);
    await wait(3000);
    await shot(s, '1-containers-gpus', 'Containers with their GPUs', tmp);
    await s.press('/', ...'vla', KEY.ENTER);
    await s.waitFor(/Top .*docker\/vla-train/);
    await wait(1500);
    await s.press(KEY.ENTER, '/', ...'loss=0.4[0-3]', KEY.ENTER);
    await s.waitFor(/\d+ matches/);
    await s.press('N', 'N');
    await s.waitFor(/\d+\/\d+ matches/);
    await wait(500);
    await shot(s, '2-logs-search', 'Logs with a search', tmp);
    await s.press(KEY.ESC);
    await wait(200);
    await s.press(KEY.ESC, '5');
    await s.waitFor(/GPU 2/);
    await wait(500);
    await shot(s, '3-gpus', 'The GPUs pane', tmp);
    await s.press('6');
    await s.waitFor(/reclaimable in all/);
    await s.press('D');
    await s.waitFor('What to remove');
    await s.press(KEY.ENTER);
    await s.waitFor(/Will remove|Nothing to remove/);
    await wait(300);
    await shot(s, '4-prune-preview', 'The prune preview', tmp);
    await s.press(KEY.ESC, '1', '?');
    await s.waitFor('Keys — Esc');
    await shot(s, '5-help', 'Help', tmp);
  } finally {
    await s.dispose();
    for (const [d, n] of [[docker, 'vla-train'], [docker, 'lab-jupyter'], [podman, 'ppo-train'], [docker, 'eval-libero'], [docker, 'data-prep']] as const)
      await d.getContainer(n).remove({ force: true }).catch(() => undefined);
  }
  if (!existsSync(join(OUT, '5-help.png'))) process.exit(1);
}

await main();
