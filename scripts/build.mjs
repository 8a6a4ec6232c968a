// Bundles gantry into dist/: one file loads faster than hundreds of modules, and the package then
// needs no dependencies at install time. `node scripts/build.mjs --report` lists what each chunk holds.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { startPatchesPlugin } from './bundle-patches.mjs';
import { inkOutputPlugin } from './ink-output.mjs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const report = process.argv.includes('--report');

// Libraries that dependencies pull in but gantry never runs. Each is replaced by a stand-in whose
// properties can be read (modules reach for them when they load) but which throws, with this
// reason, the moment anything in it is called or constructed.
const UNUSED = {
  // docker-modem's own ssh transport: gantry tunnels ssh:// through the ssh command, which honours ~/.ssh/config.
  ssh2: 'gantry reaches ssh:// engines through the ssh command',
  // dockerode's BuildKit session and build-progress decoding: gantry does not build images.
  '@grpc/grpc-js': 'gantry does not build images (BuildKit sessions)',
  '@grpc/proto-loader': 'gantry does not build images (BuildKit sessions)',
  protobufjs: 'gantry does not build images (BuildKit progress)',
  // dockerode's build context packing (a directory made into a tar stream, .dockerignore applied).
  'tar-fs': 'gantry does not build images',
  '@balena/dockerignore': 'gantry does not build images',
  // Ink's React devtools bridge (only with DEV=true) and its websocket.
  'react-devtools-core': 'Ink devtools are not bundled',
  ws: 'Ink devtools are not bundled',
};
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

// Chunk names change with their content: start from an empty dist/ so old ones do not pile up.
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
const result = await build({
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
  // Positions only (no sources inside): read by the crash log, never at start-up (src/crash.ts).
  sourcemap: 'external',
  sourcesContent: false,
  legalComments: 'none',
  metafile: true,
  // ssh2's optional native parts, should anything still reach for them.
  external: ['cpu-features', '*.node'],
  // Ink's output stage and text caches replaced by gantry's (scripts/ink-output.mjs says why);
  // less work before the first frame (scripts/bundle-patches.mjs).
  plugins: [stubUnused, inkOutputPlugin, startPatchesPlugin],
  define: {
    GANTRY_VERSION: JSON.stringify(pkg.version),
    GANTRY_NODE_MAJOR: String(Number(/\d+/.exec(pkg.engines.node)[0])),
    'process.env.NODE_ENV': '"production"',
  },
  // dockerode and friends are CommonJS: give the ESM bundle a require().
  banner: {
    js: "import { createRequire as __gantryCreateRequire } from 'node:module'; const require = __gantryCreateRequire(import.meta.url); import { fileURLToPath as __gantryPath } from 'node:url'; const __filename = __gantryPath(import.meta.url); const __dirname = __gantryPath(new URL('.', import.meta.url));",
  },
  logLevel: 'warning',
});

/** What each chunk holds, by package (or src/ folder), biggest first; which ones every start reads. */
function chunkReport(meta) {
  const outputs = Object.fromEntries(Object.entries(meta.outputs).filter(([f]) => f.endsWith('.js')));
  const entry = Object.keys(outputs).find((f) => outputs[f].entryPoint === 'src/cli.ts');
  // A chunk and what it imports statically, transitively.
  const closure = (f, into = new Set()) => {
    if (into.has(f)) return into;
    into.add(f);
    for (const i of outputs[f].imports) if (i.kind === 'import-statement' && outputs[i.path]) closure(i.path, into);
    return into;
  };
  // Read at every start, before the first frame: the entry and its static imports.
  const atStart = closure(entry);
  // Read before the first list: the engine side (src/app/session.ts) and the UI (src/ui/mount.ts), loaded side by side.
  const chunkOf = (src) => Object.keys(outputs).find((f) => outputs[f].entryPoint === src || Object.keys(outputs[f].inputs).includes(src));
  const forList = new Set([...closure(chunkOf('src/app/session.ts')), ...closure(chunkOf('src/ui/mount.ts'))].filter((f) => !atStart.has(f)));
  const holds = (o, part) => Object.keys(o.inputs).some((i) => i.includes(part));
  const role = (f, o) =>
    f === entry ? 'main' : atStart.has(f) ? 'read at start' : holds(o, 'node_modules/ink/') && holds(o, 'src/ui/') ? 'UI' : forList.has(f) ? 'read for the first list' : 'loaded when needed';
  const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;
  const bytes = (set) => [...set].reduce((n, f) => n + outputs[f].bytes, 0);
  const lines = [`every start reads ${kib(bytes(atStart))} before the first frame (${atStart.size} files), then ${kib(bytes(forList))} more for the first list (${forList.size} files)`];
  for (const [file, o] of Object.entries(outputs).sort((a, b) => b[1].bytes - a[1].bytes)) {
    lines.push(`${file} ${kib(o.bytes)} (${role(file, o)})`);
    if (!report) continue;
    const by = {};
    for (const [input, v] of Object.entries(o.inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
      const k = m ? m[1] : input.startsWith('unused:') ? `${input} (stub)` : input.replace(/^(src\/[^/]+)\/.*/, '$1/');
      by[k] = (by[k] ?? 0) + v.bytesInOutput;
    }
    for (const [k, v] of Object.entries(by).sort((a, b) => b[1] - a[1])) if (v > 0) lines.push(`  ${(v / 1024).toFixed(1).padStart(7)} KiB  ${k}`);
  }
  return lines.join('\n');
}
console.log(chunkReport(result.metafile));
