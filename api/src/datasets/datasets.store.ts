import { randomUUID } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import type { CollectionSpec } from '../platform/db/collection-spec';
import { isWellFormedAddress, normalizeAddress, type AccountRow, type ContactRow, type Rejection } from './dataset-rows';
import { CompareAndSet, versionClaimsSpec } from '../platform/db/compare-and-set';
import { deleteInChunks } from '../platform/db/delete-in-chunks';
import { updateIf } from '../platform/db/update-if';

/**
 * Customer datasets. Rows are stored per *version id* (one per upload); the dataset document
 * points at the accounts and contacts versions that are current, and a commit swaps both
 * pointers in a single document update. Rows of other versions are invisible to readers, so a
 * re-import never shows half a dataset and needs no multi-document transaction.
 */

export interface DatasetDocument {
  _id: string;
  tenantId: string;
  name: string;
  nameKey: string;
  version: number;
  accountsVersionId: string;
  contactsVersionId: string;
  accountCount: number;
  contactCount: number;
  accountAttributes: string[];
  contactFields: string[];
  emailField: string;
  accountIdField: string;
  createdAt: Date;
  updatedAt: Date;
  createdBy: string;
  updatedBy: string;
}

export interface StageDocument {
  versionId: string;
  mapping: Record<string, string>;
  columns: string[];
  received: number;
  valid: number;
  rejected: number;
}

export type ImportStatus = 'open' | 'committing' | 'committed' | 'discarded';

export interface ImportDocument {
  _id: string;
  tenantId: string;
  name: string;
  nameKey: string;
  datasetId: string | null;
  status: ImportStatus;
  accounts: StageDocument | null;
  contacts: StageDocument | null;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
}

interface AccountRowDocument extends AccountRow {
  tenantId: string;
  versionId: string;
  nameKey: string;
}

interface ContactRowDocument extends ContactRow {
  tenantId: string;
  versionId: string;
}

interface RejectionDocument extends Rejection {
  tenantId: string;
  versionId: string;
}

export const datasetsCollection: CollectionSpec = {
  name: 'datasets',
  indexes: [
    { name: 'tenant_name_unique', key: { tenantId: 1, nameKey: 1 }, options: { unique: true } },
    { name: 'tenant_updated', key: { tenantId: 1, updatedAt: -1 } },
  ],
};
export const datasetImportsCollection: CollectionSpec = {
  name: 'dataset_imports',
  indexes: [{ name: 'tenant_expires', key: { tenantId: 1, expiresAt: 1 } }],
};
export const datasetAccountsCollection: CollectionSpec = {
  name: 'dataset_accounts',
  indexes: [
    { name: 'tenant_version_account_unique', key: { tenantId: 1, versionId: 1, accountId: 1 }, options: { unique: true } },
    { name: 'tenant_version_name', key: { tenantId: 1, versionId: 1, nameKey: 1 } },
  ],
};
export const datasetContactsCollection: CollectionSpec = {
  name: 'dataset_contacts',
  indexes: [
    // The normalised address, indexed: address → account lookups are exact-match on it.
    { name: 'tenant_version_address_unique', key: { tenantId: 1, versionId: 1, address: 1 }, options: { unique: true } },
    { name: 'tenant_version_account', key: { tenantId: 1, versionId: 1, accountId: 1 } },
  ],
};
export const datasetRejectionsCollection: CollectionSpec = {
  name: 'dataset_rejections',
  indexes: [{ name: 'tenant_version_row', key: { tenantId: 1, versionId: 1, row: 1 } }],
};

/** On FerretDB, the versions dataset commits were based on (see platform/db/compare-and-set.ts). */
export const datasetVersionClaimsCollection: CollectionSpec = versionClaimsSpec('dataset_version_claims', 'datasetId');

export const DATASET_COLLECTIONS: CollectionSpec[] = [
  datasetsCollection,
  datasetVersionClaimsCollection,
  datasetImportsCollection,
  datasetAccountsCollection,
  datasetContactsCollection,
  datasetRejectionsCollection,
];

export interface ContactMapping {
  emailField: string;
  accountIdField: string;
}

const BATCH = 1000;

