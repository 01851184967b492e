/**
 * The unit every mailbox job produces: per account, per slot of time, what the counted items of
 * that slot add up to. Slots merge exactly (sums add, sets unite, extremes take their extreme),
 * across mailboxes and across refreshes. Nothing in a bucket identifies a message.
 *
 * A slot is either one whole-hour instant (an item at exactly hh:00:00.000) or the open interval
 * strictly between two whole hours. Every boundary the output knows is a whole hour (the window's
 * start and end, week and month starts, the 90-day line of the score's recent counts), and the
 * window is open at its start and closed at its end while periods contain their start: with
 * slots this fine, each slot lies wholly inside or wholly outside every one of them, so placing a
 * slot by its key is exact (hour buckets, whichever side they close on, split one of the two).
 */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const WINDOW_MS = 365 * DAY_MS;

/**
 * The slot holding instant `ms`, named by its first millisecond: `ms` itself on a whole hour,
 * else the whole hour before it plus 1 ms. The key is an instant of its slot, so a slot is in the
 * window when `windowStart < key ≤ asOf` and in the period that holds the instant `key`.
 */
export function slotKey(ms: number): number {
  const hour = Math.floor(ms / HOUR_MS) * HOUR_MS;
  return ms === hour ? hour : hour + 1;
}

/** The kinds of counted item; each has its weight in the engagement score. */
export interface KindSums {
  emailsTo: number;
  emailsFrom: number;
  /** Meetings organised by the organisation. */
  meetingsTo: number;
  /** Meetings organised by the account. */
  meetingsFrom: number;
}

export type ItemKind = keyof KindSums;

const zeroSums = (): KindSums => ({ emailsTo: 0, emailsFrom: 0, meetingsTo: 0, meetingsFrom: 0 });

export interface Bucket {
  /** Slot key (ms), see `slotKey`. */
  h: number;
  emailsTo: number;
  emailsFrom: number;
  meetingsTo: number;
  meetingsFrom: number;
  /**
   * Per kind, Σ 2^((t − h) / H) over the slot's items (t: email sent, meeting start; H: the run's
   * half-life), in units of 1 / DECAY_SCALE. A row multiplies it by 2^((h − reference) / H),
   * which gives each item its own decay 2^(−(reference − t) / H) whatever the row, without
   * keeping any item's time. Whole units make the sums exact integers: they add in any order
   * (mailboxes merge in whatever order their partials arrive) to the same value, so a refresh
   * and a full run give identical figures.
   */
  decayed: KindSums;
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
    decayed: zeroSums(),
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

/**
 * 2^36: an item's decay factor within its slot (between 1 and 2^(1 h / 7 d) < 1.0042) is kept to
 * 2^-37 (7e-12), and a slot's sum stays an exact integer for over 100,000 items of one kind.
 */
export const DECAY_SCALE = 2 ** 36;

/**
 * Counts one item of `kind` at instant `at` in its slot's bucket (`b.h` must be `slotKey(at)`):
 * its count, its decay within the slot for a half-life of `halfLifeDays`, and the earliest item.
 */
export function countItem(b: Bucket, kind: ItemKind, at: number, halfLifeDays: number): void {
  b[kind]++;
  b.decayed[kind] += Math.round(2 ** ((at - b.h) / (halfLifeDays * DAY_MS)) * DECAY_SCALE);
  b.first = b.first === null ? at : Math.min(b.first, at);
}

const min = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
const max = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

function unite<T>(a: T[], b: readonly T[]): T[] {
  if (b.length === 0) return a;
  const set = new Set(a);
  for (const x of b) set.add(x);
  return [...set];
}

/**
 * Adds `b` into `a` (same account). Returns `a`. The decayed sums are relative to each bucket's
 * own slot, so they are only meaningful merged within one slot (across mailboxes and refreshes);
 * a period's roll-up (`accountRows`) rescales every slot's sums itself.
 */
export function mergeBucketInto(a: Bucket, b: Bucket): Bucket {
  mergeFiguresInto(a, b);
  a.selectedOnEmails = unite(a.selectedOnEmails, b.selectedOnEmails);
  a.selectedOnMeetings = unite(a.selectedOnMeetings, b.selectedOnMeetings);
  a.accountOnEmails = unite(a.accountOnEmails, b.accountOnEmails);
  a.accountOnMeetings = unite(a.accountOnMeetings, b.accountOnMeetings);
  return a;
}

/** Adds `b`'s counts, sums and instants into `a`, leaving the distinct sets alone. */
function mergeFiguresInto(a: Bucket, b: Bucket): void {
  a.emailsTo += b.emailsTo;
  a.emailsFrom += b.emailsFrom;
  a.meetingsTo += b.meetingsTo;
  a.meetingsFrom += b.meetingsFrom;
  a.decayed.emailsTo += b.decayed.emailsTo;
  a.decayed.emailsFrom += b.decayed.emailsFrom;
  a.decayed.meetingsTo += b.decayed.meetingsTo;
  a.decayed.meetingsFrom += b.decayed.meetingsFrom;
  a.first = min(a.first, b.first);
  a.latestEmail = max(a.latestEmail, b.latestEmail);
  a.latestEndedMeeting = max(a.latestEndedMeeting, b.latestEndedMeeting);
  a.meetingMs += b.meetingMs;
  a.replyMs += b.replyMs;
  a.replies += b.replies;
}

/**
 * Distinct values in the order they were first added. Kept as a plain array while small, with a
 * Set beside it only once it grows: a period's roll-up keeps four of these, and an account has
 * some sixty periods (weeks, months, its year), most with a handful of people or none. As four
 * Sets per period they were most of what the merge's roll-ups allocated (issue 13).
 */
class DistinctList<T> {
  private items: T[] | null = null;
  private index: Set<T> | null = null;

