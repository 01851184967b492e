import { DAY_MS, HOUR_MS } from './engagement-buckets';

export type AggregationLevel = 'Week' | 'Month' | 'Year';

/** Monday 00:00 UTC of the ISO week holding `ms`. */
export function weekStart(ms: number): number {
  const day = Math.floor(ms / DAY_MS) * DAY_MS;
  const weekday = new Date(day).getUTCDay(); // Sunday = 0
  return day - ((weekday + 6) % 7) * DAY_MS;
}

/** 00:00 UTC on the first day of the calendar month holding `ms`. */
export function monthStart(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** The instant a bucket's items belong to when placing them in a period: the hour's start. */
export function bucketInstant(hourKey: number): number {
  return hourKey - HOUR_MS;
}
