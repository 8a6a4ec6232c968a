// Ink's text measuring with a cache that cannot grow without end. Ink 6.8 (pinned) keeps the size of
// every text it ever measured in a module-level Map that never forgets (ink issue #986): over days
// of changing numbers on screen that is memory that only grows. Replaced at bundle time
// (scripts/ink-output.mjs); same results, at most 2,048 texts remembered.
import widestLine from 'widest-line';

const sizes = new Map<string, { width: number; height: number }>();

export default function measureText(text: string): { width: number; height: number } {
  if (text.length === 0) return { width: 0, height: 0 };
  let size = sizes.get(text);
  if (!size) {
    size = { width: widestLine(text), height: text.split('\n').length };
    if (sizes.size >= 2048) sizes.clear();
    sizes.set(text, size);
  }
  return size;
}

/** How many texts are remembered (for the tests). */
export function remembered(): number {
  return sizes.size;
}
