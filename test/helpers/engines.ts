// The real engines the tests use, started by scripts/engines.sh (scripts/test.sh starts them and
// exports their sockets). Without them, integration and end-to-end tests are skipped LOUDLY — and
// under CI=true they fail instead: CI must never pass without having touched a real engine.
import Docker from 'dockerode';
import { execFileSync } from 'node:child_process';
import { ROOT } from './pty.js';

export interface TestEngine {
  kind: 'docker' | 'podman';
  socket: string;
  url: string;
  image: string;
  docker: Docker;
}

export function testEngines(): TestEngine[] | undefined {
  const d = process.env.GANTRY_TEST_DOCKER_SOCK;
  const p = process.env.GANTRY_TEST_PODMAN_SOCK;
  if (!d || !p) {
    if (process.env.CI === 'true') {
      throw new Error('CI=true but GANTRY_TEST_DOCKER_SOCK / GANTRY_TEST_PODMAN_SOCK are not set: run the tests with `npm test`, which starts real engines.');
    }
    return undefined;
  }
  const mk = (kind: 'docker' | 'podman', socket: string, image: string): TestEngine => ({
    kind,
    socket,
    url: `unix://${socket}`,
    image,
    docker: new Docker({ socketPath: socket }),
  });
  return [mk('docker', d, 'busybox:latest'), mk('podman', p, 'localhost/busybox:latest')];
}

let warned = false;
/** The engines, or undefined with a loud notice (the caller skips). */
export function enginesOrSkip(what: string): TestEngine[] | undefined {
  const e = testEngines();
  if (!e && !warned) {
    warned = true;
    const bar = '!'.repeat(78);
    console.warn(`\n${bar}\n!! ${what}: SKIPPED — no real engines (run \`npm test\` as root to start them).\n${bar}\n`);
  }
  return e;
}

export const RUN_LABEL = 'gantry-test';

let counter = 0;
export function uniqueName(prefix: string): string {
  counter++;
  return `${prefix}-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 6)}`;
}

export interface RunOptions {
  name: string;
  cmd?: string[];
  tty?: boolean;
  start?: boolean;
  env?: string[];
}

/** Creates (and by default starts) a busybox container with no network, labelled for cleanup. */
export async function runContainer(e: TestEngine, o: RunOptions): Promise<Docker.Container> {
  const c = await e.docker.createContainer({
    name: o.name,
    Image: e.image,
    Cmd: o.cmd ?? ['sleep', '100000'],
    Tty: o.tty ?? false,
    Env: o.env,
    Labels: { [RUN_LABEL]: String(process.pid) },
    HostConfig: { NetworkMode: 'none' },
  });
  if (o.start !== false) await c.start();
  return c;
}

export async function removeTestContainers(e: TestEngine): Promise<void> {
  const list = await e.docker.listContainers({ all: true, filters: { label: [`${RUN_LABEL}=${process.pid}`] } });
  await Promise.all(list.map((c) => e.docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
}

export async function inspectState(e: TestEngine, id: string): Promise<string | undefined> {
  try {
    const i = await e.docker.getContainer(id).inspect();
    return i.State.Status;
  } catch {
    return undefined;
  }
}

export async function waitUntil(cond: () => Promise<boolean> | boolean, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs scripts/engines.sh with a sub-command (stop-docker, start-docker, …). */
export function enginesScript(cmd: string): string {
  return execFileSync('bash', [`${ROOT}scripts/engines.sh`, cmd], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
}

export interface TestRegistries {
  /** host:port of the open registry (gantry/busybox:1, gantry/layers:1, gantry/big:1). */
  open: string;
  /** host:port of the basic-auth registry (gantry/busybox:1, gantry/layers:1). */
  auth: string;
  user: string;
  password: string;
}

/** The registries scripts/registry.sh started (engines.sh start does), or undefined with a notice. */
export function registriesOrSkip(what: string): TestRegistries | undefined {
  const e = process.env;
  if (e.GANTRY_TEST_REGISTRY && e.GANTRY_TEST_REGISTRY_AUTH && e.GANTRY_TEST_REGISTRY_USER && e.GANTRY_TEST_REGISTRY_PASSWORD)
    return { open: e.GANTRY_TEST_REGISTRY, auth: e.GANTRY_TEST_REGISTRY_AUTH, user: e.GANTRY_TEST_REGISTRY_USER, password: e.GANTRY_TEST_REGISTRY_PASSWORD };
  if (process.env.CI === 'true') throw new Error('CI=true but GANTRY_TEST_REGISTRY* are not set: run the tests with `npm test`, which starts the registries.');
  if (testEngines()) console.warn(`\n!! ${what}: SKIPPED — no test registries (scripts/registry.sh start)\n`);
  return undefined;
}
