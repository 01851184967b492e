import type { Collection, Db, Filter, UpdateFilter } from 'mongodb';
import { claimOnce } from './claim-once';
import type { CollectionSpec } from './collection-spec';
import { serverKind } from './server-kind';

/** A value a guard compares with: equal to it, or one of a list. */
type GuardValue = string | number | boolean | null | { $in: (string | number | boolean | null)[] };

/**
 * The condition of a guarded update: field (dotted paths allowed) → value or `{ $in: [...] }`.
 * Kept to equality so FerretDB's workaround can check it in code exactly as MongoDB would.
 */
export type Guard = Record<string, GuardValue>;

/** The key of the document to update: its tenant is always part of the match. */
export interface TenantKey {
  _id: string;
  tenantId: string;
}

/** One writer's hold on a document while it checks a guard and writes (FerretDB only). */
interface UpdateLockDocument {
  _id: string;
  tenantId: string;
  at: Date;
}

/** Holds the per-document locks of `updateIf` on FerretDB; empty between writes. */
export const updateLocksCollection: CollectionSpec = { name: 'update_locks', indexes: [] };

/** A lock older than this belongs to a writer that died between claiming and releasing it. */
const STALE_LOCK_MS = 10_000;

/**
 * Guarded update by key: applies `set` to the document `{ _id, tenantId }` only when every field
 * of `guard` holds, and returns the document after the write, or null when the document does not
 * exist for that tenant or the guard did not hold.
 *
 * On MongoDB it is one atomic findOneAndUpdate with the guard in the filter.
 *
 * FerretDB checks the filter of a conditional update and then writes, as two steps: two writers
 * that both find the guard true both write (two transitions out of the same run state would both
 * "win"). There, and only there, writers of one document are serialised by a claim-once lock
 * `<collection>:<_id>` in `update_locks`: the holder reads the document by `_id` (the one filter
 * FerretDB looks up without reading the whole collection), checks the tenant and the guard in
 * code, writes by `_id`, and releases the lock; a writer that finds the lock taken waits for it.
 * A lock left by a writer that died is taken over after ten seconds. Only writers that go
 * through `updateIf` are serialised: a plain write to the same document is not.
 *
 * Cost on FerretDB: four keyed round trips (lock, read, write, release) instead of one
 * conditional findOneAndUpdate, which FerretDB answers by reading the whole collection. Measured
 * with scripts/bench/update-if-cost.ts (one document renewed in a loop, shared server, load 5-9):
 * over 10 documents 26.6 ms per write against 10.7; over 300, 21.1 against 34.1; over 3,000,
 * 70.7 against 247. Small collections pay for the extra round trips, larger ones gain from
 * never scanning.
 */
export async function updateIf<T extends TenantKey>(db: Db, collection: Collection<T>, key: TenantKey, guard: Guard, set: Partial<T> | Record<string, unknown>): Promise<T | null> {
  const update = { $set: set } as unknown as UpdateFilter<T>;
  if ((await serverKind(db)) === 'mongodb') {
    return (await collection.findOneAndUpdate({ ...guard, _id: key._id, tenantId: key.tenantId } as Filter<T>, update, { returnDocument: 'after' })) as T | null;
  }
  const locks = db.collection<UpdateLockDocument>(updateLocksCollection.name);
  const lockId = `${collection.collectionName}:${key._id}`;
  await takeLock(locks, lockId, key.tenantId);
  try {
    const current = (await collection.findOne({ _id: key._id } as Filter<T>)) as T | null;
    if (!current || current.tenantId !== key.tenantId || !guardHolds(current, guard)) return null;
    return (await collection.findOneAndUpdate({ _id: key._id } as Filter<T>, update, { returnDocument: 'after' })) as T | null;
  } finally {
    await locks.deleteOne({ _id: lockId });
  }
}

async function takeLock(locks: Collection<UpdateLockDocument>, lockId: string, tenantId: string): Promise<void> {
  for (let wait = 1; ; wait = Math.min(wait * 2, 50)) {
    if (await claimOnce(locks, { _id: lockId, tenantId, at: new Date() })) return;
    const held = await locks.findOne({ _id: lockId });
    if (held && Date.now() - held.at.getTime() > STALE_LOCK_MS) {
      await locks.deleteOne({ _id: lockId, at: held.at });
      continue;
    }
    // The holder is between its read and its write: two keyed round trips away from releasing.
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/** The guard checked in code, with MongoDB's meaning for equality and `$in` on these values. */
export function guardHolds(doc: object, guard: Guard): boolean {
  return Object.entries(guard).every(([path, expected]) => {
    const actual = path.split('.').reduce<unknown>((v, part) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined), doc);
    // MongoDB: a missing field matches null.
    const value = actual === undefined ? null : actual;
    if (expected !== null && typeof expected === 'object') return expected.$in.includes(value as never);
    return value === expected;
  });
}
