/**
 * Finalize merges the partials of every mailbox per account. Holding all accounts at once would
 * make memory grow with the tenant, so accounts are split into shards: each mailbox writes one
 * partial per shard it touched, and finalize merges one shard at a time. A run freezes its
 * shard count when it starts; an account's shard is then a pure function of its id, so every
 * worker agrees on it without storing it.
 */

/** About `mailboxesPerShard` mailboxes' worth of partials per shard, at most 64 shards. */
export function shardCount(mailboxes: number, mailboxesPerShard = 50): number {
  return Math.min(64, Math.max(1, Math.ceil(mailboxes / Math.max(1, mailboxesPerShard))));
}

/** FNV-1a over the id's UTF-16 code units: stable across processes and versions. */
export function shardOf(accountId: string, shards: number): number {
  if (shards <= 1) return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < accountId.length; i++) {
    h ^= accountId.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % shards;
}
