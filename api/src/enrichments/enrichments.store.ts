import type { Collection, Db } from 'mongodb';
import type { CollectionSpec } from '../platform/db/collection-spec';

export type EnrichmentState = 'draft' | 'awaiting-consent' | 'consented' | 'consent-refused' | 'paused';

export interface EnrichmentDocument {
  _id: string;
  tenantId: string;
  name: string;
  /** Lower-cased name: names are unique per tenant regardless of case. */
  nameKey: string;
  state: EnrichmentState;
  createdAt: Date;
  updatedAt: Date;
}

export const enrichmentsCollection: CollectionSpec = {
  name: 'enrichments',
  indexes: [
    { name: 'tenant_name_unique', key: { tenantId: 1, nameKey: 1 }, options: { unique: true } },
    { name: 'tenant_updated', key: { tenantId: 1, updatedAt: -1 } },
  ],
};

export interface EnrichmentSummary {
  id: string;
  name: string;
  state: EnrichmentState;
  updatedAt: string;
}

export class EnrichmentsStore {
  private readonly collection: Collection<EnrichmentDocument>;

  constructor(db: Db) {
    this.collection = db.collection<EnrichmentDocument>(enrichmentsCollection.name);
  }

  async list(tenantId: string): Promise<EnrichmentSummary[]> {
    const docs = await this.collection.find({ tenantId }).sort({ updatedAt: -1 }).limit(500).toArray();
    return docs.map((d) => ({ id: d._id, name: d.name, state: d.state, updatedAt: d.updatedAt.toISOString() }));
  }
}
