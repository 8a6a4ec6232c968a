// Volumes: the list, with sizes from `/system/df` and the containers mounting each, and removal
// with its refusals. Podman's df volume entries have no driver or mountpoint, so df is used only
// for sizes and the rest comes from the list endpoint.
import type Docker from 'dockerode';
import type { VolumeRow } from '../models.js';
import { api } from './raw.js';
import { containerName, describeUsers, engineRefusal, isAnonymousVolume, plural, ResourceError, seconds, uniqSorted, volumeUsers } from './shared.js';

export interface ListVolumesOptions {
  /** Ask `/system/df` for sizes (it walks every volume; default true). */
  sizes?: boolean;
  /** How long to wait for the sizes before listing without them. */
  sizeTimeoutMs?: number;
}

export async function listVolumes(docker: Docker, engineId: string, opts: ListVolumesOptions = {}): Promise<VolumeRow[]> {
  const a = api(docker);
  const sizes = opts.sizes !== false ? a.df(opts.sizeTimeoutMs).catch(() => undefined) : Promise.resolve(undefined);
  const [volumes, containers, df] = await Promise.all([a.volumes(), a.containers(), sizes]);
  const usage = new Map((df?.Volumes ?? []).map((v) => [v.Name, v.UsageData]));
  return volumes.map((v) => {
    const row: VolumeRow = {
      key: `${engineId}/${v.Name}`,
      engineId,
      name: v.Name,
      driver: v.Driver ?? '',
      anonymous: isAnonymousVolume(v.Name, v.Labels),
      containers: uniqSorted(volumeUsers(containers, v.Name).map(containerName)),
      mountpoint: v.Mountpoint ?? '',
      labels: v.Labels ?? {},
    };
    const size = usage.get(v.Name)?.Size;
    if (typeof size === 'number' && size >= 0) row.size = size;
    const created = seconds(v.CreatedAt);
    if (created !== undefined) row.created = created;
    return row;
  });
}

/** Removes a volume no container mounts (a stopped container still holds its volumes). */
export async function removeVolume(docker: Docker, name: string): Promise<void> {
  const a = api(docker);
  const containers = await a.containers();
  const users = volumeUsers(containers, name);
  if (users.length) {
    throw new ResourceError(
      `volume ${name} is used by ${plural(users.length, 'container')} ${describeUsers(users)}: remove ${users.length > 1 ? 'those containers' : 'that container'} first (a stopped container still holds its volumes).`,
      'in-use',
      users.map(containerName),
    );
  }
  try {
    await a.removeVolume(name);
  } catch (err) {
    throw engineRefusal(`volume ${name}`, err, containers);
  }
}
