import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTOSO_TENANT_ID, FABRIKAM_TENANT_ID } from '../../simulator/src/tenant/default-tenants';
import { snapshot, startAdminHarness, type AdminTestHarness } from './enrichments-test-support';
import { atLeastDays, median } from './results-expectations';
import { industryOf, seededRows, seedResult } from './results-test-support';

let h: AdminTestHarness;
let admin: string;
let seller: string;
let other: string;
const T = CONTOSO_TENANT_ID;
const E = 'enr_segments_test';
const RUN = 'run_seg';
const base = `/api/enrichments/${E}/segments`;
const SEED = { accounts: 200, activeShare: 0.1, weeks: 4, months: 3 };
const all = seededRows(SEED);
const year = all.filter((r) => r.AggregationLevel === 'Year');
const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

beforeAll(async () => {
  h = await startAdminHarness('segments');
  admin = await h.tokenFor(T, h.persona(T, 'enrichmentAdmin'));
  seller = await h.tokenFor(T, h.persona(T, 'seller'));
  other = await h.tokenFor(FABRIKAM_TENANT_ID, h.persona(FABRIKAM_TENANT_ID, 'enrichmentAdmin'));
  await seedResult(h.db, { tenantId: T, enrichmentId: E, runId: RUN, ...SEED });
}, 60_000);
afterAll(() => h?.close());

