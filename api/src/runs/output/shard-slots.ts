import { addUnique, emptyBucket, mergeBucketInto, type Bucket } from '../domain/engagement-buckets';
import { PackedBuckets, type PackedPartials } from './partials-codec';

/**
 * One mailbox's packed partials for the shard, every number column as doubles (instants
 * absolute, NaN for none): the merge reads every mailbox's columns at the same sites, and
 * columns of one kind keep those reads monomorphic (as decoded, a column is an int32 or a
 * double array, or a constant one, depending on its values).
 */
interface MailboxColumns {
  h: Float64Array;
  n: [Float64Array, Float64Array, Float64Array, Float64Array];
  d: [Float64Array, Float64Array, Float64Array, Float64Array];
  first: Float64Array;
  latestEmail: Float64Array;
  latestEndedMeeting: Float64Array;
  meetingMs: Float64Array;
  replyMs: Float64Array;
  replies: Float64Array;
  selectedOnEmails: number[][];
  selectedOnMeetings: number[][];
  accountOnEmails: number[][];
  accountOnMeetings: number[][];
  addresses: string[];
}

const doubles = (a: ArrayLike<number>) => (a instanceof Float64Array ? a : Float64Array.from(a));

function columnsOf(p: PackedPartials): MailboxColumns {
  const view = new PackedBuckets(p);
  const size = p.meetingMs.length;
  const h = new Float64Array(size);
  const first = new Float64Array(size);
  const latestEmail = new Float64Array(size);
  const latestEndedMeeting = new Float64Array(size);
  for (let j = 0; j < size; j++) {
    const key = (h[j] = view.h(j));
    first[j] = view.first(j, key) ?? NaN;
    latestEmail[j] = view.latestEmail(j, key) ?? NaN;
    latestEndedMeeting[j] = view.latestEndedMeeting(j, key) ?? NaN;
  }
  const [n0, n1, n2, n3] = p.n as [ArrayLike<number>, ArrayLike<number>, ArrayLike<number>, ArrayLike<number>];
  const [d0, d1, d2, d3] = p.d as [ArrayLike<number>, ArrayLike<number>, ArrayLike<number>, ArrayLike<number>];
  return {
    h, first, latestEmail, latestEndedMeeting,
    n: [doubles(n0), doubles(n1), doubles(n2), doubles(n3)],
    d: [doubles(d0), doubles(d1), doubles(d2), doubles(d3)],
    meetingMs: doubles(p.meetingMs), replyMs: doubles(p.replyMs), replies: doubles(p.replies),
    selectedOnEmails: p.selectedOnEmails, selectedOnMeetings: p.selectedOnMeetings, accountOnEmails: p.accountOnEmails, accountOnMeetings: p.accountOnMeetings,
    addresses: p.addresses,
  };
}

/**
 * One shard's partials from every mailbox, as finalize merges them: each mailbox's columns are
 * kept (as doubles) and each account's buckets are found by row, then merged slot by slot as its
 * rows are built. Unpacked into an object per bucket (with its people's names spelled out), a
 * 2,500-mailbox merge made some four million objects only to merge them into slots: unpacking
 * was 13 % of the rows' time and garbage collection 18 % (issue 13, `--cpu-prof`). On 250 stored
 * mailbox states merged in 8 shards the rows took 1,426 ms this way against 1,625.
 */
export class ShardSlots {
  private readonly mailboxes: MailboxColumns[] = [];
  /** Per account, its buckets as (view, row) pairs, one after the other. */
  private readonly refs = new Map<string, number[]>();

  /** Adds one mailbox's partials for the shard (mailboxes in any order: see `inOrder`). */
  add(p: PackedPartials): void {
    const view = this.mailboxes.push(columnsOf(p)) - 1;
    let j = 0;
    for (let a = 0; a < p.accounts.length; a++) {
      const end = j + p.counts[a]!;
      if (j === end) continue;
      const id = p.accounts[a]!;
      let list = this.refs.get(id);
      if (!list) this.refs.set(id, (list = []));
      for (; j < end; j++) list.push(view, j);
    }
  }

