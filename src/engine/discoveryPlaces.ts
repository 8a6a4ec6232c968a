// The places discovery tries, as a person knows them — light enough (no engine client) for the
// first frame, drawn before the code that talks to engines is loaded.
import { existsSync } from 'node:fs';
import { candidateEndpoints, socketPathOf, type DiscoveryEnv, type Endpoint } from './endpoints.js';

/** How a place still being tried is shown: its socket path or address (the session service: in words). */
export function placeLabel(ep: Endpoint): string {
  return ep.source === 'podman-session' ? 'Podman service (starting)' : (socketPathOf(ep.url) ?? ep.url);
}

/** A socket path that is not there fails at once: such a place is never shown as being tried. */
export function worthTrying(ep: Endpoint): boolean {
  const sock = socketPathOf(ep.url);
  return !sock || existsSync(sock);
}

/** The places discovery will try and show as "connecting…" (those that can take a while to answer). */
export function placesToTry(opts: DiscoveryEnv & { hosts?: readonly string[] }): string[] {
  return candidateEndpoints(opts, opts.hosts ?? []).filter(worthTrying).map(placeLabel);
}
