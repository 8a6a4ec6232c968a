// `gantry doctor`'s lines from given facts: Node, engines tried, Podman's service, nvidia-smi, the
// container toolkit for Docker and Podman (CDI specs read from real files), config, state,
// terminal and locale, and the text and JSON made safe to print.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configCheck, LAUNCHER_FLAGS, localeCheck, nodeCheck, stateCheck, terminalCheck } from '../../src/doctor/checks.js';
import { doctorJson, engineChecks, formatDoctor, gantryCheck, podmanServiceCheck } from '../../src/doctor/doctor.js';
import { dockerToolkitCheck, nvidiaSmiCheck, podmanToolkitCheck, readCdiSpecs, resolveBinary } from '../../src/doctor/nvidia.js';
import { NODE_MAJOR_NEEDED, VERSION } from '../../src/version.js';
import type { Attempt } from '../../src/engine/discovery.js';

const tmp = mkdtempSync(join(tmpdir(), 'gantry-doctor-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('gantry and node', () => {
  it('names the version and the package folder behind npm\'s symlink', () => {
    const pkg = join(tmp, 'lib', 'node_modules', 'gantry');
    mkdirSync(join(pkg, 'bin'), { recursive: true });
    mkdirSync(join(tmp, 'bin'));
    writeFileSync(join(pkg, 'bin', 'gantry'), '');
    symlinkSync('../lib/node_modules/gantry/bin/gantry', join(tmp, 'bin', 'gantry'));
    expect(gantryCheck(join(tmp, 'bin', 'gantry')).text).toBe(`${VERSION} in ${pkg} (run as ${join(tmp, 'bin', 'gantry')})`);
    expect(gantryCheck(join(pkg, 'bin', 'gantry')).text).toBe(`${VERSION} in ${pkg}`);
  });

  it('needs what package.json says', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { engines: { node: string } };
    expect(pkg.engines.node).toBe(`>=${NODE_MAJOR_NEEDED}`);
    const launcher = readFileSync(new URL('../../bin/gantry', import.meta.url), 'utf8');
    expect(launcher).toContain(`\nvar need = ${NODE_MAJOR_NEEDED};\n`);
    expect(launcher).toContain(`needs Node.js ${NODE_MAJOR_NEEDED} or newer, and there is no node on PATH`);
  });

  it('fails on an older Node, naming it and what is needed; warns when the launcher flags are missing', () => {
    const old = nodeCheck('v18.19.1', '/usr/bin/node', LAUNCHER_FLAGS);
    expect(old.status).toBe('fail');
    expect(old.text).toBe(`Node.js v18.19.1 (/usr/bin/node): gantry needs ${NODE_MAJOR_NEEDED} or newer`);
    expect(nodeCheck('v20.11.0', '/usr/bin/node', LAUNCHER_FLAGS).status).toBe('ok');
    const bare = nodeCheck('v22.1.0', '/opt/node/bin/node', []);
    expect(bare.status).toBe('warn');
    expect(bare.text).toContain('--max-old-space-size=256');
  });
});

