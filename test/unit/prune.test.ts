// Prune without an engine: which images a prune really frees, in which order, the sum of bytes,
// and a preview or execution that has nothing to do asks the engine nothing.
import { describe, expect, it } from 'vitest';
import type Docker from 'dockerode';
import { PODMAN_NO_BUILD_CACHE } from '../../src/engine/resources/disk.js';
import { narrowPreview, orderChildrenFirst, previewPrune, prunableImages, sumBytes } from '../../src/engine/resources/prune.js';
import { matcher } from '../../src/actions/prune.js';
import { executePrune } from '../../src/engine/resources/prune-run.js';
import { item, preview } from '../helpers/prune.js';

/** A client that fails the test if anything is asked of it. */
const untouchable = new Proxy({}, {
  get(_t, prop) {
    throw new Error(`the engine was asked for ${String(prop)}`);
  },
}) as Docker;

describe('which images a prune frees', () => {
  const imgs = [
    { id: 'base', tags: ['busybox'] },
    { id: 'child', parentId: 'base', tags: [] },
    { id: 'grandchild', parentId: 'child', tags: [] },
    { id: 'other', tags: [] },
  ];
  it('keeps an image that a kept image is built on', () => {
    // grandchild is kept (say, used): child and base under it free nothing.
    expect(prunableImages(imgs, (i) => i.id !== 'grandchild').map((i) => i.id)).toEqual(['other']);
  });
  it('frees a whole unused chain', () => {
    expect(prunableImages(imgs, () => true).map((i) => i.id)).toEqual(['base', 'child', 'grandchild', 'other']);
  });
  it('removes children before the images they are built on', () => {
    const order = orderChildrenFirst(imgs).map((i) => i.id);
    expect(order.indexOf('grandchild')).toBeLessThan(order.indexOf('child'));
    expect(order.indexOf('child')).toBeLessThan(order.indexOf('base'));
    expect(order).toHaveLength(4);
  });
  it('survives a parent loop without hanging', () => {
    const loop = [
      { id: 'x', parentId: 'y' },
      { id: 'y', parentId: 'x' },
    ];
    expect(orderChildrenFirst(loop).map((i) => i.id).sort()).toEqual(['x', 'y']);
  });
});

describe('prune sums', () => {
  it('sums bytes', () => {
    expect(sumBytes([])).toBe(0);
    expect(sumBytes([item('container', 'a', 5), item('image', 'b', 7)])).toBe(12);
  });
});

describe('a narrowed preview', () => {
  const cA = item('container', 'walk-a', 10);
  const cB = item('container', 'bob-b', 20);
  const img = item('image', 'walk-base', 300, { users: [cB.key], refs: ['walk-base:1'] });
  const child = item('image', 'child', 5, { users: [cA.key] });
  const parent = item('image', 'parent', 7, { users: [child.key] });
  const vol = item('volume', 'v', 40, { users: [cA.key] });
  const pv = preview([cA, cB, img, child, parent, vol]);

  it('keeps exactly what is chosen, with the bytes of what is kept', () => {
    const n = narrowPreview(pv, () => true);
    expect(n.preview.items).toEqual(pv.items);
    expect(n.held).toEqual([]);
    const only = narrowPreview(pv, (i) => i.key !== cA.key && i.key !== vol.key && i.key !== child.key && i.key !== parent.key);
    expect(only.preview.items.map((i) => i.id)).toEqual(['bob-b', 'walk-base']);
    expect(only.preview.bytes).toBe(320);
    expect(only.preview.engineId).toBe('docker');
  });
  it('holds back what a kept container (or a kept image built on it) still uses, down the chain', () => {
    const n = narrowPreview(pv, (i) => i.key !== cA.key);
    expect(n.preview.items.map((i) => i.id)).toEqual(['bob-b', 'walk-base']);
    expect(n.held.map((h) => [h.item.id, h.by.map((b) => b.id)])).toEqual([
      ['child', ['walk-a']],
      ['parent', ['child']],
      ['v', ['walk-a']],
    ]);
    expect(n.preview.bytes).toBe(320);
  });
  it('matches a list filter by name, and an image by any of its tags', () => {
    const m = matcher('WALK');
    expect(pv.items.filter(m).map((i) => i.id)).toEqual(['walk-a', 'walk-base']);
    expect(matcher(' ')(cB)).toBe(true);
    expect(matcher('base:1')(img)).toBe(true);
    // The filter narrows, and what a left-out container uses stays with it.
    expect(narrowPreview(pv, matcher('walk')).preview.items.map((i) => i.id)).toEqual(['walk-a']);
  });
});

describe('prune without anything to do', () => {
  it('asks the engine nothing for an empty choice or an empty preview', async () => {
    const p = await previewPrune(untouchable, 'docker', 'docker', []);
    expect(p).toMatchObject({ items: [], bytes: 0, refused: [], choice: [] });
    expect(await executePrune(untouchable, p)).toEqual({ removed: [], bytes: 0, refused: [], gone: [] });
  });
  it('refuses an unknown choice by name', async () => {
    await expect(previewPrune(untouchable, 'docker', 'docker', ['everything' as never])).rejects.toThrow(/unknown prune choice "everything": choose from stoppedContainers, /);
  });
  it("keeps a preview's refusals in the result without asking the engine", async () => {
    const refusal = { item: item('buildCache', 'build-cache', 0), reason: PODMAN_NO_BUILD_CACHE };
    const r = await executePrune(untouchable, preview([], { kind: 'podman', refused: [refusal] }));
    expect(r.refused).toEqual([refusal]);
  });
});
