import type { Collection, Filter, OptionalUnlessRequiredId, WithoutId } from 'mongodb';
import { isDuplicateKeyError } from './duplicate-key';

/**
 * Key-only reads and writes. A filter of exactly `{ _id }` is the one FerretDB (our local and
 * test server) answers with a lookup; any other filter, even `{ _id, tenantId }`, makes it read
 * and decode every document of the collection. On MongoDB both use the `_id` index. Keys embed
 * an id the caller already read for its tenant, and the tenant is checked after the read, so
 * isolation is the same as with the tenant in the filter.
 */

export async function findByKey<T extends { _id: string; tenantId: string }>(collection: Collection<T>, _id: string, tenantId: string): Promise<T | null> {
  const doc = (await collection.findOne({ _id } as Filter<T>)) as T | null;
  return doc && doc.tenantId === tenantId ? doc : null;
}

/** Replaces (or inserts) the document with this key. */
export async function replaceByKey<T extends { _id: string }>(collection: Collection<T>, doc: T): Promise<void> {
  const filter = { _id: doc._id } as Filter<T>;
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
export async function writeOnceByKey<T extends { _id: string }>(collection: Collection<T>, doc: T): Promise<void> {
  try {
    await collection.insertOne(doc as unknown as OptionalUnlessRequiredId<T>);
  } catch (e) {
    if (!isDuplicateKeyError(e)) throw e;
    await collection.replaceOne({ _id: doc._id } as Filter<T>, doc as unknown as WithoutId<T>);
  }
}
