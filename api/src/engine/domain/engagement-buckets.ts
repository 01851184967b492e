/**
 * The unit every mailbox job produces: per account, per hour, what the counted items of that
 * hour add up to. Hours are the finest period the output needs (runs start on whole hours, so
 * the 365-day window always starts on an hour boundary) and they merge exactly: sums add, sets
 * unite, extremes take their extreme. Nothing in a bucket identifies a message.
 */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const WINDOW_MS = 365 * DAY_MS;

/** Buckets are right-closed, (key − 1 h, key], to match the window (asOf − 365 d, asOf]. */
export function hourKey(ms: number): number {
  return Math.ceil(ms / HOUR_MS) * HOUR_MS;
}

export interface Bucket {
  /** Hour key (ms). */
  h: number;
  emailsTo: number;
  emailsFrom: number;
  meetingsTo: number;
  meetingsFrom: number;
  /** Indexes in S of the selected people on counted emails / meetings. */
  selectedOnEmails: number[];
  selectedOnMeetings: number[];
  /** Addresses of the account on counted emails / meetings. */
  accountOnEmails: string[];
  accountOnMeetings: string[];
  /** Earliest counted item (ms); null when the bucket holds none. */
  first: number | null;
  latestEmail: number | null;
  /** Start of the latest counted meeting that had ended by the as-of instant. */
  latestEndedMeeting: number | null;
  meetingMs: number;
  replyMs: number;
  replies: number;
}

export function emptyBucket(h: number): Bucket {
  return {
    h,
    emailsTo: 0,
    emailsFrom: 0,
    meetingsTo: 0,
    meetingsFrom: 0,
    selectedOnEmails: [],
    selectedOnMeetings: [],
    accountOnEmails: [],
    accountOnMeetings: [],
    first: null,
    latestEmail: null,
    latestEndedMeeting: null,
    meetingMs: 0,
    replyMs: 0,
    replies: 0,
  };
}

const min = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
const max = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

function unite<T>(a: T[], b: readonly T[]): T[] {
  if (b.length === 0) return a;
  const set = new Set(a);
  for (const x of b) set.add(x);
  return [...set];
}

/** Adds `b` into `a` (same account; any hours). Returns `a`. */
export function mergeBucketInto(a: Bucket, b: Bucket): Bucket {
  a.emailsTo += b.emailsTo;
  a.emailsFrom += b.emailsFrom;
  a.meetingsTo += b.meetingsTo;
  a.meetingsFrom += b.meetingsFrom;
  a.selectedOnEmails = unite(a.selectedOnEmails, b.selectedOnEmails);
  a.selectedOnMeetings = unite(a.selectedOnMeetings, b.selectedOnMeetings);
  a.accountOnEmails = unite(a.accountOnEmails, b.accountOnEmails);
  a.accountOnMeetings = unite(a.accountOnMeetings, b.accountOnMeetings);
  a.first = min(a.first, b.first);
  a.latestEmail = max(a.latestEmail, b.latestEmail);
  a.latestEndedMeeting = max(a.latestEndedMeeting, b.latestEndedMeeting);
  a.meetingMs += b.meetingMs;
  a.replyMs += b.replyMs;
  a.replies += b.replies;
  return a;
}

/** Per account, its buckets by hour key. */
export type AccountBuckets = Map<string, Map<number, Bucket>>;

export function bucketFor(all: AccountBuckets, accountId: string, h: number): Bucket {
  let byHour = all.get(accountId);
  if (!byHour) all.set(accountId, (byHour = new Map()));
  let b = byHour.get(h);
  if (!b) byHour.set(h, (b = emptyBucket(h)));
  return b;
}

export function addUnique<T>(list: T[], value: T): void {
  if (!list.includes(value)) list.push(value);
}
