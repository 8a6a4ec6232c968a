// scripts/bundle-patches.mjs: the libraries it touches, bundled with it, make no Intl.Segmenter
// and touch no `fetch` (nor https, zlib, crypto) when they load, still work (Yoga lays out, widths come out right), and
// every import of string-width v8 gets gantry's wrapper.
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script without types
import { SHARED_IMPORTS, sharedImportsPlugin, startPatchesPlugin, UNUSED, YOGA_INITIAL_PAGES } from '../../scripts/bundle-patches.mjs';

const dir = mkdtempSync(join(tmpdir(), 'gantry-patches-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `source` bundled with the patches: as an ES module (with a `require`) by default, or as CommonJS. */
async function bundle(source: string, format: 'esm' | 'cjs' = 'esm', external: string[] = []): Promise<string> {
  const r = await build({
    stdin: { contents: source, resolveDir: process.cwd(), loader: 'ts' },
    bundle: true,
    platform: 'node',
    format,
    target: 'node20',
    write: false,
    plugins: [startPatchesPlugin],
    external,
    ...(format === 'esm' ? { banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" } } : {}),
    logLevel: 'silent',
  });
  return r.outputFiles[0]!.text;
}

/** `source` bundled with the patches as CommonJS into dir/NAME, for a fresh node to require: that file's path. */
async function bundleCjs(name: string, source: string, external: string[] = []): Promise<string> {
  const file = join(dir, name);
  writeFileSync(file, await bundle(source, 'cjs', external));
  return file;
}

/** Counts the segmenters made until `restore` is called. */
function countSegmenters(): { made: unknown[]; restore: () => void } {
  const made: unknown[] = [];
  const Real = Intl.Segmenter;
  (Intl as { Segmenter: unknown }).Segmenter = class extends Real {
    constructor(...a: ConstructorParameters<typeof Real>) {
      super(...a);
      made.push(a);
    }
  };
  return { made, restore: () => ((Intl as { Segmenter: unknown }).Segmenter = Real) };
}

describe('bundle patches', () => {
  it('Yoga loads its WebAssembly without fetch, and the text libraries make their segmenters on first use', async () => {
    const code = await bundle(`
      import Yoga, { yogaReady } from 'yoga-layout';
      import stringWidth from 'string-width';
      import wrapAnsi from 'wrap-ansi';
      import sliceAnsi from 'slice-ansi';
      import { tokenize } from '@alcalzone/ansi-tokenize';
      export { Yoga, yogaReady, stringWidth, wrapAnsi, sliceAnsi, tokenize };
    `);
    expect(code).not.toContain('typeof fetch');
    expect(code).not.toMatch(/(?<!\?\?)=\s*new Intl\.Segmenter\(/);
    const file = join(dir, 'patched.mjs');
    writeFileSync(file, code);

    // Loading it: no fetch touched, no segmenter made.
    const fetchDesc = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
    let fetchTouched = false;
    Object.defineProperty(globalThis, 'fetch', { configurable: true, get: () => ((fetchTouched = true), fetchDesc?.get ? fetchDesc.get.call(globalThis) : fetchDesc?.value) });
    const { made, restore } = countSegmenters();
    // string-width's emoji pattern (V8 parses its whole set when it is made: ~5-10 ms) is made on
    // first use too (esbuild writes the /v literal as new RegExp for Node 20).
    const emojiPatterns: string[] = [];
    const RealRegExp = RegExp;
    globalThis.RegExp = new Proxy(RealRegExp, {
      construct(t, a: [string, string?]) {
        if (String(a[0]).includes('RGI_Emoji')) emojiPatterns.push(String(a[0]));
        return Reflect.construct(t, a);
      },
    });
    try {
      const m = await import(pathToFileURL(file).href);
      expect(fetchTouched).toBe(false);
      expect(made).toHaveLength(0);
      expect(emojiPatterns).toHaveLength(0);
      // Yoga works, once its WebAssembly is in (a promise, not a top-level await).
      await m.yogaReady;
      const node = m.Yoga.Node.create();
      node.setWidth(40);
      node.calculateLayout(undefined, undefined);
      expect(node.getComputedWidth()).toBe(40);
      // Widths and slices are right, the segmenter made when first needed.
      expect(m.stringWidth('plain ● text')).toBe(12);
      expect(made).toHaveLength(0);
      expect(m.stringWidth('漢字 👩‍💻')).toBe(7);
      expect(emojiPatterns).toHaveLength(1);
      expect(m.sliceAnsi('漢字abc', 2, 5)).toBe('字a');
      expect(m.wrapAnsi('漢字漢字', 4, { hard: true })).toBe('漢字\n漢字');
      expect(m.tokenize('a\x1b[31mb').length).toBe(3);
      expect(made.length).toBeGreaterThan(0);
    } finally {
      restore();
      globalThis.RegExp = RealRegExp;
      if (fetchDesc) Object.defineProperty(globalThis, 'fetch', fetchDesc);
    }
  });

  it("Yoga's WebAssembly starts with 1 MiB of memory, not 16 (V8 counts it against the heap's limits), and grows as its nodes need", async () => {
    const code = await bundle(`import Yoga, { yogaReady } from 'yoga-layout'; export { Yoga, yogaReady };`);
    // The memory section as bundled: one memory, a maximum given, the initial pages in two LEB128 bytes.
    const wasm = Buffer.from(/data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)/.exec(code)![1]!, 'base64');
    const at = wasm.indexOf(Buffer.from([0x05, 0x07, 0x01, 0x01]));
    expect(at).toBeGreaterThan(0);
    expect((wasm[at + 4]! & 0x7f) | (wasm[at + 5]! << 7)).toBe(YOGA_INITIAL_PAGES);
    expect(YOGA_INITIAL_PAGES * 65536).toBe(1024 * 1024);
    const file = join(dir, 'yoga-memory.mjs');
    writeFileSync(file, code);
    const m = await import(pathToFileURL(file).href);
    const before = process.memoryUsage().external;
    await m.yogaReady;
    // Unpatched, instantiating it adds over 16 MiB of external memory (measured: 18.2).
    expect(process.memoryUsage().external - before).toBeLessThan(8 * 1024 * 1024);
    // 20,000 nodes take more than the first 1 MiB: the memory grows (V8 counts it), and the layout is still right.
    const loaded = process.memoryUsage().external;
    const root = m.Yoga.Node.create();
    root.setFlexDirection(m.Yoga.FLEX_DIRECTION_ROW);
    const kids = Array.from({ length: 20_000 }, (_, i) => {
      const n = m.Yoga.Node.create();
      n.setWidth(2);
      n.setHeight(1 + (i % 3));
      root.insertChild(n, i);
      return n;
    });
    root.calculateLayout(undefined, undefined);
    expect(process.memoryUsage().external - loaded).toBeGreaterThan(1024 * 1024);
    expect(root.getComputedWidth()).toBe(40_000);
    expect(root.getComputedHeight()).toBe(3);
    expect(kids[19_999]!.getComputedLeft()).toBe(39_998);
    root.freeRecursive();
  });

  it('leaves no top-level await in Yoga or Ink, so the bundle can be CommonJS (bin/gantry compiles it with a code cache)', async () => {
    const build1 = (plugins: unknown[]) =>
      build({
        stdin: { contents: `import { render, Box } from 'ink'; import Yoga, { yogaReady } from 'yoga-layout'; export { render, Box, Yoga, yogaReady };`, resolveDir: process.cwd(), loader: 'ts' },
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        write: false,
        plugins: plugins as never,
        define: { 'process.env.NODE_ENV': '"production"' },
        logLevel: 'silent',
      });
    // Without the patches esbuild refuses: top-level await is not CommonJS.
    await expect(build1([])).rejects.toThrow(/Top-level await/);
    const file = join(dir, 'ink.cjs');
    writeFileSync(file, (await build1([startPatchesPlugin])).outputFiles[0]!.text);
    const m = createRequire(import.meta.url)(file);
    await m.yogaReady;
    const node = m.Yoga.Node.create();
    node.setWidth(12);
    node.calculateLayout(undefined, undefined);
    expect(node.getComputedWidth()).toBe(12);
    expect(typeof m.render).toBe('function');
  });

  it('slice-ansi cuts text of characters that never join without a segmenter, exactly as it did with one', async () => {
    const file = join(dir, 'slice.mjs');
    writeFileSync(file, await bundle(`import sliceAnsi from 'slice-ansi'; export default sliceAnsi;`));
    const patched = (await import(pathToFileURL(file).href)).default as (s: string, a: number, b?: number) => string;
    const original = (await import('slice-ansi')).default;
    const { made, restore } = countSegmenters();
    const pieces = ['a', 'Z', ' ', '7', '│', '●', '…', 'é', '▏', '↑', '─', 'Ω', '\x1b[31m', '\x1b[39m', '\x1b[1m', '\x1b[22m', '\x1b[38;5;244m', '\x1b[0m', '\x1b[7m', '\x1b[27m'];
    let seed = 5;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const cases: [string, number, number][] = [];
    for (let i = 0; i < 3000; i++) {
      const s = Array.from({ length: rnd(30) }, () => pieces[rnd(pieces.length)]).join('');
      const a = rnd(20);
      cases.push([s, a, a + rnd(20)]);
    }
    let got: string[];
    try {
      got = cases.map(([s, a, b]) => patched(s, a, b));
      expect(made).toHaveLength(0);
    } finally {
      restore();
    }
    expect(got).toEqual(cases.map(([s, a, b]) => original(s, a, b)));
    // Text that can join still goes through the segmenter: a combining mark stays with its letter.
    expect(patched('\x1b[31me\u0301x\x1b[39m', 0, 1)).toBe(original('\x1b[31me\u0301x\x1b[39m', 0, 1));
    expect(patched('👩‍💻ab', 0, 2)).toBe('👩‍💻');
  });

  it('ansi-tokenize reads text of characters that never join without a segmenter, as it did with one', async () => {
    const file = join(dir, 'tokenize.mjs');
    writeFileSync(file, await bundle(`export { tokenize } from '@alcalzone/ansi-tokenize';`));
    const patched = (await import(pathToFileURL(file).href)).tokenize as (s: string) => unknown[];
    const { tokenize: original } = await import('@alcalzone/ansi-tokenize');
    const { made, restore } = countSegmenters();
    const texts = ['\x1b[31m', '\x1b[1;38;5;244m', 'plain ● row │ 12.5 %', '\x1b[7m up 3m \x1b[27m…', ''];
    let got: unknown[];
    try {
      got = texts.map((t) => patched(t));
      expect(made).toHaveLength(0);
    } finally {
      restore();
    }
    expect(got).toEqual(texts.map((t) => original(t)));
    expect(patched('e\u0301漢')).toEqual(original('e\u0301漢'));
  });

  it("Ink's sanitizer returns coloured text as it is without reading it character by character, and all other text exactly as Ink's own does", async () => {
    const file = join(dir, 'sanitize.mjs');
    const inkFile = join(process.cwd(), 'node_modules/ink/build/sanitize-ansi.js');
    writeFileSync(file, await bundle(`export { default } from ${JSON.stringify(inkFile)};`));
    const patched = (await import(pathToFileURL(file).href)).default as (s: string) => string;
    const original = (await import(pathToFileURL(inkFile).href)).default as (s: string) => string;
    // Kept by Ink: SGR colours (digits, ; and :), OSC hyperlinks. Dropped: cursor moves, private
    // modes, SGR with other parameter bytes or intermediates, C1 controls, lone and unfinished ESCs.
    const pieces = ['a', ' ', '│', '●', 'é', '漢', '👩‍💻', '\x1b[31m', '\x1b[39m', '\x1b[1;38;5;244m', '\x1b[38:2:1:2:3m', '\x1b[m', '\x1b[0m',
      '\x1b[2J', '\x1b[?25l', '\x1b[31;<m', '\x1b[1 m', '\x1b]8;;http://x\x07', '\x1b]8;;\x1b\\', '\x9b31m', '\x9d0;t\x9c', '\x85', '\x9c', '\x1b', '\x1b\x1b', '\x1bc', '\x1b[', '\x1b[31', '[31m', 'm'];
    let seed = 11;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const texts = Array.from({ length: 5000 }, () => Array.from({ length: rnd(12) }, () => pieces[rnd(pieces.length)]).join(''));
    expect(texts.map(patched)).toEqual(texts.map(original));
    // Coloured text (gantry's rows) is not read a character at a time: Ink's tokenizer reads
    // each character's code point, and its check for C1 controls iterates the string.
    const row = '\x1b[32m●\x1b[39m \x1b[1mtrain-vla\x1b[22m  │ up 3h │ \x1b[38;5;244m12.5 %\x1b[39m';
    const proto = String.prototype as unknown as Record<PropertyKey, unknown>;
    const realCodePointAt = proto.codePointAt as (this: string, i: number) => number | undefined;
    const realIterator = proto[Symbol.iterator] as (this: string) => Iterator<string>;
    let reads = 0;
    proto.codePointAt = function (this: string, i: number) {
      reads++;
      return realCodePointAt.call(this, i);
    };
    proto[Symbol.iterator] = function (this: string) {
      reads++;
      return realIterator.call(this);
    };
    let patchedReads: number;
    let originalReads: number;
    try {
      expect(patched(row)).toBe(row);
      patchedReads = reads;
      reads = 0;
      expect(original(row)).toBe(row);
      originalReads = reads;
    } finally {
      proto.codePointAt = realCodePointAt;
      proto[Symbol.iterator] = realIterator;
    }
    expect(patchedReads).toBe(0);
    expect(originalReads).toBeGreaterThan(row.length / 2);
  });

  it("many modules importing React and process get its exports copied once, not once each, and read React's and process's own values", async () => {
    const many = join(dir, 'many');
    mkdirSync(many, { recursive: true });
    const N = 20;
    for (let i = 0; i < N; i++) {
      writeFileSync(
        join(many, `m${i}.mjs`),
        `import React, { useState, createElement } from 'react';\nimport process from 'node:process';\nimport { env } from 'process';\nexport const m${i} = [React, useState, createElement, process, env];\n`,
      );
    }
    writeFileSync(join(many, 'entry.mjs'), Array.from({ length: N }, (_, i) => `export { m${i} } from './m${i}.mjs';`).join('\n'));
    const load = async (plugins: unknown[]) => {
      const r = await build({
        entryPoints: [join(many, 'entry.mjs')],
        nodePaths: [join(process.cwd(), 'node_modules')],
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        write: false,
        plugins: plugins as never[],
        define: { 'process.env.NODE_ENV': '"production"' },
        logLevel: 'silent',
      });
      const file = join(many, `out-${plugins.length}.cjs`);
      writeFileSync(file, r.outputFiles[0]!.text);
      // Getters defined while the bundle loads: what copying exports costs.
      const real = Object.defineProperty;
      let getters = 0;
      Object.defineProperty = function (o: object, k: PropertyKey, d: PropertyDescriptor) {
        if (d && typeof d.get === 'function') getters++;
        return real(o, k, d);
      } as typeof Object.defineProperty;
      try {
        return { exports: createRequire(import.meta.url)(file) as Record<string, unknown[]>, getters };
      } finally {
        Object.defineProperty = real;
      }
    };
    const plain = await load([]);
    const shared = await load([sharedImportsPlugin]);
    for (const { exports } of [plain, shared]) {
      // The bundle's one React (its production build), its named exports its own, and Node's process.
      const [React, useState, createElement, proc, env] = exports.m0 as [Record<string, unknown>, ...unknown[]];
      expect(typeof useState).toBe('function');
      expect([useState, createElement, proc, env]).toEqual([React.useState, React.createElement, process, process.env]);
      expect(proc).toBe(process);
      expect(env).toBe(process.env);
      for (let i = 1; i < N; i++) exports[`m${i}`]!.forEach((v, k) => expect(v).toBe(exports.m0![k]));
    }
    const React = plain.exports.m0![0] as object;
    const perCopy = Object.getOwnPropertyNames(React).length + Object.getOwnPropertyNames(process).length;
    expect(plain.getters).toBeGreaterThan(N * perCopy);
    expect(shared.getters).toBeLessThan(SHARED_IMPORTS.length * 2 * perCopy);
  });

  it('signal-exit (Ink\'s, restore-cursor\'s) loads no node:assert, still refuses a callback that is not a function, and still calls one at exit', async () => {
    const file = await bundleCjs(
      'signal-exit.cjs',
      `export { default as ink } from './node_modules/ink/node_modules/signal-exit/index.js'; export { default as cursor } from './node_modules/restore-cursor/node_modules/signal-exit/index.js';`,
    );
    const probe = `
      const before = new Set(process.moduleLoadList);
      const { ink, cursor } = require(${JSON.stringify(file)});
      const refused = [ink, cursor].map((f) => { try { f('not a function'); return 'accepted'; } catch (e) { return e.message; } });
      ink(() => process.stdout.write(JSON.stringify({ assert: process.moduleLoadList.some((x) => x === 'NativeModule assert' && !before.has(x)), refused })));
      cursor(() => process.stdout.write(" and restore-cursor's"));`;
    writeFileSync(join(dir, 'exit-probe.cjs'), probe);
    const out = execFileSync(process.execPath, [join(dir, 'exit-probe.cjs')], { encoding: 'utf8' });
    expect(out).toMatch(/ and restore-cursor's$/);
    expect(JSON.parse(out.replace(/ and restore-cursor's$/, ''))).toEqual({ assert: false, refused: ['a callback must be provided for exit handler', 'a callback must be provided for exit handler'] });
  });

  // What the build stubs (scripts/bundle-patches.mjs UNUSED) is left out here too, and stands in empty.
  const STUBBED = Object.keys(UNUSED as Record<string, string>);
  it('dockerode loads https, zlib and crypto on first use, and formats no debug line nobody asked for', async () => {
    // As the real build stubs them (scripts/build.mjs): they are not what this test is about.
    const file = await bundleCjs('dockerode.cjs', `export { default as Docker } from 'dockerode';`, [...STUBBED, 'cpu-features', '*.node']);
    // A fresh node (vitest's own process has them all loaded): what the import loads, then a request
    // over https to a closed port, which must fail as a connection does, not as a missing function.
    const probe = `
      const Module = require('module'); const load = Module._load; const stubbed = ${JSON.stringify(STUBBED)};
      Module._load = function (id) { return stubbed.includes(id) ? {} : load.apply(this, arguments); };
      const util = require('util'); let inspected = 0; const real = util.inspect;
      util.inspect = function () { inspected++; return real.apply(this, arguments); };
      const before = new Set(process.moduleLoadList);
      const loaded = (m) => process.moduleLoadList.some((x) => x === 'NativeModule ' + m && !before.has(x));
      const { Docker } = require(${JSON.stringify(file)});
      const atImport = { https: loaded('https'), zlib: loaded('zlib'), crypto: loaded('crypto') };
      const net = require('net'); const srv = net.createServer(); srv.listen(0, '127.0.0.1', () => {
        const port = srv.address().port; srv.close(() => {
          new Docker({ protocol: 'https', host: '127.0.0.1', port }).ping((err) => {
            process.stdout.write(JSON.stringify({ atImport, error: err && err.code, https: loaded('https'), inspected }));
          });
        });
      });`;
    writeFileSync(join(dir, 'probe.cjs'), probe);
    const out = JSON.parse(execFileSync(process.execPath, [join(dir, 'probe.cjs')], { encoding: 'utf8', env: { ...process.env, DEBUG: '' } }));
    expect(out).toEqual({ atImport: { https: false, zlib: false, crypto: false }, error: 'ECONNREFUSED', https: true, inspected: 0 });
  });

  it("every import of string-width v8 is gantry's wrapper (src/text/stringWidth.ts)", async () => {
    const code = await bundle(`import w from 'string-width'; export default w;`);
    expect(code).toContain('src/text/stringWidth.ts');
  });
});
