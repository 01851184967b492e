import type { AnyBulkWriteOperation, Collection, Document, Filter } from 'mongodb';

/**
 * Deletes documents whose keys the caller knows, as one `delete` command of one statement per
 * key (1,000 keys a command). Each statement's filter is exactly `{ _id }`, the one filter
 * FerretDB turns into a key lookup; a `deleteMany({ _id: { $in: keys } })` is not, and FerretDB
 * answers it by reading and decoding every document of the collection (for mailbox states, tens
 * of megabytes per call). On MongoDB both are index lookups. Returns how many were deleted.
 */
export async function deleteByKeys<T extends Document>(collection: Collection<T>, keys: readonly string[], chunk = 1000): Promise<number> {
  let deleted = 0;
  for (let i = 0; i < keys.length; i += chunk) {
    const ops = keys.slice(i, i + chunk).map((_id) => ({ deleteOne: { filter: { _id } as Filter<T> } }) as AnyBulkWriteOperation<T>);
    const r = await collection.bulkWrite(ops, { ordered: false });
    deleted += r.deletedCount;
  }
  return deleted;
}
