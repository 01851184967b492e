import type { Collection, Db } from 'mongodb';
import { findByKey, replaceByKey } from '../../platform/db/by-key';
import type { CollectionSpec } from '../../platform/db/collection-spec';
import type { UnmatchedDomainsSummary } from '../domain/unmatched-domains';

/**
 * A run's unmatched-domain figures, one document per run (counts only, no address), kept as
 * long as the run's snapshot is kept: a kept run shows its own figures.
 */
export interface UnmatchedDomainsDocument extends UnmatchedDomainsSummary {
  _id: string;
  tenantId: string;
  enrichmentId: string;
  runId: string;
  asOf: Date;
  createdAt: Date;
}

export const unmatchedDomainsCollection: CollectionSpec = {
  name: 'unmatched_domains',
  indexes: [{ name: 'tenant_enrichment', key: { tenantId: 1, enrichmentId: 1 } }],
};

export class UnmatchedDomainsStore {
  readonly docs: Collection<UnmatchedDomainsDocument>;

  constructor(db: Db) {
    this.docs = db.collection<UnmatchedDomainsDocument>(unmatchedDomainsCollection.name);
  }

  static key(tenantId: string, runId: string): string {
    return `${tenantId}|${runId}`;
  }

  get(tenantId: string, runId: string): Promise<UnmatchedDomainsDocument | null> {
    return findByKey(this.docs, UnmatchedDomainsStore.key(tenantId, runId), tenantId);
  }

  put(doc: UnmatchedDomainsDocument): Promise<void> {
    return replaceByKey(this.docs, doc);
  }

  /** Removes the figures of runs whose snapshots are gone, by key (the pointer lists the kept ones). */
  async prune(tenantId: string, enrichmentId: string, keep: ReadonlySet<string>): Promise<void> {
    const ids = await this.docs.find({ tenantId, enrichmentId }, { projection: { _id: 1, runId: 1 } }).toArray();
    const gone = ids.filter((d) => !keep.has(d.runId)).map((d) => d._id);
    if (gone.length > 0) await this.docs.deleteMany({ _id: { $in: gone } });
  }
}
