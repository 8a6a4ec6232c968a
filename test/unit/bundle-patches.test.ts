// scripts/bundle-patches.mjs: the libraries it touches, bundled with it, make no Intl.Segmenter
// and touch no `fetch` when they load, still work (Yoga lays out, widths come out right), and
// every import of string-width v8 gets gantry's wrapper.
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script without types
import { startPatchesPlugin } from '../../scripts/bundle-patches.mjs';

const dir = mkdtempSync(join(tmpdir(), 'gantry-patches-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function bundle(source: string): Promise<string> {
  const r = await build({
    stdin: { contents: source, resolveDir: process.cwd(), loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    plugins: [startPatchesPlugin],
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    logLevel: 'silent',
  });
  return r.outputFiles[0]!.text;
}

describe('bundle patches', () => {
  it('Yoga loads its WebAssembly without fetch, and the text libraries make their segmenters on first use', async () => {
    const code = await bundle(`
      import Yoga from 'yoga-layout';
      import stringWidth from 'string-width';
      import wrapAnsi from 'wrap-ansi';
      import sliceAnsi from 'slice-ansi';
      import { tokenize } from '@alcalzone/ansi-tokenize';
      export { Yoga, stringWidth, wrapAnsi, sliceAnsi, tokenize };
    `);
    expect(code).not.toContain('typeof fetch');
    expect(code).not.toMatch(/(?<!\?\?)=\s*new Intl\.Segmenter\(/);
    const file = join(dir, 'patched.mjs');
    writeFileSync(file, code);

    // Loading it: no fetch touched, no segmenter made.
    const made: unknown[] = [];
    const Real = Intl.Segmenter;
    const fetchDesc = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
    let fetchTouched = false;
    Object.defineProperty(globalThis, 'fetch', { configurable: true, get: () => ((fetchTouched = true), fetchDesc?.get ? fetchDesc.get.call(globalThis) : fetchDesc?.value) });
    (Intl as { Segmenter: unknown }).Segmenter = class extends Real {
      constructor(...a: ConstructorParameters<typeof Real>) {
        super(...a);
        made.push(a);
      }
    };
    try {
      const m = await import(pathToFileURL(file).href);
      expect(fetchTouched).toBe(false);
      expect(made).toHaveLength(0);
      // Yoga works.
      const node = m.Yoga.Node.create();
      node.setWidth(40);
      node.calculateLayout(undefined, undefined);
      expect(node.getComputedWidth()).toBe(40);
      // Widths and slices are right, the segmenter made when first needed.
      expect(m.stringWidth('plain ● text')).toBe(12);
      expect(made).toHaveLength(0);
      expect(m.stringWidth('漢字 👩‍💻')).toBe(7);
      expect(m.sliceAnsi('漢字abc', 2, 5)).toBe('字a');
      expect(m.wrapAnsi('漢字漢字', 4, { hard: true })).toBe('漢字\n漢字');
      expect(m.tokenize('a\x1b[31mb').length).toBe(3);
      expect(made.length).toBeGreaterThan(0);
    } finally {
      (Intl as { Segmenter: unknown }).Segmenter = Real;
      if (fetchDesc) Object.defineProperty(globalThis, 'fetch', fetchDesc);
    }
  });

  it("every import of string-width v8 is gantry's wrapper (src/text/stringWidth.ts)", async () => {
    const code = await bundle(`import w from 'string-width'; export default w;`);
    expect(code).toContain('src/text/stringWidth.ts');
  });
});
