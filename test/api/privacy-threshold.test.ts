import request from 'supertest';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultRows } from '../../api/src/platform/duckdb/duckdb-pool';
import { withSnapshotFile } from '../../api/src/snapshots/snapshot-file';
import { computeExpectedResult } from '../../simulator/src/tenant/expected-aggregates';
import type { ExpectedRow } from '../../simulator/src/tenant/tenant.types';
import { isEnded, seedDataset, seedEnrichment, startRuntime, waitForRun, type Runtime } from '../runs/run-test-support';
import { startAdminHarness, type AdminTestHarness } from './enrichments-test-support';

/**
 * The privacy threshold k end to end: an admin sets k on an enrichment, a real run against the
 * simulator publishes, and then every way a seller (or an app) reads results — grid rows, CSV,
 * Parquet, segment counts, measures and the customer card — shows the withheld rows as withheld
 * and gives no way back to their figures. The oracle (the simulator's own aggregation of the
 * same mailboxes) says which rows involve fewer than k colleagues.
 */
let h: AdminTestHarness;
let runtime: Runtime;
let admin: string;
let seller: string;
let tenantId: string;
let enrichmentId: string;
let oracle: ExpectedRow[];
const K = 2;
const COUNTS = ['NoOfEmails_ToAccount', 'NoOfEmails_FromAccount', 'NoOfMeetings_FromAccount', 'NoOfMeetings_ToAccount', 'NoOfContactsInvolved_Emails', 'NoOfContactsInvolved_Meetings', 'EngagementScore'] as const;
const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
const key = (r: Partial<Record<'AccountId' | 'AggregationLevel' | 'AggregationStartDate', unknown>>) => `${String(r.AccountId)}|${String(r.AggregationLevel)}|${String(r.AggregationStartDate)}`;
/** Surely under k: even if no colleague was on both emails and meetings, fewer than k in all. */
const surelyUnder = (r: ExpectedRow) => r.NoOfContactsInvolved_Emails + r.NoOfContactsInvolved_Meetings > 0 && r.NoOfContactsInvolved_Emails + r.NoOfContactsInvolved_Meetings < K;
type Row = Record<string, string | number | boolean | null>;

async function allRows(level: string): Promise<Row[]> {
  const out: Row[] = [];
  for (let offset = 0; ; offset += 500) {
    const res = await request(h.app).get(`/api/enrichments/${enrichmentId}/results/rows?level=${level}&limit=500&offset=${offset}&sort=AccountId&order=asc`).set(auth(seller)).expect(200);
    out.push(...(res.body.items as Row[]));
    if (offset + 500 >= res.body.total) return out;
  }
}

