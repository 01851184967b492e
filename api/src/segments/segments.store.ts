import type { Collection, Db } from 'mongodb';
import type { CollectionSpec } from '../platform/db/collection-spec';
import { findByKey } from '../platform/db/by-key';
import { claimOnce } from '../platform/db/claim-once';
import { updateIf } from '../platform/db/update-if';
import { isDuplicateKeyError } from '../platform/db/duplicate-key';
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

/**
 * One per enrichment once its built-in example was changed or deleted (it is then stored, or
 * gone for good). Until then the example is shown without being stored: reading never writes.
 */
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

const isDuplicateKey = isDuplicateKeyError;

export class SegmentsStore {
  private readonly segments: Collection<SegmentDocument>;
  private readonly seeds: Collection<SeedMarkerDocument>;

  constructor(private readonly db: Db) {
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
    return claimOnce(this.segments, doc);
  }

  async update(tenantId: string, enrichmentId: string, id: string, set: Partial<SegmentDocument>): Promise<'ok' | 'not-found' | 'name-taken'> {
    try {
      return (await updateIf(this.db, this.segments, { _id: id, tenantId }, { enrichmentId }, set)) ? 'ok' : 'not-found';
    } catch (e) {
      if (isDuplicateKey(e)) return 'name-taken';
      throw e;
    }
  }

  async delete(tenantId: string, enrichmentId: string, id: string): Promise<boolean> {
    return (await this.segments.deleteOne({ _id: id, tenantId, enrichmentId })).deletedCount === 1;
  }

  /** Whether the enrichment's built-in example was settled (stored as changed, or deleted). */
  async exampleSettled(tenantId: string, enrichmentId: string): Promise<boolean> {
    return (await findByKey(this.seeds, markerKey(tenantId, enrichmentId), tenantId)) !== null;
  }

  /** The tenant's enrichments whose built-in example was settled. */
  async settledExamples(tenantId: string): Promise<Set<string>> {
    const docs = await this.seeds.find({ tenantId }, { projection: { enrichmentId: 1 } }).toArray();
    return new Set(docs.map((d) => d.enrichmentId));
  }

  /** Records that the example is settled (idempotent: a deterministic key; when two settle at once, the first marker stays). */
  async settleExample(tenantId: string, enrichmentId: string): Promise<void> {
    await claimOnce(this.seeds, { _id: markerKey(tenantId, enrichmentId), tenantId, enrichmentId, seededAt: new Date() });
  }
}

function markerKey(tenantId: string, enrichmentId: string): string {
  return `${tenantId}:${enrichmentId}`;
}
