// Bundles gantry into dist/gantry.js: one file loads faster than hundreds of modules.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// Chunk names change with their content: start from an empty dist/ so old ones do not pile up.
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  // Split: the UI (Ink, React, Yoga) is a chunk cli.ts imports while discovery runs.
  entryPoints: { gantry: 'src/cli.ts' },
  outdir: 'dist',
  splitting: true,
  chunkNames: 'chunk-[hash]',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  // ssh2's optional native crypto and cpu-features are not needed (ssh goes through an ssh tunnel).
  external: ['cpu-features', '*.node'],
  plugins: [
    {
      // ink loads its React devtools bridge only when DEV=true; never in gantry. Stub it out.
      name: 'stub-devtools',
      setup(b) {
        b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'stub' }));
        // docker-modem's own ssh transport (ssh2) is never used: gantry tunnels ssh:// through the
        // ssh command, which honours ~/.ssh/config. Leaving ssh2 out halves the bundle.
        b.onResolve({ filter: /^ssh2$/ }, () => ({ path: 'ssh2', namespace: 'stub' }));
        b.onLoad({ filter: /^react-devtools-core$/, namespace: 'stub' }, () => ({
          contents: 'export default { initialize() {}, connectToDevTools() {} };',
        }));
        b.onLoad({ filter: /^ssh2$/, namespace: 'stub' }, () => ({
          contents: 'module.exports = { Client: function () { throw new Error("ssh2 is not bundled"); } };',
          loader: 'js',
        }));
      },
    },
  ],
  define: { GANTRY_VERSION: JSON.stringify(pkg.version), 'process.env.NODE_ENV': '"production"' },
  // dockerode and friends are CommonJS: give the ESM bundle a require().
  banner: {
    js: "import { createRequire as __gantryCreateRequire } from 'node:module'; const require = __gantryCreateRequire(import.meta.url); import { fileURLToPath as __gantryPath } from 'node:url'; const __filename = __gantryPath(import.meta.url); const __dirname = __gantryPath(new URL('.', import.meta.url));",
  },
  logLevel: 'warning',
});
