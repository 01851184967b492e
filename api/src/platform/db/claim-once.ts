import type { Collection, Document, OptionalUnlessRequiredId } from 'mongodb';
import { isDuplicateKeyError } from './duplicate-key';

/**
 * Claims a key once: inserts a document with a new `_id` (or a new value of another unique
 * index), and a duplicate key means someone else holds it. This is the exactly-once decision that holds on every MongoDB-compatible server (a
 * run's lock, who ends a run, a lease, a used consent nonce, the first schedule, a segment's
 * name): unlike a
 * conditional update, an insert on a unique key is atomic on FerretDB too.
 * Returns true when this call inserted the document, false when the key was taken.
 */
export async function claimOnce<T extends Document>(collection: Collection<T>, doc: T): Promise<boolean> {
  try {
    await collection.insertOne(doc as OptionalUnlessRequiredId<T>);
    return true;
  } catch (e) {
    if (isDuplicateKeyError(e)) return false;
    throw e;
  }
}
