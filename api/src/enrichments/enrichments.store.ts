import type { Collection, Db } from 'mongodb';
import type { ConsentRecord, ConsentState } from '../consent/consent-record';
import type { ResolvedMailbox, UnresolvedEntry } from '../directory/mailbox-resolution';
import type { CollectionSpec } from '../platform/db/collection-spec';
import { CompareAndSet, versionClaimsSpec } from '../platform/db/compare-and-set';
import { deleteInChunks } from '../platform/db/delete-in-chunks';
import { updateIf } from '../platform/db/update-if';
import { ENRICHMENT_OWNED_COLLECTIONS, ENRICHMENT_OWNED_DELETERS } from './enrichment-results.registry';

/** What the Enrichments page shows: consent state, or paused over it. */
export type EnrichmentState = 'awaiting-consent' | 'consented' | 'consent-refused' | 'paused';

export interface SelectionDocument {
  kind: 'user' | 'group';
  id: string;
  displayName?: string;
}

export interface EnrichmentDocument {
  _id: string;
  tenantId: string;
  name: string;
  /** Lower-cased name: names are unique per tenant regardless of case. */
  nameKey: string;
  entityName: string;
  mailboxes: { selections: SelectionDocument[]; resolved: ResolvedMailbox[]; unresolved: UnresolvedEntry[]; count: number };
  datasetId: string;
  /** `ownerField`: the dataset's account attribute naming each account's owner (alerts); absent or null: none. */
  mapping: { emailField: string; accountIdField: string; ownerField?: string | null };
  exclusions: { addresses: string[]; domains: string[] };
  matchAccountDomains: boolean;
  /** The engagement score's half-life H in days (7–365); absent on enrichments saved before it existed: read with `halfLifeOf`. */
  halfLifeDays?: number;
  /** The privacy threshold k (2–10; null or absent: off): see api/src/runs/domain/privacy-threshold.ts. */
  privacyThreshold?: number | null;
  consentAgreement: { agreedBy: string; agreedAt: Date };
  consent: ConsentRecord;
  paused: boolean;
  version: number;
  createdBy: string;
  updatedBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export type EnrichmentContent = Pick<
  EnrichmentDocument,
  'name' | 'nameKey' | 'entityName' | 'mailboxes' | 'datasetId' | 'mapping' | 'exclusions' | 'matchAccountDomains' | 'halfLifeDays' | 'privacyThreshold' | 'consentAgreement'
>;

export const enrichmentsCollection: CollectionSpec = {
  name: 'enrichments',
  indexes: [
    { name: 'tenant_name_unique', key: { tenantId: 1, nameKey: 1 }, options: { unique: true } },
    { name: 'tenant_updated', key: { tenantId: 1, updatedAt: -1 } },
    { name: 'tenant_dataset', key: { tenantId: 1, datasetId: 1 } },
  ],
};

/** On FerretDB, the versions enrichment writes were based on (see platform/db/compare-and-set.ts). */
export const versionClaimsCollection: CollectionSpec = versionClaimsSpec('enrichment_version_claims', 'enrichmentId');

export interface EnrichmentSummary {
  id: string;
  name: string;
  entityName: string;
  state: EnrichmentState;
  paused: boolean;
  consentState: ConsentState;
  datasetId: string;
  mailboxCount: number;
  version: number;
  updatedAt: string;
}

export function stateOf(d: Pick<EnrichmentDocument, 'paused' | 'consent'>): EnrichmentState {
  if (d.paused) return 'paused';
  return d.consent.state === 'awaiting' ? 'awaiting-consent' : d.consent.state === 'refused' ? 'consent-refused' : 'consented';
}

export type WriteOutcome = { ok: true; doc: EnrichmentDocument } | { ok: false; reason: 'not-found' } | { ok: false; reason: 'stale'; currentVersion: number };

export class EnrichmentsStore {
  readonly collection: Collection<EnrichmentDocument>;
  private readonly versioned: CompareAndSet<EnrichmentDocument>;

  constructor(private readonly db: Db) {
    this.collection = db.collection<EnrichmentDocument>(enrichmentsCollection.name);
    this.versioned = new CompareAndSet(db, this.collection, versionClaimsCollection, 'enrichmentId');
  }

