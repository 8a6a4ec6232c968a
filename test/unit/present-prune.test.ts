// A prune in words: the confirmation's summary of a preview and the status line after it ran
// (src/present/prune.ts).
import { describe, expect, it } from 'vitest';
import { PODMAN_NO_BUILD_CACHE } from '../../src/engine/resources/disk.js';
import { describePreview, describeResult } from '../../src/present/prune.js';
import { item, preview } from '../helpers/prune.js';

describe('prune summaries', () => {
  it('says what would go and what it frees', () => {
    const p = preview([item('container', 'c1', 1500), item('container', 'c2', 0), item('image', 'i1', 2_000_000), item('volume', 'v', 500)]);
    expect(describePreview(p)).toBe('Would remove 2 containers, 1 image and 1 volume, freeing 2.0 MB.');
  });
  it('says "at least" when an item has no size from the engine', () => {
    const p = preview([item('volume', 'v', 0, { bytesKnown: false }), item('image', 'i', 2000)]);
    expect(describePreview(p)).toBe('Would remove 1 image and 1 volume, freeing at least 2.0 kB.');
  });
  it('says there is nothing to do, naming what was looked for', () => {
    expect(describePreview(preview([], { choice: ['danglingImages', 'unusedVolumes'] }))).toBe('Nothing to remove: no dangling images and unused volumes to prune.');
    expect(describePreview(preview([], { choice: [] }))).toBe('Nothing to remove: nothing was chosen to prune.');
  });
  it("carries Podman's build-cache refusal into the summary", () => {
    const p = preview([], { kind: 'podman', choice: ['buildCache'], refused: [{ item: item('buildCache', 'build-cache', 0), reason: PODMAN_NO_BUILD_CACHE }] });
    expect(describePreview(p)).toBe(`Nothing to remove. ${PODMAN_NO_BUILD_CACHE}`);
  });
  it('reports what was removed, what was gone already and what was refused', () => {
    const r = {
      removed: [item('container', 'a', 10), item('image', 'b', 3000)],
      bytes: 3010,
      gone: [item('volume', 'v', 1)],
      refused: [{ item: item('network', 'n', 0), reason: 'n has container x attached now: not removed' }],
    };
    expect(describeResult(r)).toBe('Removed 1 container and 1 image, freeing 3.0 kB. 1 volume had already been removed. Not removed: n: n has container x attached now: not removed.');
    expect(describeResult({ removed: [], bytes: 0, gone: [], refused: [] })).toBe('Nothing to remove: nothing was pruned.');
    expect(describeResult({ removed: [], bytes: 0, gone: [item('container', 'a', 1)], refused: [] })).toBe('Nothing was removed. 1 container had already been removed.');
  });
});