  /**
   * The account's slots in ascending key order, each one bucket merged from every mailbox's
   * bucket of that slot (what `slotsInOrder` gives: the merge adds integers, takes extremes and
   * unites sets, so the mailboxes' order changes nothing). One bucket is refilled for every
   * slot: read each before asking for the next, keep none of it.
   */
  *inOrder(accountId: string): Generator<Bucket> {
    const list = this.refs.get(accountId);
    if (!list) return;
    const n = list.length / 2;
    const keys = new Float64Array(n);
    const order = new Int32Array(n);
    for (let r = 0; r < n; r++) {
      keys[r] = this.mailboxes[list[2 * r]!]!.h[list[2 * r + 1]!]!;
      order[r] = r;
    }
    order.sort((x, y) => keys[x]! - keys[y]!);
    const slot = emptyBucket(0);
    for (let i = 0; i < n; ) {
      const h = keys[order[i]!]!;
      refill(slot, h);
      do {
        const r = order[i++]!;
        mergeInto(slot, this.mailboxes[list[2 * r]!]!, list[2 * r + 1]!);
      } while (i < n && keys[order[i]!] === h);
      yield slot;
    }
  }

  /** `inOrder` as buckets of their own, for a reader that keeps them (the privacy threshold). */
  copiesInOrder(accountId: string): Bucket[] {
    const out: Bucket[] = [];
    for (const s of this.inOrder(accountId)) out.push(mergeBucketInto(emptyBucket(s.h), s));
    return out;
  }
}

/** `b` emptied for slot `h`, its lists kept (emptied) for the next slot's people. */
function refill(b: Bucket, h: number): void {
  b.h = h;
  b.emailsTo = b.emailsFrom = b.meetingsTo = b.meetingsFrom = 0;
  const d = b.decayed;
  d.emailsTo = d.emailsFrom = d.meetingsTo = d.meetingsFrom = 0;
  // Setting an array's length is a call into the runtime: only when there is something to drop.
  if (b.selectedOnEmails.length > 0) b.selectedOnEmails.length = 0;
  if (b.selectedOnMeetings.length > 0) b.selectedOnMeetings.length = 0;
  if (b.accountOnEmails.length > 0) b.accountOnEmails.length = 0;
  if (b.accountOnMeetings.length > 0) b.accountOnMeetings.length = 0;
  b.first = b.latestEmail = b.latestEndedMeeting = null;
  b.meetingMs = b.replyMs = b.replies = 0;
}

/**
 * Adds bucket `j` of mailbox `c` into `into`, a bucket of the same slot: counts and sums add,
 * instants take their extreme, people are added once each (what `mergeBucketInto` gives, in place).
 */
function mergeInto(into: Bucket, c: MailboxColumns, j: number): void {
  into.emailsTo += c.n[0][j]!;
  into.emailsFrom += c.n[1][j]!;
  into.meetingsTo += c.n[2][j]!;
  into.meetingsFrom += c.n[3][j]!;
  const decayed = into.decayed;
  decayed.emailsTo += c.d[0][j]!;
  decayed.emailsFrom += c.d[1][j]!;
  decayed.meetingsTo += c.d[2][j]!;
  decayed.meetingsFrom += c.d[3][j]!;
  const first = c.first[j]!;
  // NaN (none) fails every comparison.
  if (first === first && (into.first === null || first < into.first)) into.first = first;
  const latestEmail = c.latestEmail[j]!;
  if (latestEmail === latestEmail && (into.latestEmail === null || latestEmail > into.latestEmail)) into.latestEmail = latestEmail;
  const latestEndedMeeting = c.latestEndedMeeting[j]!;
  if (latestEndedMeeting === latestEndedMeeting && (into.latestEndedMeeting === null || latestEndedMeeting > into.latestEndedMeeting)) into.latestEndedMeeting = latestEndedMeeting;
  into.meetingMs += c.meetingMs[j]!;
  into.replyMs += c.replyMs[j]!;
  into.replies += c.replies[j]!;
  addEach(into.selectedOnEmails, c.selectedOnEmails[j]!);
  addEach(into.selectedOnMeetings, c.selectedOnMeetings[j]!);
  addNames(into.accountOnEmails, c.accountOnEmails[j]!, c.addresses);
  addNames(into.accountOnMeetings, c.accountOnMeetings[j]!, c.addresses);
}

function addEach(into: number[], list: readonly number[]): void {
  for (let k = 0; k < list.length; k++) addUnique(into, list[k]!);
}

function addNames(into: string[], list: readonly number[], names: readonly string[]): void {
  for (let k = 0; k < list.length; k++) addUnique(into, names[list[k]!]!);
}