export class DatasetsStore {
  readonly datasets: Collection<DatasetDocument>;
  readonly imports: Collection<ImportDocument>;
  private readonly accounts: Collection<AccountRowDocument>;
  private readonly contacts: Collection<ContactRowDocument>;
  private readonly rejections: Collection<RejectionDocument>;
  private readonly versioned: CompareAndSet<DatasetDocument>;
  private readonly versionClaims: Collection<{ _id: string; tenantId: string; datasetId: string }>;

  constructor(private readonly db: Db) {
    this.datasets = db.collection<DatasetDocument>(datasetsCollection.name);
    this.imports = db.collection<ImportDocument>(datasetImportsCollection.name);
    this.accounts = db.collection<AccountRowDocument>(datasetAccountsCollection.name);
    this.contacts = db.collection<ContactRowDocument>(datasetContactsCollection.name);
    this.rejections = db.collection<RejectionDocument>(datasetRejectionsCollection.name);
    this.versioned = new CompareAndSet(db, this.datasets, datasetVersionClaimsCollection, 'datasetId');
    this.versionClaims = db.collection(datasetVersionClaimsCollection.name);
  }

  static newId(prefix: string): string {
    return `${prefix}_${randomUUID().replace(/-/g, '')}`;
  }

  // ---- datasets -------------------------------------------------------------------------

  list(tenantId: string): Promise<DatasetDocument[]> {
    return this.datasets.find({ tenantId }).sort({ updatedAt: -1 }).limit(500).toArray();
  }

  get(tenantId: string, datasetId: string): Promise<DatasetDocument | null> {
    return this.datasets.findOne({ tenantId, _id: datasetId });
  }

  findByNameKey(tenantId: string, nameKey: string): Promise<DatasetDocument | null> {
    return this.datasets.findOne({ tenantId, nameKey });
  }

  async countDatasetsWithContacts(tenantId: string): Promise<number> {
    return this.datasets.countDocuments({ tenantId, accountCount: { $gt: 0 }, contactCount: { $gt: 0 } });
  }

  async insertDataset(doc: DatasetDocument): Promise<void> {
    await this.datasets.insertOne(doc);
  }

  /** The pointer flip: succeeds only when nobody else committed since `expected` was read (every commit bumps the version). */
  async flipVersion(
    tenantId: string,
    expected: DatasetDocument,
    next: Omit<DatasetDocument, '_id' | 'tenantId' | 'name' | 'nameKey' | 'version' | 'createdAt' | 'createdBy'>,
  ): Promise<boolean> {
    return (await this.versioned.update(tenantId, expected._id, expected.version, next)) !== null;
  }

  async deleteDataset(tenantId: string, dataset: DatasetDocument): Promise<boolean> {
    const r = await this.datasets.deleteOne({ tenantId, _id: dataset._id });
    if (r.deletedCount === 1) {
      await this.deleteRows(tenantId, [dataset.accountsVersionId, dataset.contactsVersionId]);
      await deleteInChunks(this.versionClaims, { tenantId, datasetId: dataset._id });
    }
    return r.deletedCount === 1;
  }

  /** Removes staged or superseded rows; they are invisible already, so this is housekeeping. */
  async deleteRows(tenantId: string, versionIds: string[]): Promise<void> {
    const ids = versionIds.filter(Boolean);
    if (!ids.length) return;
    // In chunks: a version of 100,000 contacts is more than one delete statement may name on FerretDB.
    await Promise.all([deleteInChunks(this.accounts, { tenantId, versionId: { $in: ids } }), deleteInChunks(this.contacts, { tenantId, versionId: { $in: ids } })]);
  }

  async deleteRejections(tenantId: string, versionIds: string[]): Promise<void> {
    const ids = versionIds.filter(Boolean);
    if (ids.length) await deleteInChunks(this.rejections, { tenantId, versionId: { $in: ids } });
  }

  // ---- staged rows ----------------------------------------------------------------------

