// The real terminal while the TUI runs: the alternate screen, gantry's frame writer, and the Ink
// tree mounted on it — unmounted while an interactive session (E, a) owns the terminal, then
// mounted again from the store, as it was.
import { guardTerminal, isUtf8Locale, type TerminalGuard } from '../terminal.js';
import { FrameStdout, type FrameTarget } from '../ui/screen.js';
import { toAscii } from '../text/ascii.js';
import type { Mount, Mounted } from '../ui/mount.js';
import type { Controller } from '../ui/controller.js';
import type { Store } from '../store/store.js';
import type { Action, AppState } from '../store/state.js';

export class Screen {
  readonly frames: FrameStdout;
  readonly stdin = process.stdin;
  readonly stdout = process.stdout;
  private readonly term: TerminalGuard;
  private instance: Mounted | undefined;
  private app: { mount: Mount; store: Store<AppState, Action>; controller: Controller } | undefined;

  constructor(private readonly color: boolean) {
    this.term = guardTerminal(process.stdout, process.stdin);
    this.frames = new FrameStdout(isUtf8Locale() ? process.stdout : asciiTerminal(process.stdout));
  }

  /** Enters the alternate screen, where a first frame may be written to `frames` before the app is drawn. */
  enter(): void {
    this.term.enter();
  }

  /** Enters the alternate screen and draws the app. */
  show(mount: Mount, store: Store<AppState, Action>, controller: Controller): void {
    this.app = { mount, store, controller };
    this.term.enter();
    this.instance = mount(store, controller, this.frames, this.color);
  }

  /** Hides the TUI and gives the terminal back in cooked mode, on the main screen. */
  stepAside(): void {
    this.frames.pause();
    this.unmount();
    this.term.restore();
  }

  /** Takes the terminal again and redraws the TUI as the store has it. */
  comeBack(): void {
    if (!this.app) return;
    this.term.enter();
    this.instance = this.app.mount(this.app.store, this.app.controller, this.frames, this.color);
    this.frames.resume();
  }

  private unmount(): void {
    try {
      this.instance?.unmount();
    } catch {
      // unmounting a broken tree must not stop the restore
    }
    this.instance = undefined;
  }

  /** Leaves the terminal as it was found. Safe to call more than once. */
  restore(): void {
    this.unmount();
    this.term.restore();
  }
}

/** The terminal seen through toAscii: a locale that is not UTF-8 (LC_ALL=C) gets only ASCII bytes. */
function asciiTerminal(out: NodeJS.WriteStream): FrameTarget {
  return {
    write: (s: string) => out.write(toAscii(s)),
    get columns() {
      return out.columns;
    },
    get rows() {
      return out.rows;
    },
    on: (event, l) => out.on(event, l),
    off: (event, l) => out.off(event, l),
  };
}
