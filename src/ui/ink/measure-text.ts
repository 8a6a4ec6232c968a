// Ink's text measuring with a cache that cannot grow without end. Ink 6.8 (pinned) keeps the size of
// every text it ever measured in a module-level Map that never forgets (ink issue #986): over days
// of changing numbers on screen that is memory that only grows. Replaced at bundle time
// (scripts/ink-output.mjs); same results, at most 1,024 texts remembered (the last frames': ./recent.ts).
import widestLine from 'widest-line';
import { Recent } from './recent.js';

const sizes = new Recent<{ width: number; height: number }>(512);

export default function measureText(text: string): { width: number; height: number } {
  if (text.length === 0) return { width: 0, height: 0 };
  return sizes.get(text, () => ({ width: widestLine(text), height: text.split('\n').length }));
}

/** How many texts are remembered (for the tests). */
export function remembered(): number {
  return sizes.held;
}
