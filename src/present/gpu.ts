// Who holds a GPU process, in the one wording the TUI and `gantry gpus` share: the container
// (engine/name), a container gantry cannot name (its runtime and short id, and why), or the
// host user.
import { displayName } from '../engine/models.js';

export interface Holder {
  containerId?: string;
  runtime?: string;
  hostUser?: string;
}

/** `docker/llama`, `Docker container 75f19276295a (not on a connected engine)`, `host: alice`. */
export function holderText(p: Holder, container?: { engineId: string; name: string }, why = 'not on a connected engine'): string {
  if (container) return displayName(container);
  if (p.containerId) return `${p.runtime ? `${p.runtime} container` : 'container'} ${p.containerId.slice(0, 12)} (${why})`;
  return p.hostUser ? `host: ${p.hostUser}` : 'host: pid not in /proc';
}
