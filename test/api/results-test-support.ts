import type { Db } from 'mongodb';
import { EngineResultsStore, type ResultPointerDocument } from '../../api/src/runs/output/run-output.store';
import type { EnrichmentDocument } from '../../api/src/enrichments/enrichments.store';
import type { DatasetDocument } from '../../api/src/datasets/datasets.store';
import { rawScore } from '../../api/src/runs/domain/engagement-score';
import type { ScoreParts } from '../../api/src/snapshots/output-entity';
import type { OutputRow } from '../../api/src/snapshots/snapshot-schema';
import { SnapshotWriter } from '../../api/src/snapshots/snapshot-writer';
import { SnapshotsStore } from '../../api/src/snapshots/snapshots.store';

/**
 * Data factories for results readers: an enrichment, a dataset with account attributes, the
 * output rows of one run published as the engine publishes them (a snapshot written by the real
 * snapshot writer, stored by key, then the pointer flipped), with no engine run needed. Values
 * are deterministic pseudo-random, with nulls ("never") in the days-since columns, so a test can
 * compute what it expects from `generateRows` with the same options, in plain JavaScript.
 */
export const INDUSTRIES = ['Retail', 'Manufacturing', 'Finance', 'Health', 'Energy'];
const DAY_MS = 86_400_000;

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 0x1_0000_0000;
  };
}

export interface SeedOptions {
  tenantId: string;
  enrichmentId: string;
  runId: string;
  accounts: number;
  asOf?: Date;
  /** Share of accounts that also get Month and Week rows (the rest: the Year row only). */
  activeShare?: number;
  /** How many weeks and months an active account gets (≤ 53 / 12). */
  weeks?: number;
  months?: number;
  seed?: number;
  datasetId?: string;
  /** Write the enrichment and dataset documents (false when they exist). */
  withEnrichment?: boolean;
  flip?: boolean;
  /** Told of the flip, as the engine tells the process it runs in (the API's `results.published`). */
  publish?: (pointer: ResultPointerDocument) => void;
  /** Snapshots kept per enrichment (RESULTS_SNAPSHOTS_KEPT). */
  keep?: number;
  /** Also store the dataset's account documents (readers do not need them; the bench skips them). */
  datasetAccounts?: boolean;
}

export type GeneratedRow = OutputRow;

/** The dataset attributes the seeded accounts carry: every 7th account has none (the null group). */
export function industryOf(i: number): string | null {
  return i % 7 === 0 ? null : INDUSTRIES[i % INDUSTRIES.length]!;
}

/** The seeded accounts' domains (some have none), searched like names and ids. */
export function domainsOf(i: number): string[] {
  return i % 3 === 0 ? [] : [`acct${i}.example.org`];
}

export function accountIdOf(i: number): string {
  return `ACC-${String(i).padStart(6, '0')}`;
}

const NAMES = ['Contoso', 'Fabrikam', 'Northwind', 'Adventure', 'Tailspin', 'Litware', 'Proseware', '=Formula', 'Woodgrove', 'Alpine'];

