import { describe, expect, it } from 'vitest';
import { differenceShare, formatDifference, formatDuration, progressFraction, runDurationMs } from '../../addin/src/pages/enrichment-detail/run-format';
import { isRunActive, isRunCancellable } from '../../addin/src/platform/api/run-states';

const counters = (done: number, failed: number, total: number) => ({
  mailboxesTotal: total,
  mailboxesDone: done,
  mailboxesFailed: failed,
  mailboxesPending: total - done - failed,
  messagesRead: 0,
  eventsRead: 0,
  mailboxesFullRead: 0,
  mailboxesCalendarFullRead: 0,
});

describe('run progress figures of the enrichment page', () => {
  it('when mailboxes are done or failed, then both count as finished; an unknown total is indeterminate', () => {
    expect(progressFraction(counters(3, 1, 8), 'running')).toBe(0.5);
    expect(progressFraction(counters(0, 0, 0), 'queued')).toBeNull();
    // Cancelled before any mailbox was listed: an empty bar, not an endless animation.
    expect(progressFraction(counters(0, 0, 0), 'cancelled')).toBe(0);
    // Merging/publishing after every mailbox is read: full bar, but not "completed" yet.
    expect(progressFraction(counters(8, 0, 8), 'merging')).toBe(1);
    // A completed run is full even when its counters were never filled (zero mailboxes).
    expect(progressFraction(counters(0, 0, 0), 'completed')).toBe(1);
  });

  it('when a run has a summary, then its duration is the summary one; otherwise ended − started, or none', () => {
    const summary = { accountsEnriched: 1, emailsProcessed: 2, meetingsProcessed: 3, daysCovered: 4, durationMs: 61_000 };
    expect(runDurationMs({ summary, startedAt: '2026-01-01T00:00:00Z', endedAt: '2026-01-01T01:00:00Z' })).toBe(61_000);
    expect(runDurationMs({ summary: null, startedAt: '2026-01-01T00:00:00Z', endedAt: '2026-01-01T00:02:30Z' })).toBe(150_000);
    expect(runDurationMs({ summary: null, startedAt: '2026-01-01T00:00:00Z', endedAt: null })).toBeNull();
    expect(runDurationMs({ summary: null, startedAt: null, endedAt: '2026-01-01T00:00:00Z' })).toBeNull();
  });

  it('when a duration is formatted, then it uses seconds, then minutes, then hours', () => {
    expect(formatDuration(45_000, 'en-US')).toBe('45 sec');
    expect(formatDuration(150_000, 'en-US')).toBe('2.5 min');
    expect(formatDuration(9 * 60_000, 'en-US')).toBe('9 min');
    expect(formatDuration(3 * 3_600_000, 'en-US')).toBe('3 hr');
  });

  it('when a run is in each state, then only queued/running can be cancelled and only ended runs stop polling', () => {
    expect(['queued', 'running', 'merging'].every((state) => isRunActive({ state: state as never }))).toBe(true);
    expect(['completed', 'failed', 'cancelled'].some((state) => isRunActive({ state: state as never }))).toBe(false);
    expect(isRunCancellable({ state: 'running' })).toBe(true);
    expect(isRunCancellable({ state: 'merging' })).toBe(false);
  });
});

describe('an estimate beside the actual figure', () => {
  it('when the run read more or less than estimated, then the difference is a signed share of the estimate', () => {
    expect(differenceShare(1000, 1050)).toBeCloseTo(0.05, 10);
    expect(differenceShare(1000, 750)).toBeCloseTo(-0.25, 10);
    expect(formatDifference(0.05, 'en-US')).toBe('+5%');
    expect(formatDifference(-0.25, 'en-US')).toBe('-25%');
    expect(formatDifference(0, 'en-US')).toBe('0%');
  });

  it('when nothing was estimated, then there is no difference to show', () => {
    expect(differenceShare(0, 12)).toBeNull();
  });
});
