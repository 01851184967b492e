import type { Collection, Db, Filter } from 'mongodb';
import type { CollectionSpec } from '../platform/db/collection-spec';

export interface AccountDocument {
  tenantId: string;
  datasetId: string;
  accountId: string;
  name: string;
  /** Lower-cased name for prefix search on an index. */
  nameKey: string;
  domains: string[];
}

export const accountsCollection: CollectionSpec = {
  name: 'accounts',
  indexes: [
    { name: 'tenant_dataset_account_unique', key: { tenantId: 1, datasetId: 1, accountId: 1 }, options: { unique: true } },
    { name: 'tenant_name', key: { tenantId: 1, nameKey: 1 } },
    { name: 'tenant_account', key: { tenantId: 1, accountId: 1 } },
  ],
};

export interface AccountSummary {
  id: string;
  name: string;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class AccountsStore {
  private readonly collection: Collection<AccountDocument>;

  constructor(db: Db) {
    this.collection = db.collection<AccountDocument>(accountsCollection.name);
  }

  /** Prefix search on name or exact account id, tenant-scoped; both sides use an index. */
  async search(tenantId: string, term: string, limit: number): Promise<{ items: AccountSummary[]; total: number }> {
    const t = term.trim();
    const filter: Filter<AccountDocument> = t
      ? { tenantId, $or: [{ nameKey: { $regex: `^${escapeRegex(t.toLowerCase())}` } }, { accountId: t }] }
      : { tenantId };
    const [docs, total] = await Promise.all([
      this.collection.find(filter).sort({ nameKey: 1 }).limit(limit).toArray(),
      this.collection.countDocuments(filter),
    ]);
    return { items: docs.map((d) => ({ id: d.accountId, name: d.name })), total };
  }
}
