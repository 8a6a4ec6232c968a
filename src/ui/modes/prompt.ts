// A line being typed — a list filter (applied as you type), a log search (likewise), or a `:`
// command (run on Enter) — and the `:` commands themselves.
import type { Prompt } from '../../store/state.js';
import { editLine, type EditOp } from '../prompt.js';
import { currentList } from './list.js';
import { say, type CommandHandler, type KeyContext } from './context.js';

/** The prompt's text changed: a filter or a search takes effect at once. */
function changed(ctx: KeyContext, p: Prompt): void {
  const d = ctx.store.dispatch;
  d({ type: 'prompt', prompt: p });
  if (p.kind === 'filter') {
    const list = currentList(ctx.store.getState());
    if (list) d({ type: 'filter/set', list, text: p.text });
  } else if (p.kind === 'search') d({ type: 'logs/set', patch: { query: p.text } });
}

function edit(ctx: KeyContext, op: EditOp | { insert: string }): void {
  const p = ctx.store.getState().ui.prompt;
  if (!p) return;
  const next = editLine(p, op);
  if (next.text !== p.text || next.cursor !== p.cursor) changed(ctx, { ...p, ...next });
}

/** A printable key typed into the prompt. */
export function typeText(ctx: KeyContext, text: string): void {
  edit(ctx, { insert: text });
}

/** A `:` command. */
export function runCommand(ctx: KeyContext, line: string): void {
  const d = ctx.store.dispatch;
  const [word, ...rest] = line.trim().split(/\s+/);
  if (!word) return;
  if (word === 'exec') {
    if (ctx.store.getState().ui.pane !== 'containers') d({ type: 'pane', pane: 'containers' });
    if (rest.length === 0) return say(ctx, ':exec needs a command, e.g. :exec nvidia-smi (E alone opens a shell)');
    return ctx.controller.exec?.(rest);
  }
  if (word === 'prune') return ctx.controller.resources?.openPrune();
  if (word === 'q' || word === 'quit') return ctx.controller.quit();
  say(ctx, `unknown command :${word} (commands: exec CMD…, prune, quit)`, 'error');
}

export const PROMPT_COMMANDS: Record<string, CommandHandler> = {
  'prompt.edit': (ctx, op) => edit(ctx, op as EditOp),
  'prompt.accept': (ctx) => {
    const p = ctx.store.getState().ui.prompt;
    ctx.store.dispatch({ type: 'prompt' });
    if (p?.kind === 'command') runCommand(ctx, p.text);
  },
  'prompt.cancel': (ctx) => {
    const p = ctx.store.getState().ui.prompt;
    ctx.store.dispatch({ type: 'prompt' });
    if (p?.kind === 'filter') {
      const list = currentList(ctx.store.getState());
      if (list) ctx.store.dispatch({ type: 'filter/set', list, text: '' });
    } else if (p?.kind === 'search') ctx.store.dispatch({ type: 'logs/set', patch: { query: '', filter: 'none', hit: undefined } });
  },
};
