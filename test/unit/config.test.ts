import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, configPath, DEFAULT_CONFIG, loadConfig, parseConfig } from '../../src/config.js';

describe('config', () => {
  it('is optional: a missing file gives the defaults', () => {
    const r = loadConfig(join(mkdtempSync(join(tmpdir(), 'gantry-cfg-')), 'config.yaml'));
    expect(r).toEqual({ config: DEFAULT_CONFIG, loaded: false });
  });

  it('reads every known key', () => {
    const cfg = parseConfig(
      'hosts:\n  - unix:///a.sock\nreadOnly: true\nshowStopped: false\npodmanService: false\nresyncSeconds: 30\ngpu: false\nnvidiaSmi: /opt/bin/nvidia-smi\ngpuIntervalMs: 500\ngpuIdleMinutes: 60\n' +
        'logTail: 50\nlogLines: 2000\nlogLineMax: 4096\nlogColor: false\nlogDir: /var/tmp/logs\nshell: /bin/zsh\n' +
        'insecureRegistries: [registry.lab:5000, 10.0.0.7]\n',
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
});
