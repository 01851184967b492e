import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { Binary } from 'mongodb';
import type { AccountPartial } from '../domain/account-partials';
import { HOUR_MS, type Bucket } from '../domain/engagement-buckets';
import { StringTable } from '../domain/string-table';
import { decodeNumberColumns, encodeNumberColumns, isNumberColumns } from './number-columns';

/**
 * Partials (mailbox states, contributions) travel to MongoDB as one compressed binary field.
 * They are never queried by field, only written and read back whole by key, so there is nothing
 * to lose by making them opaque, and a lot to win: a mailbox state is hundreds of kilobytes of
 * small nested objects, which a document database must parse field by field on every scan
 * (FerretDB decodes every document of a collection for most queries), while a compressed blob
 * is one value and a fifth of the size.
 *
 * A large partial is compressed on libuv's thread pool with one output buffer large enough for it
 * (`chunkSize`), so each call crosses between the event loop and the pool once or twice: the
 * event loop only encodes and decodes, and compressing overlaps with it on the machine's
 * other cores. With zlib's default 16 KiB output chunks every chunk crossed over, which cost
 * two to five times the compression itself, so the codec compressed synchronously on the event
 * loop until issue 13 measured both: for 400 KiB of JSON at level 3, 6.5 ms of CPU
 * synchronously against 6.4 ms on the pool with 0.7 ms of it on the event loop; in a 250-mailbox
 * refresh the synchronous compression was a third of the worker's event-loop time.
 */

/**
 * Level 1. Partials are mostly binary number columns and hashes, which deflate compresses
 * slowly and not much: on 100 stored mailbox states of a 250-mailbox bench (206 KB each before
 * compression), level 1 took 2.8 ms a state against 3.7 ms at level 3 and gave 3 % more bytes
 * (61 against 59 KB); a mailbox's contribution 1.2 against 2.0 ms, for 6 % more (issue 13).
 */
const LEVEL = 1;
/** Output buffer size: an encoded partial fits in one or two. */
const CHUNK = 1024 * 1024;
/**
 * An inflate's output buffer, from the compressed size (JSON compresses about 5 to 10 times): a
 * small blob must not hold a megabyte while it waits for the pool, as finalize inflates many.
 */
const inflateChunk = (compressed: number) => Math.min(CHUNK, Math.max(64 * 1024, compressed * 8));

const deflateRawOnPool = promisify(zlib.deflateRaw);
const inflateRawOnPool = promisify(zlib.inflateRaw);

/**
 * At most as many compressions at once as libuv's pool has threads (4 by default): each one in
 * flight holds a zlib stream, a few hundred kilobytes of native memory. A mailbox compresses its
 * state and every shard blob at once, and sixteen mailboxes side by side held hundreds of
 * streams, whose allocation cost the worker more CPU than the compression (2,500 mailboxes:
 * 222 -> 318 CPU-s in the full run's reading stage, much of it system time).
 */
const POOL_SLOTS = 4;
let busySlots = 0;
const waitingForSlot: Array<() => void> = [];

async function onPool<T>(work: () => Promise<T>): Promise<T> {
  if (busySlots < POOL_SLOTS) busySlots++;
  // A slot that frees up is handed straight to the next waiter.
  else await new Promise<void>((resolve) => waitingForSlot.push(resolve));
  try {
    return await work();
  } finally {
    const next = waitingForSlot.shift();
    if (next) next();
    else busySlots--;
  }
}

/**
 * Below these sizes a call on the pool costs more in its own machinery (a stream, its events, the
 * crossings: about 0.2 ms of CPU, most of it on the event loop) than the work, so it runs on the
 * event loop. Measured per call, level 3, JSON of bucket columns: deflating 5 KB took 24 µs
 * synchronously against 196 µs through the pool, 100 KB 287 against 636, 500 KB 2.6 against
 * 2.8 ms; inflating to 100 KB 98 against 174 µs. A mailbox writes a blob per shard it touched,
 * mostly a few kilobytes: in a 2,500-mailbox refresh the pool's machinery was 15 % of the
 * worker's event loop (`--cpu-prof`, zlib's processChunk).
 */
const DEFLATE_ON_POOL_FROM = 128 * 1024;
const INFLATE_ON_POOL_FROM = 32 * 1024;

