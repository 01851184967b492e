import { SEARCH_SEPARATOR } from '../snapshots/snapshot-schema';

/**
 * A trigram index over one loaded snapshot's accounts, for the customer search (substring of
 * name, account id or a domain, case and accents ignored, prefix matches first).
 *
 * Scanning every account's search key for a term is a full scan by nature (≈ 10 CPU-ms at
 * 100,000 accounts in DuckDB). Here each account's key is cut into overlapping three-character
 * pieces, hashed into buckets; a bucket lists the accounts whose key holds one of its pieces
 * (ascending, each once). A term of three characters or more reads the shortest list among its
 * pieces' buckets and checks only those accounts' keys with a plain substring test, so the answer
 * is exact (a hash collision only adds candidates that the test rejects). Shorter terms test
 * every key (they match a large share of accounts anyway).
 *
 * Built once per loaded snapshot from plain arrays (the run is immutable); pure data, no I/O.
 */

const BUCKET_BITS = 18;
const BUCKETS = 1 << BUCKET_BITS;
const MASK = BUCKETS - 1;

function bucketOf(a: number, b: number, c: number): number {
  // Multiplicative hash of the three UTF-16 code units.
  return (Math.imul(Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b) ^ Math.imul(c, 0xc2b2ae35), 0x27d4eb2f) >>> (32 - BUCKET_BITS)) & MASK;
}

export interface SearchAccount {
  id: string;
  name: string;
  /** Null where the privacy threshold withheld the Year row. */
  score: number | null;
  /** The account's ordinal in the snapshot (`acc`). */
  acc: number;
}

/** Every this many accounts the build yields to the event loop, so that requests are served meanwhile. */
const YIELD_EVERY = 8192;
const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));

export class AccountSearchIndex {
  private readonly nameRank: Int32Array;

  /**
   * @param keys the normalised search key of each account (`searchKeyOf`), by position
   * @param byName the positions in the order of equal-rank matches (AccountName, then AccountId)
   * @param starts, postings the buckets: accounts of bucket b are `postings[starts[b] .. starts[b + 1])`
   */
  private constructor(
    private readonly keys: readonly string[],
    private readonly accounts: readonly SearchAccount[],
    private readonly byName: Int32Array,
    private readonly starts: Int32Array,
    private readonly postings: Int32Array,
  ) {
    this.nameRank = new Int32Array(keys.length);
    for (let r = 0; r < byName.length; r++) this.nameRank[byName[r]!] = r;
  }

  /** Builds the index (yielding to the event loop as it goes). */
  static async build(keys: readonly string[], accounts: readonly SearchAccount[], byName: Int32Array): Promise<AccountSearchIndex> {
    const n = keys.length;
    if (accounts.length !== n || byName.length !== n) throw new Error('search index: keys, accounts and name order differ in length');
    // Two passes: count each bucket's accounts, then fill (an account once per bucket).
    const last = new Int32Array(BUCKETS);
    const visit = async (fn: (bucket: number, account: number) => void) => {
      last.fill(-1);
      for (let i = 0; i < n; i++) {
        if (i % YIELD_EVERY === YIELD_EVERY - 1) await yieldToRequests();
        const k = keys[i]!;
        for (let j = 0; j + 2 < k.length; j++) {
          const b = bucketOf(k.charCodeAt(j), k.charCodeAt(j + 1), k.charCodeAt(j + 2));
          if (last[b] === i) continue;
          last[b] = i;
          fn(b, i);
        }
      }
    };
    const counts = new Int32Array(BUCKETS + 1);
    await visit((b) => counts[b + 1]!++);
    for (let b = 0; b < BUCKETS; b++) counts[b + 1]! += counts[b]!;
    const starts = counts.slice();
    const postings = new Int32Array(counts[BUCKETS]!);
    await visit((b, i) => (postings[counts[b]!++] = i)); // counts now serve as each bucket's write position
    return new AccountSearchIndex(keys, accounts, byName, starts, postings);
  }

  /** Approximate memory held (typed arrays, keys, names and ids as one- or two-byte strings). */
  get sizeBytes(): number {
    let text = 0;
    for (let i = 0; i < this.keys.length; i++) text += this.keys[i]!.length + this.accounts[i]!.id.length + this.accounts[i]!.name.length + 64;
    return this.starts.byteLength + this.postings.byteLength + this.nameRank.byteLength + this.byName.byteLength + text * 2;
  }

  /**
   * The accounts whose key contains `term` (already normalised; '' matches every account):
   * name starts with it first, then an id or a domain starts with it, then the rest, each by
   * name then AccountId; `limit` of them, and how many match (counted up to `cap`).
   */
  search(term: string, limit: number, cap: number): { items: SearchAccount[]; total: number } {
    const n = this.keys.length;
    if (!term) {
      const items: SearchAccount[] = [];
      for (let r = 0; r < Math.min(limit, n); r++) items.push(this.accounts[this.byName[r]!]!);
      return { items, total: Math.min(cap, n) };
    }
    // Candidates: the shortest posting list among the term's pieces, or every account.
    let from = 0;
    let to = n;
    let list: Int32Array | null = null;
    if (term.length >= 3) {
      let best = -1;
      for (let j = 0; j + 2 < term.length; j++) {
        const b = bucketOf(term.charCodeAt(j), term.charCodeAt(j + 1), term.charCodeAt(j + 2));
        if (best === -1 || this.starts[b + 1]! - this.starts[b]! < to - from) {
          best = b;
          from = this.starts[b]!;
          to = this.starts[b + 1]!;
        }
      }
      list = this.postings;
    }
    const inField = SEARCH_SEPARATOR + term;
    // The best `limit` matches so far, by (rank, name order), kept sorted (limit is small).
    const top: number[] = [];
    const topKeys: number[] = [];
    let total = 0;
    for (let c = from; c < to; c++) {
      const i = list ? list[c]! : c;
      const key = this.keys[i]!;
      const at = key.indexOf(term);
      if (at === -1) continue;
      total++;
      if (limit <= 0) continue;
      const rank = at === 0 ? 0 : key.includes(inField) ? 1 : 2;
      const sortKey = rank * n + this.nameRank[i]!;
      if (top.length === limit && sortKey >= topKeys[limit - 1]!) continue;
      let p = top.length;
      top.push(i);
      topKeys.push(sortKey);
      for (; p > 0 && topKeys[p - 1]! > sortKey; p--) {
        topKeys[p] = topKeys[p - 1]!;
        top[p] = top[p - 1]!;
      }
      topKeys[p] = sortKey;
      top[p] = i;
      if (top.length > limit) {
        top.pop();
        topKeys.pop();
      }
    }
    return { items: top.map((i) => this.accounts[i]!), total: Math.min(cap, total) };
  }
}
