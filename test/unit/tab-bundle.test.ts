import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { deferredChunks, pageWeight, staticClosure, type Manifest } from '../../scripts/bench/tab-bundle';

/** The first-page measurement follows static imports only; lazy chunks stay out of it. */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tab-bundle-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const files: Record<string, string> = {
  'assets/index.js': 'entry '.repeat(300),
  'assets/vendor.js': 'vendor '.repeat(500),
  'assets/customers.js': 'customers page '.repeat(50),
  'assets/grid.js': 'grid '.repeat(80),
  'assets/charts.js': 'charts '.repeat(900),
  'assets/admin.js': 'admin '.repeat(700),
};
fs.mkdirSync(path.join(dir, 'assets'));
for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), text);
const gz = (f: string) => gzipSync(Buffer.from(files[f]!), { level: 9 }).length;

const manifest: Manifest = {
  'index.html': { file: 'assets/index.js', isEntry: true, imports: ['_vendor.js'], dynamicImports: ['src/customers.tsx', 'src/admin.tsx'] },
  '_vendor.js': { file: 'assets/vendor.js' },
  'src/customers.tsx': { file: 'assets/customers.js', src: 'src/customers.tsx', isDynamicEntry: true, imports: ['_vendor.js', '_grid.js'], dynamicImports: ['src/charts.tsx'] },
  '_grid.js': { file: 'assets/grid.js', imports: ['_vendor.js'] },
  'src/charts.tsx': { file: 'assets/charts.js', src: 'src/charts.tsx', isDynamicEntry: true, imports: ['_vendor.js'] },
  'src/admin.tsx': { file: 'assets/admin.js', src: 'src/admin.tsx', isDynamicEntry: true },
};

describe('tab first-page weight', () => {
  it('follows static imports transitively and never dynamic ones', () => {
    expect([...staticClosure(manifest, 'src/customers.tsx')].sort()).toEqual(['_grid.js', '_vendor.js', 'src/customers.tsx']);
  });

  it('sums the gzipped entry, page and shared chunks once each', () => {
    const w = pageWeight(manifest, dir, 'src/customers.tsx');
    expect(w.files.map((f) => f.file).sort()).toEqual(['assets/customers.js', 'assets/grid.js', 'assets/index.js', 'assets/vendor.js']);
    expect(w.gzipBytes).toBe(gz('assets/index.js') + gz('assets/vendor.js') + gz('assets/customers.js') + gz('assets/grid.js'));
    const loaded = new Set(w.files.map((f) => f.file));
    expect(deferredChunks(manifest, dir, loaded).map((d) => d.src).sort()).toEqual(['src/admin.tsx', 'src/charts.tsx']);
  });

  it('refuses a page the manifest does not know, rather than measuring the entry alone', () => {
    expect(() => pageWeight(manifest, dir, 'src/moved.tsx')).toThrow(/no chunk for src\/moved.tsx/);
  });
});
