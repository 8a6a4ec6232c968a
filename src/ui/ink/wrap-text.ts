// Ink's wrapping and truncating of text to a width, with a cache that cannot grow without end (Ink
// 6.8's never forgets: ink issue #986). Replaced at bundle time (scripts/ink-output.mjs); same
// results, at most 2,048 texts remembered.
import wrapAnsi from 'wrap-ansi';
import cliTruncate from 'cli-truncate';

const done = new Map<string, string>();

function wrap(text: string, maxWidth: number, wrapType: string): string {
  if (wrapType === 'wrap') return wrapAnsi(text, maxWidth, { trim: false, hard: true });
  if (wrapType.startsWith('truncate')) {
    const position = wrapType === 'truncate-middle' ? 'middle' : wrapType === 'truncate-start' ? 'start' : 'end';
    return cliTruncate(text, maxWidth, { position });
  }
  return text;
}

export default function wrapText(text: string, maxWidth: number, wrapType: string): string {
  const key = `${maxWidth}\u0000${wrapType}\u0000${text}`;
  let out = done.get(key);
  if (out === undefined) {
    out = wrap(text, maxWidth, wrapType);
    if (done.size >= 2048) done.clear();
    done.set(key, out);
  }
  return out;
}

/** How many texts are remembered (for the tests). */
export function remembered(): number {
  return done.size;
}
