// The log panel's keys (after Enter): scrolling pauses following, search and n/N, the & and !
// filters, timestamps, wrap, colours, sideways scrolling, the since keys, saving. State changes
// only, except saving, which the controller does.
import { SINCE, type LogsUi } from '../../store/state.js';
import { centreOn, scrollAnchor } from '../../store/logs.js';
import { compileQuery, step } from '../../engine/logs/search.js';
import { say, type CommandHandler, type KeyContext } from './context.js';

const set = (ctx: KeyContext, patch: Partial<LogsUi>) => ctx.store.dispatch({ type: 'logs/set', patch });

/** Where the panel is: its settings, the filter in force, a page, and the line at its bottom. */
function view(ctx: KeyContext) {
  const L = ctx.store.getState().ui.logs;
  const re = L.query ? compileQuery(L.query).re : undefined;
  // Title and status rows are not log lines.
  return { L, re, mode: re ? L.filter : ('none' as const), page: Math.max(1, ctx.sizes.panelRows - 3), from: L.follow ? undefined : L.anchor, session: ctx.controller.logSession?.() };
}

function scroll(ctx: KeyContext, delta: number): void {
  const { L, mode, from, session } = view(ctx);
  if (!session || (L.follow && delta > 0)) return;
  const anchor = scrollAnchor(session, mode, from, delta);
  if (anchor !== undefined) set(ctx, { follow: false, anchor });
}

function jumpToMatch(ctx: KeyContext, dir: 1 | -1): void {
  const { L, re, mode, page, from, session } = view(ctx);
  if (!L.query) return say(ctx, 'no search yet: press / and type what to find');
  if (!re) return say(ctx, compileQuery(L.query).error ?? 'invalid search', 'error');
  if (L.filter === 'except') return say(ctx, '!& hides the matches: press ! again to see them');
  if (!session) return;
  // From the bottom with no match chosen yet, both go to the newest match.
  const base = L.hit ?? from;
  const r = base === undefined ? step(session.hits.toArray(), session.buffer.lastSeq + 1, -1) : step(session.hits.toArray(), base, dir);
  if (!r) return say(ctx, `no line matches /${L.query}/`);
  set(ctx, { hit: r.seq, follow: false, anchor: centreOn(session, mode, r.seq, page) });
}

function only(ctx: KeyContext, want: 'only' | 'except'): void {
  const L = ctx.store.getState().ui.logs;
  // "!&" (as in less) is ! followed by &: the & only completes it.
  if (want === 'only' && ctx.previous === '!') return;
  if (!L.query) return say(ctx, `search first (/), then ${want === 'only' ? '&' : '!'} keeps only the lines ${want === 'only' ? 'that match' : 'that do not match'}`);
  set(ctx, { filter: L.filter === want ? 'none' : want, anchor: L.hit ?? L.anchor });
}

export const LOGS_COMMANDS: Record<string, CommandHandler> = {
  'logs.scroll': (ctx, n) => scroll(ctx, Number(n)),
  'logs.page': (ctx, n) => scroll(ctx, Number(n) * view(ctx).page),
  'logs.top': (ctx) => {
    const first = view(ctx).session?.visible(view(ctx).mode).seqAt(0);
    if (first !== undefined) set(ctx, { follow: false, anchor: first });
  },
  'logs.follow': (ctx) => set(ctx, { follow: true, anchor: undefined, hit: undefined }),
  'logs.timestamps': (ctx) => set(ctx, { timestamps: !ctx.store.getState().ui.logs.timestamps }),
  'logs.wrap': (ctx) => set(ctx, { wrap: !ctx.store.getState().ui.logs.wrap, hscroll: 0 }),
  'logs.color': (ctx) => {
    const on = ctx.store.getState().ui.logs.color;
    set(ctx, { color: !on });
    say(ctx, on ? "logs without the containers' colours (c brings them back)" : "logs in the containers' own colours");
  },
  'logs.sideways': (ctx, n) => {
    const L = ctx.store.getState().ui.logs;
    if (L.wrap) return say(ctx, 'wrap is on: w turns it off to scroll sideways');
    set(ctx, { hscroll: Math.max(0, L.hscroll + Number(n) * 8) });
  },
  'logs.search': (ctx) => {
    set(ctx, { query: '', hit: undefined, filter: 'none' });
    ctx.store.dispatch({ type: 'prompt', prompt: { kind: 'search', text: '', cursor: 0 } });
  },
  'logs.next': (ctx) => jumpToMatch(ctx, 1),
  'logs.prev': (ctx) => jumpToMatch(ctx, -1),
  'logs.only': (ctx) => only(ctx, 'only'),
  'logs.except': (ctx) => only(ctx, 'except'),
  'logs.save': (ctx) => ctx.controller.saveLogs?.(false),
  'logs.save-whole': (ctx) => ctx.controller.saveLogs?.(true),
  'logs.since': (ctx, n) => {
    const i = Number(n);
    set(ctx, { since: i, follow: true, anchor: undefined, hit: undefined });
    const sv = SINCE[i]!;
    say(ctx, i === 0 ? 'showing the last lines (0)' : sv.all ? 'showing the whole log (6)' : `showing the log since ${sv.label} ago`);
  },
};
