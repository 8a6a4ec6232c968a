// Networks: the list, with the containers attached to each (stopped ones too), and removal with
// its refusals. Podman's `DELETE /networks/{id}` removes a network even while a running container
// uses it, where Docker refuses only while an endpoint is active (and lets a network used by a
// stopped container go, leaving that container unable to start). Gantry checks every container
// that names the network, running or not, before asking either engine.
import type Docker from 'dockerode';
import type { NetworkRow } from '../models.js';
import { listWords } from '../../text/words.js';
import { api, type RawNetwork } from './raw.js';
import { attachedTo, engineRefusal, isBuiltinNetwork, plural, ResourceError, seconds } from './shared.js';

export async function listNetworks(docker: Docker, engineId: string): Promise<NetworkRow[]> {
  const a = api(docker);
  const [networks, containers] = await Promise.all([a.networks(), a.containers()]);
  return networks.map((n) => {
    const row: NetworkRow = {
      key: `${engineId}/${n.Id}`,
      engineId,
      id: n.Id,
      name: n.Name,
      driver: n.Driver ?? '',
      scope: n.Scope ?? 'local',
      builtin: isBuiltinNetwork(n.Name),
      containers: attachedTo(n, containers),
      internal: n.Internal === true,
      labels: n.Labels ?? {},
    };
    const created = seconds(n.Created);
    if (created !== undefined) row.created = created;
    return row;
  });
}

function builtinRefusal(name: string): ResourceError {
  return new ResourceError(`network ${name} is built into the engine and cannot be removed.`, 'builtin');
}

/** Removes a network no container names; the built-in ones are refused before asking the engine. */
export async function removeNetwork(docker: Docker, idOrName: string): Promise<void> {
  if (isBuiltinNetwork(idOrName)) throw builtinRefusal(idOrName);
  const a = api(docker);
  let net: RawNetwork;
  try {
    net = await a.inspectNetwork(idOrName);
  } catch (err) {
    throw engineRefusal(`network ${idOrName}`, err, []);
  }
  if (isBuiltinNetwork(net.Name)) throw builtinRefusal(net.Name);
  const containers = await a.containers();
  const users = attachedTo(net, containers);
  if (users.length) {
    throw new ResourceError(
      `network ${net.Name} has ${plural(users.length, 'container')} ${listWords(users)} attached (stopped ones count: they need it to start again): remove ${users.length > 1 ? 'those containers' : 'that container'} or disconnect ${users.length > 1 ? 'them' : 'it'} first.`,
      'in-use',
      users,
    );
  }
  try {
    await a.removeNetwork(net.Id);
  } catch (err) {
    throw engineRefusal(`network ${net.Name}`, err, containers);
  }
}
