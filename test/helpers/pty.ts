// Runs a real program in a pseudo-terminal (node-pty) and reads its screen through a terminal
// emulator (@xterm/headless): what the tests see is what a person sees.
import pty from '@lydell/node-pty';
import xterm from '@xterm/headless';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const { Terminal } = xterm;

/** The project folder (with a trailing slash): the nearest one up from here with bin/gantry. */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'bin', 'gantry')) && dirname(dir) !== dir) dir = dirname(dir);
  return `${dir}/`;
}

export const ROOT = findRoot();
export const GANTRY = `${ROOT}bin/gantry`;

export const KEY = {
  ESC: '\x1b',
  ENTER: '\r',
  TAB: '\t',
  BACKSPACE: '\x7f',
  CTRL_C: '\x03',
  UP: '\x1b[A',
  DOWN: '\x1b[B',
  PGDN: '\x1b[6~',
  PGUP: '\x1b[5~',
  RIGHT: '\x1b[C',
  LEFT: '\x1b[D',
} as const;

export interface PtyOptions {
  cols?: number;
  rows?: number;
  env?: Record<string, string | undefined>;
  cwd?: string;
}

export class PtySession {
  readonly term: InstanceType<typeof Terminal>;
  private readonly proc: pty.IPty;
  private output = '';
  private exitInfo: { exitCode: number; signal?: number } | undefined;
  private readonly exitWaiters: ((e: { exitCode: number; signal?: number }) => void)[] = [];
  private writes: Promise<void> = Promise.resolve();

