// Ink's wrapping and truncating of text to a width, with a cache that cannot grow without end (Ink
// 6.8's never forgets: ink issue #986). Replaced at bundle time (scripts/ink-output.mjs); same
// results, at most 1,024 texts remembered (the last frames': ./recent.ts).
import wrapAnsi from 'wrap-ansi';
import cliTruncate from 'cli-truncate';
import { Recent } from './recent.js';

const done = new Recent<string>(512);

function wrap(text: string, maxWidth: number, wrapType: string): string {
  if (wrapType === 'wrap') return wrapAnsi(text, maxWidth, { trim: false, hard: true });
  if (wrapType.startsWith('truncate')) {
    const position = wrapType === 'truncate-middle' ? 'middle' : wrapType === 'truncate-start' ? 'start' : 'end';
    return cliTruncate(text, maxWidth, { position });
  }
  return text;
}

export default function wrapText(text: string, maxWidth: number, wrapType: string): string {
  return done.get(`${maxWidth}\u0000${wrapType}\u0000${text}`, () => wrap(text, maxWidth, wrapType));
}

/** How many texts are remembered (for the tests). */
export function remembered(): number {
  return done.held;
}
