import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAnchor } from '../../simulator/src/tenant/default-tenants';
import type { TenantSpec } from '../../simulator/src/tenant/tenant.types';
import { DATA_COLLECTIONS, importDemoDataset, snapshot, startAdminHarness, type AdminTestHarness } from './enrichments-test-support';

/**
 * Hand-made tenants for the limits: Big (2,501 mailboxes, licensed, consented), Unlicensed
 * (US, consented, no Microsoft 365 subscription) and Fresh (CA, licensed, no consent yet).
 */
const BIG = '11111111-1111-4111-8111-111111111111';
const UNLICENSED = '22222222-2222-4222-8222-222222222222';
const FRESH = '33333333-3333-4333-8333-333333333333';
const spec = (tenantId: string, slug: string, over: Partial<TenantSpec>): TenantSpec => ({
  tenantId, slug, displayName: slug, seed: 7, mailboxes: 12, accounts: 10, countryLetterCode: 'US', licensed: true, consentGranted: true, anchor: defaultAnchor(), ...over,
});

let h: AdminTestHarness;
const auth = (token: string) => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  h = await startAdminHarness('enrichments_limits', {
    tenants: [
      spec(BIG, 'big', { mailboxes: 2501, accounts: 20 }),
      spec(UNLICENSED, 'unlicensed', { licensed: false }),
      spec(FRESH, 'fresh', { countryLetterCode: 'CA', consentGranted: false }),
    ],
  });
});
afterAll(async () => h?.close());

async function adminOf(tenantId: string) {
  return h.tokenFor(tenantId, h.persona(tenantId, 'enrichmentAdmin'));
}
function baseInput(tenantId: string, datasetId: string, selections: Array<{ kind: string; id: string }>) {
  return { name: 'Limits', mailboxes: { selections }, datasetId, mapping: { emailField: 'Email', accountIdField: 'AccountId' }, consentAgreed: true };
}

describe('mailbox range', () => {
  it('when the selection resolves to 2,501 addresses, then the live count says so and saving is refused', async () => {
    const token = await adminOf(BIG);
    const datasetId = await importDemoDataset(h, BIG, token);
    const everyone = h.sim.tenant(BIG).tenant.groups.find((g) => g.displayName === 'All Employees')!;
    const users = h.sim.tenant(BIG).tenant.users.filter((u) => u.accountEnabled && u.mail);
    const live = await request(h.app).post('/api/directory/resolve').set(auth(token)).send({ selections: [{ kind: 'group', id: everyone.id }] }).expect(200);
    expect(live.body.count).toBe(new Set(users.map((u) => u.mail.toLowerCase())).size);
    expect(live.body.count).toBe(2501);
    expect(live.body).toMatchObject({ withinLimits: false, message: 'Select at most 2,500 mailboxes; the selection resolves to 2,501 unique addresses. Remove a group or pick smaller ones.' });

    const before = await snapshot(h.db, DATA_COLLECTIONS);
    const res = await request(h.app).post('/api/enrichments').set(auth(token)).send(baseInput(BIG, datasetId, [{ kind: 'group', id: everyone.id }])).expect(400);
    expect(res.body.detail).toBe(live.body.message);
    expect(await snapshot(h.db, DATA_COLLECTIONS)).toEqual(before);
  });
});

