// Prune without an engine: which images a prune really frees, in which order, the sum of bytes,
// and a preview or execution that has nothing to do asks the engine nothing.
import { describe, expect, it } from 'vitest';
import type Docker from 'dockerode';
import { PODMAN_NO_BUILD_CACHE } from '../../src/engine/resources/disk.js';
import { orderChildrenFirst, previewPrune, prunableImages, sumBytes } from '../../src/engine/resources/prune.js';
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
