import { shardOf } from './account-shards';
import { emptyBucket, mergeBucketInto, type AccountBuckets, type Bucket } from './engagement-buckets';

/** One account's partial aggregate from one mailbox (emails carried + meetings). */
export interface AccountPartial {
  accountId: string;
  buckets: Bucket[];
}

/**
 * What one mailbox contributes to the merge, per shard of accounts: for each account its buckets
 * from every source (emails, meetings) merged slot by slot. The buckets are new objects, so the
 * sources (the carried state) are never shared with what is merged.
 */
export function mailboxPartials(sources: AccountBuckets[], shards: number): Map<number, AccountPartial[]> {
  const byShard = new Map<number, AccountPartial[]>();
  for (const accountId of new Set(sources.flatMap((s) => [...s.keys()]))) {
    const merged = new Map<number, Bucket>();
    for (const source of sources) {
      for (const b of source.get(accountId)?.values() ?? []) mergeBucketInto(merged.get(b.h) ?? merged.set(b.h, emptyBucket(b.h)).get(b.h)!, b);
    }
    const shard = shardOf(accountId, shards);
    const list = byShard.get(shard) ?? byShard.set(shard, []).get(shard)!;
    list.push({ accountId, buckets: [...merged.values()] });
  }
  return byShard;
}

/** The merge across mailboxes: every mailbox's buckets of an account gathered in one list (`accountRows` merges their slots). */
export function gatherPartials(into: Map<string, Bucket[]>, partials: Iterable<AccountPartial>): void {
  for (const p of partials) {
    const list = into.get(p.accountId) ?? into.set(p.accountId, []).get(p.accountId)!;
    for (const b of p.buckets) list.push(b);
  }
}