export function* generateRows(o: Omit<SeedOptions, 'tenantId' | 'enrichmentId' | 'runId'>): Generator<GeneratedRow> {
  const asOf = (o.asOf ?? new Date('2026-03-02T00:00:00Z')).getTime();
  const rand = rng(o.seed ?? 7);
  const share = o.activeShare ?? 0.3;
  const windowStart = new Date(asOf - 365 * DAY_MS).toISOString();
  for (let i = 0; i < o.accounts; i++) {
    const id = accountIdOf(i);
    const name = `${NAMES[i % NAMES.length]} ${i}`;
    const active = rand() < 0.85;
    const row = (level: GeneratedRow['AggregationLevel'], start: string, scale: number): GeneratedRow => {
      const et = active ? Math.floor(rand() * 40 * scale) : 0;
      const ef = active ? Math.floor(rand() * 30 * scale) : 0;
      const mt = active ? Math.floor(rand() * 8 * scale) : 0;
      const mf = active ? Math.floor(rand() * 5 * scale) : 0;
      const lastEmail = et + ef > 0 ? Math.floor(rand() * 200) : null;
      const lastMeeting = mt + mf > 0 ? Math.floor(rand() * 200) : null;
      // Every item decayed by the same factor, with one of the account's people per item at most.
      const decay = 2 ** (-Math.min(lastEmail ?? 365, lastMeeting ?? 365) / 30);
      const split = { activityEmailsToAccount: et * decay, activityEmailsFromAccount: 2 * ef * decay, activityMeetingsByOrganisation: 3 * mt * decay, activityMeetingsByAccount: 4 * mf * decay };
      const activity = split.activityEmailsToAccount + split.activityEmailsFromAccount + split.activityMeetingsByOrganisation + split.activityMeetingsByAccount;
      const people = et + ef + mt + mf > 0 ? 1 + Math.floor(rand() * Math.min(6, et + ef + mt + mf)) : 0;
      const raw = rawScore(activity, people);
      const lastContact = [lastEmail, lastMeeting].filter((d): d is number => d !== null);
      const parts: ScoreParts = {
        activity, ...split, people, raw,
        recentEmails: Math.floor((et + ef) / 4), recentMeetings: Math.floor((mt + mf) / 4),
        daysSinceLastContact: lastContact.length ? Math.min(...lastContact) : null, halfLifeDays: 30,
      };
      return {
        AccountId: id, AccountName: name, AggregationLevel: level, AggregationStartDate: start,
        NoOfEmails_ToAccount: et, NoOfEmails_FromAccount: ef, NoOfMeetings_FromAccount: mf, NoOfMeetings_ToAccount: mt,
        NoOfContactsInvolved_Emails: Math.floor(rand() * 5), NoOfContactsInvolved_Meetings: Math.floor(rand() * 4),
        NoOfAccountContactsInvolved_Emails: Math.floor(rand() * 6), NoOfAccountContactsInvolved_Meetings: Math.floor(rand() * 3),
        EngagementStartDate: et + ef + mt + mf > 0 ? new Date(asOf - Math.floor(rand() * 360) * DAY_MS).toISOString() : null,
        DaysSinceLastEmail: lastEmail, DaysSinceLastMeeting: lastMeeting,
        AverageDuration_Of_Meetings: mt + mf > 0 ? 15 + Math.floor(rand() * 90) : null,
        AverageDuration_Of_AccountEmailReplies: ef > 0 ? Math.floor(rand() * 3000) : null,
        EngagementScore: raw > 0 ? Math.max(1, Math.round(raw * 12) % 101) : 0,
        ScoreParts: parts,
      };
    };
    yield row('Year', windowStart, 1);
    if (active && rand() < share) {
      for (let m = 0; m < (o.months ?? 12); m++) {
        const d = new Date(asOf);
        yield row('Month', new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - m, 1)).toISOString(), 0.1);
      }
      const monday = (() => {
        const day = Math.floor(asOf / DAY_MS) * DAY_MS;
        return day - ((new Date(day).getUTCDay() + 6) % 7) * DAY_MS;
      })();
      for (let w = 0; w < (o.weeks ?? 53); w++) yield row('Week', new Date(monday - w * 7 * DAY_MS).toISOString(), 0.03);
    }
  }
}

