// The run form and the pull dialog end to end: the real bin/gantry in a pseudo-terminal on the real
// engines, the nvidia-smi stand-in replaying the 4-GPU server, the real test registry behind a
// slow relay. n → the form → the GPU picker (a busy GPU asks first) → an interactive template
// starts and gets the terminal → echo and exit inside → back on the new row; a detached template
// → its row selected and its log following; P → the layers' bars → the image selected; another
// pull cancelled with Esc. On both engines.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY, ROOT, type PtySession } from '../helpers/pty.js';
import { e2eSetup } from '../helpers/e2e.js';
import { enginesOrSkip, registriesOrSkip, removeTestContainers, RUN_LABEL, runContainer, waitUntil, type TestEngine } from '../helpers/engines.js';
import { slowRelay, type Relay } from '../helpers/slowRelay.js';

const engines = enginesOrSkip('end-to-end run form and pull dialog tests (test/e2e/run-ui.test.ts)');
const regs = engines ? registriesOrSkip('end-to-end pull dialog tests') : undefined;
const FAKE = `${ROOT}test/helpers/fake-nvidia-smi`;
const { tmp, gantry } = e2eSetup('e2e-run', { FAKE_NVIDIA_SMI_PROFILE: 'rtx4', FAKE_NVIDIA_SMI_PROCS: '' });
const PID = String(process.pid);
afterAll(async () => {
  for (const te of engines ?? []) await removeTestContainers(te);
});

/** A config folder of its own, holding one template (and a config.yaml when given). */
function configWith(name: string, template: string, config = ''): string {
  const dir = join(tmp, name);
  mkdirSync(join(dir, 'gantry', 'templates'), { recursive: true });
  writeFileSync(join(dir, 'gantry', 'templates', `${name}.yaml`), template);
  if (config) writeFileSync(join(dir, 'gantry', 'config.yaml'), config);
  return dir;
}

/** What this VM lets both engines start: no network, the ulimits Podman needs; labelled for cleanup. */
const template = (te: TestEngine, body: string) => `image: ${te.image}\nnetwork: none\nulimits: {nofile: 1024, nproc: 1024}\nlabels: {${RUN_LABEL}: "${PID}"}\n${body}`;

const rowOf = (screen: string, label: string) => screen.split('\n').find((l) => new RegExp(`^ [▸ ] ${label}\\s`).test(l)) ?? '';

describe.skipIf(!engines).each(engines ?? [])('the run form on $kind', (te) => {
  // A container listed first, where the selection would stay if the new row were not selected.
  beforeAll(async () => {
    await runContainer(te, { name: `aaa-first-${te.kind}-${PID}` });
  });
  const start = (config: string): PtySession => gantry(['--host', te.url, '--nvidia-smi', FAKE], { cols: 120, rows: 32, env: { XDG_CONFIG_HOME: config } });

  it('n → the form → the GPU picker → an interactive template gets the terminal → echo, exit → back on the new row', async () => {
    const name = `shell-${te.kind}-${PID}`;
    const s = start(configWith(`shell-${te.kind}`, template(te, `name: "${name}-{n}"\ncommand: sh\ninteractive: true\ngpus: {auto: 1}\n`)));
    await s.waitFor((t) => t.includes('GPU0 ') && t.includes(' ? help'));
    await s.press('n');
    let screen = await s.waitFor(`Run a container — template shell-${te.kind}`);
    expect(rowOf(screen, 'name')).toContain(`→ ${name}-1`);
    expect(rowOf(screen, 'GPUs')).toMatch(/auto: 1 → GPU 3 {2}the most free memory, idle/);
    await s.press('j', 'j', 'j', 'j', KEY.ENTER);
    screen = await s.waitFor('GPUs — auto: 1 picked GPU 3: the most free memory, idle');
    // Idle first by free memory (3, 2), then the busy ones (1, 0) with who is on them.
    expect(screen.split('\n').filter((l) => /\[[x ]\] GPU \d/.test(l)).map((l) => /GPU (\d)/.exec(l)![1])).toEqual(['3', '2', '1', '0']);
    // A busy GPU asks first, naming what is on it.
    await s.press('j', 'j', ' ');
    screen = await s.waitFor('Use a busy GPU?');
    expect(screen).toContain('GPU 1 is busy: processes gantry cannot see (4.5 GiB in use).');
    await s.press('n');
    await s.waitFor((t) => !t.includes('Use a busy GPU?'));
    if (te.kind === 'podman') {
      // GPU 2 by hand: its CDI device sets GANTRY_TEST_GPU inside (the test CDI spec).
      await s.press('k', 'k', ' ', 'j', ' ');
      await s.waitFor('GPUs — chosen by hand: GPU 2');
    } else {
      // This Docker has no NVIDIA runtime: no GPU.
      await s.press('n');
      await s.waitFor('GPUs — no GPU (none)');
    }
    await s.press(KEY.ENTER);
    screen = await s.waitFor(te.kind === 'podman' ? /GPUs\s+GPU 2/ : /GPUs\s+none/);
    expect(screen.replace(/ \\\n\s+/g, ' ')).toContain(
      te.kind === 'podman' ? `podman run -it --name ${name}-1 --device nvidia.com/gpu=2 ` : `docker run -it --name ${name}-1 --ulimit nofile=1024`,
    );
    await s.press('s');
    await s.waitFor(`gantry: attached to ${te.kind}/${name}-1`, 60_000);
    expect(await s.inAltScreen()).toBe(false);
    await s.press(...'echo hi-from-$((6*7)); echo gpu=$GANTRY_TEST_GPU', KEY.ENTER);
    await s.waitFor(/^hi-from-42$/m);
    screen = await s.waitFor(/^gpu=\S*$/m);
    if (te.kind === 'podman') expect(screen).toMatch(/^gpu=2$/m);
    await s.press(...'exit', KEY.ENTER);
    await s.waitFor(new RegExp(`${te.kind}/${name}-1 exited \\(exit code 0\\)`), 30_000);
    expect(await s.inAltScreen()).toBe(true);
    // Back on the new row: selected, its log in the panel, exited.
    await s.waitFor(new RegExp(`${name}-1 .*exited \\(0\\)`), 30_000);
    await s.waitFor(new RegExp(`Logs .*${te.kind}/${name}-1`), 10_000);
    expect((await s.styled(`${name}-1`)).some((x) => x.inverse)).toBe(true);
  }, 180_000);

  it('a detached template: its row selected and its log following', async () => {
    const name = `ticker-${te.kind}-${PID}`;
    const s = start(configWith(`ticker-${te.kind}`, template(te, `name: "${name}-{n}"\ncommand: ["sh", "-c", "i=0; while true; do i=$((i+1)); echo tick-$i; sleep 0.5; done"]\ninteractive: false\ngpus: none\n`)));
    await s.waitFor((t) => t.includes('GPU0 ') && t.includes(' ? help'));
    await s.press('n');
    await s.waitFor(/mode\s+detached \(-d\): its log follows/);
    await s.press('s');
    await s.waitFor(`started ${name}-1 on ${te.kind}: its log follows`, 60_000);
    await s.waitFor(new RegExp(`Logs .*${te.kind}/${name}-1`), 30_000);
    await s.waitFor(/^.*tick-3\b/m, 30_000);
    // Following: newer lines keep coming on screen.
    await s.waitFor(/^.*tick-8\b/m, 30_000);
    expect((await s.styled(`${name}-1`)).some((x) => x.inverse)).toBe(true);
  }, 120_000);
});

