// Images, volumes and networks made on the real engines for the resource and prune tests, recorded
// so that each test looks only at (and cleans up) what it made: the engines are shared.
import Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { PruneItem } from '../../src/engine/resources/prune.js';
import { RUN_LABEL, removeTestContainers, uniqueName, type TestEngine } from './engines.js';

export const REPO = 'gantry-test-res';

/** A tar archive holding one file of random bytes (so no two images share a layer). */
function tarWithRandomFile(bytes: number): Buffer {
  const header = Buffer.alloc(512);
  const put = (s: string, off: number, len: number) => header.write(s.slice(0, len), off, 'ascii');
  put('blob', 0, 100);
  put('0000644\0', 100, 8);
  put('0000000\0', 108, 8);
  put('0000000\0', 116, 8);
  put(bytes.toString(8).padStart(11, '0') + '\0', 124, 12);
  put(Math.floor(Date.now() / 1000).toString(8).padStart(11, '0') + '\0', 136, 12);
  put('        ', 148, 8);
  put('0', 156, 1);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  let sum = 0;
  for (const b of header) sum += b;
  put(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8);
  const pad = (512 - (bytes % 512)) % 512;
  return Buffer.concat([header, randomBytes(bytes), Buffer.alloc(pad), Buffer.alloc(1024)]);
}

export interface Img {
  id: string;
  size: number;
}

export async function inspectImage(te: TestEngine, ref: string): Promise<Img> {
  const i = await te.docker.getImage(ref).inspect();
  return { id: i.Id, size: i.Size };
}

export async function exists(get: () => Promise<unknown>): Promise<boolean> {
  try {
    await get();
    return true;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return false;
    throw err;
  }
}

export async function follow(te: TestEngine, stream: NodeJS.ReadableStream): Promise<void> {
  await new Promise<void>((res, rej) => te.docker.modem.followProgress(stream, (err: unknown) => (err ? rej(err) : res())));
}

export class Made {
  images = new Set<string>();
  volumes = new Set<string>();
  networks = new Set<string>();
  containers = new Set<string>();
  constructor(
    readonly te: TestEngine,
    private readonly parent?: Made,
  ) {}

  /** A fresh record for one test (its previews are filtered to it); cleanup still goes through this one. */
  child(): Made {
    return new Made(this.te, this);
  }

  note(kind: 'images' | 'volumes' | 'networks' | 'containers', id: string): void {
    this[kind].add(id);
    this.parent?.note(kind, id);
  }

  /** Imports a one-layer image of random bytes as gantry-test-res:<tag>. */
  async importImage(tag: string, bytes = 40_000): Promise<Img> {
    // Podman ignores the `tag` parameter of an import; a tag inside `repo` works on both.
    await follow(this.te, await this.te.docker.importImage(tarWithRandomFile(bytes) as unknown as NodeJS.ReadableStream, { repo: `${REPO}:${tag}` }));
    const img = await inspectImage(this.te, `${REPO}:${tag}`);
    this.note('images', img.id);
    return img;
  }

  /** A dangling image, made as ENGINES.md says: a second image imported under the same tag. */
  async dangling(tag: string): Promise<{ dangling: Img; tagged: Img }> {
    const dangling = await this.importImage(tag, 30_000);
    const tagged = await this.importImage(tag, 50_000);
    expect(tagged.id).not.toBe(dangling.id);
    return { dangling, tagged };
  }

  /** An image committed from a busybox container that wrote `bytes` bytes: it shares busybox's layer. */
  async commitImage(tag: string, bytes = 25_000): Promise<Img> {
    const c = await this.container({ name: uniqueName('res-commit'), cmd: ['sh', '-c', `head -c ${bytes} /dev/urandom > /blob`], start: true, wait: true });
    await c.commit({ repo: REPO, tag });
    await c.remove();
    const img = await inspectImage(this.te, `${REPO}:${tag}`);
    this.note('images', img.id);
    return img;
  }

  async container(o: { name: string; image?: string; cmd?: string[]; binds?: string[]; network?: string; start?: boolean; wait?: boolean }): Promise<Docker.Container> {
    const c = await this.te.docker.createContainer({
      name: o.name,
      Image: o.image ?? this.te.image,
      Cmd: o.cmd ?? ['sleep', '100000'],
      Labels: { [RUN_LABEL]: String(process.pid) },
      HostConfig: { NetworkMode: o.network ?? 'none', Binds: o.binds },
    });
    this.note('containers', c.id);
    if (o.start) await c.start();
    if (o.wait) await c.wait();
    return c;
  }

  /** A volume holding `bytes` bytes, written by a container that is removed again. */
  async volume(name: string, bytes = 0): Promise<string> {
    await this.te.docker.createVolume({ Name: name, Labels: { [RUN_LABEL]: String(process.pid) } });
    this.note('volumes', name);
    if (bytes > 0) {
      const c = await this.container({ name: uniqueName('res-fill'), cmd: ['sh', '-c', `head -c ${bytes} /dev/urandom > /data/blob`], binds: [`${name}:/data`], start: true, wait: true });
      await c.remove();
    }
    return name;
  }

  async network(name: string): Promise<string> {
    const n = await this.te.docker.createNetwork({ Name: name, Labels: { [RUN_LABEL]: String(process.pid) } });
    this.note('networks', n.id);
    return n.id;
  }

  mine(items: readonly PruneItem[]): PruneItem[] {
    return items.filter((i) => this.containers.has(i.id) || this.images.has(i.id) || this.volumes.has(i.id) || this.networks.has(i.id));
  }

  async cleanup(): Promise<void> {
    await removeTestContainers(this.te).catch(() => undefined);
    for (const id of this.containers) await this.te.docker.getContainer(id).remove({ force: true }).catch(() => undefined);
    for (const id of this.images) await this.te.docker.getImage(id).remove({ force: true }).catch(() => undefined);
    for (const n of this.volumes) await this.te.docker.getVolume(n).remove().catch(() => undefined);
    for (const id of this.networks) await this.te.docker.getNetwork(id).remove().catch(() => undefined);
  }
}

/** A second client on the same socket that records every request it sends. */
export function spied(te: TestEngine): { docker: Docker; calls: { method: string; path: string }[] } {
  const docker = new Docker({ socketPath: te.socket });
  const calls: { method: string; path: string }[] = [];
  const modem = docker.modem as { dial: (o: { method: string; path: string }, cb: unknown) => unknown };
  const dial = modem.dial.bind(modem);
  modem.dial = (o, cb) => {
    calls.push({ method: o.method, path: o.path });
    return dial(o, cb);
  };
  return { docker, calls };
}

export const keys = (items: readonly PruneItem[]) => items.map((i) => i.key).sort();
export const sizeRw = async (te: TestEngine, id: string) => ((await te.docker.getContainer(id).inspect({ size: true } as Docker.ContainerInspectOptions)) as unknown as { SizeRw?: number }).SizeRw ?? 0;