const deflateRaw = (json: Buffer, options: zlib.ZlibOptions) =>
  json.length < DEFLATE_ON_POOL_FROM ? Promise.resolve(zlib.deflateRawSync(json, options)) : onPool(() => deflateRawOnPool(json, options));
const inflateRaw = (bytes: Uint8Array, options: zlib.ZlibOptions) =>
  bytes.length < INFLATE_ON_POOL_FROM ? Promise.resolve(zlib.inflateRawSync(bytes, options)) : onPool(() => inflateRawOnPool(bytes, options));

export function encodePartial(value: unknown): Promise<Binary> {
  return compressPartial(partialBytes(value));
}

/**
 * The first half of `encodePartial`, synchronous: the value's JSON with its number columns in
 * binary (number-columns.ts). A caller that builds a large value turns it into bytes before it
 * awaits anything, so the value is garbage before the compression's wait instead of outliving
 * young-generation collections meanwhile.
 */
export function partialBytes(value: unknown): Buffer {
  return encodeNumberColumns(value);
}

/** The second half of `encodePartial`. */
export async function compressPartial(bytes: Buffer): Promise<Binary> {
  return new Binary(await deflateRaw(bytes, { level: LEVEL, chunkSize: Math.min(CHUNK, Math.max(zlib.constants.Z_MIN_CHUNK, bytes.length)) }));
}

/** A partial written by `encodePartial`, or one stored as plain JSON before number columns. */
export async function decodePartial<T>(data: Binary | Uint8Array): Promise<T> {
  return decodePartialBytes<T>(await inflatePartial(data));
}

/** The first half of `decodePartial`: the partial's bytes as `partialBytes` made them. */
export function inflatePartial(data: Binary | Uint8Array): Promise<Buffer> {
  const bytes = data instanceof Binary ? data.value() : data;
  return inflateRaw(bytes, { chunkSize: inflateChunk(bytes.length) });
}

/** The second half of `decodePartial`, synchronous: the value back from its bytes. */
export function decodePartialBytes<T>(bytes: Buffer): T {
  return (isNumberColumns(bytes) ? decodeNumberColumns(bytes) : JSON.parse(bytes.toString('utf8'))) as T;
}

/**
 * Per-account bucket lists (a mailbox's partials, its carried email buckets) as columns: one
 * array per bucket field, the accounts' addresses as indexes into one table. The same buckets as
 * a list of objects spelled every field name out in every bucket and every address in every
 * bucket naming it: three times the JSON to stringify, compress, store and parse back.
 *
 * Slot keys and the instants inside a slot are small integers: a slot key is a whole hour or
 * the hour plus 1 ms (see `slotKey`), so `slot` numbers it (hours since 1970 times two, plus one
 * for the open interval), and a bucket's first and latest instants lie in its slot, so they are
 * kept as their distance from the key (0 for none, else distance + 1). As int32 columns they
 * compress to about half of the doubles they replace (issue 13: the columns of instants were a
 * third of a mailbox state once compressed). Buckets whose keys or instants do not fit (only
 * hand-made ones) keep the absolute columns `h`, `first`, `latestEmail` and
 * `latestEndedMeeting`, as documents written before issue 13's compaction do.
 */
export interface PackedPartials {
  accounts: string[];
  /** How many buckets each account has: its buckets follow each other in the columns. */
  counts: ArrayLike<number>;
  /** Addresses the buckets name, by index. */
  addresses: string[];
  /** Slot keys as slot numbers (see above), or absolute in `h`. */
  slot?: ArrayLike<number>;
  h?: number[];
  /** Counts and decayed sums per kind, in `KIND_ORDER`. */
  n: Array<ArrayLike<number>>;
  d: Array<ArrayLike<number>>;
  selectedOnEmails: number[][];
  selectedOnMeetings: number[][];
  accountOnEmails: number[][];
  accountOnMeetings: number[][];
  /** Instants in the slot as 0 (none) or distance from the key + 1, or absolute in the fields below. */
  inSlot?: { first: ArrayLike<number>; latestEmail: ArrayLike<number>; latestEndedMeeting: ArrayLike<number> };
  first?: Array<number | null>;
  latestEmail?: Array<number | null>;
  latestEndedMeeting?: Array<number | null>;
  meetingMs: ArrayLike<number>;
  replyMs: ArrayLike<number>;
  replies: ArrayLike<number>;
}