describe('licence and consent prerequisites', () => {
  it('when the tenant has no Microsoft 365 licence, then the prerequisite is not met and saving is refused', async () => {
    const token = await adminOf(UNLICENSED);
    const datasetId = await importDemoDataset(h, UNLICENSED, token);
    const pre = await request(h.app).get('/api/prerequisites').set(auth(token)).expect(200);
    expect(pre.body.items.find((i: { id: string }) => i.id === 'licence')).toMatchObject({ status: 'not-met', reason: expect.stringMatching(/No active Microsoft 365/) });
    expect(pre.body.canCreate).toBe(false);
    const users = h.sim.tenant(UNLICENSED).tenant.users.filter((u) => u.mail).slice(0, 3);
    const before = await snapshot(h.db, DATA_COLLECTIONS);
    const res = await request(h.app).post('/api/enrichments').set(auth(token)).send(baseInput(UNLICENSED, datasetId, users.map((u) => ({ kind: 'user', id: u.id })))).expect(400);
    expect(res.body.detail).toMatch(/No active Microsoft 365 \/ Office 365 subscription/);
    expect(await snapshot(h.db, DATA_COLLECTIONS)).toEqual(before);
  });

  it('when no recipients can be found or are given, then the enrichment is saved, the mail is not sent and the link is returned', async () => {
    const token = await adminOf(FRESH);
    const seller = await h.tokenFor(FRESH, h.persona(FRESH, 'seller'));
    const noData = await request(h.app).get('/api/prerequisites').set(auth(token)).expect(200);
    expect(noData.body.items.map((i: { id: string; status: string }) => [i.id, i.status])).toEqual([['region', 'met'], ['licence', 'unknown'], ['dataset', 'not-met'], ['role', 'met']]);
    // Prerequisites are for the people who create enrichments.
    await request(h.app).get('/api/prerequisites').set(auth(seller)).expect(403);
    await importDemoDataset(h, FRESH, token);
    const datasets = await request(h.app).get('/api/datasets').set(auth(token)).expect(200);
    const users = h.sim.tenant(FRESH).tenant.users.filter((u) => u.mail && u.accountEnabled).slice(3, 6);
    const created = await request(h.app).post('/api/enrichments').set(auth(token)).send({ ...baseInput(FRESH, datasets.body.items[0].id, users.map((u) => ({ kind: 'user', id: u.id }))), name: 'No recipients' }).expect(201);
    expect(created.body.consentRequest).toMatchObject({ sent: false, recipients: [], recipientSource: 'none', reason: expect.stringMatching(/cannot be read before consent/) });
    expect(created.body.consentRequest.link).toMatch(/adminconsent\?client_id=/);
  });

  it('when a tenant has not consented yet, then people search works as the admin, groups need consent, and the request goes to the recipients the admin gives', async () => {
    const token = await adminOf(FRESH);
    const datasetId = (await request(h.app).get('/api/datasets').set(auth(token)).expect(200)).body.items[0].id;
    const t = h.sim.tenant(FRESH).tenant;
    const someone = t.users.find((u) => u.persona === 'seller')!;
    const search = await request(h.app).get('/api/directory/search').query({ q: someone.givenName }).set(auth(token)).expect(200);
    expect(search.body.groupsSearched).toBe(false);
    expect(search.body.items).toContainEqual(expect.objectContaining({ kind: 'user', id: someone.id }));

    const group = t.groups.find((g) => g.mailEnabled)!;
    const groupRes = await request(h.app).post('/api/directory/resolve').set(auth(token)).send({ selections: [{ kind: 'group', id: group.id }] }).expect(403);
    expect(groupRes.body).toMatchObject({ code: 'consent-required', detail: expect.stringMatching(/admin consent/) });

    const users = t.users.filter((u) => u.mail && u.accountEnabled).slice(0, 3);
    const outboxBefore = h.sim.tenant(FRESH).outbox.length;
    const created = await request(h.app)
      .post('/api/enrichments')
      .set(auth(token))
      .send({ ...baseInput(FRESH, datasetId, users.map((u) => ({ kind: 'user', id: u.id }))), consentRecipients: ['IT-Admins@Fresh.example'] })
      .expect(201);
    expect(created.body.consentRequest).toMatchObject({ sent: true, recipientSource: 'supplied', recipients: ['it-admins@fresh.example'] });
    expect(h.sim.tenant(FRESH).outbox.slice(outboxBefore)).toHaveLength(1);

    // Consent granted directly in the admin centre is detected by "check consent".
    const id = created.body.enrichment.id;
    const notYet = await request(h.app).post(`/api/enrichments/${id}/consent/check`).set(auth(token)).expect(200);
    expect(notYet.body.state).toBe('awaiting');
    h.sim.tenant(FRESH).grantConsent();
    const detected = await request(h.app).post(`/api/enrichments/${id}/consent/check`).set(auth(token)).expect(200);
    expect(detected.body).toMatchObject({ state: 'consented', source: 'detected' });
  });

});
