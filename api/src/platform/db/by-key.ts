import type { Collection, Document, Filter, MongoClient, OptionalUnlessRequiredId, WithoutId } from 'mongodb';
import { isDuplicateKeyError } from './duplicate-key';
import { serverKindOfClient } from './server-kind';

/**
 * Key-only reads and writes, with the tenant in the key. On MongoDB the filter is
 * `{ _id, tenantId }`: the `_id` index answers it, and a cluster sharded by tenant (Atlas
 * sharding, Cosmos DB) sends it to one shard instead of every shard (an upsert there must name
 * the shard key). FerretDB (our local and test server) answers only a filter of exactly
 * `{ _id }` with a lookup; any other filter, even `{ _id, tenantId }`, makes it read and decode
 * every document of the collection. There, and only there, the filter is `{ _id }` and the
 * tenant is checked after the read. Keys embed an id the caller already read for its tenant,
 * so isolation is the same either way.
 */
async function keyFilter<T extends Document>(collection: Collection<T>, _id: string, tenantId: string | undefined): Promise<Filter<T>> {
  if (tenantId === undefined) return { _id } as Filter<T>;
  // The driver keeps the collection's client as a property its public types leave out.
  const client = (collection as unknown as { client?: MongoClient }).client;
  if (!client || (await serverKindOfClient(client)) !== 'mongodb') return { _id } as Filter<T>;
  return { _id, tenantId } as unknown as Filter<T>;
}

export async function findByKey<T extends { _id: string; tenantId: string }>(collection: Collection<T>, _id: string, tenantId: string): Promise<T | null> {
  const doc = (await collection.findOne(await keyFilter(collection, _id, tenantId))) as T | null;
  return doc && doc.tenantId === tenantId ? doc : null;
}

/** Replaces (or inserts) the document with this key. */
export async function replaceByKey<T extends { _id: string; tenantId?: string }>(collection: Collection<T>, doc: T): Promise<void> {
  const filter = await keyFilter(collection, doc._id, doc.tenantId);
  const replacement = doc as unknown as WithoutId<T>;
  try {
    await collection.replaceOne(filter, replacement, { upsert: true });
  } catch (e) {
    // Two upserts of a new key at once: one inserted, so the other replaces.
    if (!isDuplicateKeyError(e)) throw e;
    await collection.replaceOne(filter, replacement);
  }
}

/**
 * Writes a document whose key is usually new (a run's mailbox state or partials: keys carry the
 * run id), replacing it when a retried job wrote it before. It inserts first: on MongoDB that is
 * one indexed write either way, but FerretDB on SQLite answers an upsert of a key it does not
 * hold by reading the whole collection (measured on 300 documents of 93 KiB: 54 ms of database
 * CPU for the upsert, 6.5 ms for the insert, and the upsert's cost grows with the collection),
 * while an insert is a plain write. Only a retry pays for the replace.
 */
export async function writeOnceByKey<T extends { _id: string; tenantId?: string }>(collection: Collection<T>, doc: T): Promise<void> {
  try {
    await collection.insertOne(doc as unknown as OptionalUnlessRequiredId<T>);
  } catch (e) {
    if (!isDuplicateKeyError(e)) throw e;
    await collection.replaceOne(await keyFilter(collection, doc._id, doc.tenantId), doc as unknown as WithoutId<T>);
  }
}