const KIND_ORDER = ['emailsTo', 'emailsFrom', 'meetingsTo', 'meetingsFrom'] as const;

/** The slot number of key `h`, or -1 when `h` is not a slot key (see `slotKey`). */
function slotNumber(h: number): number {
  const hour = Math.floor(h / HOUR_MS);
  const rest = h - hour * HOUR_MS;
  const n = hour * 2 + rest;
  return (rest === 0 || rest === 1) && n <= 0x7fffffff && n >= 0 ? n : -1;
}

const keyOfSlot = (n: number) => (n >>> 1) * HOUR_MS + (n & 1);

/** 0 for none, else the instant's distance from the key + 1; -1 when it does not fit an int32 column. */
function inSlot(at: number | null, h: number): number {
  if (at === null) return 0;
  const d = at - h + 1;
  return Number.isInteger(d) && d >= 1 && d <= 0x7fffffff ? d : -1;
}

const atInSlot = (d: number, h: number) => (d === 0 ? null : h + d - 1);

export function packPartials(partials: Iterable<AccountPartial>): PackedPartials {
  const list = Array.isArray(partials) ? (partials as AccountPartial[]) : [...partials];
  let total = 0;
  for (const { buckets } of list) total += buckets.length;
  // Columns sized once and filled by index, as typed arrays: the encoder copies them as they
  // are instead of finding out what each value is (number-columns.ts). Counts and sums go in
  // doubles, which the encoder writes as int32 when they all fit; slot numbers and offsets are
  // int32 by construction (when they are not, the absolute columns are written instead). All of
  // them are views of one buffer: a mailbox packs a partial per shard it touched, and a buffer
  // per column was most of the packing's time (issue 13).
  const memory = new ArrayBuffer(total * (11 * 8 + 4 * 4) + list.length * 4);
  let used = 0;
  const doubles = () => new Float64Array(memory, (used += total * 8) - total * 8, total);
  const ints = () => new Int32Array(memory, (used += total * 4) - total * 4, total);
  const addresses = new StringTable();
  // The int32 views first: the doubles after them start at a multiple of 8 bytes.
  const slot = ints();
  const first = ints();
  const latestEmail = ints();
  const latestEndedMeeting = ints();
  let compact = true;
  const nested = () => new Array<number[]>(total);
  const [n0, n1, n2, n3] = [doubles(), doubles(), doubles(), doubles()];
  const [d0, d1, d2, d3] = [doubles(), doubles(), doubles(), doubles()];
  const meetingMs = doubles();
  const replyMs = doubles();
  const replies = doubles();
  const selectedOnEmails = nested();
  const selectedOnMeetings = nested();
  const accountOnEmails = nested();
  const accountOnMeetings = nested();
  const counts = new Int32Array(memory, used, list.length);
  const p: PackedPartials = {
    accounts: new Array(list.length), counts, addresses: addresses.strings, n: [n0, n1, n2, n3], d: [d0, d1, d2, d3],
    selectedOnEmails, selectedOnMeetings, accountOnEmails, accountOnMeetings, meetingMs, replyMs, replies,
  };
  let j = 0;
  for (let a = 0; a < list.length; a++) {
    const { accountId, buckets } = list[a]!;
    p.accounts[a] = accountId;
    counts[a] = buckets.length;
    for (let k = 0; k < buckets.length; k++) {
      const b = buckets[k]!;
      const s = slotNumber(b.h);
      const f = inSlot(b.first, b.h);
      const e = inSlot(b.latestEmail, b.h);
      const m = inSlot(b.latestEndedMeeting, b.h);
      if (s < 0 || f < 0 || e < 0 || m < 0) compact = false;
      slot[j] = s;
      first[j] = f;
      latestEmail[j] = e;
      latestEndedMeeting[j] = m;
      n0[j] = b.emailsTo;
      n1[j] = b.emailsFrom;
      n2[j] = b.meetingsTo;
      n3[j] = b.meetingsFrom;
      d0[j] = b.decayed.emailsTo;
      d1[j] = b.decayed.emailsFrom;
      d2[j] = b.decayed.meetingsTo;
      d3[j] = b.decayed.meetingsFrom;
      selectedOnEmails[j] = b.selectedOnEmails;
      selectedOnMeetings[j] = b.selectedOnMeetings;
      accountOnEmails[j] = addresses.indexesOf(b.accountOnEmails);
      accountOnMeetings[j] = addresses.indexesOf(b.accountOnMeetings);
      meetingMs[j] = b.meetingMs;
      replyMs[j] = b.replyMs;
      replies[j] = b.replies;
      j++;
    }
  }
  if (compact) {
    p.slot = slot;
    p.inSlot = { first, latestEmail, latestEndedMeeting };
    return p;
  }
  // Hand-made buckets: the absolute columns, read back as they were written.
  const all = list.flatMap(({ buckets }) => buckets);
  p.h = all.map((b) => b.h);
  p.first = all.map((b) => b.first);
  p.latestEmail = all.map((b) => b.latestEmail);
  p.latestEndedMeeting = all.map((b) => b.latestEndedMeeting);
  return p;
}

