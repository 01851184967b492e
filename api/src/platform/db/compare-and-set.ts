import type { Collection, Db, Filter, UpdateFilter } from 'mongodb';
import { claimOnce } from './claim-once';
import type { CollectionSpec } from './collection-spec';
import { serverKind } from './server-kind';

/** A document written optimistically: each write names the version it was based on and bumps it. */
export interface VersionedDocument {
  _id: string;
  tenantId: string;
  version: number;
}

/** One write based on one version (FerretDB only, see `CompareAndSet`). */
interface VersionClaimDocument {
  _id: string;
  tenantId: string;
  at: Date;
  [keyField: string]: unknown;
}

/** The claims collection of a `CompareAndSet`: `keyField` is the field naming the written document. */
export function versionClaimsSpec(name: string, keyField: string): CollectionSpec {
  return { name, indexes: [{ name: `tenant_${keyField.replace(/Id$/, '')}`, key: { tenantId: 1, [keyField]: 1 } }] };
}

/**
 * Compare-and-set by key and version: `update` applies only when the document is at
 * `expectedVersion` and moves it to version + 1; `delete` removes it only at that version.
 *
 * On MongoDB each is one atomic write filtered on `{ _id, tenantId, version }`.
 *
 * FerretDB applies a conditional update (or delete) as read-then-write, so two writers at the
 * same version can both see it and both apply (measured: 18 of 20 rounds of ten concurrent writes
 * had several winners). There, and only there, a write first claims its version: it inserts
 * `<tenant>:<id>:<version>` into the claims collection (an insert on a unique key is atomic on
 * FerretDB too), and only the claimant writes. A claim whose write did not happen (the document
 * was not at that version, or the write failed) is given back, so the version stays free for the
 * write that reaches it. Claims of applied writes stay; delete them with the document's owner.
 */
export class CompareAndSet<T extends VersionedDocument> {
  private readonly claims: Collection<VersionClaimDocument>;

  constructor(
    private readonly db: Db,
    private readonly collection: Collection<T>,
    claims: CollectionSpec,
    /** The field of a claim naming the written document (kept so an owner's claims can be deleted by filter). */
    private readonly keyField: string,
  ) {
    this.claims = db.collection<VersionClaimDocument>(claims.name);
  }

  /** The document after the write, or null when it is not at `expectedVersion` (or does not exist). */
  async update(tenantId: string, id: string, expectedVersion: number, set: Partial<T>): Promise<T | null> {
    return this.guarded(tenantId, id, expectedVersion, async () => {
      const doc = await this.collection.findOneAndUpdate(this.at(tenantId, id, expectedVersion), { $set: set, $inc: { version: 1 } } as unknown as UpdateFilter<T>, { returnDocument: 'after' });
      return doc as T | null;
    });
  }

  /** true when the document was at `expectedVersion` and is deleted. */
  async delete(tenantId: string, id: string, expectedVersion: number): Promise<boolean> {
    const deleted = await this.guarded(tenantId, id, expectedVersion, async () => ((await this.collection.deleteOne(this.at(tenantId, id, expectedVersion))).deletedCount === 1 ? true : null));
    return deleted === true;
  }

  private at(tenantId: string, id: string, version: number): Filter<T> {
    return { _id: id, tenantId, version } as Filter<T>;
  }

  /** Runs `write` directly on MongoDB; on FerretDB only after claiming the version, giving the claim back when nothing was written. */
  private async guarded<R>(tenantId: string, id: string, version: number, write: () => Promise<R | null>): Promise<R | null> {
    if ((await serverKind(this.db)) === 'mongodb') return write();
    const claimId = `${tenantId}:${id}:${version}`;
    if (!(await claimOnce(this.claims, { _id: claimId, tenantId, [this.keyField]: id, at: new Date() }))) return null;
    const giveBack = () => this.claims.deleteOne({ _id: claimId }).catch(() => undefined);
    let result: R | null;
    try {
      result = await write();
    } catch (e) {
      await giveBack();
      throw e;
    }
    if (result === null) await giveBack();
    return result;
  }
}
