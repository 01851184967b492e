import { describe, expect, it } from 'vitest';
import { DEFAULT_FAULTS, FaultInjector } from '../../../simulator/src/graph/fault-injector';

describe('the simulator\'s latency model', () => {
  it('when a latency range is set, then every request waits a time drawn from it, and the failures drawn do not change', async () => {
    const plain = new FaultInjector({ ...DEFAULT_FAULTS, error503Rate: 0.3, seed: 5 });
    const slow = new FaultInjector({ ...DEFAULT_FAULTS, error503Rate: 0.3, seed: 5, latencyMinMs: 5, latencyMaxMs: 15 });
    const waits: number[] = [];
    const failures = { plain: [] as boolean[], slow: [] as boolean[] };
    for (let i = 0; i < 20; i++) {
      failures.plain.push(plain.injected503() !== undefined);
      failures.slow.push(slow.injected503() !== undefined);
      const from = performance.now();
      const waited = await slow.delay();
      expect(performance.now() - from).toBeGreaterThanOrEqual(waited - 1);
      waits.push(waited);
    }
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(5);
    expect(Math.max(...waits)).toBeLessThanOrEqual(15);
    expect(new Set(waits.map((w) => Math.round(w))).size).toBeGreaterThan(3);
    expect(failures.slow).toEqual(failures.plain);
    expect(await plain.delay()).toBe(0);
  });
});
