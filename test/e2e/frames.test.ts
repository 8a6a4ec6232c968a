// The screen end to end, read back cell by cell: the log panel drawn by the frame writer (following,
// the pause count, search highlights, the & filter) at 80×24 and 160×45; a resize while following;
// a shell and back while following; shrinking under the minimum size; and a container printing a
// 70,000-character line (ASCII, then CJK) and a 5 MB one: while they are on screen the panel's keys
// are answered, the selection moves and q quits, and SIGTERM and SIGHUP end gantry (issue 14).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY, type PtySession } from '../helpers/pty.js';
import { e2eSetup } from '../helpers/e2e.js';
import { enginesOrSkip, removeTestContainers, runContainer, uniqueName, type TestEngine } from '../helpers/engines.js';

const engines = enginesOrSkip('end-to-end screen tests (test/e2e/frames.test.ts)');
const { gantry } = e2eSetup('e2e-frames');

// Five lines a second, a checkpoint every fourth.
const TRAINER = ['sh', '-c', 'i=0; while true; do i=$((i+1)); echo "epoch $i loss 0.$i"; [ $((i % 4)) = 0 ] && echo "checkpoint saved at $i"; sleep 0.2; done'];

// A 70,000-character line of x, one of 70,000 CJK characters, one of 5 MB, then a line a second.
const LONG = [
  'sh',
  '-c',
  'head -c 70000 /dev/zero | tr "\\0" x; echo; yes 日本 | tr -d "\\n" | head -c 210000; echo; head -c 5000000 /dev/zero | tr "\\0" y; echo; i=0; while true; do i=$((i+1)); echo "after $i"; sleep 1; done',
];

// A 70,000-character line and a 5 MB one, then a last short line and nothing more: they stay on screen.
const LONG_THEN_QUIET = 'head -c 70000 /dev/zero | tr "\\0" x; echo; head -c 5000000 /dev/zero | tr "\\0" y; echo; echo long lines done; sleep 100000';

/** Selects the container with the list filter and gives the keys to its log panel. */
async function openLog(s: PtySession, te: TestEngine, name: string): Promise<void> {
  await s.waitFor(name.slice(0, 16));
  await s.press('/', ...name, KEY.ENTER);
  await s.waitFor((sc) => new RegExp(`Logs .*${te.kind}/${name}`).test(sc) && sc.includes(`filter: ${name}\n`));
  await s.press(KEY.ENTER);
  await s.waitFor(/Esc back/);
}

/** The number of the newest epoch or checkpoint line in the log panel on a screen (NaN: none). */
function newest(sc: string): number {
  const last = panelOf(sc).rows.filter((r) => r.trim()).pop() ?? '';
  return Number(/epoch (\d+)|checkpoint saved at (\d+)/.exec(last)?.slice(1).find(Boolean));
}

/** The rows of the log panel on a screen: between its tab row and its status row, at its columns. */
function panelOf(screen: string): { rows: string[]; top: number; left: number; status: string } {
  const lines = screen.split('\n');
  const top = lines.findIndex((l) => /Logs {2}Inspect/.test(l));
  if (top < 0) return { rows: [], top, left: -1, status: '' };
  const left = lines[top]!.indexOf('Logs') - 1;
  const bottom = lines.findIndex((l, i) => i > top && / (following|PAUSED)/.test(l.slice(left)));
  // No status row yet (the log still loading): the rows to the end.
  if (bottom < 0) return { rows: lines.slice(top + 1).map((l) => l.slice(left)), top, left, status: '' };
  return { rows: lines.slice(top + 1, bottom).map((l) => l.slice(left)), top, left, status: lines[bottom]!.slice(left) };
}

