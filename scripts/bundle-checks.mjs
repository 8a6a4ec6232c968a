// What scripts/build.mjs demands of dist/gantry.cjs before it writes the build id in: each a
// way the bundle would fail in bin/gantry that nothing else would show before a user met it.

/**
 * The bundle is a CommonJS module's body inside the function Node would wrap it in, written into
 * the file by the build (banner and footer): bin/gantry compiles the file's text as it is. Wrapped
 * there at each start instead, the 1.1 MB text was copied into V8's heap, which brought its first
 * full GC forward into the first frame (README, Speed).
 */
export const WRAP_OPEN = '(function (exports, require, module, __filename, __dirname) {';
export const WRAP_CLOSE = '})';

/**
 * The problems with the bundle's text, in words (none: an empty list). `banner` is the line the
 * build puts first (the build id's placeholder, then WRAP_OPEN).
 */
export function bundleProblems(text, banner) {
  const problems = [];
  // bin/gantry reads the file as latin1 (faster than utf8): it must be ASCII, as esbuild writes by default.
  const bad = /[^\x00-\x7f]/.exec(text);
  if (bad) problems.push(`a byte that is not ASCII at ${bad.index}: bin/gantry reads the bundle as latin1`);
  if (!text.startsWith(banner)) problems.push('it does not start with the build id banner');
  if (!text.trimEnd().endsWith(WRAP_CLOSE)) problems.push(`it does not end with ${WRAP_CLOSE}, closing the function the banner opens`);
  // bin/gantry compiles the bundle with vm.Script, which has no import(): reached, it throws "A
  // dynamic import callback was not specified" (3969aaf: every https:// engine failed so).
  const dyn = /\bimport\s*\(/.exec(text);
  if (dyn) {
    const around = JSON.stringify(text.slice(Math.max(0, dyn.index - 60), dyn.index + 40));
    problems.push(`a dynamic import() at ${dyn.index} (${around}): bin/gantry compiles the bundle with vm.Script, where import() fails when reached; require the module instead`);
  }
  return problems;
}