beforeAll(async () => {
  h = await startAdminHarness('privacy-threshold');
  const handle = h.sim.tenants().find((x) => x.tenant.spec.slug === 'contoso')!;
  tenantId = handle.tenantId;
  admin = await h.tokenFor(tenantId, h.persona(tenantId, 'enrichmentAdmin'));
  seller = await h.tokenFor(tenantId, h.persona(tenantId, 'seller'));
  const dataset = await seedDataset(h.db, tenantId, handle.tenant);
  const selected = handle.tenant.users.slice(0, 3).map((u) => ({ userId: u.id, mail: u.mail }));
  enrichmentId = (await seedEnrichment(h.db, tenantId, dataset._id, selected, { name: 'Privacy demo' }))._id;
  runtime = await startRuntime(h.db, h.sim, tenantId);
  const asOf = handle.now();
  oracle = computeExpectedResult(handle.tenant, { selectedUserIds: selected.map((s) => s.userId), asOf, halfLifeDays: 30 }).rows;
  // k is set through the API, as the enrichment page does.
  const e = await request(h.app).get(`/api/enrichments/${enrichmentId}`).set(auth(admin)).expect(200);
  const set = await request(h.app).put(`/api/enrichments/${enrichmentId}/privacy-threshold`).set(auth(admin)).send({ privacyThreshold: K, version: e.body.version }).expect(200);
  expect(set.body.privacyThreshold).toBe(K);
  const run = await runtime.runs.start({ tenantId, enrichmentId, trigger: 'manual', requestedBy: 'test', asOf });
  expect((await waitForRun(runtime.runs, run, isEnded, 120_000)).state).toBe('completed');
  // This API process learns of the publish by polling the pointer: wait for the state, not a duration.
  for (const deadline = Date.now() + 30_000; ; ) {
    const current = (await request(h.app).get(`/api/enrichments/${enrichmentId}/results`).set(auth(seller))).body.current?.runId;
    if (current === run._id) break;
    if (Date.now() > deadline) throw new Error(`the API still serves ${String(current)}, not ${run._id}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}, 180_000);
afterAll(async () => {
  await runtime?.stop();
  await h?.close();
});

describe('privacy threshold k', () => {
  it('when an admin sets k out of range or a seller tries, then it is refused and nothing changes', async () => {
    const before = (await request(h.app).get(`/api/enrichments/${enrichmentId}`).set(auth(admin)).expect(200)).body;
    for (const bad of [1, 11, 2.5, '3']) {
      const res = await request(h.app).put(`/api/enrichments/${enrichmentId}/privacy-threshold`).set(auth(admin)).send({ privacyThreshold: bad, version: before.version }).expect(400);
      expect(res.body.detail).toMatch(/privacy threshold/);
    }
    await request(h.app).put(`/api/enrichments/${enrichmentId}/privacy-threshold`).set(auth(seller)).send({ privacyThreshold: 5, version: before.version }).expect(403);
    const after = (await request(h.app).get(`/api/enrichments/${enrichmentId}`).set(auth(admin)).expect(200)).body;
    expect(after.privacyThreshold).toBe(K);
    expect(after.version).toBe(before.version);
  });

  it('when rows involve fewer than k colleagues, then the API publishes them withheld (null + flag) and the others as the oracle computed them', async () => {
    const overview = await request(h.app).get(`/api/enrichments/${enrichmentId}/results`).set(auth(seller)).expect(200);
    expect(overview.body.privacyThreshold).toBe(K);
    const expected = new Map(oracle.map((r) => [key(r), r]));
    let withheld = 0;
    let shown = 0;
    for (const level of ['Year', 'Month', 'Week']) {
      const rows = await allRows(level);
      expect(rows.length).toBe(oracle.filter((r) => r.AggregationLevel === level).length);
      for (const r of rows) {
        const o = expected.get(key(r))!;
        expect(o).toBeDefined();
        if (surelyUnder(o)) expect(r.CountsWithheld, key(r)).toBe(true);
        if (r.CountsWithheld) {
          withheld++;
          for (const c of COUNTS) expect(r[c], `${key(r)} ${c}`).toBeNull();
          expect(r.DaysSinceLastEmail).toBeNull();
          expect(r.AverageDuration_Of_Meetings).toBeNull();
        } else {
          shown++;
          expect(r.CountsWithheld).toBe(false);
          for (const c of COUNTS.filter((x) => x !== 'EngagementScore')) expect(r[c], `${key(r)} ${c}`).toBe(o[c]);
        }
      }
    }
    // The demo tenant gives both kinds with three mailboxes and k = 2.
    expect(withheld).toBeGreaterThan(0);
    expect(shown).toBeGreaterThan(0);
  });

  it('when a seller downloads CSV and Parquet, then withheld rows have empty cells and the flag says so', async () => {
    const csv = await request(h.app).get(`/api/enrichments/${enrichmentId}/results/rows.csv?level=Week&header=names`).set(auth(seller)).expect(200);
    const [header, ...lines] = parse(csv.text, { bom: true }) as string[][];
    const flag = header!.indexOf('CountsWithheld');
    const emails = header!.indexOf('NoOfEmails_ToAccount');
    expect(flag).toBe(header!.length - 1);
    const hidden = lines.filter((l) => l[flag] === 'true');
    expect(hidden.length).toBeGreaterThan(0);
    for (const l of hidden) expect(l[emails]).toBe('');
    const labelled = await request(h.app).get(`/api/enrichments/${enrichmentId}/results/rows.csv?level=Week&locale=fr`).set(auth(seller)).expect(200);
    expect((parse(labelled.text, { bom: true }) as string[][])[0]!.at(-1)).toBe('Chiffres masqués (confidentialité)');

    const pq = await request(h.app).get(`/api/enrichments/${enrichmentId}/results/rows.parquet`).set(auth(seller)).buffer(true).parse((r, done) => {
      const parts: Buffer[] = [];
      r.on('data', (c: Buffer) => parts.push(c));
      r.on('end', () => done(null, Buffer.concat(parts)));
    }).expect(200);
    const read = await withSnapshotFile(pq.body as Buffer, async (c, source) => {
      const [x] = resultRows(await c.run(`SELECT count(*) FILTER (WHERE CountsWithheld), count(*) FILTER (WHERE CountsWithheld AND (NoOfEmails_ToAccount IS NOT NULL OR EngagementScore IS NOT NULL OR ScorePart_raw IS NOT NULL OR ScorePart_recentEmails IS NOT NULL OR DaysSinceLastEmail IS NOT NULL))  FROM ${source}`));
      return x!.map(Number);
    });
    expect(read[0]).toBeGreaterThan(0);
    expect(read[1]).toBe(0);
  });

  it('when a segment filters on a withheld account\'s true figure, then it matches nothing and counts only published values', async () => {
    const year = await allRows('Year');
    const hidden = year.find((r) => r.CountsWithheld)!;
    expect(hidden).toBeDefined();
    const truth = oracle.find((o) => o.AggregationLevel === 'Year' && o.AccountId === hidden.AccountId)!;
    const count = async (children: unknown[]) =>
      (await request(h.app).post(`/api/enrichments/${enrichmentId}/segments/count`).set(auth(seller)).send({ level: 'Year', root: { type: 'group', combinator: 'and', children } }).expect(200)).body.count as number;
    const account = { type: 'condition', column: 'AccountId', operator: '=', value: hidden.AccountId };
    // Its true value, and the bounds around it, never match: membership cannot be used to find it.
    for (const operator of ['=', '>=', '<=']) expect(await count([account, { type: 'condition', column: 'NoOfEmails_ToAccount', operator, value: truth.NoOfEmails_ToAccount }])).toBe(0);
    // "More than N days since the last email" treats a never-emailed account as a match, a withheld one not.
    expect(await count([account, { type: 'condition', column: 'DaysSinceLastEmail', operator: '>', value: 0 }])).toBe(0);
    expect(await count([account, { type: 'condition', column: 'EngagementScore', operator: '>=', value: 0 }])).toBe(0);
    // Across all accounts a filter counts exactly the published rows that satisfy it.
    const visible = year.filter((r) => !r.CountsWithheld && (r.NoOfEmails_ToAccount as number) >= 1).length;
    expect(await count([{ type: 'condition', column: 'NoOfEmails_ToAccount', operator: '>=', value: 1 }])).toBe(visible);
  });

  it('when a measure covers withheld rows, then it aggregates only published values, and over withheld rows alone it is withheld', async () => {
    const year = await allRows('Year');
    const m = (body: object) => request(h.app).post(`/api/enrichments/${enrichmentId}/measures`).set(auth(seller)).send(body).expect(200);
    const sum = await m({ aggregate: 'sum', column: 'NoOfEmails_ToAccount' });
    expect(sum.body.value).toBe(year.filter((r) => !r.CountsWithheld).reduce((a, r) => a + (r.NoOfEmails_ToAccount as number), 0));
    expect(sum.body.withheldRows).toBe(year.filter((r) => r.CountsWithheld).length);
    expect(sum.body.withheld).toBe(false);
    // A "segment" of one withheld account: the measure would be its own figure, so it is withheld.
    const hidden = year.find((r) => r.CountsWithheld)!;
    const one = await m({ aggregate: 'max', column: 'NoOfMeetings_ToAccount', filter: { type: 'group', combinator: 'and', children: [{ type: 'condition', column: 'AccountId', operator: '=', value: hidden.AccountId }] } });
    expect(one.body).toMatchObject({ count: 1, value: null, withheld: true, withheldRows: 1 });
  });

  it('when a seller opens a withheld account\'s card, then it has no score, totals or explanation, and its withheld weeks are marked', async () => {
    const week = (await allRows('Week')).find((r) => r.CountsWithheld)!;
    const yearRow = (await allRows('Year')).find((r) => r.AccountId === week.AccountId)!;
    const card = await request(h.app).get(`/api/enrichments/${enrichmentId}/customers/${encodeURIComponent(String(week.AccountId))}`).set(auth(seller)).expect(200);
    expect(card.body.privacyThreshold).toBe(K);
    expect(card.body.withheld).toBe(yearRow.CountsWithheld);
    const point = card.body.history.week.find((p: { start: string }) => p.start === week.AggregationStartDate);
    expect(point).toMatchObject({ withheld: true, emailsToAccount: null, meetingsByAccount: null });
    if (card.body.withheld) {
      expect(card.body.score).toMatchObject({ value: null, parts: null, band: null, explanation: [] });
      expect(card.body.totals).toBeNull();
    }
    const hidden = (await allRows('Year')).find((r) => r.CountsWithheld)!;
    const hiddenCard = await request(h.app).get(`/api/enrichments/${enrichmentId}/customers/${encodeURIComponent(String(hidden.AccountId))}`).set(auth(seller)).expect(200);
    expect(hiddenCard.body).toMatchObject({ withheld: true, totals: null, score: { value: null, band: null } });
    expect(hiddenCard.body.trend.history.at(-1).score).toBeNull();
    const list = await request(h.app).get(`/api/accounts?enrichmentId=${enrichmentId}&search=${encodeURIComponent(String(hidden.AccountName))}`).set(auth(seller)).expect(200);
    expect(list.body.items.find((a: { id: string }) => a.id === hidden.AccountId).score).toBeNull();
  });
});
