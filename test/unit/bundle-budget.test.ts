import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTabBuilt } from '../../scripts/lib/tab-build';

/**
 * The seller's first page must stay light in the Teams mobile webview: the JavaScript the
 * browser has to fetch before it can draw (the entry chunk and everything it imports
 * statically, plus the first page's own static graph) is at most 300 kB gzipped. Admin pages
 * and charts are behind dynamic `import()` and must not leak into that graph.
 */

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const dist = path.join(repoRoot, 'dist', 'addin');
const assets = path.join(dist, 'assets');
const budgetBytes = 300 * 1024;

/** Static imports in a Rollup ES chunk: `import … from "./x.js"` and bare `import "./x.js"`, never `import("./x.js")`. */
export function staticImports(code: string): string[] {
  const found = new Set<string>();
  const fromRe = /(?:^|[;}\n])\s*(?:import|export)\s*(?:[\w*${}\s,]+?\s*from\s*)?["'](\.\/[^"']+\.js)["']/g;
  for (const match of code.matchAll(fromRe)) found.add(match[1]!);
  return [...found];
}

function closure(startFiles: string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...startFiles];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const code = fs.readFileSync(path.join(assets, file), 'utf8');
    for (const spec of staticImports(code)) queue.push(path.basename(spec));
  }
  return seen;
}

function gzippedSize(files: Iterable<string>): number {
  let total = 0;
  for (const file of files) total += gzipSync(fs.readFileSync(path.join(assets, file)), { level: 9 }).length;
  return total;
}

function chunkNamed(prefix: string): string {
  const file = fs.readdirSync(assets).find((f) => f.startsWith(`${prefix}-`) && f.endsWith('.js'));
  if (!file) throw new Error(`no ${prefix} chunk in dist/addin/assets`);
  return file;
}

describe('bundle budget of the first page', () => {
  let entry: string;

  beforeAll(() => {
    ensureTabBuilt(repoRoot, () => undefined);
    const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
    const script = html.match(/<script[^>]+type="module"[^>]+src="\/assets\/([^"]+\.js)"/);
    expect(script, 'index.html loads one module entry').not.toBeNull();
    entry = script![1]!;
  }, 120_000);

  it('finds static imports and ignores dynamic ones', () => {
    const code = 'import{a as b}from"./x-1.js";import"./y-2.js";const c=()=>import("./z-3.js");export{d}from"./w-4.js";';
    expect(staticImports(code).sort()).toEqual(['./w-4.js', './x-1.js', './y-2.js']);
  });

  it('keeps the entry and its static imports, with the seller pages, under 300 kB gzipped', () => {
    const shell = closure([entry]);
    // Sellers land on Customers; admins on Enrichments; a deep link opens Segments.
    for (const page of ['enrichments-page', 'customers-page', 'segments-page']) {
      const files = closure([entry, chunkNamed(page)]);
      const size = gzippedSize(files);
      expect(size, `${page}: ${[...files].join(', ')} = ${Math.round(size / 1024)} kB gzipped`).toBeLessThanOrEqual(budgetBytes);
    }
    expect(gzippedSize(shell)).toBeLessThanOrEqual(budgetBytes);
  });

  it('leaves the charts and the admin pages out of the first download', () => {
    const shell = closure([entry, chunkNamed('customers-page'), chunkNamed('enrichments-page')]);
    const charts = chunkNamed('bar-charts');
    expect(shell.has(charts), 'the chart library is loaded lazily').toBe(false);
    for (const admin of ['enrichment-wizard-page', 'datasets-page']) {
      expect(shell.has(chunkNamed(admin)), `${admin} is loaded lazily`).toBe(false);
    }
    // The chart chunk really is the heavy one: it must contain the charting code.
    expect(fs.readFileSync(path.join(assets, charts), 'utf8').length).toBeGreaterThan(50_000);
  });
});