  /** Buffers rows and writes them in unordered batches. */
  rowWriter(tenantId: string, versionId: string) {
    let accounts: AccountRowDocument[] = [];
    let contacts: ContactRowDocument[] = [];
    let rejections: RejectionDocument[] = [];
    const flush = async (force: boolean) => {
      if (accounts.length >= BATCH || (force && accounts.length)) {
        const batch = accounts;
        accounts = [];
        await this.accounts.insertMany(batch, { ordered: false });
      }
      if (contacts.length >= BATCH || (force && contacts.length)) {
        const batch = contacts;
        contacts = [];
        await this.contacts.insertMany(batch, { ordered: false });
      }
      if (rejections.length >= BATCH || (force && rejections.length)) {
        const batch = rejections;
        rejections = [];
        await this.rejections.insertMany(batch, { ordered: false });
      }
    };
    return {
      account: async (row: AccountRow) => {
        accounts.push({ ...row, tenantId, versionId, nameKey: row.name.toLowerCase() });
        await flush(false);
      },
      contact: async (row: ContactRow) => {
        contacts.push({ ...row, tenantId, versionId });
        await flush(false);
      },
      rejection: async (r: Rejection) => {
        rejections.push({ ...r, tenantId, versionId });
        await flush(false);
      },
      end: () => flush(true),
    };
  }

  async accountIds(tenantId: string, versionId: string): Promise<Set<string>> {
    const ids = new Set<string>();
    for await (const d of this.accounts.find({ tenantId, versionId }, { projection: { _id: 0, accountId: 1 } })) ids.add(d.accountId);
    return ids;
  }

  async listRejections(tenantId: string, versionIds: string[], offset: number, limit: number): Promise<{ items: Rejection[]; total: number }> {
    const filter = { tenantId, versionId: { $in: versionIds } };
    const [docs, total] = await Promise.all([
      this.rejections.find(filter, { projection: { _id: 0, tenantId: 0, versionId: 0 } }).sort({ stage: 1, row: 1 }).skip(offset).limit(limit).toArray(),
      this.rejections.countDocuments(filter),
    ]);
    return { items: docs as Rejection[], total };
  }

  streamRejections(tenantId: string, versionIds: string[]): AsyncIterable<Rejection> {
    return this.rejections
      .find({ tenantId, versionId: { $in: versionIds } }, { projection: { _id: 0, tenantId: 0, versionId: 0 } })
      .sort({ stage: 1, row: 1 }) as unknown as AsyncIterable<Rejection>;
  }

  // ---- reads for the wizard and the engine ----------------------------------------------

  /** A few contacts of the current version, for sample values. */
  sampleContacts(tenantId: string, dataset: DatasetDocument, limit: number): Promise<ContactRow[]> {
    return this.contacts
      .find({ tenantId, versionId: dataset.contactsVersionId }, { projection: { _id: 0, tenantId: 0, versionId: 0 } })
      .limit(limit)
      .toArray();
  }

  /** Every contact of the current version, streamed. */
  streamContacts(tenantId: string, dataset: DatasetDocument): AsyncIterable<ContactRow> {
    return this.contacts.find({ tenantId, versionId: dataset.contactsVersionId }, { projection: { _id: 0, tenantId: 0, versionId: 0 } }) as unknown as AsyncIterable<ContactRow>;
  }

  /** Every account of the current version, streamed (attributes included, for grouping). */
  streamAccounts(tenantId: string, dataset: DatasetDocument): AsyncIterable<AccountRow> {
    return this.accounts.find({ tenantId, versionId: dataset.accountsVersionId }, { projection: { _id: 0, tenantId: 0, versionId: 0, nameKey: 0 } }) as unknown as AsyncIterable<AccountRow>;
  }

  /**
   * address → accountId for a dataset under an enrichment's mapping, built by streaming the
   * current contacts once (O(1) lookups afterwards). Addresses are normalised; contacts whose
   * mapped address is malformed, or whose account is not in the dataset, are left out.
   */
  async contactAddressMap(tenantId: string, datasetId: string, mapping?: ContactMapping): Promise<Map<string, string>> {
    const dataset = await this.get(tenantId, datasetId);
    const out = new Map<string, string>();
    if (!dataset) return out;
    const m = mapping ?? { emailField: dataset.emailField, accountIdField: dataset.accountIdField };
    const importMapping = m.emailField === dataset.emailField && m.accountIdField === dataset.accountIdField;
    const accounts = importMapping ? undefined : await this.accountIds(tenantId, dataset.accountsVersionId);
    // With the import's own columns the normalised, indexed fields suffice: read only those.
    const rows = importMapping
      ? (this.contacts.find({ tenantId, versionId: dataset.contactsVersionId }, { projection: { _id: 0, address: 1, accountId: 1 } }) as unknown as AsyncIterable<ContactRow>)
      : this.streamContacts(tenantId, dataset);
    for await (const c of rows) {
      const resolved = resolveContact(c, m, importMapping, accounts);
      if (resolved && !out.has(resolved.address)) out.set(resolved.address, resolved.accountId);
    }
    return out;
  }