describe('segments', () => {
  it('seeds "Stale accounts" once, counting never as stale, equal to a count over the published rows', async () => {
    const list = await request(h.app).get(base).set(auth(seller)).expect(200);
    const stale = list.body.items.find((s: { name: string }) => s.name === 'Stale accounts');
    expect(stale.builtIn).toBe(true);
    const direct = year.filter((r) => atLeastDays(r.DaysSinceLastEmail, 61) && atLeastDays(r.DaysSinceLastMeeting, 61)).length;
    expect(stale.count).toBe(direct);
    expect(stale.total).toBe(200);
    const again = await request(h.app).get(base).set(auth(seller)).expect(200);
    expect(again.body.items.filter((s: { name: string }) => s.name === 'Stale accounts')).toHaveLength(1);
    // Members: the same rows, paged; CSV has them all.
    const members = await request(h.app).get(`${base}/${stale.id}/members?limit=500&columns=DaysSinceLastEmail`).set(auth(seller)).expect(200);
    expect(members.body.total).toBe(direct);
    expect(members.body.items.every((r: { DaysSinceLastEmail: number | null }) => r.DaysSinceLastEmail === null || r.DaysSinceLastEmail > 60)).toBe(true);
    const csv = await request(h.app).get(`${base}/${stale.id}/members.csv`).set(auth(seller)).expect(200);
    expect(csv.text.trim().split('\n')).toHaveLength(direct + 1);
  });

  it('when a segment\'s members are exported in French, then the header is French and the file is named after the segment', async () => {
    const def = { level: 'Year', root: { type: 'group', combinator: 'and', children: [{ type: 'condition', column: 'EngagementScore', operator: '>', value: 50 }] } };
    const created = await request(h.app).post(base).set(auth(admin)).send({ name: 'Comptes « chauds » : 關注', definition: def }).expect(201);
    const csv = await request(h.app).get(`${base}/${created.body.id}/members.csv?columns=EngagementScore&locale=fr`).set(auth(seller)).expect(200);
    expect(csv.text.charCodeAt(0)).toBe(0xfeff);
    expect(csv.text.slice(1).split('\r\n')[0]).toBe('Identifiant de compte,Score');
    expect(csv.text.trim().split('\r\n')).toHaveLength(created.body.count + 1);
    // The name keeps its letters in any script (UTF-8 filename*), with an ASCII fallback for old readers.
    expect(csv.headers['content-disposition']).toBe(
      `attachment; filename="Office-Year-Comptes-chauds-__-2026-03-02.csv"; filename*=UTF-8''${encodeURIComponent('Office-Year-Comptes-chauds-關注-2026-03-02.csv')}`,
    );
    await request(h.app).delete(`${base}/${created.body.id}`).set(auth(admin)).expect(204);
  });

  it('counts nested AND/OR definitions live, matching a count over the published rows', async () => {
    const definition = {
      root: { type: 'group', combinator: 'or', children: [
        { type: 'condition', column: 'EngagementScore', operator: 'between', value: 40, valueTo: 60 },
        { type: 'group', combinator: 'and', children: [
          { type: 'condition', column: 'NoOfEmails_ToAccount', operator: '>=', value: 30 },
          { type: 'condition', column: 'AverageDuration_Of_AccountEmailReplies', operator: 'isNotEmpty' },
          { type: 'condition', column: 'DaysSinceLastMeeting', operator: '<', value: 100 },
        ] },
      ] },
    };
    const res = await request(h.app).post(`${base}/count`).set(auth(seller)).send(definition).expect(200);
    const direct = year.filter(
      (r) =>
        (r.EngagementScore >= 40 && r.EngagementScore <= 60) ||
        (r.NoOfEmails_ToAccount >= 30 && r.AverageDuration_Of_AccountEmailReplies !== null && r.DaysSinceLastMeeting !== null && r.DaysSinceLastMeeting < 100),
    ).length;
    expect(res.body).toEqual({ runId: RUN, count: direct, total: 200 });
    expect(direct).toBeGreaterThan(0);
  });

  it('saves segments for admins only, names unique per enrichment, and refuses bad definitions without storing', async () => {
    const def = { level: 'Year', root: { type: 'group', combinator: 'and', children: [{ type: 'condition', column: 'EngagementScore', operator: '>', value: 50 }] } };
    await request(h.app).post(base).set(auth(seller)).send({ name: 'Hot', definition: def }).expect(403);
    const created = await request(h.app).post(base).set(auth(admin)).send({ name: 'Hot', definition: def }).expect(201);
    expect(created.body.count).toBe(year.filter((r) => r.EngagementScore > 50).length);
    const before = await snapshot(h.db, ['enrichment_segments']);
    await request(h.app).post(base).set(auth(admin)).send({ name: 'hot', definition: def }).expect(409);
    const bad = [
      { name: 'X', definition: { root: { type: 'group', combinator: 'and', children: [{ type: 'condition', column: 'Nope', operator: '>', value: 1 }] } } },
      { name: 'X', definition: { root: { type: 'group', combinator: 'and', children: [{ type: 'condition', column: 'EngagementScore', operator: '>', value: { $gt: 1 } }] } } },
      { name: 'X', definition: { root: { $where: 'true' } } },
      { name: 'X', definition: { root: { type: 'group', combinator: 'and', children: [{ type: 'condition', column: 'EngagementScore', operator: 'between', value: 9 }] } } },
      { name: 'X', definition: { root: { type: 'group', combinator: 'and', children: [{ type: 'group', combinator: 'and', children: [{ type: 'group', combinator: 'and', children: [{ type: 'group', combinator: 'and', children: [{ type: 'group', combinator: 'and', children: [{ type: 'condition', column: 'EngagementScore', operator: 'isEmpty' }] }] }] }] }] } } },
    ];
    for (const body of bad) {
      const res = await request(h.app).post(base).set(auth(admin)).send(body).expect(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.body.detail).toMatch(/definition|condition/);
    }
    expect(await snapshot(h.db, ['enrichment_segments'])).toEqual(before);
    await request(h.app).put(`${base}/${created.body.id}`).set(auth(admin)).send({ name: 'Hotter', definition: def }).expect(200);
    await request(h.app).get(`${base}/${created.body.id}`).set(auth(other)).expect(404);
    await request(h.app).delete(`${base}/${created.body.id}`).set(auth(seller)).expect(403);
    await request(h.app).delete(`${base}/${created.body.id}`).set(auth(admin)).expect(204);
    await request(h.app).get(`${base}/${created.body.id}`).set(auth(admin)).expect(404);
  });

  it('does not re-seed a deleted example', async () => {
    const list = await request(h.app).get(base).set(auth(admin)).expect(200);
    const stale = list.body.items.find((s: { builtIn: boolean }) => s.builtIn);
    await request(h.app).delete(`${base}/${stale.id}`).set(auth(admin)).expect(204);
    const after = await request(h.app).get(base).set(auth(admin)).expect(200);
    expect(after.body.items.some((s: { builtIn: boolean }) => s.builtIn)).toBe(false);
  });
});

