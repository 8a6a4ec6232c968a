// The command line: options parsed, bad ones refused with a hint.
import { describe, expect, it } from 'vitest';
import { parseCli, USAGE } from '../../src/cli/args.js';
import { RUN_USAGE } from '../../src/cli/run.js';

describe('command line', () => {
  it('takes repeated --host and normalises it', () => {
    expect(parseCli(['--host', '/a.sock', '-H', 'tcp://h:2375']).hosts).toEqual(['unix:///a.sock', 'tcp://h:2375']);
  });
  it('rejects unknown options and bad hosts with a hint', () => {
    expect(() => parseCli(['--bogus'])).toThrow(/Unknown option '--bogus'[\s\S]*gantry --help/);
    expect(() => parseCli(['--host', 'ftp://x'])).toThrow(/unsupported scheme/);
  });
  it('knows the doctor command, and --json with it', () => {
    expect(parseCli(['doctor', '--json', '--host', '/a.sock'])).toMatchObject({ command: 'doctor', json: true, hosts: ['unix:///a.sock'] });
    expect(() => parseCli(['doktor'])).toThrow(/unknown command "doktor" \(the commands are `gantry gpus`, `gantry doctor`, `gantry run` and `gantry pull`\)/);
    expect(() => parseCli(['--json'])).toThrow(/--json goes with `gantry gpus` or `gantry doctor`/);
  });
  it('reads flags', () => {
    expect(parseCli(['--read-only', '--no-podman-service'])).toMatchObject({ readOnly: true, podmanService: false });
  });

  it('--help and run --help fit an 80-column terminal, every line', () => {
    for (const [what, text] of [['--help', USAGE], ['run --help', RUN_USAGE]] as const) {
      const long = text.split('\n').filter((l) => l.length > 80);
      expect(long, what).toEqual([]);
    }
  });
});
