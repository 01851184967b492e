import { describe, expect, it } from 'vitest';
import { estimateRun, MAILBOX_REQUESTS_PER_SECOND, scheduledSeconds, withinShare } from '../../../api/src/estimate/estimate-model';

const model = { requestSeconds: 0.3, itemSeconds: 0.001, concurrency: 2 };

describe('the dry-run estimate model', () => {
  it('when mailboxes are counted, then items are summed and requests are pages of 1,000 per chain, at least one each', () => {
    const e = estimateRun([{ messages: 2500, events: 0, weekMessages: 40 }, { messages: 1000, events: 1001, weekMessages: 0 }], model);
    expect(e).toMatchObject({ mailboxes: 2, messages: 3500, events: 1001, weekMessages: 40 });
    // 3 + 1 pages for the first mailbox, 1 + 2 for the second.
    expect(e.requestsFull).toBe(7);
    expect(e.requestsRefresh).toBe(4);
  });

  it('when a mailbox reads two chains side by side, then its time is its longer chain', () => {
    const one = estimateRun([{ messages: 3000, events: 1000, weekMessages: 0 }], { ...model, concurrency: 1 });
    expect(one.firstRunSeconds).toBeCloseTo(3 * 0.3 + 3000 * 0.001, 10);
  });

  it('when mailboxes are read a few at a time, then the wall time is the busiest slot, longest first', () => {
    expect(scheduledSeconds([5, 4, 3, 2, 1], 2)).toBe(8);
    expect(scheduledSeconds([5, 4, 3, 2, 1], 1)).toBe(15);
    expect(scheduledSeconds([5, 4, 3, 2, 1], 10)).toBe(5);
    expect(scheduledSeconds([], 4)).toBe(0);
  });

  it('when a mailbox would need more requests than Graph allows per 10 minutes, then its time is its request budget', () => {
    const fast = { requestSeconds: 0, itemSeconds: 0, concurrency: 1 };
    const e = estimateRun([{ messages: 100_000, events: 100_000, weekMessages: 0 }], fast);
    expect(e.firstRunSeconds).toBeCloseTo(200 / MAILBOX_REQUESTS_PER_SECOND, 10);
  });

  it('when a weekly refresh is estimated, then it is much shorter than the first run for a busy mailbox', () => {
    const e = estimateRun([{ messages: 20_000, events: 3000, weekMessages: 400 }], model);
    expect(e.refreshSeconds * 5).toBeLessThan(e.firstRunSeconds);
  });

  it('when an actual figure is compared with its estimate, then 10 % either way passes and more does not', () => {
    expect(withinShare(1000, 1090, 0.1)).toBe(true);
    expect(withinShare(1000, 911, 0.1)).toBe(true);
    expect(withinShare(1000, 1200, 0.1)).toBe(false);
    expect(withinShare(0, 0, 0.1)).toBe(true);
    expect(withinShare(0, 5, 0.1)).toBe(false);
  });
});
