// What the engines return for images, volumes, networks and disk usage (the parts gantry uses,
// nullable fields included), and the dockerode calls that fetch it, each with its time limit.
import type Docker from 'dockerode';

export interface RawContainer {
  Id: string;
  Names?: string[] | null;
  Image?: string;
  ImageID?: string;
  State?: string;
  Status?: string;
  SizeRw?: number | null;
  Mounts?: { Type?: string; Name?: string }[] | null;
  NetworkSettings?: { Networks?: Record<string, { NetworkID?: string } | null> | null } | null;
}

export interface RawImage {
  Id: string;
  ParentId?: string;
  RepoTags?: string[] | null;
  Created?: number;
  Size?: number;
  SharedSize?: number;
  Labels?: Record<string, string> | null;
}

export interface RawVolume {
  Name: string;
  Driver?: string;
  Mountpoint?: string;
  CreatedAt?: string;
  Labels?: Record<string, string> | null;
  UsageData?: { Size?: number; RefCount?: number } | null;
}

export interface RawNetwork {
  Id: string;
  Name: string;
  Driver?: string;
  Scope?: string;
  Internal?: boolean;
  Ingress?: boolean;
  Created?: string;
  Labels?: Record<string, string> | null;
  Containers?: Record<string, { Name?: string } | null> | null;
}

export interface RawBuildCache {
  ID: string;
  Size?: number;
  InUse?: boolean;
  Shared?: boolean;
}

export interface RawDf {
  LayersSize?: number;
  Images?: RawImage[] | null;
  Containers?: RawContainer[] | null;
  Volumes?: RawVolume[] | null;
  BuildCache?: RawBuildCache[] | null;
}

const LIST_TIMEOUT_MS = 10_000;
/** `/system/df` walks every volume's files: on a big data volume it takes a while. */
const DF_TIMEOUT_MS = 120_000;

function signal(ms: number): AbortSignal {
  return AbortSignal.timeout(ms);
}

/** dockerode's calls, typed by what the engines really send. */
export function api(docker: Docker) {
  const d = docker as unknown as {
    listContainers(o: object): Promise<RawContainer[]>;
    listImages(o: object): Promise<RawImage[]>;
    listVolumes(o: object): Promise<{ Volumes?: RawVolume[] | null }>;
    listNetworks(o: object): Promise<RawNetwork[]>;
    df(o: object): Promise<RawDf>;
    info(o: object): Promise<Record<string, unknown>>;
    version(o: object): Promise<Record<string, unknown>>;
    pruneBuilder(): Promise<{ SpaceReclaimed?: number; CachesDeleted?: string[] | null }>;
  };
  return {
    containers: (size = false) => d.listContainers({ all: true, size, abortSignal: signal(size ? DF_TIMEOUT_MS : LIST_TIMEOUT_MS) }),
    images: () => d.listImages({ abortSignal: signal(LIST_TIMEOUT_MS) }),
    volumes: async () => (await d.listVolumes({ abortSignal: signal(LIST_TIMEOUT_MS) })).Volumes ?? [],
    networks: () => d.listNetworks({ abortSignal: signal(LIST_TIMEOUT_MS) }),
    df: (ms = DF_TIMEOUT_MS) => d.df({ abortSignal: signal(ms) }),
    info: () => d.info({ abortSignal: signal(LIST_TIMEOUT_MS) }),
    version: () => d.version({ abortSignal: signal(LIST_TIMEOUT_MS) }),
    pruneBuilder: () => d.pruneBuilder(),
    inspectImage: (ref: string) => docker.getImage(ref).inspect() as Promise<{ Id: string; RepoTags?: string[] | null; Size?: number }>,
    inspectNetwork: (id: string) => docker.getNetwork(id).inspect() as Promise<RawNetwork>,
    removeContainer: (id: string) => docker.getContainer(id).remove(),
    removeImage: (ref: string) => docker.getImage(ref).remove(),
    removeVolume: (name: string) => docker.getVolume(name).remove(),
    removeNetwork: (id: string) => docker.getNetwork(id).remove(),
  };
}

export type Api = ReturnType<typeof api>;
