// The build's checks on the bundle (scripts/bundle-checks.mjs): what would fail in bin/gantry is refused at build time.
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script without types
import { bundleProblems, WRAP_CLOSE, WRAP_OPEN } from '../../scripts/bundle-checks.mjs';

const BANNER = `/*gantry-build:0000000000000000*/${WRAP_OPEN}`;
const problems = (text: string) => bundleProblems(text, BANNER) as string[];

describe('bundleProblems', () => {
  it('passes a bundle that bin/gantry can run', () => {
    expect(problems(`${BANNER}\nvar https = require("node:https"); exports.important = 1; // import nothing\n${WRAP_CLOSE}\n`)).toEqual([]);
  });
  it('refuses a dynamic import(), saying where and why, as vm.Script would fail only when it is reached', () => {
    const p = problems(`${BANNER}\nasync function tls() { return (await import("node:https")).default; }\n${WRAP_CLOSE}`);
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^a dynamic import\(\) at \d+ \(".*await import\(\\"node:https\\"\).*"\): bin\/gantry compiles the bundle with vm\.Script, where import\(\) fails when reached; require the module instead$/);
    expect(problems(`${BANNER}\nimport ("x")${WRAP_CLOSE}`)).toHaveLength(1);
  });
  it('refuses a byte that is not ASCII and a bundle without the build id banner', () => {
    expect(problems(`${BANNER}\nvar s = "caf\u00e9";${WRAP_CLOSE}`)).toEqual([expect.stringMatching(/^a byte that is not ASCII at \d+: bin\/gantry reads the bundle as latin1$/)]);
    expect(problems(`var x = 1;${WRAP_CLOSE}`)).toEqual(['it does not start with the build id banner']);
    // The id alone, without the module's wrapper: bin/gantry would compile a module body it cannot call.
    expect(problems(`/*gantry-build:0000000000000000*/\nvar x = 1;${WRAP_CLOSE}`)).toEqual(['it does not start with the build id banner']);
  });
  it('refuses a bundle that does not close the wrapper the banner opens', () => {
    expect(problems(`${BANNER}\nvar x = 1;\n`)).toEqual([`it does not end with ${WRAP_CLOSE}, closing the function the banner opens`]);
  });
});
