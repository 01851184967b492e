import type { Db } from 'mongodb';
import type { DatasetDocument } from '../../api/src/datasets/datasets.store';
import { DatasetsStore } from '../../api/src/datasets/datasets.store';
import type { EnrichmentDocument } from '../../api/src/enrichments/enrichments.store';
import { EnrichmentsStore } from '../../api/src/enrichments/enrichments.store';
import { EngineResultsStore, type ResultPointerDocument } from '../../api/src/runs/output/run-output.store';
import type { OutputRow } from '../../api/src/snapshots/snapshot-schema';
import { SnapshotWriter } from '../../api/src/snapshots/snapshot-writer';
import { SnapshotsStore } from '../../api/src/snapshots/snapshots.store';
import { generateRows } from './results-test-support';

/**
 * Data factories for account alerts: an enrichment whose dataset has an Owner column, and runs
 * of it published as the engine publishes them (the real snapshot writer, the chunked store, the
 * pointer flip), each account's Year row before and after.
 */
const TEMPLATE = [...generateRows({ accounts: 1, activeShare: 0 })][0]!;

export interface AccountSpec {
  id: string;
  name: string;
  owner: string | null;
  before: { email: number | null; meeting: number | null; score: number };
  after: { email: number | null; meeting: number | null; score: number };
}

function yearRow(a: AccountSpec, when: 'before' | 'after'): OutputRow {
  const v = a[when];
  return { ...TEMPLATE, AccountId: a.id, AccountName: a.name, DaysSinceLastEmail: v.email, DaysSinceLastMeeting: v.meeting, EngagementScore: v.score };
}

export async function publishAlertRun(db: Db, tenantId: string, enrichmentId: string, runId: string, accounts: AccountSpec[], when: 'before' | 'after', asOf: Date): Promise<ResultPointerDocument> {
  const writer = await SnapshotWriter.open({ attributes: ['Owner', 'Region'] });
  try {
    for (const a of [...accounts].sort((x, y) => x.id.localeCompare(y.id))) {
      writer.account({ id: a.id, name: a.name, domains: [], attributes: a.owner ? { Owner: a.owner, Region: 'North' } : { Region: 'North' } });
      const row = yearRow(a, when);
      writer.add(row, row.EngagementScore);
    }
    const file = await writer.finish({ runId, asOf });
    await new SnapshotsStore(db).save({ tenantId, enrichmentId, runId }, file.path, file.facts);
  } finally {
    writer.close();
  }
  return new EngineResultsStore(db).flip(tenantId, enrichmentId, runId, asOf, 8);
}

export async function seedAlertEnrichment(db: Db, tenantId: string, name: string, ownerField: string | null): Promise<string> {
  const now = new Date();
  const datasetId = DatasetsStore.newId('ds');
  const dataset: DatasetDocument = {
    _id: datasetId, tenantId, name: `${name} customers`, nameKey: `${name} customers`.toLowerCase(), version: 1, accountsVersionId: `v_${datasetId}`, contactsVersionId: `c_${datasetId}`,
    accountCount: 9, contactCount: 0, accountAttributes: ['Owner', 'Region'], contactFields: ['Email', 'AccountId'], emailField: 'Email', accountIdField: 'AccountId',
    createdAt: now, updatedAt: now, createdBy: 'test', updatedBy: 'test',
  };
  await db.collection<DatasetDocument>('datasets').insertOne(dataset);
  const doc: EnrichmentDocument = {
    _id: DatasetsStore.newId('enr'), tenantId, name, nameKey: name.toLowerCase(), entityName: 'Office',
    mailboxes: { selections: [], resolved: [], unresolved: [], count: 0 }, datasetId, mapping: { emailField: 'Email', accountIdField: 'AccountId', ownerField },
    exclusions: { addresses: [], domains: [] }, matchAccountDomains: false, consentAgreement: { agreedBy: 'test', agreedAt: now },
    consent: { state: 'consented' } as EnrichmentDocument['consent'], paused: false, version: 1, createdBy: 'test', updatedBy: 'test', createdAt: now, updatedAt: now,
  };
  await new EnrichmentsStore(db).insert(doc);
  return doc._id;
}
