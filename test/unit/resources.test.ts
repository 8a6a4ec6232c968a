import { describe, expect, it } from 'vitest';
import {
  PODMAN_NO_BUILD_CACHE,
  cleanRepoTags,
  describePreview,
  describeResult,
  executePrune,
  formatBytes,
  isAnonymousVolume,
  isBuiltinNetwork,
  listWords,
  nameContainerIds,
  normaliseImageId,
  orderChildrenFirst,
  previewPrune,
  prunableImages,
  sumBytes,
  type PruneItem,
  type PrunePreview,
} from '../../src/engine/resources.js';
import type Docker from 'dockerode';

const HEX = 'a'.repeat(64);

function item(kind: PruneItem['kind'], id: string, bytes: number, extra: Partial<PruneItem> = {}): PruneItem {
  const category = kind === 'container' ? 'stoppedContainers' : kind === 'image' ? 'danglingImages' : kind === 'volume' ? 'unusedVolumes' : kind === 'network' ? 'unusedNetworks' : 'buildCache';
  return { key: `docker/${kind}/${id}`, kind, category, id, name: id, bytes, bytesKnown: true, ...extra };
}

function preview(items: PruneItem[], extra: Partial<PrunePreview> = {}): PrunePreview {
  return { engineId: 'docker', kind: 'docker', choice: ['stoppedContainers'], items, bytes: sumBytes(items), refused: [], at: 0, ...extra };
}

/** A client that fails the test if anything is asked of it. */
const untouchable = new Proxy({}, {
  get(_t, prop) {
    throw new Error(`the engine was asked for ${String(prop)}`);
  },
}) as Docker;

describe('image tags and ids', () => {
  it("drops Docker's <none>:<none> placeholder and Podman's null", () => {
    expect(cleanRepoTags(['<none>:<none>'])).toEqual([]);
    expect(cleanRepoTags(null)).toEqual([]);
    expect(cleanRepoTags(undefined)).toEqual([]);
    expect(cleanRepoTags(['busybox:latest', '<none>:<none>', 'localhost/x:1'])).toEqual(['busybox:latest', 'localhost/x:1']);
    expect(cleanRepoTags(['repo:<none>', '<none>@<none>'])).toEqual([]);
  });
  it("adds the sha256: prefix Podman's df leaves out, and leaves the rest alone", () => {
    expect(normaliseImageId(HEX)).toBe(`sha256:${HEX}`);
    expect(normaliseImageId(`sha256:${HEX}`)).toBe(`sha256:${HEX}`);
    expect(normaliseImageId('busybox:latest')).toBe('busybox:latest');
    expect(normaliseImageId('abc123')).toBe('abc123');
  });
});

describe('volumes and networks', () => {
  it('calls a volume with a 64-hex name (or the anonymous label) anonymous', () => {
    expect(isAnonymousVolume('0123456789abcdef'.repeat(4))).toBe(true);
    expect(isAnonymousVolume('data')).toBe(false);
    expect(isAnonymousVolume('0123456789abcdef'.repeat(4) + '0')).toBe(false);
    expect(isAnonymousVolume('ABCDEF0123456789'.repeat(4))).toBe(false);
    expect(isAnonymousVolume('x', { 'com.docker.volume.anonymous': '' })).toBe(true);
  });
  it("knows the built-in networks of both engines, Podman's included", () => {
    for (const n of ['bridge', 'host', 'none', 'podman']) expect(isBuiltinNetwork(n)).toBe(true);
    for (const n of ['mynet', 'bridge2', 'podman1', '']) expect(isBuiltinNetwork(n)).toBe(false);
  });
});

describe('words', () => {
  it('lists things as a sentence', () => {
    expect(listWords([])).toBe('');
    expect(listWords(['a'])).toBe('a');
    expect(listWords(['a', 'b'])).toBe('a and b');
    expect(listWords(['a', 'b', 'c'])).toBe('a, b and c');
  });
  it('formats bytes in decimal units as docker system df does', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1000)).toBe('1.0 kB');
    expect(formatBytes(1_982_488)).toBe('2.0 MB');
    expect(formatBytes(20_100_000)).toBe('20 MB');
    expect(formatBytes(31_500_000_000)).toBe('32 GB');
    expect(formatBytes(2e15)).toBe('2.0 PB');
  });
  it("puts container names in place of the ids in an engine's message", () => {
    const cs = [{ Id: 'e75b84a46ba96d252b1e243e58a52af1af14c470b6e50d05d8eea35ab4a713d3', Names: ['/train'] }, { Id: 'ffff' + 'f'.repeat(60), Names: ['infer'] }];
    expect(nameContainerIds('volume v is being used by the following container(s): e75b84a46ba96d252b1e243e58a52af1af14c470b6e50d05d8eea35ab4a713d3', cs)).toBe(
      'volume v is being used by the following container(s): train',
    );
    expect(nameContainerIds('container e75b84a46ba9 is using its referenced image 9b4ce51686aa', cs)).toBe('container train is using its referenced image 9b4ce51686aa');
  });
});

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

describe('prune summaries', () => {
  it('sums bytes', () => {
    expect(sumBytes([])).toBe(0);
    expect(sumBytes([item('container', 'a', 5), item('image', 'b', 7)])).toBe(12);
  });
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
