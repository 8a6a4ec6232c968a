// esbuild plugins that take work off gantry's way to its first frame, each pinned to the version of
// the library it touches (the build stops on another version rather than guess):
//
// - yoga-layout 3.2.1 (Ink's layout engine) loads its WebAssembly from a base64 data: URL with
//   `fetch` whenever `fetch` exists. In Node, the first touch of `fetch` loads undici (Node's HTTP
//   client, ~50 ms of module compiling on the 2-core test machine, before the first frame) only to
//   decode the string yoga then decodes itself on failure. Patched: yoga decodes it itself at once,
//   with Buffer's base64 decoder rather than its atob and a loop (~6 ms → ~0.6 ms). Its
//   WebAssembly also declares 16 MiB of memory to start with (it uses ~80 KiB: its data and a 64 KiB
//   stack end at 74,256, then its nodes) and may grow it; V8 counts a WebAssembly memory as external
//   memory, and those 16 MiB brought a full mark-compact of the heap (~5 ms: "GC in old space
//   requested", `--trace-gc`) into the list's first render. Patched: 1 MiB to start, growing as before.
// - string-width 8.3.0 (and wrap-ansi's 7.2.0), slice-ansi 8.0.0 and @alcalzone/ansi-tokenize 0.2.5 each make an
//   Intl.Segmenter when they are imported; the first one made costs ~18-30 ms of ICU set-up on the
//   way to the first frame, though the first frame's text never needs one. Patched: made on first use.
// - slice-ansi 8.0.0 segments graphemes of every line it slices (Ink's output stage slices each
//   coloured row); text whose characters never join is segmented by src/text/stringWidth.ts
//   instead, so no segmenter (and its ~3 MiB of ICU data in memory) is made for gantry's rows.
// - string-width 8.3.0 also builds /^\p{RGI_Emoji}$/v when imported: V8 parses the pattern, and
//   with it the whole emoji set, when the literal is evaluated (~5-10 ms). Made on first use (an
//   emoji or other wide text; src/text/stringWidth.ts measures narrow text itself).
// - docker-modem 5.0.7 and dockerode 5.0.1 load node:https (with TLS and crypto), zlib and crypto
//   when imported, for https engines, build contexts and BuildKit sessions: ~10-15 ms before the
//   first frame. Loaded on first use. docker-modem formatted every request's options with
//   util.inspect for a debug line only DEBUG=modem writes: formatted only then.
// - Ink's and its libraries' imports of string-width get src/text/stringWidth.ts (string-width
//   with a fast path for the narrow characters gantry's chrome draws; it says why).
// - Ink 6.8.0 tokenizes, one character at a time, the text of every text node with an escape in it
//   whenever it measures or draws it, to drop the escapes that would move the cursor: every
//   coloured row of gantry's, every frame. Text whose only escapes are the colours Ink keeps is
//   returned as it is after one regular-expression test (the same text Ink's tokens gave back).
// - signal-exit 3.0.7 (Ink's and restore-cursor's) loads node:assert for one check of its callback: checked without it.
// - The bundle is one CommonJS file (V8 can then keep its compiled code between starts: bin/gantry),
//   and CommonJS has no top-level await. yoga-layout 3.2.1 awaits its WebAssembly at the top of its
//   index: patched to start loading at once and export `yogaReady`, which src/ui/mount.ts's `ready`
//   passes on and the session awaits before the first render. Ink 6.8.0's reconciler awaits only
//   with DEV=true (React devtools, which the bundle leaves out, and Ink's own package.json): dropped.
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Edits that make `const NAME = CTOR;` a `let`, set where NAME.METHOD( is first called. */
const lazy = (name, ctor, uses = 1, method = 'segment') => [
  [`const ${name} = ${ctor};`, `let ${name};`, 1],
  [`${name}.${method}(`, `(${name} ??= ${ctor}).${method}(`, uses],
];

/** An edit that makes the `require('MODULE')` in `text` load MODULE when one of its properties is first read. */
const lazyRequire = (text) => [text, text.replace(/require\((['"])[^'"]+\1\)/, (r) => `new Proxy({}, { get: function (t, k) { return ${r}[k]; } })`), 1];

const WRAPPER_PATH = fileURLToPath(new URL('../src/text/stringWidth.ts', import.meta.url));

/** Pages of 64 KiB Yoga's WebAssembly memory starts with (yoga-layout 3.2.1 declares 256; it grows, up to 32,768). */
export const YOGA_INITIAL_PAGES = 16;

/** The edit that gives yoga-layout 3.2.1's WebAssembly (the base64 in FILE) YOGA_INITIAL_PAGES of memory to start with instead of 256. */
function yogaInitialMemory(file) {
  const text = readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');
  const b64 = /data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)/.exec(text)?.[1];
  if (!b64) throw new Error(`scripts/bundle-patches.mjs: no base64 WebAssembly in ${file}`);
  const wasm = Buffer.from(b64, 'base64');
  // The memory section: id 5, 7 bytes long, one memory, flags 1 (a maximum follows), initial 256
  // pages (LEB128 0x80 0x02), maximum 32,768 (0x80 0x80 0x02).
  const section = Buffer.from([0x05, 0x07, 0x01, 0x01, 0x80, 0x02, 0x80, 0x80, 0x02]);
  const at = wasm.indexOf(section);
  if (at < 0 || wasm.indexOf(section, at + 1) >= 0) throw new Error(`scripts/bundle-patches.mjs: Yoga's memory section is not as expected in ${file}`);
  // The new initial size in two LEB128 bytes (a padded encoding, which WebAssembly allows): the section keeps its length.
  wasm[at + 4] = 0x80 | (YOGA_INITIAL_PAGES & 0x7f);
  wasm[at + 5] = YOGA_INITIAL_PAGES >> 7;
  return [b64, wasm.toString('base64'), 1];
}
const YOGA_WASM = 'node_modules/yoga-layout/dist/binaries/yoga-wasm-base64-esm.js';

const PATCHES = [
  {
    pkg: 'yoga-layout',
    version: '3.2.1',
    file: YOGA_WASM,
    edits: [
      yogaInitialMemory(YOGA_WASM),
      ['"function"!=typeof fetch', '!0', 2],
      // Node 20's atob is JavaScript (and a loop of charCodeAt after it): ~6 ms for the 72 KB module; Buffer's decoder ~0.6 ms.
      ['var b=xa(a.slice(37)),c=new Uint8Array(b.length);for(a=0;a<b.length;++a)c[a]=b.charCodeAt(a);var d=c', 'var d=new Uint8Array(Buffer.from(a.slice(37),"base64"))', 1],
    ],
  },
  {
    pkg: 'yoga-layout',
    version: '3.2.1',
    file: 'node_modules/yoga-layout/dist/src/index.js',
    edits: [['const Yoga = wrapAssembly(await loadYoga());\nexport default Yoga;', 'let Yoga;\nexport const yogaReady = loadYoga().then((m) => { Yoga = wrapAssembly(m); });\nexport { Yoga as default };', 1]],
  },
  {
    pkg: 'ink',
    version: '6.8.0',
    file: 'node_modules/ink/build/reconciler.js',
    edits: [
      ["if (isDev()) {\n    try {\n        await import('./devtools.js');", "if (false) {\n    try {", 1],
      ['const packageJson = isDev()\n    ? await loadPackageJson()\n    : { name: undefined, version: undefined };', 'const packageJson = { name: undefined, version: undefined };', 1],
    ],
  },
  {
    pkg: 'ink',
    version: '6.8.0',
    file: 'node_modules/ink/build/sanitize-ansi.js',
    // Every frame, Ink passes the text of each text node through this (once to measure it, once to
    // draw it), and text with any escape in it was tokenized one character at a time: gantry's rows
    // are coloured, so that was every row, every frame (~1.8 ms of the list's first render). Text
    // whose only escapes are the SGR sequences Ink keeps (ESC [ digits ; : m) and that has no C1
    // control comes out unchanged: returned as it is, after one regular-expression test.
    edits: [['const sanitizeAnsi = (text) => {\n', 'const needsTokens = /[\\u0080-\\u009f]|\\u001b(?!\\[[\\d:;]*m)/;\nconst sanitizeAnsi = (text) => {\n    if (!needsTokens.test(text)) {\n        return text;\n    }\n', 1]],
  },
  // node:assert (and its error classes, and util's colours) loaded before the first frame for one
  // check of the callback Ink (and restore-cursor) pass: the same check, without the module (~0.45 ms).
  ...['ink', 'restore-cursor'].map((by) => ({
    pkg: `${by}/node_modules/signal-exit`,
    version: '3.0.7',
    file: `node_modules/${by}/node_modules/signal-exit/index.js`,
    edits: [
      ["  var assert = require('assert')\n", '', 1],
      ["assert.equal(typeof cb, 'function', 'a callback must be provided for exit handler')", "if (typeof cb !== 'function') throw new TypeError('a callback must be provided for exit handler')", 1],
    ],
  })),
  {
    pkg: 'string-width',
    version: '8.3.0',
    file: 'node_modules/string-width/index.js',
    edits: [...lazy('segmenter', 'new Intl.Segmenter()'), ...lazy('rgiEmojiRegex', '/^\\p{RGI_Emoji}$/v', 1, 'test')],
  },
  // Node built-ins that dockerode and docker-modem load at import for what gantry never or rarely
  // does (https engines, build contexts, BuildKit sessions): loaded on first use instead.
  { pkg: 'docker-modem', version: '5.0.7', file: 'node_modules/docker-modem/lib/http.js', edits: [lazyRequire("var nativeHttps = require('https'),")] },
  {
    pkg: 'docker-modem',
    version: '5.0.7',
    file: 'node_modules/docker-modem/lib/modem.js',
    // Every request formatted its options with util.inspect (all depths, hidden fields) for a debug
    // line that is written only with DEBUG=modem: formatted only then.
    edits: [["debug('Sending: %s', util.inspect(options, {", "if (debug.enabled) debug('Sending: %s', util.inspect(options, {", 1]],
  },
  { pkg: 'dockerode', version: '5.0.1', file: 'node_modules/dockerode/lib/util.js', edits: [lazyRequire("var zlib = require('zlib');")] },
  { pkg: 'dockerode', version: '5.0.1', file: 'node_modules/dockerode/lib/session.js', edits: [lazyRequire('crypto = require("crypto");')] },
  // wrap-ansi's own copy.
  {
    pkg: 'wrap-ansi/node_modules/string-width',
    version: '7.2.0',
    file: 'node_modules/wrap-ansi/node_modules/string-width/index.js',
    edits: lazy('segmenter', 'new Intl.Segmenter()'),
  },
  {
    pkg: '@alcalzone/ansi-tokenize',
    version: '0.2.5',
    file: 'node_modules/@alcalzone/ansi-tokenize/build/tokenize.js',
    edits: [
      // As slice-ansi below: text whose characters never join is segmented one character a grapheme.
      ['import isFullwidthCodePoint from "is-fullwidth-code-point";', `import isFullwidthCodePoint from "is-fullwidth-code-point";\nimport { narrowSegmentList as __narrowSegmentList } from ${JSON.stringify(WRAPPER_PATH)};`, 1],
      ['for (const { segment, index } of segmenter.segment(str)) {', 'for (const { segment, index } of __narrowSegmentList(str) ?? segmenter.segment(str)) {', 1],
      ...lazy('segmenter', 'new Intl.Segmenter(undefined, { granularity: "grapheme" })'),
    ],
  },
  {
    pkg: 'slice-ansi',
    version: '8.0.0',
    file: 'node_modules/slice-ansi/tokenize-ansi.js',
    edits: [
      // Text whose characters never join (gantry's rows: ASCII, box drawing, ● …, colour codes) is
      // segmented by src/text/stringWidth.ts, one character a grapheme; other text as before.
      [
        "import isFullwidthCodePoint from 'is-fullwidth-code-point';",
        `import isFullwidthCodePoint from 'is-fullwidth-code-point';\nimport { narrowSegments as __narrowSegments, narrowPair as __narrowPair } from ${JSON.stringify(WRAPPER_PATH)};`,
        1,
      ],
      ['const graphemeSegments = GRAPHEME_SEGMENTER.segment(string);', 'const graphemeSegments = __narrowSegments(string) ?? GRAPHEME_SEGMENTER.segment(string);', 1],
      ['function areValuesInSameGrapheme(leftValue, rightValue) {', 'function areValuesInSameGrapheme(leftValue, rightValue) {\n\tif (__narrowPair(leftValue, rightValue)) return false;', 1],
      ...lazy('GRAPHEME_SEGMENTER', "new Intl.Segmenter(undefined, {granularity: 'grapheme'})", 3),
    ],
  },
];

const root = new URL('../', import.meta.url);
const versionOf = (pkg) => JSON.parse(readFileSync(new URL(`node_modules/${pkg}/package.json`, root), 'utf8')).version;
const WRAPPER = WRAPPER_PATH;
// esbuild loads files by their real path (node_modules may be a link, as in test/e2e/package.test.ts).
const REAL_WIDTH = realpathSync(fileURLToPath(new URL('node_modules/string-width/index.js', root)));

// Libraries that dependencies pull in but gantry never runs. Each is replaced by a stand-in whose
// properties can be read (modules reach for them when they load) but which throws, with this
// reason, the moment anything in it is called or constructed.
export const UNUSED = {
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
export const startPatchesPlugin = {
  name: 'start-patches',
  setup(b) {
    for (const p of PATCHES) {
      const found = versionOf(p.pkg);
      if (found !== p.version) throw new Error(`${p.pkg} ${found} is installed, but scripts/bundle-patches.mjs patches ${p.pkg} ${p.version}: run npm ci, or check the patch against the new version and change it there`);
    }
    // string-width v8 (the top-level copy) from anywhere but the wrapper itself: the wrapper.
    b.onResolve({ filter: /^string-width$/ }, async (a) => {
      if (a.importer === WRAPPER || a.pluginData?.startPatches) return undefined;
      const r = await b.resolve(a.path, { kind: a.kind, resolveDir: a.resolveDir, importer: a.importer, pluginData: { startPatches: true } });
      return r.path === REAL_WIDTH ? { path: WRAPPER } : r;
    });
    for (const p of PATCHES) {
      const path = realpathSync(fileURLToPath(new URL(p.file, root)));
      b.onLoad({ filter: new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`) }, (a) => {
        let text = readFileSync(a.path, 'utf8');
        for (const [from, to, times] of p.edits) {
          const n = text.split(from).length - 1;
          if (n !== times) throw new Error(`scripts/bundle-patches.mjs: expected ${times} × ${JSON.stringify(from)} in ${a.path}, found ${n}`);
          text = text.split(from).join(to);
        }
        return { contents: text, loader: 'js' };
      });
    }
  },
};

/** Modules imported by many of the bundle's ES modules whose exports are copied for each (see sharedImportsPlugin). */
export const SHARED_IMPORTS = ['react', 'process', 'node:process'];

// An ES module's import of a CommonJS module (React) or of Node's `process` is given, in a
// CommonJS bundle, an object of its own that copies every export as a getter (esbuild's __toESM):
// React's 46 exports for each of the 53 modules that import it, `process`'s 79 properties for each
// of 19 (Ink's files): ~4,000 getters made and defined while the first frame waits (~2.4 ms of the
// start on the 2-core test machine, and ~0.4 MiB of V8's heap kept). Here each such import goes
// through one small ES module per name that imports it once and re-exports it, so its exports are
// copied twice in all; the values read through them are the module's own, as before.
export const sharedImportsPlugin = {
  name: 'shared-imports',
  setup(b) {
    const filter = new RegExp(`^(${SHARED_IMPORTS.map((n) => n.replace(/[/.]/g, '\\$&')).join('|')})$`);
    b.onResolve({ filter }, (a) => (a.kind !== 'import-statement' || a.namespace === 'shared-import' ? undefined : { path: a.path, namespace: 'shared-import' }));
    b.onLoad({ filter: /.*/, namespace: 'shared-import' }, (a) => ({
      contents: `export * from ${JSON.stringify(a.path)};\nexport { default } from ${JSON.stringify(a.path)};\n`,
      resolveDir: fileURLToPath(root),
      loader: 'js',
    }));
  },
};