export async function seedResult(db: Db, o: SeedOptions): Promise<{ rows: number; datasetId: string; pointer: ResultPointerDocument | null }> {
  const asOf = o.asOf ?? new Date('2026-03-02T00:00:00Z');
  const datasetId = o.datasetId ?? `ds_${o.enrichmentId}`;
  if (o.withEnrichment !== false) {
    const now = new Date();
    const versionId = `v_${datasetId}`;
    await db.collection<DatasetDocument>('datasets').insertOne({
      _id: datasetId, tenantId: o.tenantId, name: `Dataset ${o.enrichmentId}`, nameKey: `dataset ${o.enrichmentId}`, version: 1,
      accountsVersionId: versionId, contactsVersionId: `c_${versionId}`, accountCount: o.accounts, contactCount: 0,
      accountAttributes: ['Industry'], contactFields: ['Email', 'AccountId'], emailField: 'Email', accountIdField: 'AccountId',
      createdAt: now, updatedAt: now, createdBy: 'test', updatedBy: 'test',
    });
    const accounts = [];
    for (let i = 0; i < (o.datasetAccounts === false ? 0 : o.accounts); i++) {
      const industry = industryOf(i);
      accounts.push({ tenantId: o.tenantId, versionId, accountId: accountIdOf(i), name: `Account ${i}`, nameKey: `account ${i}`, domains: domainsOf(i), attributes: industry ? { Industry: industry } : {} });
      if (accounts.length === 5000) await db.collection('dataset_accounts').insertMany(accounts.splice(0));
    }
    if (accounts.length) await db.collection('dataset_accounts').insertMany(accounts);
    await db.collection<EnrichmentDocument>('enrichments').insertOne({
      _id: o.enrichmentId, tenantId: o.tenantId, name: `Enrichment ${o.enrichmentId}`, nameKey: `enrichment ${o.enrichmentId}`, entityName: 'Office',
      mailboxes: { selections: [], resolved: [], unresolved: [], count: 0 }, datasetId, mapping: { emailField: 'Email', accountIdField: 'AccountId' },
      exclusions: { addresses: [], domains: [] }, matchAccountDomains: false, consentAgreement: { agreedBy: 'test', agreedAt: now },
      consent: { state: 'consented' } as EnrichmentDocument['consent'], paused: false, version: 1, createdBy: 'test', updatedBy: 'test', createdAt: now, updatedAt: now,
    });
  }
  const published = await publishRows(db, o, generateRows(o));
  return { rows: published.rows, datasetId, pointer: published.pointer };
}

/**
 * Publishes rows as the engine does: the real snapshot writer, the chunked store, then the
 * pointer flip (`flip: false` stores the snapshot only). Accounts are registered from the rows,
 * with the seeded domains and Industry unless `accountOf` says otherwise.
 */
export async function publishRows(
  db: Db,
  o: Pick<SeedOptions, 'tenantId' | 'enrichmentId' | 'runId' | 'asOf' | 'flip' | 'publish' | 'keep'>,
  source: Iterable<GeneratedRow>,
  accountOf: (row: GeneratedRow) => { domains: string[]; attributes: Record<string, string> } = (r) => {
    const i = Number(r.AccountId.slice(4));
    const industry = industryOf(i);
    const attributes: Record<string, string> = industry ? { Industry: industry } : {};
    return { domains: domainsOf(i), attributes };
  },
): Promise<{ rows: number; bytes: number; pointer: ResultPointerDocument | null }> {
  const asOf = o.asOf ?? new Date('2026-03-02T00:00:00Z');
  const writer = await SnapshotWriter.open({ attributes: ['Industry'] });
  let rows = 0;
  let bytes = 0;
  try {
    let account = '';
    for (const r of source) {
      if (r.AccountId !== account) {
        account = r.AccountId;
        writer.account({ id: r.AccountId, name: r.AccountName, ...accountOf(r) });
      }
      writer.add(r, r.EngagementScore);
      rows++;
    }
    const file = await writer.finish({ runId: o.runId, asOf });
    bytes = file.bytes;
    await new SnapshotsStore(db).save({ tenantId: o.tenantId, enrichmentId: o.enrichmentId, runId: o.runId }, file.path, file.facts);
  } finally {
    writer.close();
  }
  let pointer: ResultPointerDocument | null = null;
  if (o.flip !== false) {
    pointer = await new EngineResultsStore(db).flip(o.tenantId, o.enrichmentId, o.runId, asOf, o.keep ?? 8);
    o.publish?.(pointer);
  }
  return { rows, bytes, pointer };
}

/** The rows `seedResult` wrote for these options, for computing expectations in plain JavaScript. */
export function seededRows(o: Omit<SeedOptions, 'tenantId' | 'enrichmentId' | 'runId'>, level?: GeneratedRow['AggregationLevel']): GeneratedRow[] {
  const out = [...generateRows(o)];
  return level ? out.filter((r) => r.AggregationLevel === level) : out;
}
