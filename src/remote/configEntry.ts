// The `servers:` section of the config file: a list whose entries are an ssh destination alone
// (`- node-a`) or a mapping (name, ssh, sockets, nvidiaSmi), each checked with its line.
import { isMap, isScalar, isSeq, type Node as YamlNode } from 'yaml';
import { checkServerName, defaultServerName, parseDestination, type ServerSpec } from './spec.js';

const KEYS = ['name', 'ssh', 'sockets', 'nvidiaSmi'] as const;

/** `at(node)` names the file and line; throws `fail(message)` at the first problem. */
export function parseServersNode(node: YamlNode | null, at: (n: YamlNode | null) => string, fail: (message: string) => Error): ServerSpec[] {
  if (!isSeq(node)) throw fail(`${at(node)}: "servers" must be a list of servers (each an ssh destination, or name/ssh/sockets/nvidiaSmi)`);
  const out: ServerSpec[] = [];
  for (const item of node.items as (YamlNode | null)[]) {
    const spec = isMap(item) ? fromMap(item, at, fail) : fromScalar(item, at, fail);
    if (out.some((s) => s.name === spec.name)) throw fail(`${at(item)}: two servers are named "${spec.name}": give one a "name:"`);
    out.push(spec);
  }
  return out;
}

function text(node: YamlNode | null | undefined): string | undefined {
  return isScalar(node) && typeof node.value === 'string' && node.value.trim() ? node.value.trim() : undefined;
}

function fromScalar(item: YamlNode | null, at: (n: YamlNode | null) => string, fail: (m: string) => Error): ServerSpec {
  const ssh = text(item);
  if (!ssh) throw fail(`${at(item)}: each server is an ssh destination (an alias, user@host or ssh://user@host:port) or a mapping with "ssh:"`);
  const d = parseDestination(ssh);
  if (typeof d === 'string') throw fail(`${at(item)}: ${d}`);
  return { name: defaultServerName(d), ssh, sockets: [] };
}

function fromMap(item: YamlNode & { items: { key: unknown; value: unknown }[] }, at: (n: YamlNode | null) => string, fail: (m: string) => Error): ServerSpec {
  const values: Partial<Record<(typeof KEYS)[number], YamlNode | null>> = {};
  for (const pair of item.items) {
    const k = pair.key as YamlNode;
    const key = isScalar(k) ? String(k.value) : '';
    if (!(KEYS as readonly string[]).includes(key)) throw fail(`${at(k)}: unknown key "${key}" in a server (known: ${KEYS.join(', ')})`);
    values[key as (typeof KEYS)[number]] = pair.value as YamlNode | null;
  }
  const ssh = text(values.ssh);
  if (!ssh) throw fail(`${at(values.ssh ?? item)}: a server needs "ssh:" (an alias from your ssh config, user@host, or ssh://user@host:port)`);
  const d = parseDestination(ssh);
  if (typeof d === 'string') throw fail(`${at(values.ssh ?? item)}: ${d}`);
  const name = values.name === undefined ? defaultServerName(d) : text(values.name);
  if (!name) throw fail(`${at(values.name ?? item)}: "name" must be a non-empty string`);
  const badName = checkServerName(name);
  if (badName) throw fail(`${at(values.name ?? item)}: ${badName}`);
  const spec: ServerSpec = { name, ssh, sockets: [] };
  if (values.sockets !== undefined) {
    const seq = values.sockets;
    if (!isSeq(seq)) throw fail(`${at(seq)}: "sockets" must be a list of socket paths on the server, e.g. [/var/run/docker.sock]`);
    for (const n of seq.items as (YamlNode | null)[]) {
      const p = text(n);
      if (!p || !p.startsWith('/') || p.includes(':') || /[\0-\x1f]/.test(p))
        throw fail(`${at(n)}: each socket is an absolute path on the server without ":" (e.g. /run/podman/podman.sock)`);
      spec.sockets.push(p);
    }
  }
  if (values.nvidiaSmi !== undefined) {
    const nv = text(values.nvidiaSmi);
    if (!nv || nv.startsWith('-') || /[\0-\x1f]/.test(nv)) throw fail(`${at(values.nvidiaSmi)}: "nvidiaSmi" must be the nvidia-smi program on that server, e.g. /usr/bin/nvidia-smi`);
    spec.nvidiaSmi = nv;
  }
  return spec;
}
