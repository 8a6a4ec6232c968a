// Runs scripts/bench.ts: bundles it (it shares the test helpers) and imports the result.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';

execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
await build({
  entryPoints: ['scripts/bench.ts'],
  outfile: '.gantry-test/bench.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
await import(new URL('../.gantry-test/bench.mjs', import.meta.url).href);
