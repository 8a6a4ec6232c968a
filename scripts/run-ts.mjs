// Runs scripts/<name>.ts (bench, screenshots, servers-scale): builds gantry, bundles the script (it shares the
// test helpers) and imports the result. Usage: node scripts/run-ts.mjs bench
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';

execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
const name = process.argv[2];
if (!['bench', 'screenshots', 'servers-scale'].includes(name)) {
  process.stderr.write('usage: node scripts/run-ts.mjs bench|screenshots|servers-scale\n');
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
await import(new URL(`../.gantry-test/${name}.mjs`, import.meta.url).href);
