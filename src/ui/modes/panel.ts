// The main panel's keys that every tab shares (focus, back, full screen, the tab row) and the
// Env tab's secret toggle.
import { PANEL_TABS, type LogsUi } from '../../store/state.js';
import { say, type CommandHandler, type KeyContext } from './context.js';

const set = (ctx: KeyContext, patch: Partial<LogsUi>) => ctx.store.dispatch({ type: 'logs/set', patch });

export const PANEL_COMMANDS: Record<string, CommandHandler> = {
  'panel.focus': (ctx) => set(ctx, { focus: true, listOnly: false }),
  'panel.leave': (ctx) => set(ctx, { focus: false, full: false }),
  'panel.full': (ctx) => {
    const L = ctx.store.getState().ui.logs;
    set(ctx, L.full ? { full: false } : { full: true, focus: true, listOnly: false });
  },
  'list.only': (ctx) => {
    const on = !ctx.store.getState().ui.logs.listOnly;
    set(ctx, { listOnly: on, full: false });
    say(ctx, on ? 'the list alone, full width: + brings the panel back' : 'the list and the panel');
  },
  'panel.tab': (ctx, n) => {
    const L = ctx.store.getState().ui.logs;
    const i = PANEL_TABS.indexOf(L.tab);
    set(ctx, { tab: PANEL_TABS[(i + Number(n) + PANEL_TABS.length) % PANEL_TABS.length]!, scroll: 0 });
  },
  'tab.reveal': (ctx) => {
    const L = ctx.store.getState().ui.logs;
    set(ctx, { reveal: !L.reveal });
    say(ctx, L.reveal ? 'secret values masked again' : 'secret values shown: v masks them again');
  },
};
