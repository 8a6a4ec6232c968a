// A line being typed — a list filter (applied as you type), a log search (likewise), a `:`
// command (run on Enter), the pull dialog's image or a run form field (taken on Enter) — and the
// `:` commands themselves.
import type { Prompt } from '../../store/state.js';
import { editLine, type EditOp } from '../prompt.js';
import { currentList } from './list.js';
import { completeTag, presentTags } from '../../actions/imageRefs.js';
import { say, type CommandHandler, type KeyContext } from './context.js';
import { splitCommand } from '../../run/commandLine.js';

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
    // Words as a shell splits them (quotes, backslashes; no expansion): :exec sh -c 'nvidia-smi | head'.
    const words = splitCommand(line.trim().slice(word.length));
    if (typeof words === 'string') return say(ctx, `:exec: ${words}: close it and press Enter again`, 'error');
    const tty = words[0] === '-it' || words[0] === '-ti';
    const argv = tty ? words.slice(1) : words;
    if (argv.length === 0) return say(ctx, ':exec needs a command, e.g. :exec nvidia-smi (its output shows in the Exec tab; :exec -it CMD gives it the terminal; E alone opens a shell)');
    return tty ? ctx.controller.exec?.(argv) : ctx.controller.execOutput?.(argv);
  }
  if (word === 'prune') return ctx.controller.resources?.openPrune();
  if (word === 'pull') {
    if (rest.length > 1) return say(ctx, ':pull takes one image, e.g. :pull nvcr.io/nvidia/pytorch:25.06-py3', 'error');
    return ctx.controller.pull?.open(rest[0] ? { ref: rest[0] } : {});
  }
  if (word === 'run') {
    if (rest.length > 1) return say(ctx, ':run takes one template name, e.g. :run gpu-dev (n opens the form too)', 'error');
    return ctx.controller.run?.open(rest[0] ? { template: rest[0] } : {});
  }
  if (word === 'q' || word === 'quit') return ctx.controller.quit();
  say(ctx, `unknown command :${word} (commands: exec CMD…, exec -it CMD…, pull IMAGE, run TEMPLATE, prune, quit)`, 'error');
}

export const PROMPT_COMMANDS: Record<string, CommandHandler> = {
  'prompt.edit': (ctx, op) => edit(ctx, op as EditOp),
  'prompt.accept': (ctx) => {
    const p = ctx.store.getState().ui.prompt;
    ctx.store.dispatch({ type: 'prompt' });
    if (p?.kind === 'command') runCommand(ctx, p.text);
    else if (p?.kind === 'pull-ref') ctx.controller.pull?.start(p.text);
    // A field that does not read stays open, as typed; the form says what is wrong.
    else if (p?.kind === 'run-field' && ctx.controller.run?.commit(p.text)) ctx.store.dispatch({ type: 'prompt', prompt: p });
  },
  'prompt.cancel': (ctx) => {
    const p = ctx.store.getState().ui.prompt;
    ctx.store.dispatch({ type: 'prompt' });
    if (p?.kind === 'filter') {
      const list = currentList(ctx.store.getState());
      if (list) ctx.store.dispatch({ type: 'filter/set', list, text: '' });
    } else if (p?.kind === 'search') ctx.store.dispatch({ type: 'logs/set', patch: { query: '', filter: 'none', hit: undefined } });
    else if (p?.kind === 'pull-ref') ctx.controller.pull?.cancel();
    else if (p?.kind === 'run-field') ctx.controller.run?.cancelEdit();
  },
  'prompt.complete': (ctx) => {
    const s = ctx.store.getState();
    const p = s.ui.prompt;
    if (!p?.completeImages) return;
    const text = completeTag(p.text, presentTags(s, p.kind === 'pull-ref' ? s.ui.pull?.engineId : ctx.controller.run?.view()?.engine.id));
    if (text !== p.text) changed(ctx, { ...p, text, cursor: [...text].length });
  },
};