describe('engines and the Podman service', () => {
  const attempt = (url: string, source: Attempt['endpoint']['source'], ok: boolean, detail: string): Attempt => ({ endpoint: { url, source, why: source }, ok, detail });

  it('marks a default place with nothing there as information, a refusal as a failure when nothing answered', () => {
    const lines = engineChecks(
      [attempt('unix:///var/run/docker.sock', 'docker-default', false, '/var/run/docker.sock: no socket there'), attempt('unix:///run/podman/podman.sock', 'podman-rootful', false, '/run/podman/podman.sock: permission denied')],
      0,
    );
    expect(lines.map((l) => l.status)).toEqual(['info', 'fail', 'fail']);
    expect(lines[1]!.text).toBe('unix:///run/podman/podman.sock (podman-rootful): /run/podman/podman.sock: permission denied');
    expect(lines[2]!.text).toMatch(/^no container engine answered \(2 places tried\)/);
  });

  it('an engine that answers is ok, and a refused place beside it only a warning; a missing --host socket is not "normal"', () => {
    const lines = engineChecks([attempt('unix:///a.sock', 'flag', true, 'docker 27.1.0'), attempt('unix:///b.sock', 'flag', false, '/b.sock: no socket there')], 1);
    expect(lines.map((l) => l.status)).toEqual(['ok', 'warn']);
  });

  it('a socket missing where DOCKER_HOST or the docker context points is worth a warning, as at --host; at a default place it is not', () => {
    const lines = engineChecks(
      [
        attempt('unix:///stale.sock', 'DOCKER_HOST', false, '/stale.sock: no socket there'),
        attempt('unix:///ctx.sock', 'context', false, '/ctx.sock: no socket there'),
        attempt('unix:///var/run/docker.sock', 'docker-default', false, '/var/run/docker.sock: no socket there'),
        attempt('unix:///run/user/0/podman/podman.sock', 'podman-rootless', true, 'podman 4.3.1'),
      ],
      1,
    );
    expect(lines.map((l) => l.status)).toEqual(['warn', 'warn', 'info', 'ok']);
  });

  it('says which way Podman is reached', () => {
    const session = attempt('unix:///tmp/gantry-podman-x/podman.sock', 'podman-session', true, 'podman 4.9.3');
    expect(podmanServiceCheck([session], [], { wanted: true, hostsGiven: false, podman: '/usr/bin/podman' }).text).toMatch(/gantry starts `podman system service` for its session .*podman 4\.9\.3/);
    const failed = { ...session, ok: false, detail: 'podman system service could not start: cannot find UID/GID' };
    expect(podmanServiceCheck([failed], [], { wanted: true, hostsGiven: false, podman: '/usr/bin/podman' }).status).toBe('fail');
    const sock = { kind: 'podman' as const, label: 'rootless', url: 'unix:///run/user/1000/podman/podman.sock', sessionService: false, version: '5.0.0' };
    expect(podmanServiceCheck([], [sock], { wanted: true, hostsGiven: false, podman: '/usr/bin/podman' }).text).toBe(
      'a Podman socket answers (rootless: unix:///run/user/1000/podman/podman.sock): gantry uses it, no session service',
    );
    expect(podmanServiceCheck([], [], { wanted: false, hostsGiven: false, podman: '/usr/bin/podman' }).text).toMatch(/turned off/);
    expect(podmanServiceCheck([], [], { wanted: true, hostsGiven: true, podman: '/usr/bin/podman' }).text).toBe(
      '/usr/bin/podman: no Podman socket answers, and the session service is not started, as --host names the engines to use',
    );
    expect(podmanServiceCheck([], [], { wanted: true, hostsGiven: false, podman: undefined })).toMatchObject({ status: 'info', text: 'podman is not installed (not on PATH)' });
  });
});

