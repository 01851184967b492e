import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { DEFAULT_FAULTS, FaultInjector } from '../../../simulator/src/graph/fault-injector';

describe('the simulator\'s latency model', () => {
  it('when a latency range is set, then every request waits a time drawn from it, and the failures drawn do not change', async () => {
    vi.useFakeTimers();
    onTestFinished(() => void vi.useRealTimers());
    const plain = new FaultInjector({ ...DEFAULT_FAULTS, error503Rate: 0.3, seed: 5 });
    const slow = new FaultInjector({ ...DEFAULT_FAULTS, error503Rate: 0.3, seed: 5, latencyMinMs: 5, latencyMaxMs: 15 });
    const waits: number[] = [];
    const failures = { plain: [] as boolean[], slow: [] as boolean[] };
    for (let i = 0; i < 20; i++) {
      failures.plain.push(plain.injected503() !== undefined);
      failures.slow.push(slow.injected503() !== undefined);
      // On a fake clock: still waiting just before the range's start, done once past its end.
      let settled = false;
      const pending = slow.delay().then((w) => ((settled = true), w));
      await vi.advanceTimersByTimeAsync(4);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(12);
      expect(settled).toBe(true);
      waits.push(await pending);
    }
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(5);
    expect(Math.max(...waits)).toBeLessThanOrEqual(15);
    expect(new Set(waits.map((w) => Math.round(w))).size).toBeGreaterThan(3);
    expect(failures.slow).toEqual(failures.plain);
    expect(await plain.delay()).toBe(0);
  });
});
