// Every command a binding can name, with its handler, and the dispatcher: a key goes to the mode
// on top (modes/top.ts), is looked up in that mode's scopes, refused when read-only forbids it,
// and otherwise run. Text typed into a prompt and the answers of a question are the two kinds
// of keys that are not in the table.
import { BINDINGS } from '../keys/bindings.js';
import { bindingName, resolve } from '../keys/resolve.js';
import { readOnlyRefusal } from '../../actions/readOnly.js';
import type { Key } from '../keys/parse.js';
import type { AppState } from '../../store/state.js';
import { say, type CommandHandler, type KeyContext } from './context.js';
import { scopesFor, topMode, TYPING } from './top.js';
import { LIST_COMMANDS } from './list.js';
import { PANEL_COMMANDS } from './panel.js';
import { LOGS_COMMANDS } from './logs.js';
import { SCROLL_COMMANDS } from './scroll.js';
import { PROMPT_COMMANDS, typeText } from './prompt.js';
import { HELP_COMMANDS } from './help.js';
import { answer, CONFIRM_COMMANDS } from './confirm.js';
import { PRUNE_COMMANDS } from './prune.js';
import { PULL_COMMANDS } from './pull.js';
import { RUN_COMMANDS } from './run.js';
import { MENU_COMMANDS, menuItems, menuKey, runItem } from './menu.js';
import type { Binding } from '../keys/bindings.js';

export const COMMANDS: Readonly<Record<string, CommandHandler>> = {
  ...LIST_COMMANDS,
  ...PANEL_COMMANDS,
  ...LOGS_COMMANDS,
  ...SCROLL_COMMANDS,
  ...PROMPT_COMMANDS,
  ...HELP_COMMANDS,
  ...CONFIRM_COMMANDS,
  ...PRUNE_COMMANDS,
  ...PULL_COMMANDS,
  ...RUN_COMMANDS,
  ...MENU_COMMANDS,
  'menu.run': (ctx) => {
    const s = ctx.store.getState();
    runItem(ctx, menuItems(s)[s.ui.menu?.cursor ?? 0], runBinding);
  },
};

/** Commands that answer the question on screen (a confirmation's own choice keys answer it too). */
const ANSWERS = new Set(['prune.execute', 'run.answer']);

/** The question a state asks, by identity: it changes whenever what the question says may change. */
function question(s: AppState): object | undefined {
  return s.ui.confirm ?? (s.ui.prune?.stage === 'preview' ? s.ui.prune : undefined) ?? (s.ui.run?.stage === 'ask' ? s.ui.run : undefined);
}

/** False for an answer to a question the screen has not shown yet (typed ahead in one burst). */
function answerSeen(ctx: KeyContext, s: AppState): boolean {
  if (!ctx.drawn || question(s) === question(ctx.drawn)) return true;
  say(ctx, `${ctx.key.text || ctx.key.name} ignored: it came before the question was on screen; read it, then answer`);
  return false;
}

/** Runs a binding's command, unless read-only forbids it. */
function runBinding(ctx: KeyContext, b: Binding): void {
  if (b.changes && ctx.store.getState().readOnly) return say(ctx, readOnlyRefusal(bindingName(b)), 'error');
  const run = Object.hasOwn(COMMANDS, b.command) ? COMMANDS[b.command] : undefined;
  run?.(ctx, b.arg);
}

/** Runs one key. */
export function dispatchKey(ctx: KeyContext): void {
  const s = ctx.store.getState();
  const mode = topMode(s);
  const key: Key = ctx.key;
  const b = resolve(key.name, scopesFor(s, mode));
  if (!b) {
    if (TYPING.has(mode) && key.text) typeText(ctx, key.text);
    else if (mode === 'confirm' && s.ui.confirm?.choices.some((ch) => ch.key === key.text) && answerSeen(ctx, s)) answer(ctx);
    else if (mode === 'menu') menuKey(ctx, runBinding);
    return;
  }
  if (ANSWERS.has(b.command) && !answerSeen(ctx, s)) return;
  runBinding(ctx, b);
}

/** Commands the table names that have no handler, and handlers no binding names (for the tests). */
export function unboundCommands(): { missing: string[]; unused: string[] } {
  const named = new Set(BINDINGS.map((b) => b.command));
  return { missing: [...named].filter((c) => !Object.hasOwn(COMMANDS, c)), unused: Object.keys(COMMANDS).filter((c) => !named.has(c)) };
}
