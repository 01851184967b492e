import { describe, expect, it } from 'vitest';
import { shardCount, shardOf } from '../../../api/src/runs/domain/account-shards';

describe('account shards', () => {
  it('when the mailbox count grows, then shards grow with it up to 64', () => {
    expect(shardCount(1)).toBe(1);
    expect(shardCount(50)).toBe(1);
    expect(shardCount(51)).toBe(2);
    expect(shardCount(2500)).toBe(50);
    expect(shardCount(100_000)).toBe(64);
    expect(shardCount(12, 6)).toBe(2);
    expect(shardCount(0)).toBe(1);
  });

  it('when an account id is sharded twice, then it lands in the same shard, and ids spread evenly', () => {
    const counts = new Array<number>(16).fill(0);
    for (let i = 0; i < 16_000; i++) {
      const id = `ACC-${i}`;
      const s = shardOf(id, 16);
      expect(s).toBe(shardOf(id, 16));
      counts[s]!++;
    }
    // 1,000 expected per shard: none is empty or twice as full as another.
    expect(Math.min(...counts)).toBeGreaterThan(800);
    expect(Math.max(...counts)).toBeLessThan(1200);
    expect(shardOf('anything', 1)).toBe(0);
  });
});
