import { describe, expect, it } from 'vitest';
import { RunScopedCache, runScopedKey } from '../../api/src/results/run-scoped-cache';

describe('RunScopedCache', () => {
  it('loads a key once and serves the same value after', async () => {
    const cache = new RunScopedCache<number>(10);
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.get('a', load)).toBe(1);
    expect(await cache.get('a', load)).toBe(1);
    expect(loads).toBe(1);
    expect(await cache.get('b', load)).toBe(2);
  });

  it('shares one load between concurrent callers', async () => {
    const cache = new RunScopedCache<string>(10);
    let loads = 0;
    const [x, y] = await Promise.all([cache.get('k', async () => `v${++loads}`), cache.get('k', async () => `v${++loads}`)]);
    expect([x, y, loads]).toEqual(['v1', 'v1', 1]);
  });

  it('forgets a failed load so the next call retries', async () => {
    const cache = new RunScopedCache<number>(10);
    await expect(cache.get('k', async () => { throw new Error('database down'); })).rejects.toThrow('database down');
    expect(cache.size).toBe(0);
    expect(await cache.get('k', async () => 7)).toBe(7);
  });

  it('evicts the least recently used key beyond its bound', async () => {
    const cache = new RunScopedCache<string>(2);
    await cache.get('a', async () => 'a1');
    await cache.get('b', async () => 'b1');
    await cache.get('a', async () => 'a2'); // a is now the most recently used
    await cache.get('c', async () => 'c1'); // evicts b
    expect(cache.size).toBe(2);
    expect(await cache.get('a', async () => 'a3')).toBe('a1');
    expect(await cache.get('b', async () => 'b2')).toBe('b2');
  });

  it('keys on every part, so another run or period is another entry', () => {
    expect(runScopedKey('t', 'e', 'run1', 'Week', null)).not.toBe(runScopedKey('t', 'e', 'run2', 'Week', null));
    expect(runScopedKey('t', 'e', 'run1', 'Week', '2026-01-05')).not.toBe(runScopedKey('t', 'e', 'run1', 'Week', null));
    // Separators inside a part cannot make two different keys collide.
    expect(runScopedKey('t:e', 'x', 'r')).not.toBe(runScopedKey('t', 'e:x', 'r'));
  });
});
