import type { Collection, Db } from 'mongodb';
import { datasetAccountsCollection, type DatasetDocument } from '../datasets/datasets.store';

interface AccountAttributesDocument {
  tenantId: string;
  versionId: string;
  accountId: string;
  attributes?: Record<string, string>;
}

/**
 * Account attributes (Industry, Country…) from the customer dataset, read-only. Output rows do
 * not carry them, and FerretDB has no $lookup, so grouping by one uses a precomputed map
 * "attribute value → account ids" per dataset version and attribute. Dataset versions are
 * immutable (a re-import writes a new version id), so the map never goes stale; it is bounded.
 */
export class AccountAttributes {
  private readonly accounts: Collection<AccountAttributesDocument>;
  private readonly groups = new Map<string, Promise<Map<string | null, string[]>>>();

  constructor(db: Db) {
    this.accounts = db.collection<AccountAttributesDocument>(datasetAccountsCollection.name);
  }

  async of(tenantId: string, dataset: DatasetDocument | null, accountId: string): Promise<Record<string, string>> {
    if (!dataset) return {};
    const doc = await this.accounts.findOne({ tenantId, versionId: dataset.accountsVersionId, accountId }, { projection: { attributes: 1 } });
    return doc?.attributes ?? {};
  }

  /** value → account ids; accounts with an empty value are under null. */
  groupsBy(tenantId: string, dataset: DatasetDocument, attribute: string): Promise<Map<string | null, string[]>> {
    const key = `${tenantId}:${dataset.accountsVersionId}:${attribute}`;
    let p = this.groups.get(key);
    if (!p) {
      p = this.load(tenantId, dataset.accountsVersionId, attribute);
      p.catch(() => this.groups.delete(key));
      if (this.groups.size > 50) this.groups.delete(this.groups.keys().next().value as string);
      this.groups.set(key, p);
    }
    return p;
  }

  private async load(tenantId: string, versionId: string, attribute: string): Promise<Map<string | null, string[]>> {
    const out = new Map<string | null, string[]>();
    const cursor = this.accounts.find({ tenantId, versionId }, { projection: { _id: 0, accountId: 1, [`attributes.${attribute}`]: 1 } }).batchSize(5000);
    for await (const d of cursor) {
      const v = d.attributes?.[attribute]?.trim() || null;
      const list = out.get(v) ?? out.set(v, []).get(v)!;
      list.push(d.accountId);
    }
    return out;
  }
}
