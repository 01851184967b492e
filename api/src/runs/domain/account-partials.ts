import { shardOf } from './account-shards';
import { slotsInOrder, type AccountBuckets, type Bucket } from './engagement-buckets';

/** One account's partial aggregate from one mailbox (emails carried + meetings). */
export interface AccountPartial {
  accountId: string;
  buckets: Bucket[];
}

/**
 * What one mailbox contributes to the merge, per shard of accounts: for each account its buckets
 * from every source (emails, meetings), one per slot. A slot only one source has is that
 * source's bucket itself (the partials are packed for writing straight away, never changed); a
 * slot both have is merged into a new bucket, so the sources are never changed.
 */
export function mailboxPartials(sources: AccountBuckets[], shards: number): Map<number, AccountPartial[]> {
  const byShard = new Map<number, AccountPartial[]>();
  const accounts = new Set<string>();
  for (const source of sources) for (const accountId of source.keys()) accounts.add(accountId);
  const lists: Array<Map<number, Bucket>> = [];
  for (const accountId of accounts) {
    lists.length = 0;
    for (const source of sources) {
      const slots = source.get(accountId);
      if (slots) lists.push(slots);
    }
    const buckets = lists.length === 1 ? [...lists[0]!.values()] : slotsInOrder(lists.flatMap((slots) => [...slots.values()]));
    const shard = shardOf(accountId, shards);
    const list = byShard.get(shard) ?? byShard.set(shard, []).get(shard)!;
    list.push({ accountId, buckets });
  }
  return byShard;
}