describe('GPUs and the container toolkit', () => {
  it('nvidia-smi: the path and driver, or the problem', () => {
    expect(nvidiaSmiCheck('nvidia-smi', '/usr/bin/nvidia-smi', { driver: '570.124.06', gpus: ['NVIDIA H100', 'NVIDIA H100'] }).text).toBe('/usr/bin/nvidia-smi: driver 570.124.06, 2 GPUs (NVIDIA H100)');
    expect(nvidiaSmiCheck('nvidia-smi', undefined, { gpus: [], error: 'nvidia-smi not found' })).toMatchObject({ status: 'warn', text: 'nvidia-smi: nvidia-smi not found' });
    const bin = join(tmp, 'smi-bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'nvidia-smi'), '#!/bin/sh\n');
    chmodSync(join(bin, 'nvidia-smi'), 0o755);
    expect(resolveBinary('nvidia-smi', `/nonexistent:${bin}`)).toBe(join(bin, 'nvidia-smi'));
    expect(resolveBinary(join(bin, 'nope'), undefined)).toBeUndefined();
  });

  it('reads CDI specs in YAML and JSON, and names the ones it cannot read', () => {
    const etc = join(tmp, 'cdi-etc');
    const run = join(tmp, 'cdi-run');
    mkdirSync(etc);
    mkdirSync(run);
    writeFileSync(join(etc, 'nvidia.yaml'), 'cdiVersion: 0.5.0\nkind: nvidia.com/gpu\ndevices:\n  - name: "0"\n  - name: "1"\n  - name: all\n');
    writeFileSync(join(run, 'other.json'), JSON.stringify({ cdiVersion: '0.6.0', kind: 'vendor.com/fpga', devices: [{ name: 'a' }] }));
    writeFileSync(join(run, 'broken.yaml'), 'kind: [unclosed\n');
    writeFileSync(join(run, 'notes.txt'), 'ignored');
    const r = readCdiSpecs([etc, run, join(tmp, 'missing')]);
    expect(r.specs).toEqual([
      { file: join(etc, 'nvidia.yaml'), kind: 'nvidia.com/gpu', devices: ['0', '1', 'all'] },
      { file: join(run, 'other.json'), kind: 'vendor.com/fpga', devices: ['a'] },
    ]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatch(new RegExp(`^${join(run, 'broken.yaml')}: `));
    const podman = podmanToolkitCheck({ gpus: true, pathVar: '', cdi: r }, [etc, run]);
    expect(podman.status).toBe('warn');
    expect(podman.text).toMatch(new RegExp(`^CDI: ${join(etc, 'nvidia.yaml')} \\(3 devices: 0, 1, all\\); unreadable: `));
  });

  it('without a GPU spec: Podman gets the command that makes one, but only a note when there is no GPU', () => {
    const none = { specs: [], problems: [] };
    expect(podmanToolkitCheck({ gpus: true, pathVar: '', cdi: none }, ['/etc/cdi']).text).toMatch(/no CDI spec for nvidia\.com\/gpu in \/etc\/cdi: .*nvidia-ctk cdi generate --output=\/etc\/cdi\/nvidia\.yaml/);
    expect(podmanToolkitCheck({ gpus: false, pathVar: '', cdi: none }, ['/etc/cdi'])).toMatchObject({ status: 'info', text: 'no CDI spec for nvidia.com/gpu in /etc/cdi' });
  });

  it('Docker: the nvidia runtime, CDI when the engine reads specs, or what to do', () => {
    const input = { gpus: true, pathVar: '', cdi: { specs: [{ file: '/etc/cdi/nvidia.yaml', kind: 'nvidia.com/gpu', devices: ['0'] }], problems: [] } };
    const nvidia = dockerToolkitCheck('docker unix:///var/run/docker.sock', { runtimes: ['nvidia', 'runc'], defaultRuntime: 'nvidia' }, input);
    expect(nvidia).toMatchObject({ status: 'ok', text: 'docker unix:///var/run/docker.sock: runtime "nvidia" (the default) (runtimes nvidia, runc)' });
    const cdi = dockerToolkitCheck('docker x', { runtimes: ['runc'], cdiSpecDirs: ['/etc/cdi', '/var/run/cdi'] }, input);
    expect(cdi.text).toBe('docker x: CDI: /etc/cdi/nvidia.yaml (1 device: 0) (runtimes runc)');
    const bare = dockerToolkitCheck('docker x', { runtimes: ['runc'] }, input);
    expect(bare.status).toBe('warn');
    expect(bare.text).toMatch(/no NVIDIA runtime, no runtime hook, no CDI spec \(runtimes runc\): containers get no GPU; .*nvidia-ctk runtime configure --runtime=docker/);
    expect(dockerToolkitCheck('docker x', 'no answer in time', input)).toMatchObject({ status: 'warn', text: 'docker x: could not read /info: no answer in time' });
  });
});

describe('config, state, terminal, locale', () => {
  it('config: none is fine, a missing --config file and a broken one fail', () => {
    const none = join(tmp, 'none.yaml');
    expect(configCheck(none, false).check).toMatchObject({ status: 'ok', text: `${none}: none (optional; the defaults apply)` });
    expect(configCheck(none, true).check).toMatchObject({ status: 'fail', text: `${none}: no such file (given with --config)` });
    const bad = join(tmp, 'bad.yaml');
    writeFileSync(bad, 'readOnly: maybe\n');
    const r = configCheck(bad, true);
    expect(r.check.status).toBe('fail');
    expect(r.check.text).toContain(`${bad} line 1: "readOnly" must be true or false`);
    expect(r.config).toBeUndefined();
    const good = join(tmp, 'good.yaml');
    writeFileSync(good, 'readOnly: true\n');
    expect(configCheck(good, true).config?.readOnly).toBe(true);
  });

  it('state: where crash logs and saved logs go, and whether they can', () => {
    const s = stateCheck({ XDG_STATE_HOME: join(tmp, 'state') }, '');
    expect(s).toMatchObject({ status: 'ok', text: `crash logs in ${join(tmp, 'state', 'gantry')}, saved logs in ${join(tmp, 'state', 'gantry', 'logs')} (made when first needed)` });
    const blocker = join(tmp, 'file');
    writeFileSync(blocker, '');
    const blocked = stateCheck({ XDG_STATE_HOME: join(blocker, 'x') }, '/logs');
    expect(blocked.status).toBe('warn');
    expect(blocked.text).toBe(`crash logs in ${join(blocker, 'x', 'gantry')}, saved logs in /logs: not writable (crash logs go to a private folder under /tmp instead)`);
  });

  it('terminal: size against the minimum, TERM, and not a terminal', () => {
    expect(terminalCheck({ isTTY: true, columns: 120, rows: 40 }, 'xterm-256color')).toMatchObject({ status: 'ok', text: '120×40, TERM=xterm-256color' });
    expect(terminalCheck({ isTTY: true, columns: 79, rows: 40 }, 'xterm').text).toBe('79×40, TERM=xterm: smaller than the 80×24 the TUI needs');
    expect(terminalCheck({ isTTY: true, columns: 120, rows: 40 }, 'dumb').status).toBe('warn');
    expect(terminalCheck({ isTTY: true }, undefined).text).toMatch(/^TERM is not set/);
    expect(terminalCheck({ isTTY: false }, 'xterm')).toMatchObject({ status: 'info', text: 'not a terminal (output is piped); TERM=xterm' });
  });

  it('locale: LC_ALL over LC_CTYPE over LANG', () => {
    expect(localeCheck({ LANG: 'en_US.UTF-8' })).toMatchObject({ status: 'ok', text: 'en_US.UTF-8: UTF-8' });
    expect(localeCheck({ LC_ALL: 'C', LANG: 'en_US.UTF-8' }).status).toBe('warn');
    expect(localeCheck({ LC_CTYPE: 'de_DE.utf8', LANG: 'C' }).status).toBe('ok');
    expect(localeCheck({}).text).toMatch(/^C: not UTF-8/);
  });
});

describe('output', () => {
  const hostile = { id: 'engine', status: 'fail' as const, text: 'unix:///x.sock: \x1b]0;pwned\x07\x1b[2J evil\u202Etxt \x9b31m', data: { detail: '\x1b[2J\u202E\x9b' } };

  it('one line per check, then a count; control sequences from outside never reach the terminal raw', () => {
    const out = formatDoctor([{ id: 'node', status: 'ok', text: 'Node.js v20.11.0' }, hostile]);
    const lines = out.split('\n');
    expect(lines[0]).toBe('ok   node            Node.js v20.11.0');
    expect(lines[1]).toMatch(/^FAIL engine {10}unix:\/\/\/x\.sock: /);
    expect(out).not.toMatch(/[\x1b\x07\x9b]/);
    expect(lines.at(-1)).toBe('1 failed, 0 to look at.');
  });

  it('JSON: parses back to the same checks, with every control and bidi override escaped in the text', () => {
    const json = doctorJson([hostile]);
    expect(json).not.toMatch(/[\x1b\x07\x9b\u202e]/);
    const back = JSON.parse(json) as { ok: boolean; checks: unknown[] };
    expect(back.ok).toBe(false);
    expect(back.checks).toEqual([hostile]);
  });
});