describe('measures', () => {
  const m = `/api/enrichments/${E}/measures`;
  it('aggregates a column over all accounts, grouped by a dataset attribute, in agreement with the published rows', async () => {
    const all = year;
    const sum = await request(h.app).post(m).set(auth(seller)).send({ aggregate: 'sum', column: 'NoOfEmails_ToAccount' }).expect(200);
    expect(sum.body.value).toBe(all.reduce((a, r) => a + r.NoOfEmails_ToAccount, 0));
    const withReplies = all.filter((r) => r.AverageDuration_Of_AccountEmailReplies !== null).map((r) => r.AverageDuration_Of_AccountEmailReplies as number);
    const avg = await request(h.app).post(m).set(auth(seller)).send({ aggregate: 'avg', column: 'AverageDuration_Of_AccountEmailReplies' }).expect(200);
    expect(avg.body.value).toBeCloseTo(withReplies.reduce((a, b) => a + b, 0) / withReplies.length, 6);
    const max = await request(h.app).post(m).set(auth(seller)).send({ aggregate: 'max', column: 'EngagementScore', groupBy: 'Industry' }).expect(200);
    expect(max.body.value).toBe(Math.max(...all.map((r) => r.EngagementScore)));
    const retail = all.filter((r) => industryOf(Number(r.AccountId.slice(4))) === 'Retail');
    const g = max.body.groups.find((x: { key: string | null }) => x.key === 'Retail');
    expect(g.count).toBe(retail.length);
    expect(g.value).toBe(Math.max(...retail.map((r) => r.EngagementScore)));
    expect(max.body.groups.reduce((a: number, x: { count: number }) => a + x.count, 0)).toBe(200);
    const count = await request(h.app).post(m).set(auth(seller)).send({ aggregate: 'count', filter: { type: 'group', combinator: 'and', children: [{ type: 'condition', column: 'DaysSinceLastEmail', operator: 'isEmpty' }] } }).expect(200);
    expect(count.body.value).toBe(all.filter((r) => r.DaysSinceLastEmail === null).length);
  });

  it('computes the median and each aggregate per industry over a segment or a Week, with empty values ignored', async () => {
    const hot = await request(h.app).post(base).set(auth(admin)).send({ name: 'Warm', definition: { level: 'Year', root: { type: 'group', combinator: 'and', children: [{ type: 'condition', column: 'EngagementScore', operator: '>=', value: 30.5 }] } } }).expect(201);
    const members = year.filter((r) => r.EngagementScore >= 31);
    const replies = (rows: typeof year) => rows.map((r) => r.AverageDuration_Of_AccountEmailReplies).filter((v): v is number => v !== null);
    const res = await request(h.app).post(m).set(auth(seller)).send({ aggregate: 'median', column: 'AverageDuration_Of_AccountEmailReplies', segmentId: hot.body.id, groupBy: 'Industry' }).expect(200);
    expect(res.body.count).toBe(members.length);
    expect(res.body.value).toBeCloseTo(median(replies(members))!, 9);
    const byIndustry = new Map<string | null, typeof year>();
    for (const r of members) {
      const k = industryOf(Number(r.AccountId.slice(4)));
      byIndustry.set(k, [...(byIndustry.get(k) ?? []), r]);
    }
    expect(res.body.groups).toHaveLength(byIndustry.size);
    for (const g of res.body.groups as Array<{ key: string | null; count: number; value: number | null }>) {
      const rows = byIndustry.get(g.key)!;
      expect(g.count, String(g.key)).toBe(rows.length);
      const v = median(replies(rows));
      if (v === null) expect(g.value).toBeNull();
      else expect(g.value).toBeCloseTo(v, 9);
    }
    // Largest groups first.
    const counts = res.body.groups.map((g: { count: number }) => g.count);
    expect([...counts].sort((a, b) => b - a)).toEqual(counts);
    // A Week period (the latest when none is given), and thresholds beyond any value: never is longer ago than any number of days.
    const weeks = all.filter((r) => r.AggregationLevel === 'Week');
    const latest = weeks.map((r) => r.AggregationStartDate).sort().at(-1)!;
    const week = await request(h.app).post(m).set(auth(seller)).send({ aggregate: 'sum', column: 'NoOfEmails_ToAccount', level: 'Week' }).expect(200);
    expect(week.body.value).toBe(weeks.filter((r) => r.AggregationStartDate === latest).reduce((a, r) => a + r.NoOfEmails_ToAccount, 0));
    const never = await request(h.app).post(m).set(auth(seller)).send({ aggregate: 'count', filter: { type: 'group', combinator: 'and', children: [{ type: 'condition', column: 'DaysSinceLastEmail', operator: '>', value: 1e12 }] } }).expect(200);
    expect(never.body.count).toBe(year.filter((r) => r.DaysSinceLastEmail === null).length);
    const minMax = await request(h.app).post(m).set(auth(seller)).send({ aggregate: 'min', column: 'DaysSinceLastMeeting', filter: { type: 'group', combinator: 'and', children: [{ type: 'condition', column: 'DaysSinceLastMeeting', operator: '>=', value: 10.2 }] } }).expect(200);
    expect(minMax.body.value).toBe(Math.min(...year.map((r) => r.DaysSinceLastMeeting).filter((v): v is number => v !== null && v >= 11)));
    expect(minMax.body.count).toBe(year.filter((r) => atLeastDays(r.DaysSinceLastMeeting, 11)).length);
  });

  it('refuses unknown columns and attributes', async () => {
    for (const body of [{ aggregate: 'sum' }, { aggregate: 'sum', column: 'AccountName' }, { aggregate: 'count', groupBy: 'Secret' }, { aggregate: 'avg', column: { $gt: 1 } }, { aggregate: 'mode', column: 'EngagementScore' }, { aggregate: 'median' }]) {
      const res = await request(h.app).post(m).set(auth(seller)).send(body).expect(400);
      expect(res.body.code).toBe('validation');
    }
  });
});