  /** Exact account domain → accountId; a domain two accounts claim is left out (ambiguous). */
  async accountDomainMap(tenantId: string, datasetId: string): Promise<Map<string, string>> {
    const dataset = await this.get(tenantId, datasetId);
    const out = new Map<string, string>();
    if (!dataset) return out;
    const ambiguous = new Set<string>();
    for await (const a of this.streamAccounts(tenantId, dataset)) {
      for (const d of a.domains) {
        if (ambiguous.has(d)) continue;
        const owner = out.get(d);
        if (owner !== undefined && owner !== a.accountId) {
          out.delete(d);
          ambiguous.add(d);
        } else out.set(d, a.accountId);
      }
    }
    return out;
  }

  async mappingStats(
    tenantId: string,
    dataset: DatasetDocument,
    mapping: ContactMapping,
  ): Promise<{ contactCount: number; usableAddressCount: number; unknownAccountCount: number }> {
    const importMapping = mapping.emailField === dataset.emailField && mapping.accountIdField === dataset.accountIdField;
    if (importMapping) return { contactCount: dataset.contactCount, usableAddressCount: dataset.contactCount, unknownAccountCount: 0 };
    const accounts = await this.accountIds(tenantId, dataset.accountsVersionId);
    let usable = 0;
    let unknown = 0;
    let total = 0;
    const seen = new Set<string>();
    for await (const c of this.streamContacts(tenantId, dataset)) {
      total++;
      const accountId = (c.fields[mapping.accountIdField] ?? '').trim();
      if (accountId && !accounts.has(accountId)) unknown++;
      const resolved = resolveContact(c, mapping, false, accounts);
      if (resolved && !seen.has(resolved.address)) {
        seen.add(resolved.address);
        usable++;
      }
    }
    return { contactCount: total, usableAddressCount: usable, unknownAccountCount: unknown };
  }

  // ---- import sessions ------------------------------------------------------------------

  async insertImport(doc: ImportDocument): Promise<void> {
    await this.imports.insertOne(doc);
  }

  getImport(tenantId: string, importId: string): Promise<ImportDocument | null> {
    return this.imports.findOne({ tenantId, _id: importId });
  }

  /** Records a finished upload only while the session is still open. */
  async setStage(tenantId: string, importId: string, stage: 'accounts' | 'contacts', value: StageDocument, clearContacts: boolean): Promise<boolean> {
    const set: Record<string, unknown> = { [stage]: value };
    if (clearContacts) set.contacts = null;
    return (await updateIf(this.db, this.imports, { _id: importId, tenantId }, { status: 'open' }, set)) !== null;
  }

  async transitionImport(tenantId: string, importId: string, from: ImportStatus, to: ImportStatus): Promise<boolean> {
    return (await updateIf(this.db, this.imports, { _id: importId, tenantId }, { status: from }, { status: to })) !== null;
  }

  /** Sessions past their expiry: their staged rows, rejections and the sessions themselves go. */
  async purgeExpiredImports(tenantId: string, now: Date): Promise<void> {
    const expired = await this.imports.find({ tenantId, expiresAt: { $lt: now }, status: { $ne: 'committing' } }).limit(100).toArray();
    for (const s of expired) {
      const versions = [s.accounts?.versionId, s.contacts?.versionId].filter((v): v is string => Boolean(v));
      if (s.status !== 'committed') await this.deleteRows(tenantId, versions);
      await this.deleteRejections(tenantId, versions);
      await this.imports.deleteOne({ tenantId, _id: s._id });
    }
  }
}

function resolveContact(
  c: ContactRow,
  m: ContactMapping,
  importMapping: boolean,
  accounts: ReadonlySet<string> | undefined,
): { address: string; accountId: string } | undefined {
  if (importMapping) return { address: c.address, accountId: c.accountId };
  const address = normalizeAddress(c.fields[m.emailField] ?? '');
  const accountId = (c.fields[m.accountIdField] ?? '').trim();
  if (!address || !accountId || !isWellFormedAddress(address)) return undefined;
  if (accounts && !accounts.has(accountId)) return undefined;
  return { address, accountId };
}
