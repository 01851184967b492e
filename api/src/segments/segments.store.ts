import type { Collection, Db } from 'mongodb';
import type { CollectionSpec } from '../platform/db/collection-spec';
import type { SegmentDefinition } from './segments.schema';

export interface SegmentDocument {
  _id: string;
  tenantId: string;
  enrichmentId: string;
  name: string;
  /** Lower-cased trimmed name: names are unique per tenant + enrichment regardless of case. */
  nameKey: string;
  description: string;
  definition: SegmentDefinition;
  builtIn: boolean;
  createdAt: Date;
  updatedAt: Date;
  createdBy: string;
  updatedBy: string;
}

/** One per enrichment once the built-in examples were seeded, so a deleted example stays deleted. */
interface SeedMarkerDocument {
  _id: string;
  tenantId: string;
  enrichmentId: string;
  seededAt: Date;
}

export const segmentsCollection: CollectionSpec = {
  name: 'enrichment_segments',
  indexes: [{ name: 'tenant_enrichment_name_unique', key: { tenantId: 1, enrichmentId: 1, nameKey: 1 }, options: { unique: true } }],
};
export const segmentSeedsCollection: CollectionSpec = {
  name: 'enrichment_segment_seeds',
  indexes: [{ name: 'tenant_enrichment', key: { tenantId: 1, enrichmentId: 1 } }],
};
export const SEGMENT_COLLECTIONS: CollectionSpec[] = [segmentsCollection, segmentSeedsCollection];

const isDuplicateKey = (e: unknown) => (e as { code?: number }).code === 11000;

export class SegmentsStore {
  private readonly segments: Collection<SegmentDocument>;
  private readonly seeds: Collection<SeedMarkerDocument>;

  constructor(db: Db) {
    this.segments = db.collection<SegmentDocument>(segmentsCollection.name);
    this.seeds = db.collection<SeedMarkerDocument>(segmentSeedsCollection.name);
  }

  list(tenantId: string, enrichmentId?: string): Promise<SegmentDocument[]> {
    return this.segments.find({ tenantId, ...(enrichmentId ? { enrichmentId } : {}) }).sort({ enrichmentId: 1, nameKey: 1 }).limit(500).toArray();
  }

  get(tenantId: string, enrichmentId: string, id: string): Promise<SegmentDocument | null> {
    return this.segments.findOne({ _id: id, tenantId, enrichmentId });
  }

  /** false when the name is taken (the unique index decides, so two concurrent saves cannot both win). */
  async insert(doc: SegmentDocument): Promise<boolean> {
    try {
      await this.segments.insertOne(doc);
      return true;
    } catch (e) {
      if (isDuplicateKey(e)) return false;
      throw e;
    }
  }

  async update(tenantId: string, enrichmentId: string, id: string, set: Partial<SegmentDocument>): Promise<'ok' | 'not-found' | 'name-taken'> {
    try {
      const r = await this.segments.updateOne({ _id: id, tenantId, enrichmentId }, { $set: set });
      return r.matchedCount ? 'ok' : 'not-found';
    } catch (e) {
      if (isDuplicateKey(e)) return 'name-taken';
      throw e;
    }
  }

  async delete(tenantId: string, enrichmentId: string, id: string): Promise<boolean> {
    return (await this.segments.deleteOne({ _id: id, tenantId, enrichmentId })).deletedCount === 1;
  }

  /**
   * Seeds the examples once per enrichment. The marker is written first with a deterministic id
   * (insert wins once across processes); the examples use deterministic ids too, so a crash
   * between the two is repaired by re-running insert-if-missing.
   */
  async seedOnce(tenantId: string, enrichmentId: string, examples: SegmentDocument[]): Promise<void> {
    const _id = `${tenantId}:${enrichmentId}`;
    if (await this.seeds.findOne({ _id, tenantId })) return;
    for (const ex of examples) {
      await this.segments.updateOne({ _id: ex._id, tenantId }, { $setOnInsert: ex }, { upsert: true }).catch((e) => {
        // An admin's own segment already has this name: keep theirs.
        if (!isDuplicateKey(e)) throw e;
      });
    }
    await this.seeds.updateOne({ _id, tenantId }, { $setOnInsert: { _id, tenantId, enrichmentId, seededAt: new Date() } }, { upsert: true });
  }
}
