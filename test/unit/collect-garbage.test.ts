import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { JOB_PROCESS_NODE_FLAGS } from '../../api/src/platform/config/job-process-flags';

const runIn = (flags: readonly string[], script: string) =>
  spawnSync(process.execPath, [...flags, '--import', 'tsx', '-e', script], { encoding: 'utf8' });

const collectIn = (flags: readonly string[]) =>
  runIn(flags, "import('./api/src/platform/memory/collect-garbage.ts').then((m) => console.log(String(m.collectGarbage())))");

/**
 * Fills the heap with small objects of which one in twenty survives, so that garbage and live
 * objects share every page, then prints the committed heap (MB) before and after collecting.
 */
const FRAGMENTED_HEAP = `
import('./api/src/platform/memory/collect-garbage.ts').then((m) => {
  const keep = [];
  let junk = [];
  for (let i = 0; i < 3e6; i++) {
    const o = { a: i, b: 'x' + i, c: [i, i + 1] };
    if (i % 20 === 0) keep.push(o); else junk.push(o);
  }
  junk = null;
  const before = process.memoryUsage();
  m.collectGarbage();
  const after = process.memoryUsage();
  console.log(JSON.stringify({ before: before.heapTotal / 1048576, after: after.heapTotal / 1048576, used: after.heapUsed / 1048576, kept: keep.length }));
});`;

describe('collecting garbage before native work', () => {
  it('when the process was started without --expose-gc, then nothing is collected and it says so', () => {
    expect(collectIn([]).stdout.trim()).toBe('false');
  });

  it('when a job process is started with its flags, then the heap is collected', () => {
    const child = collectIn(JOB_PROCESS_NODE_FLAGS);
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe('true');
  });

  it('when garbage and live objects share the pages, then the collection compacts them and gives the pages back', () => {
    const child = runIn(JOB_PROCESS_NODE_FLAGS, FRAGMENTED_HEAP);
    expect(child.stderr).toBe('');
    const heap = JSON.parse(child.stdout.trim()) as { before: number; after: number; used: number; kept: number };
    expect(heap.kept).toBe(150_000);
    expect(heap.before).toBeGreaterThan(300);
    // A plain full collection left about 85 % of these pages committed; compacting leaves the
    // live objects' pages and the young generation's (2 × 32 MB semi-spaces).
    expect(heap.after).toBeLessThan(heap.before / 3);
  });
});