export function unpackPartials(p: PackedPartials): AccountPartial[] {
  const view = new PackedBuckets(p);
  const out: AccountPartial[] = [];
  let j = 0;
  for (let a = 0; a < p.accounts.length; a++) {
    const buckets: Bucket[] = [];
    for (const end = j + p.counts[a]!; j < end; j++) buckets.push(view.bucket(j));
    out.push({ accountId: p.accounts[a]!, buckets });
  }
  return out;
}

/**
 * Packed partials read bucket by bucket (`j`: the bucket's row in the columns; an account's
 * buckets are `counts[a]` rows after the previous account's), whichever columns they were
 * written with: as objects (`unpackPartials`), or field by field for finalize's merge, which
 * makes no object per bucket (ShardSlots).
 */
export class PackedBuckets {
  private readonly n: ReadonlyArray<ArrayLike<number>>;
  private readonly d: ReadonlyArray<ArrayLike<number>>;

  constructor(readonly p: PackedPartials) {
    if (!(p.slot && p.inSlot) && !(p.h && p.first && p.latestEmail && p.latestEndedMeeting)) throw new Error('The partials are damaged: they have neither slot nor instant columns.');
    this.n = p.n;
    this.d = p.d;
  }

  /** The slot key of bucket `j`. */
  h(j: number): number {
    return this.p.slot ? keyOfSlot(this.p.slot[j]!) : this.p.h![j]!;
  }

  first(j: number, h: number): number | null {
    const { inSlot } = this.p;
    return inSlot ? atInSlot(inSlot.first[j]!, h) : this.p.first![j]!;
  }

  latestEmail(j: number, h: number): number | null {
    const { inSlot } = this.p;
    return inSlot ? atInSlot(inSlot.latestEmail[j]!, h) : this.p.latestEmail![j]!;
  }

  latestEndedMeeting(j: number, h: number): number | null {
    const { inSlot } = this.p;
    return inSlot ? atInSlot(inSlot.latestEndedMeeting[j]!, h) : this.p.latestEndedMeeting![j]!;
  }

  /** Bucket `j` as an object. */
  bucket(j: number): Bucket {
    const { p } = this;
    const [n0, n1, n2, n3] = this.n as [ArrayLike<number>, ArrayLike<number>, ArrayLike<number>, ArrayLike<number>];
    const [d0, d1, d2, d3] = this.d as [ArrayLike<number>, ArrayLike<number>, ArrayLike<number>, ArrayLike<number>];
    const h = this.h(j);
    return {
      h,
      emailsTo: n0[j]!,
      emailsFrom: n1[j]!,
      meetingsTo: n2[j]!,
      meetingsFrom: n3[j]!,
      decayed: { emailsTo: d0[j]!, emailsFrom: d1[j]!, meetingsTo: d2[j]!, meetingsFrom: d3[j]! },
      selectedOnEmails: p.selectedOnEmails[j]!,
      selectedOnMeetings: p.selectedOnMeetings[j]!,
      accountOnEmails: this.names(p.accountOnEmails[j]!),
      accountOnMeetings: this.names(p.accountOnMeetings[j]!),
      first: this.first(j, h),
      latestEmail: this.latestEmail(j, h),
      latestEndedMeeting: this.latestEndedMeeting(j, h),
      meetingMs: p.meetingMs[j]!,
      replyMs: p.replyMs[j]!,
      replies: p.replies[j]!,
    };
  }

  private names(list: readonly number[]): string[] {
    const out = new Array<string>(list.length);
    for (let k = 0; k < list.length; k++) out[k] = this.p.addresses[list[k]!]!;
    return out;
  }
}
