import { describe, expect, it } from 'vitest';
import { Rng, deriveSeed, guidFrom, hashString, rngFor } from '../../../simulator/src/tenant/random';

const GUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('random', () => {
  it('when a stream is recreated from the same seed and key, then it yields the same sequence', () => {
    const a = rngFor(7, 'account-mail:3');
    const b = rngFor(7, 'account-mail:3');
    const seqA = Array.from({ length: 50 }, () => a.next());
    const seqB = Array.from({ length: 50 }, () => b.next());
    expect(seqB).toEqual(seqA);
    expect(seqA.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('when the key or the seed changes, then the stream changes', () => {
    const first = (seed: number, key: string) => rngFor(seed, key).next();
    expect(first(7, 'a')).not.toBe(first(7, 'b'));
    expect(first(7, 'a')).not.toBe(first(8, 'a'));
    expect(deriveSeed(1, 'x')).not.toBe(deriveSeed(1, 'y'));
    expect(hashString('abc')).toBe(hashString('abc'));
    expect(hashString('abc', 1)).not.toBe(hashString('abc', 2));
  });

  it('when guids are derived, then they are stable, v4-shaped and distinct per key', () => {
    expect(guidFrom(1, 'user:0')).toBe(guidFrom(1, 'user:0'));
    expect(guidFrom(1, 'user:0')).not.toBe(guidFrom(2, 'user:0'));
    const many = Array.from({ length: 20_000 }, (_, i) => guidFrom(5, `user:${i}`));
    expect(many.every((g) => GUID_V4.test(g))).toBe(true);
    expect(new Set(many).size).toBe(many.length);
  });

  it('when sampling, then helpers respect their ranges and rough means', () => {
    const rng = new Rng(123);
    const ints = Array.from({ length: 5000 }, () => rng.int(3, 6));
    expect(Math.min(...ints)).toBe(3);
    expect(Math.max(...ints)).toBe(6);
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean(Array.from({ length: 20_000 }, () => rng.poisson(4)))).toBeCloseTo(4, 0);
    expect(mean(Array.from({ length: 20_000 }, () => rng.poisson(250)))).toBeGreaterThan(245);
    expect(mean(Array.from({ length: 20_000 }, () => rng.exponential(10)))).toBeGreaterThan(9.3);
    const logs = Array.from({ length: 20_001 }, () => rng.logNormal(100, 1)).sort((a, b) => a - b);
    expect(logs[10_000]!).toBeGreaterThan(90);
    expect(logs[10_000]!).toBeLessThan(110);
    const picks = Array.from({ length: 3000 }, () => rng.weightedIndex([0, 1, 3]));
    expect(picks.includes(0)).toBe(false);
    expect(picks.filter((p) => p === 2).length).toBeGreaterThan(picks.filter((p) => p === 1).length * 2);
    const sample = rng.sample([1, 2, 3, 4, 5], 3);
    expect(new Set(sample).size).toBe(3);
    expect(() => rng.pick([])).toThrow();
  });
});
