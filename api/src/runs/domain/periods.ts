import type { AggregationLevel } from '../../snapshots/output-entity';
import { DAY_MS } from './engagement-buckets';

/** Monday 00:00 UTC of the ISO week holding `ms` (a week contains its start instant). */
export function weekStart(ms: number): number {
  const day = Math.floor(ms / DAY_MS) * DAY_MS;
  const weekday = new Date(day).getUTCDay(); // Sunday = 0
  return day - ((weekday + 6) % 7) * DAY_MS;
}

/** 00:00 UTC on the first day of the calendar month holding `ms` (a month contains its start instant). */
export function monthStart(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** The first instant after the Week or Month period starting at `start`: the next period's start. */
export function periodEnd(level: 'Week' | 'Month', start: number): number {
  if (level === 'Week') return start + 7 * DAY_MS;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/**
 * The instant a row's score measures ages from: the as-of instant for the Year row,
 * min(period end, as-of) for Week and Month rows.
 */
export function referenceInstant(level: AggregationLevel, start: number, asOf: number): number {
  return level === 'Year' ? asOf : Math.min(periodEnd(level, start), asOf);
}