  add(x: T): void {
    if (this.index) {
      if (this.index.has(x)) return;
      this.index.add(x);
      this.items!.push(x);
      return;
    }
    if (!this.items) {
      this.items = [x];
      return;
    }
    if (this.items.includes(x)) return;
    this.items.push(x);
    if (this.items.length > DistinctList.SMALL) this.index = new Set(this.items);
  }

  addAll(list: readonly T[]): void {
    for (let i = 0; i < list.length; i++) this.add(list[i]!);
  }

  /** The values, in the order first added (read only). */
  values(): readonly T[] {
    return this.items ?? [];
  }

  /** Above this many values a Set answers "seen already?" instead of a scan. */
  private static readonly SMALL = 16;
}

/**
 * A bucket that many slots are added into (a period's roll-up), with its distinct sets kept
 * apart while they grow: `mergeBucketInto` rebuilds each set from its whole array at every merge,
 * which made rolling up a busy account's year quadratic in its slots. `rolledUp` gives the
 * bucket with the sets as arrays, in the order `mergeBucketInto` would have given them.
 */
export class BucketRollup {
  private readonly merged: Bucket;
  private readonly selectedOnEmails = new DistinctList<number>();
  private readonly selectedOnMeetings = new DistinctList<number>();
  private readonly accountOnEmails = new DistinctList<string>();
  private readonly accountOnMeetings = new DistinctList<string>();

  constructor(h: number) {
    this.merged = emptyBucket(h);
  }

  add(b: Bucket): void {
    mergeFiguresInto(this.merged, b);
    this.unitePeople(b.selectedOnEmails, b.selectedOnMeetings, b.accountOnEmails, b.accountOnMeetings);
  }

  /** Adds another roll-up (a period within this one): its figures, and its sets in their order. */
  addRollup(other: BucketRollup): void {
    mergeFiguresInto(this.merged, other.merged);
    this.unitePeople(other.selectedOnEmails.values(), other.selectedOnMeetings.values(), other.accountOnEmails.values(), other.accountOnMeetings.values());
  }

  private unitePeople(selectedOnEmails: readonly number[], selectedOnMeetings: readonly number[], accountOnEmails: readonly string[], accountOnMeetings: readonly string[]): void {
    this.selectedOnEmails.addAll(selectedOnEmails);
    this.selectedOnMeetings.addAll(selectedOnMeetings);
    this.accountOnEmails.addAll(accountOnEmails);
    this.accountOnMeetings.addAll(accountOnMeetings);
  }

  rolledUp(): Bucket {
    return {
      ...this.merged,
      selectedOnEmails: [...this.selectedOnEmails.values()],
      selectedOnMeetings: [...this.selectedOnMeetings.values()],
      accountOnEmails: [...this.accountOnEmails.values()],
      accountOnMeetings: [...this.accountOnMeetings.values()],
    };
  }
}

/**
 * One account's buckets (any number per slot: one per mailbox) as one bucket per slot, in
 * ascending key order. The inputs are never changed: a slot met twice is merged into a copy.
 */
export function slotsInOrder(buckets: Iterable<Bucket>): Bucket[] {
  const bySlot = new Map<number, Bucket>();
  const copies = new Set<Bucket>();
  for (const b of buckets) {
    let seen = bySlot.get(b.h);
    if (!seen) {
      bySlot.set(b.h, b);
      continue;
    }
    if (!copies.has(seen)) {
      seen = mergeBucketInto(emptyBucket(b.h), seen);
      copies.add(seen);
      bySlot.set(b.h, seen);
    }
    mergeBucketInto(seen, b);
  }
  return [...bySlot.values()].sort((a, b) => a.h - b.h);
}

/** Per account, its buckets by slot key. */
export type AccountBuckets = Map<string, Map<number, Bucket>>;

export function bucketFor(all: AccountBuckets, accountId: string, h: number): Bucket {
  let bySlot = all.get(accountId);
  if (!bySlot) all.set(accountId, (bySlot = new Map()));
  let b = bySlot.get(h);
  if (!b) bySlot.set(h, (b = emptyBucket(h)));
  return b;
}

export function addUnique<T>(list: T[], value: T): void {
  if (!list.includes(value)) list.push(value);
}

/**
 * `list` with each of `values[0 .. count)` (distinct) added unless there: an empty list is replaced by an
 * exact-size copy. An array grown by push starts with room for 16, and most of a bucket's lists
 * get one or two items: their spare room was about half of what taking a message in allocated
 * (issue 13, sampled heap profile).
 */
export function withUnique<T>(list: T[], values: readonly T[], count = values.length): T[] {
  if (list.length === 0) return count === 0 ? list : values.slice(0, count);
  for (let i = 0; i < count; i++) addUnique(list, values[i]!);
  return list;
}
