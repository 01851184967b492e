import type { Run, RunCounters } from '../../platform/api/contracts';

/**
 * Share of the run's mailboxes that are finished (read or given up on), 0..1, or null while
 * the total is not known yet (a queued run has not listed its mailboxes): the bar is then
 * indeterminate rather than claiming 0 %.
 */
export function progressFraction(counters: RunCounters, state: Run['state']): number | null {
  if (state === 'completed') return 1;
  // An ended run that never listed its mailboxes (cancelled while queued) is not "in progress".
  if (counters.mailboxesTotal <= 0) return state === 'failed' || state === 'cancelled' ? 0 : null;
  return Math.min(1, (counters.mailboxesDone + counters.mailboxesFailed) / counters.mailboxesTotal);
}

/** A run's duration: the summary's when published, else ended − started (cancelled, failed). */
export function runDurationMs(run: Pick<Run, 'summary' | 'startedAt' | 'endedAt'>): number | null {
  if (run.summary) return run.summary.durationMs;
  if (!run.startedAt || !run.endedAt) return null;
  const ms = Date.parse(run.endedAt) - Date.parse(run.startedAt);
  return Number.isFinite(ms) && ms >= 0 ? ms : null;
}

/** Seconds up to two minutes, then minutes, then hours, in the locale's own unit words. */
export function formatDuration(ms: number, locale: string): string {
  const unit = (value: number, name: 'second' | 'minute' | 'hour', digits: number) =>
    new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'short', maximumFractionDigits: digits }).format(value);
  const seconds = ms / 1000;
  if (seconds < 120) return unit(Math.round(seconds), 'second', 0);
  if (seconds < 2 * 3600) return unit(seconds / 60, 'minute', 1);
  return unit(seconds / 3600, 'hour', 1);
}

export function formatDateTime(iso: string, locale: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

/**
 * A planned time with its time zone ("2 Mar 2026, 15:00 GMT+1"): an admin reading "the first
 * run starts at 15:00" must know whose 15:00 that is, especially in a tenant across zones.
 */
export function formatDateTimeWithZone(iso: string, locale: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(d);
}

/** How far the actual figure is from its estimate, as a share of the estimate (0.05 = 5 % more); null without an estimate to compare with. */
export function differenceShare(estimated: number, actual: number): number | null {
  if (!Number.isFinite(estimated) || !Number.isFinite(actual) || estimated <= 0) return null;
  return (actual - estimated) / estimated;
}

/** A difference as a signed percentage in the locale's own form ("+4.2%", "−12%", "0%"). */
export function formatDifference(share: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'percent', signDisplay: 'exceptZero', maximumFractionDigits: 1 }).format(share);
}
