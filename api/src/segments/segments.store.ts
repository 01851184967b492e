import type { Collection, Db } from 'mongodb';
import type { CollectionSpec } from '../platform/db/collection-spec';

export interface SegmentDocument {
  _id: string;
  tenantId: string;
  name: string;
  nameKey: string;
  count: number;
  updatedAt: Date;
}

export const segmentsCollection: CollectionSpec = {
  name: 'segments',
  indexes: [{ name: 'tenant_name_unique', key: { tenantId: 1, nameKey: 1 }, options: { unique: true } }],
};

export interface SegmentSummary {
  id: string;
  name: string;
  count: number;
}

export class SegmentsStore {
  private readonly collection: Collection<SegmentDocument>;

  constructor(db: Db) {
    this.collection = db.collection<SegmentDocument>(segmentsCollection.name);
  }

  async list(tenantId: string): Promise<SegmentSummary[]> {
    const docs = await this.collection.find({ tenantId }).sort({ nameKey: 1 }).limit(500).toArray();
    return docs.map((d) => ({ id: d._id, name: d.name, count: d.count }));
  }
}
