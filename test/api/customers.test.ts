import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTOSO_TENANT_ID, FABRIKAM_TENANT_ID } from '../../simulator/src/tenant/default-tenants';
import { startAdminHarness, type AdminTestHarness } from './enrichments-test-support';
import { median } from './results-expectations';
import { industryOf, seededRows, seedResult } from './results-test-support';

let h: AdminTestHarness;
let seller: string;
let other: string;
const T = CONTOSO_TENANT_ID;
const E = 'enr_customers_test';
const RUN = 'run_cust';
const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

beforeAll(async () => {
  h = await startAdminHarness('customers');
  seller = await h.tokenFor(T, h.persona(T, 'seller'));
  other = await h.tokenFor(FABRIKAM_TENANT_ID, h.persona(FABRIKAM_TENANT_ID, 'seller'));
  await seedResult(h.db, { tenantId: T, enrichmentId: E, runId: RUN, ...SEED });
}, 60_000);
const SEED = { accounts: 120, activeShare: 1, weeks: 6, months: 3 };
const all = seededRows(SEED);
afterAll(() => h?.close());

describe('customers', () => {
  it('searches the current result by name (case-insensitive) or id', async () => {
    const res = await request(h.app).get('/api/accounts?search=tailS&limit=5').set(auth(seller)).expect(200);
    expect(res.body.enrichmentId).toBe(E);
    expect(res.body.total).toBe(12);
    expect(res.body.items).toHaveLength(5);
    expect(res.body.items.every((i: { name: string }) => i.name.startsWith('Tailspin'))).toBe(true);
    const byId = await request(h.app).get(`/api/accounts?search=ACC-000003&enrichmentId=${E}`).set(auth(seller)).expect(200);
    expect(byId.body.items.map((i: { id: string }) => i.id)).toEqual(['ACC-000003']);
    const none = await request(h.app).get('/api/accounts?search=.*').set(auth(seller)).expect(200);
    expect(none.body.total).toBe(0);
    const elsewhere = await request(h.app).get('/api/accounts?search=tail').set(auth(other)).expect(200);
    expect(elsewhere.body).toMatchObject({ enrichmentId: null, items: [], total: 0 });
  });

  it('builds the card from the Year row, explains the score against the medians and fills the history', async () => {
    const rows = all.filter((r) => r.AggregationLevel === 'Year');
    const withWeeks = all.find((r) => r.AggregationLevel === 'Week');
    const id = withWeeks!.AccountId;
    const year = rows.find((r) => r.AccountId === id)!;
    const res = await request(h.app).get(`/api/enrichments/${E}/customers/${id}`).set(auth(seller)).expect(200);
    const card = res.body;
    expect(card.account).toMatchObject({ id, name: year.AccountName });
    expect(card.score.value).toBe(year.EngagementScore);
    expect(card.totals).toMatchObject({
      emails: year.NoOfEmails_ToAccount + year.NoOfEmails_FromAccount,
      meetingsByOrganisation: year.NoOfMeetings_ToAccount,
      meetingsByAccount: year.NoOfMeetings_FromAccount,
      daysSinceLastEmail: year.DaysSinceLastEmail,
      averageReplyMinutes: year.AverageDuration_Of_AccountEmailReplies,
    });
    const medianOf = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      const n = sorted.length;
      return n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
    };
    const active = rows.filter((r) => r.ScoreParts.raw > 0);
    const emails = card.score.explanation.find((x: { part: string }) => x.part === 'recentEmails');
    const median = medianOf(active.map((r) => r.ScoreParts.recentEmails));
    expect(emails).toMatchObject({ value: year.ScoreParts.recentEmails });
    expect(emails.median).toBeCloseTo(median, 9);
    expect(emails.effect).toBe(emails.value > median * 1.05 ? 'raised' : emails.value < median * 0.95 ? 'lowered' : 'neutral');
    // Fewer days since the last contact is what raises a score; the median skips accounts without one.
    const days = card.score.explanation.find((x: { part: string }) => x.part === 'daysSinceLastContact');
    if (year.ScoreParts.daysSinceLastContact !== null) {
      const typical = medianOf(active.map((r) => r.ScoreParts.daysSinceLastContact).filter((d): d is number => d !== null));
      expect(days).toMatchObject({ value: year.ScoreParts.daysSinceLastContact, median: typical });
      expect(days.effect).toBe(days.value < typical * 0.95 ? 'raised' : days.value > typical * 1.05 ? 'lowered' : 'neutral');
    }
    expect(card.score.parts).toEqual(year.ScoreParts);
    expect(card.history.week.length).toBeGreaterThanOrEqual(52);
    expect(card.history.month.length).toBeGreaterThanOrEqual(12);
    const wk = card.history.week.find((p: { start: string }) => p.start === withWeeks!.AggregationStartDate);
    expect(wk).toMatchObject({ emailsToAccount: withWeeks!.NoOfEmails_ToAccount, meetingsByAccount: withWeeks!.NoOfMeetings_FromAccount });
    expect(card.history.week.reduce((a: number, p: { emailsToAccount: number }) => a + p.emailsToAccount, 0)).toBe(
      all.filter((r) => r.AccountId === id && r.AggregationLevel === 'Week').reduce((a, r) => a + r.NoOfEmails_ToAccount, 0),
    );
    const industry = industryOf(Number(id.slice(4)));
    expect(card.account.attributes).toEqual(industry ? { Industry: industry } : {});
  });

  it('when the list is paged, sorted and filtered by band, then pages follow the order without overlap and the total counts the band', async () => {
    const years = all.filter((r) => r.AggregationLevel === 'Year');
    const band = (score: number) => (score >= 70 ? 'high' : score >= 40 ? 'medium' : score >= 1 ? 'low' : 'none');
    const byScore = [...years].sort((a, b) => b.EngagementScore - a.EngagementScore || a.AccountName.localeCompare(b.AccountName) || a.AccountId.localeCompare(b.AccountId));
    const first = (await request(h.app).get(`/api/accounts?enrichmentId=${E}&sort=score&limit=20`).set(auth(seller)).expect(200)).body;
    const second = (await request(h.app).get(`/api/accounts?enrichmentId=${E}&sort=score&limit=20&offset=20`).set(auth(seller)).expect(200)).body;
    expect(first.total).toBe(years.length);
    expect(second).toMatchObject({ offset: 20, limit: 20, total: years.length });
    expect([...first.items, ...second.items].map((i: { id: string }) => i.id)).toEqual(byScore.slice(0, 40).map((r) => r.AccountId));
    // One run only: no previous run, so no change is given.
    expect(first.previousAsOf).toBeNull();
    expect(first.items.every((i: { change: number | null }) => i.change === null)).toBe(true);

    for (const b of ['high', 'medium', 'low', 'none'] as const) {
      const res = (await request(h.app).get(`/api/accounts?enrichmentId=${E}&band=${b}&sort=name&limit=100`).set(auth(seller)).expect(200)).body;
      const expected = years.filter((r) => band(r.EngagementScore) === b);
      expect(res.total, b).toBe(expected.length);
      expect(res.items.every((i: { score: number }) => band(i.score) === b), b).toBe(true);
    }

    // Last contact: the most recent first, accounts never contacted last.
    const recent = (await request(h.app).get(`/api/accounts?enrichmentId=${E}&sort=lastContact&limit=100&offset=100`).set(auth(seller)).expect(200)).body;
    const byContact = [...years].sort((a, b) => {
      const x = a.ScoreParts.daysSinceLastContact;
      const y = b.ScoreParts.daysSinceLastContact;
      return (x === null ? (y === null ? 0 : 1) : y === null ? -1 : x - y) || a.AccountName.localeCompare(b.AccountName) || a.AccountId.localeCompare(b.AccountId);
    });
    expect(recent.items.map((i: { id: string; daysSinceLastContact: number | null }) => [i.id, i.daysSinceLastContact])).toEqual(
      byContact.slice(100, 200).map((r) => [r.AccountId, r.ScoreParts.daysSinceLastContact]),
    );
  });

  it('when a search term is part of a name, an id or a domain, then it matches wherever it occurs', async () => {
    const inside = (await request(h.app).get(`/api/accounts?enrichmentId=${E}&search=ind 1&limit=100`).set(auth(seller)).expect(200)).body;
    expect(inside.total).toBe(all.filter((r) => r.AggregationLevel === 'Year' && r.AccountName.toLowerCase().includes('ind 1')).length);
    expect(inside.total).toBeGreaterThan(0);
    const domain = (await request(h.app).get(`/api/accounts?enrichmentId=${E}&search=acct7.example&limit=100`).set(auth(seller)).expect(200)).body;
    expect(domain.items.map((i: { id: string }) => i.id)).toContain('ACC-000007');
  });

  it('when paging parameters are out of range or unknown, then they are refused with a reason, and a page past the end is empty with the total', async () => {
    const past = (await request(h.app).get(`/api/accounts?enrichmentId=${E}&limit=100&offset=1000000`).set(auth(seller)).expect(200)).body;
    expect(past).toMatchObject({ limit: 100, offset: 1_000_000, items: [], total: 120 });
    const big = await request(h.app).get(`/api/accounts?limit=101`).set(auth(seller)).expect(400);
    expect(big.body.detail).toMatch(/limit/);
    await request(h.app).get(`/api/accounts?offset=1000001`).set(auth(seller)).expect(400);
    const sort = await request(h.app).get(`/api/accounts?sort=revenue`).set(auth(seller)).expect(400);
    expect(sort.body.detail).toMatch(/sort/);
    const band = await request(h.app).get(`/api/accounts?band=great`).set(auth(seller)).expect(400);
    expect(band.body.detail).toMatch(/band/);
    await request(h.app).get(`/api/accounts?offset=-1`).set(auth(seller)).expect(400);
    await request(h.app).get(`/api/accounts?limit=2.5`).set(auth(seller)).expect(400);
  });

  it('when a part equals the typical value, then the card calls it neutral, never raised or lowered', async () => {
    const years = all.filter((r) => r.AggregationLevel === 'Year');
    const cards = await Promise.all(years.slice(0, 30).map((r) => request(h.app).get(`/api/enrichments/${E}/customers/${r.AccountId}`).set(auth(seller)).expect(200)));
    const equal = cards.flatMap((c) => c.body.score.explanation).filter((x: { value: number; median: number }) => x.value === x.median);
    expect(equal.length).toBeGreaterThan(0);
    for (const x of equal) expect(x.effect).toBe('neutral');
  });

  it('answers 404 for unknown accounts and other tenants', async () => {
    await request(h.app).get(`/api/enrichments/${E}/customers/NOPE`).set(auth(seller)).expect(404);
    await request(h.app).get(`/api/enrichments/${E}/customers/ACC-000001`).set(auth(other)).expect(404);
    const bad = await request(h.app).get(`/api/accounts?search=${'x'.repeat(101)}`).set(auth(seller)).expect(400);
    expect(bad.body.detail).toMatch(/search/);
  });
});