  async list(tenantId: string): Promise<EnrichmentSummary[]> {
    const docs = await this.collection
      .find({ tenantId }, { projection: { 'mailboxes.resolved': 0, 'mailboxes.unresolved': 0, 'mailboxes.selections': 0 } })
      .sort({ updatedAt: -1 })
      .limit(500)
      .toArray();
    return docs.map((d) => ({
      id: d._id,
      name: d.name,
      entityName: d.entityName,
      state: stateOf(d),
      paused: d.paused,
      consentState: d.consent.state,
      datasetId: d.datasetId,
      mailboxCount: d.mailboxes.count,
      version: d.version,
      updatedAt: d.updatedAt.toISOString(),
    }));
  }

  /** Ids, names and creation dates of the tenant's enrichments (no configuration). */
  async names(tenantId: string): Promise<Array<{ id: string; name: string; entityName: string; createdAt: Date }>> {
    const docs = await this.collection.find({ tenantId }, { projection: { name: 1, nameKey: 1, entityName: 1, createdAt: 1 } }).sort({ nameKey: 1 }).limit(500).toArray();
    return docs.map((d) => ({ id: d._id, name: d.name, entityName: d.entityName, createdAt: d.createdAt }));
  }

  get(tenantId: string, id: string): Promise<EnrichmentDocument | null> {
    return this.collection.findOne({ tenantId, _id: id });
  }

  findByNameKey(tenantId: string, key: string): Promise<EnrichmentDocument | null> {
    return this.collection.findOne({ tenantId, nameKey: key });
  }

  /** The enrichments that use a dataset (refuses its deletion). */
  async usingDataset(tenantId: string, datasetId: string): Promise<Array<{ id: string; name: string }>> {
    const docs = await this.collection.find({ tenantId, datasetId }, { projection: { name: 1 } }).sort({ nameKey: 1 }).toArray();
    return docs.map((d) => ({ id: d._id, name: d.name }));
  }

  async insert(doc: EnrichmentDocument): Promise<void> {
    await this.collection.insertOne(doc);
  }

  /** Optimistic update: applies only at `expectedVersion` (one writer per version), and bumps the version. */
  async update(tenantId: string, id: string, expectedVersion: number, set: Partial<EnrichmentDocument>): Promise<WriteOutcome> {
    const doc = await this.versioned.update(tenantId, id, expectedVersion, set);
    return doc ? { ok: true, doc } : this.missOutcome(tenantId, id);
  }

  private async missOutcome(tenantId: string, id: string): Promise<WriteOutcome> {
    const current = await this.collection.findOne({ tenantId, _id: id }, { projection: { version: 1 } });
    return current ? { ok: false, reason: 'stale', currentVersion: current.version } : { ok: false, reason: 'not-found' };
  }

  /**
   * Consent changes come from outside the wizard (the callback, a check), so they do not bump
   * the version an admin's edit is based on; `onlyIf` guards the transition.
   */
  async setConsent(tenantId: string, id: string, consent: ConsentRecord, onlyIf: Partial<Record<'consent.state', ConsentState | { $in: ConsentState[] }>> = {}): Promise<EnrichmentDocument | null> {
    return updateIf(this.db, this.collection, { _id: id, tenantId }, onlyIf, { consent, updatedAt: new Date() });
  }

  async awaitingConsent(tenantId: string): Promise<EnrichmentDocument[]> {
    return this.collection.find({ tenantId, 'consent.state': { $in: ['awaiting', 'refused'] } }).toArray();
  }

  /** Deletes the enrichment (at a version when given) and everything it owns. */
  async delete(tenantId: string, id: string, expectedVersion?: number): Promise<WriteOutcome | { ok: true }> {
    const deleted = expectedVersion === undefined ? (await this.collection.deleteOne({ tenantId, _id: id })).deletedCount === 1 : await this.versioned.delete(tenantId, id, expectedVersion);
    if (!deleted) return this.missOutcome(tenantId, id);
    for (const name of ENRICHMENT_OWNED_COLLECTIONS) {
      await deleteInChunks(this.db.collection(name), { tenantId, enrichmentId: id });
    }
    for (const deleteOwned of ENRICHMENT_OWNED_DELETERS) await deleteOwned(this.db, tenantId, id);
    return { ok: true };
  }
}
