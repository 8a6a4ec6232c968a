// Runs scripts/<name>.ts (bench, bench-frames, screenshots, servers-scale): builds gantry, bundles the script (it shares the
// test helpers) and imports the result. Usage: node scripts/run-ts.mjs bench
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';

execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
const name = process.argv[2];
if (!['bench', 'bench-frames', 'screenshots', 'servers-scale'].includes(name)) {
  process.stderr.write('usage: node scripts/run-ts.mjs bench|bench-frames|screenshots|servers-scale\n');
  process.exit(2);
}
await build({
  entryPoints: [`scripts/${name}.ts`],
  outfile: `.gantry-test/${name}.mjs`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
// The bench draws frames in-process: colours on, as in a terminal, even when stdout is a pipe.
process.env.FORCE_COLOR ??= '3';
await import(new URL(`../.gantry-test/${name}.mjs`, import.meta.url).href);