  constructor(file: string, args: string[], opts: PtyOptions = {}) {
    const cols = opts.cols ?? 100;
    const rows = opts.rows ?? 30;
    this.term = new Terminal({ cols, rows, allowProposedApi: true, scrollback: 1000 });
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...process.env, TERM: 'xterm-256color', ...opts.env })) {
      if (v !== undefined) env[k] = v;
    }
    this.proc = pty.spawn(file, args, { name: env.TERM ?? 'xterm-256color', cols, rows, cwd: opts.cwd ?? ROOT, env });
    this.proc.onData((d) => {
      this.output += d;
      this.writes = this.writes.then(() => new Promise<void>((r) => this.term.write(d, r)));
    });
    this.proc.onExit((e) => {
      this.exitInfo = e;
      for (const w of this.exitWaiters.splice(0)) w(e);
    });
  }

  static gantry(args: string[], opts: PtyOptions = {}): PtySession {
    // As a user runs it: the #! line (and the V8 flags it gives node) applies.
    return new PtySession(GANTRY, args, opts);
  }

  get pid(): number {
    return this.proc.pid;
  }

  /** Everything the program wrote, raw. */
  get raw(): string {
    return this.output;
  }

  get exited(): { exitCode: number; signal?: number } | undefined {
    return this.exitInfo;
  }

  /** The visible screen, one string per row, trailing spaces trimmed. */
  async lines(): Promise<string[]> {
    await this.writes;
    const buf = this.term.buffer.active;
    const out: string[] = [];
    for (let i = 0; i < this.term.rows; i++) out.push(buf.getLine(buf.viewportY + i)?.translateToString(true) ?? '');
    return out;
  }

  async screen(): Promise<string> {
    return (await this.lines()).join('\n');
  }

  /**
   * Every place `text` is drawn on screen, with how: inverse video, bold, and the background
   * colour (-1 for the default) of its first cell.
   */
  async styled(text: string): Promise<{ row: number; col: number; inverse: boolean; bold: boolean; bg: number }[]> {
    await this.writes;
    const buf = this.term.buffer.active;
    const out: { row: number; col: number; inverse: boolean; bold: boolean; bg: number }[] = [];
    for (let r = 0; r < this.term.rows; r++) {
      const line = buf.getLine(buf.viewportY + r);
      if (!line) continue;
      const str = line.translateToString(false);
      for (let at = str.indexOf(text); at >= 0; at = str.indexOf(text, at + 1)) {
        const cell = line.getCell(at);
        if (!cell) continue;
        out.push({ row: r, col: at, inverse: cell.isInverse() !== 0, bold: cell.isBold() !== 0, bg: cell.isBgDefault() ? -1 : cell.getBgColor() });
      }
    }
    return out;
  }

  /**
   * The screen's text and where its highlights are: per row, the columns where inverse video or
   * the background colour changes. A selection that moves changes this even when no text does.
   */
  async look(): Promise<string> {
    await this.writes;
    const buf = this.term.buffer.active;
    const rows: string[] = [];
    for (let r = 0; r < this.term.rows; r++) {
      const line = buf.getLine(buf.viewportY + r);
      if (!line) continue;
      let marks = line.translateToString(true);
      let last = '';
      for (let x = 0; x < this.term.cols; x++) {
        const cell = line.getCell(x);
        const how = cell ? `${cell.isInverse()}.${cell.isBgDefault() ? -1 : cell.getBgColor()}` : '';
        if (how !== last) marks += ` ${x}:${how}`;
        last = how;
      }
      rows.push(marks);
    }
    return rows.join('\n');
  }

  /** Waits until `look()` differs from `before` (undefined when it did not within the time). */
  async waitLookChange(before: string, timeoutMs: number): Promise<string | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const now = await this.look();
      if (now !== before) return now;
      if (Date.now() > deadline) return undefined;
      await new Promise((r) => setTimeout(r, 1));
    }
  }

  /** Whether the program has the terminal in its alternate screen. */
  async inAltScreen(): Promise<boolean> {
    await this.writes;
    return this.term.buffer.active.type === 'alternate';
  }

  type(keys: string): void {
    this.proc.write(keys);
  }

  /** Types one key at a time, with a short pause between, as a person would. */
  async press(...keys: string[]): Promise<void> {
    for (const k of keys) {
      this.proc.write(k);
      await new Promise((r) => setTimeout(r, 40));
    }
  }

  resize(cols: number, rows: number): void {
    this.proc.resize(cols, rows);
    this.term.resize(cols, rows);
  }

  kill(signal = 'SIGTERM'): void {
    try {
      this.proc.kill(signal);
    } catch {
      // already gone
    }
  }

  /** Waits until the screen satisfies `test` (a string it contains, a regex, or a predicate). */
  async waitFor(test: string | RegExp | ((screen: string) => boolean), timeoutMs = 15_000, pollMs = 50): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    const ok = (s: string) => (typeof test === 'string' ? s.includes(test) : test instanceof RegExp ? test.test(s) : test(s));
    let last = '';
    for (;;) {
      last = await this.screen();
      if (ok(last)) return last;
      if (this.exitInfo && Date.now() > deadline - timeoutMs + 200) {
        // Exited: one last look after its final output is parsed.
        last = await this.screen();
        if (ok(last)) return last;
        throw new Error(`program exited (${JSON.stringify(this.exitInfo)}) before the screen showed ${String(test)}. Screen:\n${last}\nRaw tail:\n${JSON.stringify(this.output.slice(-600))}`);
      }
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${String(test)}. Screen:\n${last}`);
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  waitExit(timeoutMs = 15_000): Promise<{ exitCode: number; signal?: number }> {
    if (this.exitInfo) return Promise.resolve(this.exitInfo);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`program did not exit within ${timeoutMs} ms`)), timeoutMs);
      this.exitWaiters.push((e) => {
        clearTimeout(t);
        resolve(e);
      });
    });
  }

  /** Stops the program if it still runs and frees the emulator. */
  async dispose(): Promise<void> {
    if (!this.exitInfo) {
      this.kill('SIGTERM');
      await this.waitExit(5000).catch(() => this.kill('SIGKILL'));
    }
    this.term.dispose();
  }
}
