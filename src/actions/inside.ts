// Getting inside a container: E (exec a shell, or `:exec CMD`) and a (attach). The TUI steps
// aside — unmounted, alternate screen left, raw mode handed over — the session owns the real
// terminal (its size, resizes, Ctrl-C), and when it ends the TUI comes back as it was (the store
// holds the pane, the selection, the filter and the log position).
import type { Engine } from '../engine/engine.js';
import type { InteractiveSession, SessionEnd } from '../engine/exec.js';
import { explainActionError } from '../engine/errors.js';
import { displayName, type Container } from '../engine/models.js';
import type { Action, AppState } from '../store/state.js';
import type { Store } from '../store/store.js';
import { readOnlyRefusal } from './readOnly.js';
import { DEFAULT_PATIENCE, whileAnswering, type Patience } from './answered.js';

export interface Stage {
  /** Hides the TUI and gives the terminal back in cooked mode, on the main screen. */
  stepAside(): void;
  /** Takes the terminal again and redraws the TUI. */
  comeBack(): void;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
}

/** What exec and attach need of a container (a row of the list, or one just started). */
type Target = Pick<Container, 'engineId' | 'id' | 'name'>;

/** A session that opened after gantry gave up waiting for it (the engine woke late) is closed, not left open. */
function closedIfGivenUp(session: InteractiveSession, given: AbortSignal): InteractiveSession {
  if (given.aborted) session.close();
  return session;
}

export class InsideController {
  private busy = false;

  constructor(
    private readonly store: Store<AppState, Action>,
    private readonly engines: ReadonlyMap<string, Engine>,
    private readonly stage: Stage,
    /** patience: a hung engine's exec or attach is given up in words before the terminal is handed over (answered.ts). */
    private readonly opts: { shell?: string; readOnly: boolean; patience?: Patience },
  ) {}

  private say(text: string, level: 'info' | 'ok' | 'error' = 'info'): void {
    this.store.dispatch({ type: 'message', level, text });
  }

  private target(c: Target | undefined, what: string): Engine | undefined {
    if (!c) {
      this.say(`no container selected: nothing to ${what}`);
      return undefined;
    }
    if (this.opts.readOnly) {
      this.say(readOnlyRefusal(what), 'error');
      return undefined;
    }
    if (this.busy) return undefined;
    const e = this.engines.get(c.engineId);
    if (!e) this.say(`${displayName(c)}: its engine is not connected`, 'error');
    return e;
  }

  /** E, or `:exec CMD…` with `cmd`. */
  async exec(c: Container | undefined, cmd?: string[]): Promise<void> {
    const e = this.target(c, 'exec');
    if (!e || !c) return;
    const name = displayName(c);
    this.busy = true;
    try {
      const size = { cols: this.stage.stdout.columns || 80, rows: this.stage.stdout.rows || 24 };
      const { argv, session } = await whileAnswering(
        e,
        'the exec',
        async (given) => {
          const argv = cmd && cmd.length ? cmd : [await e.chooseShell(c.id, this.opts.shell)];
          return { argv, session: closedIfGivenUp(await e.startExec(c.id, argv, size), given) };
        },
        this.opts.patience ?? DEFAULT_PATIENCE,
      );
      const end = await this.handOver(session, `gantry: ${argv.join(' ')} in ${name} — exit the shell to come back to gantry\r\n`);
      if (end.error) this.say(`${argv.join(' ')} in ${name}: the connection broke: ${end.error}`, 'error');
      else this.say(`${argv.join(' ')} in ${name} ended${end.exitCode !== undefined ? ` (exit code ${end.exitCode})` : ''}`, end.exitCode ? 'error' : 'ok');
    } catch (err) {
      this.say(err instanceof Error && err.name === 'ExecError' ? err.message : `cannot exec in ${name}: ${explainActionError(err)}`, 'error');
    } finally {
      this.busy = false;
    }
  }

  /**
   * a: attach to the main process. `replay`: what it wrote before comes first (a container just
   * started by the run form, whose shell printed its prompt before the attach). Resolves with how
   * the session ended (undefined: it never began).
   */
  async attach(c: Target | undefined, o: { replay?: boolean } = {}): Promise<(SessionEnd & { error?: string }) | undefined> {
    const e = this.target(c, 'attach');
    if (!e || !c) return undefined;
    const name = displayName(c);
    this.busy = true;
    try {
      const size = { cols: this.stage.stdout.columns || 80, rows: this.stage.stdout.rows || 24 };
      const { info, outputOnly, session } = await whileAnswering(
        e,
        'the attach',
        async (given) => {
          const info = await e.inspect(c.id).catch(() => undefined);
          // Podman closes the stdin of a container without a TTY when an attach with stdin ends, and
          // its process may exit: attach to its output only.
          const outputOnly = e.kind === 'podman' && info?.Config?.Tty === false;
          return { info, outputOnly, session: closedIfGivenUp(await e.attach(c.id, { ...size, outputOnly, replay: o.replay === true }), given) };
        },
        this.opts.patience ?? DEFAULT_PATIENCE,
      );
      const deaf = outputOnly
        ? ' It has no TTY and runs under Podman: its output only (typing into it would end its input when you detach).'
        : info && info.Config?.OpenStdin === false
          ? ' Its stdin is not open (it was not started with -i): what you type goes nowhere.'
          : '';
      const end = await this.handOver(
        session,
        `gantry: attached to ${name}. Detach with Ctrl-P Ctrl-Q (back to gantry, the container keeps running). Ctrl-C goes to the container's process.${deaf}\r\n`,
      );
      if (end.error) this.say(`attach to ${name}: the connection broke: ${end.error}`, 'error');
      else if (end.detached) this.say(`detached from ${name}: it keeps running`, 'ok');
      else this.say(`${name} exited${end.exitCode !== undefined ? ` (exit code ${end.exitCode})` : ''} while attached`, end.exitCode ? 'error' : 'info');
      return end;
    } catch (err) {
      this.say(err instanceof Error && err.name === 'ExecError' ? err.message : `cannot attach to ${name}: ${explainActionError(err)}`, 'error');
      return undefined;
    } finally {
      this.busy = false;
    }
  }

  /** The session owns the terminal until it ends; then the TUI comes back. */
  private async handOver(session: InteractiveSession, banner: string): Promise<SessionEnd & { error?: string }> {
    const { stdin, stdout } = this.stage;
    this.stage.stepAside();
    stdout.write(banner);
    const wasRaw = stdin.isTTY ? stdin.isRaw : false;
    if (stdin.isTTY) stdin.setRawMode(true);
    const toContainer = (b: Buffer) => {
      if (!session.stream.destroyed) session.stream.write(b);
    };
    const toScreen = (b: Buffer) => stdout.write(b);
    const onResize = () => void session.resize(stdout.columns || 80, stdout.rows || 24).catch(() => undefined);
    stdin.on('data', toContainer);
    stdin.resume();
    session.stream.on('data', toScreen);
    stdout.on('resize', onResize);
    let end: SessionEnd & { error?: string };
    try {
      end = await session.wait();
    } catch (err) {
      end = { error: explainActionError(err) };
    } finally {
      stdin.off('data', toContainer);
      session.stream.off('data', toScreen);
      stdout.off('resize', onResize);
      session.close();
      if (stdin.isTTY) stdin.setRawMode(wasRaw);
      this.stage.comeBack();
    }
    return end;
  }
}
