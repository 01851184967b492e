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
  it('searches the current result by name prefix (case-insensitive) or id', async () => {
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

  it('answers 404 for unknown accounts and other tenants', async () => {
    await request(h.app).get(`/api/enrichments/${E}/customers/NOPE`).set(auth(seller)).expect(404);
    await request(h.app).get(`/api/enrichments/${E}/customers/ACC-000001`).set(auth(other)).expect(404);
    const bad = await request(h.app).get(`/api/accounts?search=${'x'.repeat(101)}`).set(auth(seller)).expect(400);
    expect(bad.body.detail).toMatch(/search/);
  });
});
