// What scripts/build.mjs demands of dist/gantry.cjs before it writes the build id in: each a
// way the bundle would fail in bin/gantry that nothing else would show before a user met it.

/**
 * The problems with the bundle's text, in words (none: an empty list). `banner` is the line the
 * build puts first (the build id's placeholder).
 */
export function bundleProblems(text, banner) {
  const problems = [];
  // bin/gantry reads the file as latin1 (faster than utf8): it must be ASCII, as esbuild writes by default.
  const bad = /[^\x00-\x7f]/.exec(text);
  if (bad) problems.push(`a byte that is not ASCII at ${bad.index}: bin/gantry reads the bundle as latin1`);
  if (!text.startsWith(banner)) problems.push('it does not start with the build id banner');
  // bin/gantry compiles the bundle with vm.Script, which has no import(): reached, it throws "A
  // dynamic import callback was not specified" (3969aaf: every https:// engine failed so).
  const dyn = /\bimport\s*\(/.exec(text);
  if (dyn) {
    const around = JSON.stringify(text.slice(Math.max(0, dyn.index - 60), dyn.index + 40));
    problems.push(`a dynamic import() at ${dyn.index} (${around}): bin/gantry compiles the bundle with vm.Script, where import() fails when reached; require the module instead`);
  }
  return problems;
}
