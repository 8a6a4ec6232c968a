// What a key's command gets to work with: the store, the controller, the sizes of what is on
// screen (for pages), and the key itself.
import type { Store } from '../../store/store.js';
import type { Action, AppState, MessageLevel } from '../../store/state.js';
import type { Controller } from '../controller.js';
import type { Key } from '../keys/parse.js';

export interface ScreenSizes {
  /** The terminal's width (help wraps to it). */
  cols: number;
  /** Rows of a list pane's body. */
  listRows: number;
  /** Rows and width of the main panel. */
  panelRows: number;
  panelWidth: number;
}

export interface KeyContext {
  store: Store<AppState, Action>;
  controller: Controller;
  sizes: ScreenSizes;
  key: Key;
  /** The key before this one (for two-key sequences such as `!&`). */
  previous: string;
  /**
   * The state the screen last showed (set after each frame). A key that answers a question is taken
   * only when that question was on screen: `d` `y` typed in one burst does not remove anything.
   * Absent (tests that call dispatchKey directly): every answer is taken.
   */
  drawn?: AppState;
}

export type CommandHandler = (ctx: KeyContext, arg: number | string | undefined) => void;

export function say(ctx: KeyContext, text: string, level: MessageLevel = 'info'): void {
  ctx.store.dispatch({ type: 'message', level, text });
}