describe.skipIf(!engines).each(engines ?? [])('the screen on $kind', (te) => {
  const name = uniqueName('fr');
  const longName = uniqueName('ln');
  // Two containers under one stem: one that prints the long lines and then nothing, one quiet.
  const stem = uniqueName('hl');
  beforeAll(async () => {
    await runContainer(te, { name, cmd: TRAINER });
    await runContainer(te, { name: longName, cmd: LONG });
    await runContainer(te, { name: `long-${stem}`, cmd: ['sh', '-c', LONG_THEN_QUIET] });
    await runContainer(te, { name: `quiet-${stem}`, cmd: ['sh', '-c', 'echo quiet here; sleep 100000'] });
  });
  afterAll(() => removeTestContainers(te));

  it.each([
    [80, 24],
    [160, 45],
  ])('the log panel at %i×%i: following, the pause count, search highlights and &', async (cols, rows) => {
    const s = gantry(['--host', te.url, '--no-gpu'], { cols, rows });
    await openLog(s, te, name);
    await s.waitFor((sc) => / following/.test(sc) && newest(sc) > 0);
    // Following: the newest line is the panel's last row, and it moves on by itself.
    const n0 = newest(await s.screen());
    expect(n0, await s.screen()).toBeGreaterThan(0);
    await s.waitFor((sc) => newest(sc) > n0 + 2, 10_000);
    let p = panelOf(await s.screen());
    // Every row of the panel holds one log line or nothing, drawn from the panel's first column.
    for (const r of p.rows) expect(r).toMatch(/^( (epoch \d+ loss 0\.\d+|checkpoint saved at \d+)? *)$/);
    // Paused: the count of new lines below grows.
    await s.press('k');
    const first = Number(/PAUSED · (\d+) new lines? below/.exec(await s.waitFor(/PAUSED · \d+ new lines? below/))![1]);
    await s.waitFor((sc) => Number(/PAUSED · (\d+) new/.exec(sc)?.[1] ?? 0) > first + 2, 10_000);
    // Search: the matches, and only they, are in inverse video.
    await s.press('/', ...'checkpoint', KEY.ENTER);
    await s.waitFor(/\/checkpoint\s+\d+ matches/);
    await s.press('G');
    await s.waitFor(/ following/);
    const body = (m: { row: number; col: number }) => m.row > p.top && m.row <= p.top + p.rows.length && m.col >= p.left;
    const marks = await s.styled('checkpoint');
    const inPanel = marks.filter(body);
    expect(inPanel.length).toBeGreaterThan(0);
    expect(inPanel.every((m) => m.inverse)).toBe(true);
    const after = await s.styled(' saved at');
    expect(after.filter(body).length).toBeGreaterThan(0);
    expect(after.filter(body).every((m) => !m.inverse)).toBe(true);
    // &: only the matching lines, still following.
    await s.press('&');
    await s.waitFor(/& only matching/);
    p = panelOf(await s.screen());
    const shown = p.rows.filter((r) => r.trim());
    expect(shown.length).toBeGreaterThan(1);
    for (const r of shown) expect(r).toMatch(/^ checkpoint saved at \d+ *$/);
    // The list beside or above is untouched by the panel's rows.
    const lines = await s.lines();
    for (const l of lines.slice(0, p.top)) expect(l).not.toMatch(/epoch \d+ loss/);
    if (cols >= 160) for (const l of lines.slice(p.top + 1, p.top + 1 + p.rows.length)) expect(l.slice(0, p.left)).not.toMatch(/epoch|checkpoint/);
  });

  it('follows through a resize, the panel moved and nothing left where it was', async () => {
    const s = gantry(['--host', te.url, '--no-gpu'], { cols: 160, rows: 45 });
    await openLog(s, te, name);
    await s.waitFor((sc) => / following/.test(sc) && newest(sc) > 0);
    s.resize(100, 30);
    // Stacked under the list now: no log line is left right of the list's rows.
    await s.waitFor((sc) => panelOf(sc).left === 0 && sc.split('\n')[28]!.startsWith(' j scroll'));
    const p = panelOf(await s.screen());
    expect(p.left).toBe(0);
    const lines = await s.lines();
    for (const l of lines.slice(0, p.top)) expect(l).not.toMatch(/epoch \d+ loss|checkpoint saved/);
    const before = p.rows.join('\n');
    await s.waitFor((sc) => panelOf(sc).rows.join('\n') !== before, 10_000);
    s.resize(160, 45);
    await s.waitFor((sc) => panelOf(sc).left > 70 && sc.split('\n')[43]!.startsWith(' j scroll'));
    const q = panelOf(await s.screen());
    expect(q.left, await s.screen()).toBeGreaterThan(70);
    for (const l of (await s.lines()).slice(q.top + 1, q.top + q.rows.length)) expect(l.slice(0, q.left - 1)).not.toMatch(/epoch|checkpoint/);
  });

  it('comes back from a shell still following, the whole screen drawn again', async () => {
    const s = gantry(['--host', te.url, '--no-gpu'], { cols: 120, rows: 34 });
    await s.waitFor(name.slice(0, 16));
    await s.press('/', ...name, KEY.ENTER);
    await s.waitFor((sc) => / following/.test(sc) && newest(sc) > 0 && sc.includes(`filter: ${name}\n`));
    await s.press('E');
    await s.waitFor('exit the shell to come back to gantry');
    await s.press(...'exit', KEY.ENTER);
    await s.waitFor(/ following/);
    expect(await s.inAltScreen()).toBe(true);
    const lines = await s.lines();
    expect(lines[0]).toMatch(/^ gantry /);
    const last = panelOf(await s.screen()).rows.filter((r) => r.trim()).pop()!;
    await s.waitFor((sc) => panelOf(sc).rows.filter((r) => r.trim()).pop() !== last, 10_000);
    for (const r of panelOf(await s.screen()).rows) expect(r).toMatch(/^( (epoch \d+ loss 0\.\d+|checkpoint saved at \d+)? *)$/);
  });

  it('shrunk under 80×24 three times: only the message is on screen, then the whole frame again', async () => {
    const s = gantry(['--host', te.url, '--no-gpu'], { cols: 80, rows: 24 });
    await s.waitFor(name.slice(0, 16));
    for (let i = 0; i < 3; i++) {
      s.resize(79, 23);
      const small = await s.waitFor('Terminal too small: 79×23');
      const rest = small.split('\n').filter((l) => l.trim() && !/too small|Enlarge|press q|79×23|80×24/.test(l));
      expect(rest).toEqual([]);
      s.resize(80, 24);
      await s.waitFor((sc) => sc.includes(name.slice(0, 16)) && !sc.includes('too small'));
      const lines = await s.lines();
      expect(lines[0]).toMatch(/^ gantry {2}/);
      expect(lines[1]).toContain('[1] Containers');
      expect(lines[22]).toMatch(/^ Enter logs/);
    }
  });

  it('a 70,000-character line and a 5 MB one on screen: keys are answered and SIGHUP ends gantry', async () => {
    const s = gantry(['--host', te.url, '--no-gpu'], { cols: 120, rows: 34 });
    await openLog(s, te, longName);
    await s.waitFor(/after \d+/, 30_000);
    // The whole log: the engines' tail counts the pieces a long line is stored in (16 KiB each on
    // Docker: the default 200 starts inside the 5 MB line), and Podman 4.3's tail keeps only the
    // last pieces of a long line. The log opens again, following once it has come.
    await s.press('6');
    await s.waitFor((sc) => / following · since all/.test(sc) && /after \d+/.test(sc), 30_000);
    // From the top: each long line on one row, cut on the right.
    await s.press('g');
    await s.waitFor((sc) => / x{40}.*…/.test(sc) && /日本日本日本.*…/.test(sc) && sc.includes('PAUSED'), 30_000);
    // Wrapped: whole rows of the long line, none cut on the right.
    await s.press('w');
    await s.waitFor((sc) => / · wrap/.test(sc) && /^ (?:x{110,}|[日本]{55,}) *$/m.test(sc) && !/^ x{40}.*…$/m.test(sc));
    await s.press('w', 'G');
    await s.waitFor(/ following/);
    await s.press('?');
    await s.waitFor('Keys — Esc');
    await s.press('?');
    await s.waitFor((sc) => !sc.includes('Keys — Esc'));
    // The engines answered all along: no false "connection lost".
    expect(await s.screen()).not.toMatch(/connection lost/);
    s.kill('SIGHUP');
    const e = await s.waitExit(5000);
    expect(e.exitCode === 0 ? e.signal : e.exitCode).toBe(129);
  }, 180_000);

  /**
   * The list filtered to the stem's two containers, the one with the long lines selected and its
   * log on screen (both long lines and the line after them). Returns the key that moves the
   * selection to the quiet one and the key that moves it back.
   */
  async function longShown(s: PtySession): Promise<{ there: string; back: string }> {
    await s.waitFor('[1] Containers');
    await s.press('/', ...stem, KEY.ENTER);
    await s.waitFor((sc) => sc.includes(`filter: ${stem}\n`) && sc.includes(`quiet-${stem}`.slice(0, 14)) && sc.includes(`long-${stem}`.slice(0, 14)));
    // The list's rows only (the panel beside it names the selected container too).
    const rowOf = (sc: string, kind: string) => {
      const left = panelOf(sc).left;
      return sc.split('\n').findIndex((l) => (left > 0 ? l.slice(0, left) : l).includes(`${kind}-${stem}`.slice(0, 14)));
    };
    const sc = await s.screen();
    const longFirst = rowOf(sc, 'long') < rowOf(sc, 'quiet');
    const there = longFirst ? 'j' : 'k';
    const back = longFirst ? 'k' : 'j';
    if (!new RegExp(`Logs .*${te.kind}/long-${stem}`).test(sc)) await s.press(back);
    await s.waitFor(new RegExp(`Logs .*${te.kind}/long-${stem}`));
    // The whole log (see above: the engines' tail and long lines), then the keys back to the list.
    await s.press(KEY.ENTER, '6');
    await s.waitFor((v) => / since all/.test(v) && / x{40}/.test(v) && / y{40}/.test(v) && v.includes('long lines done'), 60_000);
    await s.press(KEY.ESC);
    await s.waitFor((v) => !/Esc back/.test(v));
    return { there, back };
  }

  it('a 70,000-character line and a 5 MB one on screen: the selection moves and q quits', async () => {
    const s = gantry(['--host', te.url, '--no-gpu'], { cols: 120, rows: 34 });
    const { there, back } = await longShown(s);
    for (let i = 0; i < 2; i++) {
      await s.press(there);
      await s.waitFor((v) => new RegExp(`Logs .*${te.kind}/quiet-${stem}`).test(v) && v.includes('quiet here') && !/x{40}/.test(v));
      await s.press(back);
      await s.waitFor((v) => new RegExp(`Logs .*${te.kind}/long-${stem}`).test(v) && / x{40}/.test(v) && v.includes('long lines done'));
    }
    expect(await s.screen()).not.toMatch(/connection lost/);
    await s.press('q');
    const e = await s.waitExit(10_000);
    expect(e.exitCode).toBe(0);
  }, 180_000);

  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ])('a 70,000-character line and a 5 MB one on screen: %s ends gantry', async (signal, code) => {
    const s = gantry(['--host', te.url, '--no-gpu'], { cols: 120, rows: 34 });
    await longShown(s);
    s.kill(signal);
    const e = await s.waitExit(10_000);
    expect(e.exitCode === 0 ? e.signal : e.exitCode).toBe(code);
  }, 180_000);
});
