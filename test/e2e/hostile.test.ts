// The probe of issue 14 kept running: hostile strings (OSC title and clipboard writes, CSI screen
// clears, 8-bit C1 controls, bidirectional overrides, CJK, emoji, combining marks, very long names)
// in container labels, env, command lines, logs, image tags, volume and network names on both real
// engines, and in a process and GPU name from the nvidia-smi stand-in; the real bin/gantry visits
// every pane and panel tab, and what it wrote must hold no escape sequence but its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY, ROOT, type PtySession } from '../helpers/pty.js';
import { e2eSetup } from '../helpers/e2e.js';
import { enginesOrSkip, removeTestContainers, RUN_LABEL, uniqueName, type TestEngine } from '../helpers/engines.js';

const engines = enginesOrSkip('hostile-input end-to-end tests (test/e2e/hostile.test.ts)');
const FAKE = `${ROOT}test/helpers/fake-nvidia-smi`;
const tag = `${process.pid}`;

// Each control follows a marker, so a leak is seen as the marker and the control side by side.
const OSC_TITLE = 'T1\x1b]0;pwned\x07';
const OSC_CLIPBOARD = 'T2\x1b]52;c;Y3VybCBldmlsLnNo\x07';
const CSI_CLEAR = 'T3\x1b[2J';
const C1_CSI = 'T4\u009b2J';
const BIDI = 'T5\u202eevil\u2066x\u2069';
const HOSTILE = OSC_TITLE + OSC_CLIPBOARD + CSI_CLEAR + C1_CSI + BIDI;
// As gantry shows it in a single-line field.
const SHOWN = 'T1^[]0;pwned^GT2^[]52;c;Y3VybCBldmlsLnNo^GT3^[[2JT4<U+009B>2JT5<U+202E>evil<U+2066>x<U+2069>';
const WIDE = '训练-🚀-e\u0301-नमस्ते';
const LEAKS = [OSC_TITLE, OSC_CLIPBOARD, CSI_CLEAR, C1_CSI, 'T5\u202e'];

const { gantry } = e2eSetup('e2e-hostile');

