// The first frame: drawn as soon as the config is read, before Ink and the code that talks to
// engines are loaded — the header and one line per place being tried, "connecting…". Ink's first
// frame replaces it row by row (the frame writer rewrites only the rows that differ).
import { printable, truncate } from '../text/width.js';

const paint = (color: boolean, code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);

/** The frame's text (rows joined by newlines, none wider than `width`), as the frame writer takes Ink's. */
export function splashFrame(places: readonly string[], width: number, color: boolean): string {
  const title = ' gantry';
  const right = '? help ';
  const rows = [width > title.length + right.length ? paint(color, '1;36', title) + ' '.repeat(width - title.length - right.length) + paint(color, '90', right) : paint(color, '1;36', title)];
  rows.push('');
  for (const p of places) {
    const label = truncate(printable(p), Math.max(1, width - '  ◌  connecting…'.length));
    rows.push(`  ${paint(color, '33', '◌')} ${label} ${paint(color, '90', 'connecting…')}`);
  }
  if (places.length === 0) rows.push('  starting…');
  return rows.join('\n');
}
