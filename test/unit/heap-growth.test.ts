import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { JOB_PROCESS_NODE_FLAGS } from '../../api/src/platform/config/job-process-flags';

/**
 * A merge-like workload in a job process: 100 MB that stays live, and "shards" of objects that
 * live long enough to be promoted and then die. Prints the largest committed heap (MB) seen
 * while it ran, with `tight` inside withHeapGrowth(25) or without it.
 */
const workload = (tight: boolean) => `
import('./api/src/platform/memory/heap-growth.ts').then(async (m) => {
  const live = [];
  for (let i = 0; i < 1.5e6; i++) live.push({ a: i, b: 'k' + i });
  const measure = async () => {
    let largest = 0;
    const ring = [];
    for (let round = 0; round < 40; round++) {
      const shard = [];
      for (let i = 0; i < 2e5; i++) shard.push({ h: i, x: [i, i], s: 'v' + (i % 1000) });
      ring.push(shard);
      if (ring.length > 2) ring.shift();
      largest = Math.max(largest, process.memoryUsage().heapTotal);
    }
    return largest / 1048576;
  };
  const largest = ${tight ? 'await m.withHeapGrowth(25, measure)' : 'await measure()'};
  console.log(JSON.stringify({ largest, live: live.length }));
});`;

const run = (tight: boolean) => {
  const child = spawnSync(process.execPath, [...JOB_PROCESS_NODE_FLAGS, '--import', 'tsx', '-e', workload(tight)], { encoding: 'utf8' });
  expect(child.stderr).toBe('');
  return JSON.parse(child.stdout.trim()) as { largest: number; live: number };
};

describe('holding the heap tighter while work runs', () => {
  it('when promoted garbage piles up inside withHeapGrowth, then the heap stays smaller than with the process growth', () => {
    const loose = run(false);
    const tight = run(true);
    expect(loose.live).toBe(1_500_000);
    expect(tight.live).toBe(1_500_000);
    // Measured here: about 506 MB at the job processes' 300 % and 212 MB at 25 %.
    expect(tight.largest).toBeLessThan(loose.largest * 0.85);
  });

  it('when the heap grew loose before the work, then the work starts in a heap collected to its live set', () => {
    const child = spawnSync(
      process.execPath,
      [
        ...JOB_PROCESS_NODE_FLAGS,
        '--import',
        'tsx',
        '-e',
        `import('./api/src/platform/memory/heap-growth.ts').then(async (m) => {
          const live = [];
          for (let i = 0; i < 5e5; i++) live.push({ a: i });
          let garbage = [];
          for (let i = 0; i < 3e6; i++) garbage.push({ b: i, c: [i] });
          garbage = null;
          const before = process.memoryUsage().heapUsed;
          const atStart = await m.withHeapGrowth(25, async () => process.memoryUsage().heapUsed);
          console.log(JSON.stringify({ before, atStart, live: live.length }));
        });`,
      ],
      { encoding: 'utf8' },
    );
    expect(child.stderr).toBe('');
    const { before, atStart, live } = JSON.parse(child.stdout.trim()) as { before: number; atStart: number; live: number };
    expect(live).toBe(500_000);
    // Three million dead objects (about 200 MB) against half a million live ones.
    expect(atStart).toBeLessThan(before / 3);
  });

  it('when the work ends or fails, then the caller gets its result or its error', async () => {
    const { withHeapGrowth } = await import('../../api/src/platform/memory/heap-growth');
    await expect(withHeapGrowth(50, async () => 7)).resolves.toBe(7);
    await expect(withHeapGrowth(50, async () => { throw new Error('merge failed'); })).rejects.toThrow('merge failed');
  });
});
