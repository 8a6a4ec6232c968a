// The build's checks on the bundle (scripts/bundle-checks.mjs): what would fail in bin/gantry is refused at build time.
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script without types
import { bundleProblems } from '../../scripts/bundle-checks.mjs';

const BANNER = '/*gantry-build:0000000000000000*/';
const problems = (text: string) => bundleProblems(text, BANNER) as string[];

describe('bundleProblems', () => {
  it('passes a bundle that bin/gantry can run', () => {
    expect(problems(`${BANNER}\nvar https = require("node:https"); exports.important = 1; // import nothing\n`)).toEqual([]);
  });
  it('refuses a dynamic import(), saying where and why, as vm.Script would fail only when it is reached', () => {
    const p = problems(`${BANNER}\nasync function tls() { return (await import("node:https")).default; }\n`);
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^a dynamic import\(\) at \d+ \(".*await import\(\\"node:https\\"\).*"\): bin\/gantry compiles the bundle with vm\.Script, where import\(\) fails when reached; require the module instead$/);
    expect(problems(`${BANNER}\nimport ("x")`)).toHaveLength(1);
  });
  it('refuses a byte that is not ASCII and a bundle without the build id banner', () => {
    expect(problems(`${BANNER}\nvar s = "caf\u00e9";`)).toEqual([expect.stringMatching(/^a byte that is not ASCII at \d+: bin\/gantry reads the bundle as latin1$/)]);
    expect(problems('var x = 1;')).toEqual(['it does not start with the build id banner']);
  });
});
