import type { Collection, Db } from 'mongodb';
import { claimOnce } from '../platform/db/claim-once';
import type { CollectionSpec } from '../platform/db/collection-spec';

export type ConsentEventKind = 'requested' | 'consented' | 'refused' | 'detected' | 'invalid-callback' | 'unconfirmed-callback';

export interface ConsentEventDocument {
  tenantId: string;
  enrichmentId: string;
  at: Date;
  event: ConsentEventKind;
  by: string | null;
  detail: string | null;
}

/** A used state nonce. The unique index on `nonce` is what makes a state single-use. */
export interface ConsentNonceDocument {
  nonce: string;
  tenantId: string;
  enrichmentId: string;
  usedAt: Date;
}

export const consentEventsCollection: CollectionSpec = {
  name: 'consent_events',
  indexes: [{ name: 'tenant_enrichment_at', key: { tenantId: 1, enrichmentId: 1, at: -1 } }],
};
export const consentNoncesCollection: CollectionSpec = {
  name: 'consent_nonces',
  // Not tenant-prefixed on purpose: a nonce is used once, whatever tenant it claims.
  indexes: [{ name: 'nonce_unique', key: { nonce: 1 }, options: { unique: true } }],
};

export const CONSENT_COLLECTIONS: CollectionSpec[] = [consentEventsCollection, consentNoncesCollection];

export class ConsentStore {
  private readonly events: Collection<ConsentEventDocument>;
  private readonly nonces: Collection<ConsentNonceDocument>;

  constructor(db: Db) {
    this.events = db.collection<ConsentEventDocument>(consentEventsCollection.name);
    this.nonces = db.collection<ConsentNonceDocument>(consentNoncesCollection.name);
  }

  async record(e: ConsentEventDocument): Promise<void> {
    await this.events.insertOne(e);
  }

  history(tenantId: string, enrichmentId: string, limit = 50): Promise<ConsentEventDocument[]> {
    return this.events.find({ tenantId, enrichmentId }, { projection: { _id: 0 } }).sort({ at: -1 }).limit(limit).toArray();
  }

  /** True the first time a nonce is used; false on any replay (duplicate key). */
  async claimNonce(doc: ConsentNonceDocument): Promise<boolean> {
    return claimOnce(this.nonces, doc);
  }
}