describe.skipIf(!engines || !regs).each(engines ?? [])('the pull dialog on $kind', (te) => {
  let relay: Relay;
  const at = () => `127.0.0.1:${relay.port}`;
  beforeAll(async () => {
    const [host, port] = regs!.open.split(':');
    relay = await slowRelay({ host: host!, port: Number(port) }, 2_000_000);
  });
  afterAll(() => relay?.close());

  it('P: the layers come in with their bars, the image is selected; another pull is cancelled with Esc', async () => {
    // Gone whole, under every name (earlier relays' too), so that no layer of theirs is reused.
    for (const i of await te.docker.listImages()) {
      if ((i.RepoTags ?? []).some((t) => /\/gantry\/(layers|big):1$/.test(t))) await te.docker.getImage(i.Id).remove({ force: true }).catch(() => undefined);
    }
    // Podman pulls a plain-HTTP registry only when the config names it.
    const config = configWith(`pull-${te.kind}`, 'image: busybox\n', `insecureRegistries: ["${at()}"]\n`);
    const s = gantry(['--host', te.url, '--no-gpu'], { cols: 120, rows: 32, env: { XDG_CONFIG_HOME: config } });
    await s.waitFor(' ? help');
    await s.press('2');
    await s.waitFor('REPOSITORY');
    await s.press('P');
    await s.waitFor('Image: █');
    const ref = `${at()}/gantry/layers:1`;
    await s.press(...ref, KEY.ENTER);
    let screen = await s.waitFor(`Pull ${ref} on ${te.kind}`);
    // Docker reports bytes per layer; Podman's libpod pull only that a blob is being copied.
    screen = await s.waitFor(te.kind === 'docker' ? /[0-9a-f]{12} {2}Downloading\s+█*░+ {2}[\d.]+ (kB|MB) \/ [35]\.0 MB/ : /[0-9a-f]{12} {2}Copying\s+·+/, 60_000);
    expect(screen).toMatch(te.kind === 'docker' ? /total\s+█*░+ {2}[\d.]+ (kB|MB) \/ [\d.]+ MB {2}\d\/3 layers/ : /total\s+\d\/\d layers/);
    screen = await s.waitFor(new RegExp(`pulled ${ref.replace(/[.]/g, '\\.')} on ${te.kind} \\([0-9a-f]{12}\\)`), 90_000);
    await waitUntil(async () => (await s.styled(ref)).some((x) => x.inverse), 15_000, 'the pulled image selected');
    expect(await te.docker.getImage(ref).inspect().then(() => 'there', () => 'absent')).toBe('there');

    const big = `${at()}/gantry/big:1`;
    await s.press('P');
    await s.waitFor('Image: █');
    await s.press(...big, KEY.ENTER);
    await s.waitFor(te.kind === 'docker' ? /Downloading\s+█*░+ {2}[\d.]+ (kB|MB) \/ 48 MB/ : /Copying\s+·+/, 60_000);
    await s.press(KEY.ESC);
    await s.waitFor(`pull of ${big} cancelled: what was half-pulled is the engine’s to clean up`, 30_000);
    await waitUntil(() => relay.active() === 0, 30_000, 'the engine closing its registry connections');
    expect(await te.docker.getImage(big).inspect().then(() => 'there', () => 'absent')).toBe('absent');
  }, 240_000);
});