/** What gantry itself writes: cursor addressing, SGR, modes, and its own clear (always after ESC [ H). */
const OWN = /\x1b\[(?:\?\d+[hl]|\d+;\d+H|H\x1b\[2J|H|K|[\d;]*m)/g;
const CONTROL = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

interface Made {
  te: TestEngine;
  name: string;
  pid: number;
  image: string;
  volume: string;
  network: string;
  networkId: string;
}

async function make(te: TestEngine): Promise<Made> {
  const name = `${uniqueName(`hostile-${te.kind}`)}-${'n'.repeat(60)}`;
  const image = `gantry-hostile-${te.kind}-${tag}`;
  const imageTag = `t-${'x'.repeat(100)}`;
  await te.docker.getImage(te.image).tag({ repo: image, tag: imageTag });
  const volume = `hostile-vol-${tag}-${'v'.repeat(90)}`;
  await te.docker.createVolume({ Name: volume, Labels: { [RUN_LABEL]: tag, title: HOSTILE } });
  // Docker takes any network name; Podman only [a-zA-Z0-9][a-zA-Z0-9_.-]*.
  const network = te.kind === 'docker' ? `hostile-net-${tag}-${HOSTILE}-${WIDE}` : `hostile-net-${tag}-${'w'.repeat(80)}`;
  const networkId = (await te.docker.createNetwork({ Name: network, Labels: { [RUN_LABEL]: tag, title: HOSTILE } })).id;
  const c = await te.docker.createContainer({
    name,
    Image: `${image}:${imageTag}`,
    Cmd: ['sh', '-c', 'printf "%s\\n" "$HOSTILE" "$WIDE"; sleep 100000', '--token=abc123', HOSTILE],
    Env: [`HOSTILE=${HOSTILE}`, `WIDE=${WIDE}`, 'GITHUB_PAT=ghp_R8fK2mQ9xLp4Tz7vWc1Yb6Nd3Hs0Ja5Ue2Gi', `LONG=${'L'.repeat(3000)}`],
    Labels: { [RUN_LABEL]: String(process.pid), title: HOSTILE, [`k\u202e${WIDE}`]: WIDE },
    HostConfig: { NetworkMode: 'none' },
  });
  await c.start();
  return { te, name, pid: (await c.inspect()).State.Pid, image: `${image}:${imageTag}`, volume, network, networkId };
}

async function unmake(m: Made): Promise<void> {
  await removeTestContainers(m.te);
  // By id: Docker finds no network by this name in a URL path, and a left network keeps its subnet.
  await m.te.docker.getNetwork(m.networkId).remove();
  await m.te.docker.getVolume(m.volume).remove().catch(() => undefined);
  await m.te.docker.getImage(m.image).remove().catch(() => undefined);
}

/** Every escape gantry wrote is one of its own, and nothing else a terminal would act on got through. */
function onlyOwnEscapes(raw: string): void {
  for (const l of LEAKS) expect(raw.includes(l), JSON.stringify(l)).toBe(false);
  const rest = raw.replace(OWN, '');
  const bad = CONTROL.exec(rest);
  expect(bad ? JSON.stringify(rest.slice(Math.max(0, bad.index - 40), bad.index + 40)) : '').toBe('');
}

describe.skipIf(!engines)('hostile strings through every pane', () => {
  let made: Made[] = [];
  beforeAll(async () => {
    made = await Promise.all(engines!.map(make));
  });
  afterAll(async () => {
    await Promise.all(made.map(unmake));
  });

  it('are shown as visible escapes and never reach the terminal raw', async () => {
    const [d, p] = made as [Made, Made];
    const s: PtySession = gantry(['--host', d.te.url, '--host', p.te.url, '--nvidia-smi', FAKE], {
      cols: 160,
      rows: 40,
      env: {
        FAKE_NVIDIA_SMI_PROFILE: 'rtx4',
        // ':' and ',' separate the stand-in's fields; the hostile string has neither.
        FAKE_NVIDIA_SMI_PROCS: `${d.pid}:0:2048:${HOSTILE},${p.pid}:1:1024:${WIDE}`,
        FAKE_NVIDIA_SMI_SET: JSON.stringify({ name: `${HOSTILE} RTX` }),
      },
    });
    await s.waitFor((t) => t.includes('docker ●') && t.includes('podman ●'));

    for (const m of made) {
      await s.press('/', ...m.name.slice(0, 30));
      await s.waitFor(`filter: ${m.name.slice(0, 30)}`);
      await s.press(KEY.ENTER);
      await s.waitFor((t) => !t.includes('type to filter') && new RegExp(`Logs .*${m.te.kind}/${m.name.slice(0, 14)}`).test(t));
      // Logs: the sanitiser drops whole sequences and shows the rest.
      await s.waitFor('T1T2T3T4T5<U+202E>evil<U+2066>x<U+2069>');
      await s.waitFor(WIDE);
      // The keys go to the panel once it says how to leave it; m gives it the whole width.
      await s.press(KEY.ENTER);
      await s.waitFor('Esc back');
      await s.press('m', ']');
      // Inspect: the summary shows every control of a label and an argument, secrets masked.
      let screen = await s.waitFor((t) => t.includes(`title=${SHOWN}`));
      expect(screen).toMatch(/command {5}sh -c .*'T1\^\[\]0;pwned\^G/);
      expect(screen).toContain("'--token=********'");
      await s.press(']');
      screen = await s.waitFor((t) => /HOSTILE\s+T1\^\[\]0;pwned\^GT2/.test(t));
      expect(screen).toMatch(/GITHUB_PAT\s+\*{8}/);
      expect(screen).toContain(`WIDE`);
      await s.press(']');
      await s.waitFor(/CPU|waiting for the first reading/);
      await s.press(']');
      await s.waitFor(/PID\s+USER\s+CPU%\s+MEM\s+COMMAND/);
      await s.press(']');
      await s.waitFor('Nothing run in this container yet.');
      // Round to Logs again, then back to the list, the filter cleared.
      await s.press(']');
      await s.waitFor((t) => t.includes('T1T2T3T4T5<U+202E>evil') && !t.includes('COMMAND'));
      await s.press(KEY.ESC);
      await s.waitFor((t) => !t.includes('Esc back'));
      await s.press(KEY.ESC);
      await s.waitFor((t) => !t.includes('filter:'));
    }

    // Each resource pane filtered to this test's rows (other tests leave images, volumes, networks).
    const filter = async (text: string) => {
      await s.press('/', ...text);
      await s.waitFor(`filter: ${text}`);
      await s.press(KEY.ENTER);
    };
    await s.press('2');
    await filter(`gantry-hostile`);
    // The image each hostile container runs, by its user (its tags, long, are cut to the column).
    // The hostile images are tags of the test image, which other test files' containers may be
    // running at the same moment: the count is theirs too, and another user may be named first.
    const usedBy = (kind: string) => new RegExp(`\\d+: (?:[^│\\n]*, )?hostile-${kind}-${tag}`);
    await s.waitFor((t) => usedBy('docker').test(t) && usedBy('podman').test(t));
    await s.press('3');
    await filter(`hostile-vol-${tag}`);
    await s.waitFor(`hostile-vol-${tag}-vvvv`);
    await s.press('4');
    await filter(`hostile-net-${tag}`);
    await s.waitFor((t) => t.includes(`hostile-net-${tag}-T1^[]0;pwned^GT2`) && t.includes(`hostile-net-${tag}-wwww`));
    await s.press('5');
    const gpus = await s.waitFor((t) => t.includes(`${d.pid}  docker/`) && t.includes(`${p.pid}  podman/`));
    expect(gpus).toContain(`GPU 0  ${SHOWN.slice(0, 28)}`);
    expect(gpus).toContain(SHOWN.slice(0, 60));
    expect(gpus).toContain(WIDE);
    await s.press('6');
    await s.waitFor(/reclaimable in all/);
    await s.press('1');
    await s.waitFor('[1] Containers');
    await s.press('q');
    await s.waitExit();

    onlyOwnEscapes(s.raw);
  }, 240_000);
});
