// An esbuild plugin that gives Ink (pinned to 6.8.0 in package.json) gantry's output stage and
// bounded text caches in place of its own modules: src/ui/ink/output.ts draws only the rows that
// changed (a frame at 160×45 cost ~20 ms in Ink's, whatever changed), measure-text.ts and
// wrap-text.ts forget old texts (Ink's caches never do). test/ui/ink-output.test.tsx proves the
// output identical to Ink's own, frame by frame. Used by scripts/build.mjs (dist/, what runs) and
// scripts/run-ts.mjs (the bench); the build stops if another Ink is installed.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const REPLACED = {
  'output.js': 'src/ui/ink/output.ts',
  'measure-text.js': 'src/ui/ink/measure-text.ts',
  'wrap-text.js': 'src/ui/ink/wrap-text.ts',
};

export const INK_VERSION = '6.8.0';

export const inkOutputPlugin = {
  name: 'ink-output',
  setup(b) {
    // The replacements follow Ink's own modules line by line: any other Ink is refused, not guessed at.
    const installed = JSON.parse(readFileSync(new URL('../node_modules/ink/package.json', import.meta.url), 'utf8')).version;
    if (installed !== INK_VERSION) {
      throw new Error(`Ink ${installed} is installed, but gantry's output stage (src/ui/ink/) follows Ink ${INK_VERSION}: run npm ci, or port src/ui/ink/ to the new Ink and change INK_VERSION in scripts/ink-output.mjs`);
    }
    b.onResolve({ filter: /^\.\/(output|measure-text|wrap-text)\.js$/ }, (a) => {
      // Only Ink's own imports of its modules; our replacements import Ink's Output by path.
      if (!/[\\/]node_modules[\\/]ink[\\/]build[\\/][^\\/]+\.js$/.test(a.importer)) return undefined;
      return { path: fileURLToPath(new URL(`../${REPLACED[a.path.slice(2)]}`, import.meta.url)) };
    });
  },
};
