import type { Collection, Db } from 'mongodb';
import { findByKey, replaceByKey } from '../platform/db/by-key';
import type { CollectionSpec } from '../platform/db/collection-spec';
import type { EstimateModel, RunEstimate } from './estimate-model';

/**
 * A dry-run estimate: one document per enrichment, and one per draft selection (the wizard's,
 * before the enrichment exists, keyed by the selection's hash). The cache, written only by the
 * estimate job that holds its `requestId` (a refresh takes it over), read by key.
 */
export interface EstimateDocument {
  _id: string;
  tenantId: string;
  /** The enrichment's estimate; null for a draft selection's. */
  enrichmentId: string | null;
  /** A draft selection's key (see draftKeyOf) and its mailboxes; absent on an enrichment's estimate. */
  draft?: { key: string; userIds: string[] };
  /** The key of the mailboxes counted, the window and the model (absent on estimates made before drafts existed). */
  mailboxKey?: string;
  requestId: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  /** The instant the counts are for (a whole hour, as a run's as-of). */
  asOf: Date;
  /** The enrichment's version the mailboxes were taken from: a later save makes the estimate stale (null: a draft's). */
  enrichmentVersion: number | null;
  mailboxesTotal: number;
  mailboxesDone: number;
  /** Mailboxes Graph would not count (no licence, access refused…): left out of the sums. */
  mailboxesFailed: number;
  model: EstimateModel;
  result: RunEstimate | null;
  failureReason: string | null;
  requestedAt: Date;
  requestedBy: string;
  startedAt: Date | null;
  endedAt: Date | null;
}

export const estimatesCollection: CollectionSpec = {
  name: 'enrichment_estimates',
  indexes: [{ name: 'tenant_enrichment', key: { tenantId: 1, enrichmentId: 1 } }],
};

export class EstimateStore {
  readonly docs: Collection<EstimateDocument>;

  constructor(db: Db) {
    this.docs = db.collection<EstimateDocument>(estimatesCollection.name);
  }

  static key(tenantId: string, enrichmentId: string): string {
    return `${tenantId}|${enrichmentId}`;
  }

  /** A draft's document (an enrichment id never holds a colon, so the two never meet). */
  static draftId(tenantId: string, draftKey: string): string {
    return `${tenantId}|draft:${draftKey}`;
  }

  get(tenantId: string, enrichmentId: string): Promise<EstimateDocument | null> {
    return findByKey(this.docs, EstimateStore.key(tenantId, enrichmentId), tenantId);
  }

  getDraft(tenantId: string, draftKey: string): Promise<EstimateDocument | null> {
    return findByKey(this.docs, EstimateStore.draftId(tenantId, draftKey), tenantId);
  }

  getById(tenantId: string, id: string): Promise<EstimateDocument | null> {
    return findByKey(this.docs, id, tenantId);
  }

  put(doc: EstimateDocument): Promise<void> {
    return replaceByKey(this.docs, doc);
  }
}
