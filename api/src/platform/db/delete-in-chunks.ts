import type { Collection, Document, Filter } from 'mongodb';

/**
 * `deleteMany` a chunk of ids at a time. FerretDB on SQLite deletes the documents a filter
 * matches with one `DELETE … WHERE _id IN (…)` statement, which SQLite refuses beyond 32,766
 * ids ("too many SQL variables"): a run's output rows or an enrichment's history pass that
 * easily. Chunks keep every statement small on any server; on MongoDB each chunk is one indexed
 * find plus one delete. Returns how many documents were deleted.
 */
export async function deleteInChunks<T extends Document>(collection: Collection<T>, filter: Filter<T>, chunk = 10_000): Promise<number> {
  let deleted = 0;
  for (;;) {
    const ids = (await collection.find(filter, { projection: { _id: 1 } }).limit(chunk).toArray()).map((d) => d._id);
    if (ids.length === 0) return deleted;
    const r = await collection.deleteMany({ _id: { $in: ids } } as Filter<T>);
    deleted += r.deletedCount;
    // A short chunk was the last of what matched (callers delete documents nothing adds to).
    if (ids.length < chunk) return deleted;
  }
}
