// Scrolling a text view — help, an Inspect/Env/Top tab, the prune preview or result — by lines,
// pages or to either end; the offset lives in the store and is clamped one way (list/window.ts).
import { clampScroll } from '../list/window.js';
import { helpRows } from '../keys/resolve.js';
import { tabLines } from '../panel.js';
import { pruneLines } from './prune.js';
import { topMode } from './top.js';
import type { CommandHandler, KeyContext } from './context.js';

interface View {
  scroll: number;
  /** Lines in all, and lines on screen. */
  total: number;
  room: number;
  set(n: number): void;
}

/** The text view the keys scroll, for the mode on top. */
export function scrollView(ctx: KeyContext): View | undefined {
  const s = ctx.store.getState();
  const d = ctx.store.dispatch;
  switch (topMode(s)) {
    case 'help':
      return { scroll: s.ui.helpScroll, total: helpRows(ctx.sizes.cols - 1).length, room: ctx.sizes.listRows, set: (n) => d({ type: 'help', open: true, scroll: n }) };
    case 'tab': {
      const L = s.ui.logs;
      const total = tabLines(L.tab, ctx.controller.panelData?.() ?? { stats: [] }, L, ctx.sizes.panelWidth).length;
      return { scroll: L.scroll, total, room: Math.max(1, ctx.sizes.panelRows - 2), set: (n) => d({ type: 'logs/set', patch: { scroll: n } }) };
    }
    case 'prune': {
      const p = s.ui.prune!;
      return { scroll: p.scroll, total: pruneLines(s, p).length, room: Math.max(1, ctx.sizes.listRows - 4), set: (n) => d({ type: 'prune', prune: { ...p, scroll: n } }) };
    }
    default:
      return undefined;
  }
}

function to(ctx: KeyContext, f: (v: View) => number): void {
  const v = scrollView(ctx);
  if (!v) return;
  const n = clampScroll(f(v), v.room, v.total);
  if (n !== v.scroll) v.set(n);
}

export const SCROLL_COMMANDS: Record<string, CommandHandler> = {
  scroll: (ctx, n) => to(ctx, (v) => v.scroll + Number(n)),
  'scroll-page': (ctx, n) => to(ctx, (v) => v.scroll + Number(n) * Math.max(1, v.room - 1)),
  'scroll-to': (ctx, where) => to(ctx, (v) => (where === 'top' ? 0 : v.total)),
};
