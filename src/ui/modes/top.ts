// Which mode is on top and so owns the keys — the one place that order is written down — and
// the chain of binding scopes each mode looks its keys up in.
import type { AppState } from '../../store/state.js';
import { PANE_DEFS } from '../panes/registry.js';
import type { Scope } from '../keys/bindings.js';

export type Mode = 'help' | 'prune' | 'confirm' | 'menu' | 'command' | 'search' | 'filter' | 'pull-ref' | 'run-field' | 'pull' | 'run' | 'logs' | 'tab' | 'list';

/** The modes that are a line being typed: printable keys go into it. */
export const TYPING: ReadonlySet<Mode> = new Set(['command', 'search', 'filter', 'pull-ref', 'run-field']);

/**
 * Help covers everything; then the prune dialog and a question (which stop everything under
 * them); then the action menu (x); then a line being typed (the pull dialog's reference and the run form's fields are
 * typed too); then the pull dialog and the run form; then the panel when it has the keys (Enter);
 * else the list.
 */
export function topMode(s: AppState): Mode {
  if (s.ui.help) return 'help';
  if (s.ui.prune) return 'prune';
  if (s.ui.confirm) return 'confirm';
  if (s.ui.menu) return 'menu';
  if (s.ui.prompt) return s.ui.prompt.kind;
  if (s.ui.pull) return 'pull';
  if (s.ui.run) return 'run';
  if (s.ui.pane === 'containers' && s.ui.logs.focus) return s.ui.logs.tab === 'logs' ? 'logs' : 'tab';
  return 'list';
}

/** The scopes a mode's keys are looked up in, first match wins. */
export function scopesFor(s: AppState, mode: Mode = topMode(s)): Scope[] {
  switch (mode) {
    case 'help':
      return ['always', 'help'];
    case 'prune': {
      const stage = s.ui.prune?.stage;
      return stage === 'choose' || stage === 'preview' || stage === 'result' || stage === 'loading' ? ['always', `prune-${stage}`] : ['always'];
    }
    case 'confirm':
      return ['always', 'confirm'];
    case 'menu':
      return ['always', 'menu'];
    case 'filter':
      return ['always', 'filter', 'prompt'];
    case 'command':
    case 'search':
      return ['always', 'prompt'];
    case 'pull-ref':
      return ['always', 'complete', 'prompt'];
    case 'run-field':
      return s.ui.prompt?.completeImages ? ['always', 'complete', 'prompt'] : ['always', 'prompt'];
    case 'pull':
      return ['always', s.ui.pull?.stage === 'engine' ? 'pull-engine' : 'pull-progress'];
    case 'run':
      return ['always', `run-${s.ui.run?.stage ?? 'form'}`];
    case 'logs':
      return ['always', 'logs', 'panel'];
    case 'tab':
      return ['always', 'tab', 'panel'];
    case 'list':
      return PANE_DEFS[s.ui.pane].scopes;
  }
}
