// A command line (an argument array) as lines of at most `width` characters that a shell reads
// back as the one command: words shell-quoted, packed, every line but the last ending in " \".
// A flag and its value stay on one line. Pure.
import { shellQuote } from './inspect.js';

/** Flags whose value is the next word (docker/podman run's, as gantry writes them). */
const TAKES_VALUE = new Set(['--name', '--gpus', '--device', '--ulimit', '-e', '--mount', '-v', '-w', '-p', '--label']);

export function shellLines(argv: readonly string[], width: number): string[] {
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const w = shellQuote(argv[i]!);
    if (TAKES_VALUE.has(argv[i]!) && i + 1 < argv.length) words.push(`${w} ${shellQuote(argv[++i]!)}`);
    else words.push(w);
  }
  const room = Math.max(10, width - 2);
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    if (cur && cur.length + 1 + w.length > room) {
      lines.push(`${cur} \\`);
      cur = `  ${w}`;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(cur);
  return lines;
}
