// Bundles gantry into dist/gantry.cjs: one file loads faster than hundreds of modules, and the
// package then needs no dependencies at install time. `node scripts/build.mjs --report` lists what it holds.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { bundleProblems, WRAP_CLOSE, WRAP_OPEN } from './bundle-checks.mjs';
import { sharedImportsPlugin, startPatchesPlugin, UNUSED } from './bundle-patches.mjs';
import { inkOutputPlugin } from './ink-output.mjs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const report = process.argv.includes('--report');

const stubFilter = new RegExp(`^(${Object.keys(UNUSED).map((n) => n.replace(/[/.]/g, '\\$&')).join('|')})$`);
const stubUnused = {
  name: 'stub-unused',
  setup(b) {
    b.onResolve({ filter: stubFilter }, (a) => ({ path: a.path, namespace: 'unused' }));
    b.onLoad({ filter: /.*/, namespace: 'unused' }, (a) => ({
      contents: `const why = ${JSON.stringify(`${a.path} is not bundled: ${UNUSED[a.path]}`)};
        const stub = () => new Proxy(function () {}, {
          get: (t, k) => (k === '__esModule' || k === 'then' || typeof k === 'symbol' ? undefined : stub()),
          apply() { throw new Error(why); },
          construct() { throw new Error(why); },
        });
        module.exports = stub();`,
      loader: 'js',
    }));
  },
};

// One CommonJS file, dist/gantry.cjs: bin/gantry compiles it with V8's code cache (the compiled
// code of an earlier start, kept per user), which ES modules cannot use in Node 20; a start then
// skips parsing and compiling ~1 MiB of JavaScript. Code no start needs at once (execa, yaml, the
// run form, doctor) is in the file but never compiled until used: esbuild wraps each module so
// that it runs on first import.
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
// The build's identity, filled in below: bin/gantry names its code cache after it.
const ID_HOLDER = '0'.repeat(16);
const result = await build({
  entryPoints: { gantry: 'src/cli.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  // bin/gantry reads the file as latin1 (faster than utf8): it must be ASCII, as esbuild writes by default.
  charset: 'ascii',
  // Positions only (no sources inside): read by the crash log, never at start-up (src/crash.ts).
  sourcemap: 'external',
  sourcesContent: false,
  legalComments: 'none',
  metafile: true,
  // ssh2's optional native parts, should anything still reach for them.
  external: ['cpu-features', '*.node'],
  // Ink's output stage and text caches replaced by gantry's (scripts/ink-output.mjs says why);
  // less work before the first frame, no top-level await (scripts/bundle-patches.mjs).
  plugins: [stubUnused, inkOutputPlugin, startPatchesPlugin, sharedImportsPlugin],
  define: {
    GANTRY_VERSION: JSON.stringify(pkg.version),
    GANTRY_NODE_MAJOR: String(Number(/\d+/.exec(pkg.engines.node)[0])),
    'process.env.NODE_ENV': '"production"',
  },
  // The id, then the module's function wrapper, written here rather than at each start (bundle-checks.mjs).
  banner: { js: `/*gantry-build:${ID_HOLDER}*/${WRAP_OPEN}` },
  footer: { js: WRAP_CLOSE },
  logLevel: 'warning',
});
const out = new URL('../dist/gantry.cjs', import.meta.url);
const text = readFileSync(out, 'latin1');
const problems = bundleProblems(text, `/*gantry-build:${ID_HOLDER}*/${WRAP_OPEN}`);
if (problems.length) throw new Error(`dist/gantry.cjs: ${problems.join('; ')}`);
// The id replaces the zeros in place (same length: the source map's positions stay right).
const id = createHash('sha256').update(text).digest('hex').slice(0, ID_HOLDER.length);
writeFileSync(out, text.replace(ID_HOLDER, id), 'latin1');

/** What the bundle holds, by package (or src/ folder), biggest first (all of it with --report). */
function bundleReport(meta, id) {
  const [file, o] = Object.entries(meta.outputs).find(([f]) => f.endsWith('.cjs'));
  const by = {};
  for (const [input, v] of Object.entries(o.inputs)) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
    const k = m ? m[1] : input.startsWith('unused:') ? `${input} (stub)` : input.replace(/^(src\/[^/]+)\/.*/, '$1/');
    by[k] = (by[k] ?? 0) + v.bytesInOutput;
  }
  const parts = Object.entries(by).filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]);
  const lines = [`${file} ${(o.bytes / 1024).toFixed(0)} KiB, build ${id}`];
  for (const [k, v] of report ? parts : parts.slice(0, 8)) lines.push(`  ${(v / 1024).toFixed(1).padStart(7)} KiB  ${k}`);
  if (!report && parts.length > 8) lines.push(`  … ${parts.length - 8} more (node scripts/build.mjs --report)`);
  return lines.join('\n');
}
console.log(bundleReport(result.metafile, id));
