// Image references already present, for Tab completion where one is typed (the pull dialog, the
// run form's image): the tags of every engine's images, matched by prefix (or by the start of a
// path part, so "pyt" finds nvcr.io/nvidia/pytorch:25.06-py3 and Podman's docker.io/library/…).
import type { AppState } from '../store/state.js';

/** Every tag the Images pane knows (of one engine, when given), sorted, once each. */
export function presentTags(s: AppState, engineId?: string): string[] {
  const out = new Set<string>();
  for (const [id, rows] of Object.entries(s.resources.images)) {
    if (engineId && id !== engineId) continue;
    for (const r of rows) for (const t of r.repoTags) out.add(t);
  }
  return [...out].sort();
}

/** The tags `text` may be the start of: by prefix, else by the start of a path part. */
export function tagMatches(text: string, tags: readonly string[]): string[] {
  const t = text.trim();
  if (!t) return [...tags];
  const prefix = tags.filter((x) => x.startsWith(t));
  if (prefix.length > 0) return prefix;
  return tags.filter((x) => x.split('/').some((part, i) => i > 0 && part.startsWith(t)));
}

function commonPrefix(words: readonly string[]): string {
  let p = words[0] ?? '';
  for (const w of words) while (!w.startsWith(p)) p = p.slice(0, -1);
  return p;
}

/**
 * Tab, as in a shell: the one match, or the longest start the matches share; `text` unchanged
 * when nothing matches or the matches part at once (the view lists them).
 */
export function completeTag(text: string, tags: readonly string[]): string {
  const m = tagMatches(text, tags);
  if (m.length === 1) return m[0]!;
  const lcp = commonPrefix(m);
  const t = text.trim();
  return lcp.length > t.length && (lcp.startsWith(t) || lcp.includes(`/${t}`)) ? lcp : text;
}
