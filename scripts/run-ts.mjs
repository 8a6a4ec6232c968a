// Runs scripts/<name>.ts (bench, bench-frames, screenshots, servers-scale): builds gantry, bundles the script (it shares the
// test helpers) and imports the result. Usage: node scripts/run-ts.mjs bench
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { inkOutputPlugin } from './ink-output.mjs';
import { startPatchesPlugin } from './bundle-patches.mjs';

execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const name = process.argv[2];
if (!['bench', 'bench-frames', 'screenshots', 'servers-scale', 'trace-keys'].includes(name)) {
  process.stderr.write('usage: node scripts/run-ts.mjs bench|bench-frames|screenshots|servers-scale|trace-keys\n');
  process.exit(2);
}
await build({
  entryPoints: [`scripts/${name}.ts`],
  outfile: `.gantry-test/${name}.mjs`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Every package stays outside the bundle but Ink and string-width, which get gantry's output
  // stage and the bundle's patches as in dist/ (the frame costs measure what gantry runs).
  external: Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((p) => p !== 'ink' && p !== 'string-width'),
  plugins: [
    inkOutputPlugin,
    // The bundle's patches (string-width's fast path for Ink's measuring among them), as in dist/.
    startPatchesPlugin,
    {
      // Ink's React devtools bridge (only with DEV=true) is not installed.
      name: 'no-devtools',
      setup(b) {
        b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'devtools', namespace: 'stub' }));
        b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export default { initialize() {}, connectToDevTools() {} };' }));
      },
    },
  ],
  define: { 'process.env.NODE_ENV': '"production"' },
  banner: { js: "import { createRequire as __gantryCreateRequire } from 'node:module'; const require = __gantryCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
// The bench draws frames in-process: colours on, as in a terminal, even when stdout is a pipe.
process.env.FORCE_COLOR ??= '3';
// React's production build, as in the bundle (which defines NODE_ENV): the development build is several times slower.
process.env.NODE_ENV ??= 'production';
await import(new URL(`../.gantry-test/${name}.mjs`, import.meta.url).href);
