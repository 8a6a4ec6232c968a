// The log panel end to end: the real bin/gantry in a pseudo-terminal against real Docker and
// Podman: follow, pause with a count, search with highlights and n, the & filter, save, and a
// container whose output tries to take over the terminal.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY } from '../helpers/pty.js';
import { e2eSetup } from '../helpers/e2e.js';
import { enginesOrSkip, removeTestContainers, runContainer, uniqueName } from '../helpers/engines.js';

const engines = enginesOrSkip('end-to-end log tests (test/e2e/logs.test.ts)');
const { gantry, tmp } = e2eSetup('e2e-logs');

// Prints a numbered line five times a second, a checkpoint every fourth, a warning to stderr
// every fifth, and once: a title change, a screen clear, a clipboard write and a bell.
const TRAINER = [
  'sh',
  '-c',
  "printf 'boot\\033]0;PWNED\\007\\033[2J\\033[H\\033]52;c;ZXZpbA==\\007\\007 ok\\n'; i=0; while true; do i=$((i+1)); echo \"epoch $i loss 0.$i\"; [ $((i % 4)) = 0 ] && echo \"checkpoint saved at $i\"; [ $((i % 5)) = 0 ] && echo \"warn slow $i\" >&2; sleep 0.2; done",
];

describe.skipIf(!engines).each(engines ?? [])('logs on $kind', (te) => {
  const name = uniqueName(`e2e-logs-${te.kind}`);
  beforeAll(async () => {
    await runContainer(te, { name, cmd: TRAINER });
  });
  afterAll(() => removeTestContainers(te));

  it('follows, pauses with a count, searches with highlights and n, filters with &, and saves', async () => {
    const s = gantry(['--host', te.url, '--no-gpu'], { cols: 120, rows: 34 });
    await s.waitFor(name);
    // Select it with the list filter, then give the keys to the log panel.
    await s.press('/', ...name, KEY.ENTER);
    await s.waitFor(new RegExp(`Logs .*${te.kind}/${name}`));
    await s.waitFor(/epoch \d+ loss/);
    await s.waitFor(/ following/);
    // The hostile first line is drawn inert: the bell as ^G, no title or clipboard write reached the terminal.
    expect(s.raw).not.toMatch(/\x1b\]0;PWNED|\x1b\]52;/);
    await s.press(KEY.ENTER, 'g');
    // (A short log shows it already: wait for the key's effect too.)
    await s.waitFor((sc) => /boot\^G ok/.test(sc) && sc.includes('PAUSED'));
    await s.press('G');
    await s.waitFor(/ following/);

    // Pause: the count of new lines below grows while the container keeps printing.
    await s.press('k', 'k');
    const first = Number(/PAUSED · (\d+) new lines? below/.exec(await s.waitFor(/PAUSED · \d+ new lines? below/))![1]);
    await s.waitFor((sc) => Number(/PAUSED · (\d+) new/.exec(sc)?.[1] ?? 0) > first + 3, 10_000);

    // Search: typed live, counted, highlighted; n moves to a match and the counter says where.
    await s.press('/', ...'checkpoint', KEY.ENTER);
    await s.waitFor(/\/checkpoint\s+\d+ matches/);
    // Back to the bottom: N goes to the newest match from there.
    await s.press('G', 'N');
    const screen = await s.waitFor(/\/checkpoint\s+(\d+)\/\1 matches/);
    const total = Number(/\/checkpoint\s+(\d+)\//.exec(screen)![1]);
    await s.press('N');
    await s.waitFor(new RegExp(`/checkpoint\\s+${total - 1}/\\d+ matches`));
    const marks = await s.styled('checkpoint saved');
    // The matches in the log are drawn in inverse video (NO_COLOR: no colours, inverse only).
    expect(marks.length).toBeGreaterThan(0);
    expect(marks.every((m) => m.inverse)).toBe(true);

    // & keeps only matching lines.
    await s.press('&');
    await s.waitFor(/& only matching/);
    const lines = await s.lines();
    const top = lines.findIndex((l) => / Logs .*Inspect/.test(l));
    const bottom = lines.findIndex((l, i) => i > top && /PAUSED|following/.test(l));
    const shown = lines.slice(top + 1, bottom).filter((l) => l.trim());
    expect(shown.length).toBeGreaterThan(1);
    for (const l of shown) expect(l).toMatch(/checkpoint saved at \d+/);
    await s.press('&', 'G');

    // s saves the buffer and says where.
    await s.press('s');
    await s.waitFor(/saved \d+ lines to /);
    const dir = join(tmp, 'state', 'gantry', 'logs');
    const files = readdirSync(dir).filter((f) => f.includes(name));
    expect(files).toHaveLength(1);
    const path = join(dir, files[0]!);
    expect(path.startsWith(join(tmp, 'state', 'gantry', 'logs'))).toBe(true);
    expect(existsSync(path)).toBe(true);
    const text = readFileSync(path, 'utf8');
    expect(text).toMatch(/Z epoch 1 loss 0\.1\n/);
    expect(text).toMatch(/Z \[stderr\] warn slow 5\n/);
    expect(text).not.toContain('\x1b');

    // Esc gives the keys back to the list: q now quits.
    await s.press(KEY.ESC);
    await new Promise((r) => setTimeout(r, 100));
    await s.waitFor(/Enter logs/);
    await s.press('q');
    expect((await s.waitExit()).exitCode).toBe(0);
  });
});
