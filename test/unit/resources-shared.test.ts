// What the resource kinds share: image tags and ids, anonymous volumes, built-in networks, and
// container names put in place of the ids in an engine's message (src/engine/resources/shared.ts).
import { describe, expect, it } from 'vitest';
import { cleanRepoTags, isAnonymousVolume, isBuiltinNetwork, nameContainerIds, normaliseImageId } from '../../src/engine/resources/shared.js';

const HEX = 'a'.repeat(64);

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

describe('engine messages', () => {
  it("puts container names in place of the ids in an engine's message", () => {
    const cs = [{ Id: 'e75b84a46ba96d252b1e243e58a52af1af14c470b6e50d05d8eea35ab4a713d3', Names: ['/train'] }, { Id: 'ffff' + 'f'.repeat(60), Names: ['infer'] }];
    expect(nameContainerIds('volume v is being used by the following container(s): e75b84a46ba96d252b1e243e58a52af1af14c470b6e50d05d8eea35ab4a713d3', cs)).toBe(
      'volume v is being used by the following container(s): train',
    );
    expect(nameContainerIds('container e75b84a46ba9 is using its referenced image 9b4ce51686aa', cs)).toBe('container train is using its referenced image 9b4ce51686aa');
  });
});
