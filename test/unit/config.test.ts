import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, configPath, DEFAULT_CONFIG, loadConfig, MAX_CONFIG_BYTES, parseConfig } from '../../src/config.js';

describe('config', () => {
  it('is optional: a missing file gives the defaults', () => {
    const r = loadConfig(join(mkdtempSync(join(tmpdir(), 'gantry-cfg-')), 'config.yaml'));
    expect(r).toEqual({ config: DEFAULT_CONFIG, loaded: false });
  });

  it('reads every known key', () => {
    const cfg = parseConfig(
      'hosts:\n  - unix:///a.sock\nreadOnly: true\nshowStopped: false\npodmanService: false\nresyncSeconds: 30\ngpu: false\nnvidiaSmi: /opt/bin/nvidia-smi\ngpuIntervalMs: 500\ngpuIdleMinutes: 60\n' +
        'logTail: 50\nlogLines: 2000\nlogLineMax: 4096\nlogColor: false\nlogDir: /var/tmp/logs\nshell: /bin/zsh\n' +
        'insecureRegistries: [registry.lab:5000, 10.0.0.7]\nconfirmStop: false\n' +
        'servers:\n  - node3\n  - { name: dgx, ssh: "ssh://alice@10.0.0.7:2222", sockets: [/run/podman/podman.sock], nvidiaSmi: /usr/bin/nvidia-smi }\nsshConfig: ~/.ssh/lab_config\n',
    );
    expect(cfg).toEqual({
      hosts: ['unix:///a.sock'],
      readOnly: true,
      showStopped: false,
      podmanService: false,
      resyncSeconds: 30,
      gpu: false,
      nvidiaSmi: '/opt/bin/nvidia-smi',
      gpuIntervalMs: 500,
      gpuIdleMinutes: 60,
      logTail: 50,
      logLines: 2000,
      logLineMax: 4096,
      logColor: false,
      logDir: '/var/tmp/logs',
      shell: '/bin/zsh',
      insecureRegistries: ['registry.lab:5000', '10.0.0.7'],
      confirmStop: false,
      servers: [
        { name: 'node3', ssh: 'node3', sockets: [] },
        { name: 'dgx', ssh: 'ssh://alice@10.0.0.7:2222', sockets: ['/run/podman/podman.sock'], nvidiaSmi: '/usr/bin/nvidia-smi' },
      ],
      sshConfig: '~/.ssh/lab_config',
    });
  });

  it('accepts an empty file', () => {
    expect(parseConfig('')).toEqual(DEFAULT_CONFIG);
    expect(parseConfig('# only a comment\n')).toEqual(DEFAULT_CONFIG);
  });

  it('names an unknown key with its line', () => {
    expect(() => parseConfig('readOnly: true\n\nthemes: dark\n', 'c.yaml')).toThrow(/c\.yaml line 3: unknown key "themes"/);
  });

  it('names a wrong type with its line', () => {
    expect(() => parseConfig('showStopped: yes\n', 'c.yaml')).toThrow(/c\.yaml line 1: "showStopped" must be true or false, not "yes"/);
    expect(() => parseConfig('resyncSeconds: "10"\n', 'c.yaml')).toThrow(/line 1: "resyncSeconds" must be a number/);
    expect(() => parseConfig('resyncSeconds: 0\n', 'c.yaml')).toThrow(/between 1 and 3600/);
    expect(() => parseConfig('hosts:\n  - ok\n  - 5\n', 'c.yaml')).toThrow(/c\.yaml line 3: each entry of "hosts"/);
    expect(() => parseConfig('hosts: unix:///a\n', 'c.yaml')).toThrow(/must be a list of strings/);
    expect(() => parseConfig('nvidiaSmi: 5\n', 'c.yaml')).toThrow(/line 1: "nvidiaSmi" must be a non-empty string, not 5/);
    expect(() => parseConfig('gpuIntervalMs: 10\n', 'c.yaml')).toThrow(/between 100 and 60000/);
    expect(() => parseConfig('\nconfirmStop: no\n', 'c.yaml')).toThrow(/c\.yaml line 2: "confirmStop" must be true or false, not "no"/);
  });

  it('rejects broken YAML and non-mappings', () => {
    expect(() => parseConfig('a: [1, 2\n', 'c.yaml')).toThrow(ConfigError);
    expect(() => parseConfig('- 1\n- 2\n', 'c.yaml')).toThrow(/must be a mapping/);
    expect(() => parseConfig('readOnly: true\nreadOnly: false\n', 'c.yaml')).toThrow(ConfigError);
  });

  it('loads from a file and reports its path in errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gantry-cfg-'));
    const p = join(dir, 'config.yaml');
    writeFileSync(p, 'readOnly: maybe\n');
    expect(() => loadConfig(p)).toThrow(new RegExp(`${p} line 1`));
  });

  it('lives under XDG_CONFIG_HOME, else ~/.config', () => {
    expect(configPath({ XDG_CONFIG_HOME: '/x' }, '/home/u')).toBe('/x/gantry/config.yaml');
    expect(configPath({}, '/home/u')).toBe('/home/u/.config/gantry/config.yaml');
  });

  it('refuses what is not a regular file, without reading or waiting on it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gantry-cfg-'));
    expect(() => loadConfig('/dev/zero')).toThrow('/dev/zero: a character device, not a config file');
    expect(() => loadConfig(dir)).toThrow(`${dir}: a directory, not a config file`);
    // A named pipe with no writer: opening it to read would wait forever.
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(() => loadConfig(fifo)).toThrow(`${fifo}: a named pipe, not a config file`);
    const err = (() => {
      try {
        loadConfig('/dev/zero');
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(err?.hint).toMatch(/Point --config .* at a YAML file/);
  });

  it('refuses a file over 1 MiB, and one exactly at the limit is read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gantry-cfg-'));
    const big = join(dir, 'big.yaml');
    writeFileSync(big, 'hosts:\n' + '  - unix:///run/x.sock\n'.repeat(400_000));
    expect(() => loadConfig(big)).toThrow(`${big}: 8.8 MiB is too large for a config file (the most gantry reads is 1 MiB)`);
    const edge = join(dir, 'edge.yaml');
    writeFileSync(edge, `# ${'x'.repeat(MAX_CONFIG_BYTES - 4)}\n`);
    expect(loadConfig(edge)).toEqual({ config: DEFAULT_CONFIG, loaded: true });
  });

  it('refuses more hosts than make sense, long strings and control characters', () => {
    const hosts = (n: number) => 'hosts:\n' + Array.from({ length: n }, (_, i) => `  - unix:///run/e${i}.sock\n`).join('');
    expect(parseConfig(hosts(64)).hosts).toHaveLength(64);
    expect(() => parseConfig(hosts(65), 'c.yaml')).toThrow('c.yaml line 2: "hosts" has 65 entries; the most it takes is 64');
    expect(() => parseConfig(`shell: /bin/${'a'.repeat(5000)}\n`, 'c.yaml')).toThrow(/"shell" must be at most 4096 characters, not 5005/);
    expect(() => parseConfig('nvidiaSmi: "/usr/bin/\\e]0;x\\anvidia-smi"\n', 'c.yaml')).toThrow('c.yaml line 1: "nvidiaSmi" must be free of control characters: "/usr/bin/^[]0;x^Gnvidia-smi"');
    expect(() => parseConfig('hosts:\n  - "unix:///a\\u202e.sock"\n', 'c.yaml')).toThrow('c.yaml line 2: each entry of "hosts" must be free of control characters: "unix:///a<U+202E>.sock"');
    expect(() => parseConfig('"col\\eour": 1\n', 'c.yaml')).toThrow('c.yaml line 1: unknown key "col^[our"');
  });
});
