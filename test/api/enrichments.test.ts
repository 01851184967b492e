import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsentState } from '../../api/src/consent/consent-state';
import { CONTOSO_TENANT_ID, FABRIKAM_TENANT_ID } from '../../simulator/src/tenant/default-tenants';
import { testAppConfig } from '../support/app-config';
import { DATA_COLLECTIONS, importDemoDataset, snapshot, startAdminHarness, type AdminTestHarness } from './enrichments-test-support';

let h: AdminTestHarness;
let admin: string;
let adminId: string;
let seller: string;
let fabrikamAdmin: string;
let datasetId: string;
const auth = (token: string) => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  h = await startAdminHarness('enrichments');
  adminId = h.persona(CONTOSO_TENANT_ID, 'enrichmentAdmin');
  admin = await h.tokenFor(CONTOSO_TENANT_ID, adminId);
  seller = await h.tokenFor(CONTOSO_TENANT_ID, h.persona(CONTOSO_TENANT_ID, 'seller'));
  fabrikamAdmin = await h.tokenFor(FABRIKAM_TENANT_ID, h.persona(FABRIKAM_TENANT_ID, 'enrichmentAdmin'));
  datasetId = await importDemoDataset(h, CONTOSO_TENANT_ID, admin);
});
afterAll(async () => h?.close());

const contoso = () => h.sim.tenant(CONTOSO_TENANT_ID).tenant;
const allSales = () => contoso().groups.find((g) => g.displayName === 'All Sales')!;
/** Two users outside All Sales, with mailboxes. */
const twoOthers = () => {
  const inSales = new Set(allSalesMembers());
  return contoso().users.filter((u) => u.accountEnabled && u.mail && !inSales.has(u.id)).slice(0, 2);
};
function allSalesMembers(): string[] {
  const t = contoso();
  const out = new Set<string>();
  const walk = (ids: string[]) =>
    ids.forEach((id) => {
      const g = t.groups.find((x) => x.id === id);
      if (g) walk(g.memberIds);
      else out.add(id);
    });
  walk(allSales().memberIds);
  return [...out];
}

function input(overrides: Record<string, unknown> = {}) {
  const [u1, u2] = twoOthers();
  return {
    name: 'Contoso engagement',
    mailboxes: { selections: [{ kind: 'group', id: allSales().id }, { kind: 'user', id: u1!.id }, { kind: 'user', id: u2!.id }] },
    datasetId,
    mapping: { emailField: 'Email', accountIdField: 'AccountId' },
    exclusions: { addresses: [' Partner@Agency.example '], domains: ['@gmail.com'] },
    consentAgreed: true,
    ...overrides,
  };
}

function hiddenFields(html: string): Record<string, string> {
  const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(m[0])?.[1];
    const value = /value="([^"]*)"/.exec(m[0])?.[1];
    if (name !== undefined) out[unescape(name)] = unescape(value ?? '');
  }
  return out;
}

let enrichmentId: string;
let consentLink: string;

describe('the wizard end to end against the simulator', () => {
  it('when the admin searches, then users and mail-enabled groups are found, groups with how many people they bring', async () => {
    const res = await request(h.app).get('/api/directory/search').query({ q: 'All' }).set(auth(admin)).expect(200);
    expect(res.body.groupsSearched).toBe(true);
    // Nested groups count too: the picker shows the people a group really adds.
    expect(res.body.items).toContainEqual(
      expect.objectContaining({ kind: 'group', id: allSales().id, displayName: 'All Sales', memberCount: new Set(allSalesMembers()).size }),
    );
    expect(res.body.items.find((i: { displayName: string }) => i.displayName === 'Engagement Pilot')).toBeUndefined();
  });

  it('when a group and two users are resolved, then the count is the unique addresses, groups expanded transitively', async () => {
    const res = await request(h.app).post('/api/directory/resolve').set(auth(admin)).send({ selections: input().mailboxes.selections }).expect(200);
    const expected = new Set([...allSalesMembers().map((id) => contoso().users.find((u) => u.id === id)!).filter((u) => u.accountEnabled && u.mail).map((u) => u.mail.toLowerCase()), ...twoOthers().map((u) => u.mail.toLowerCase())]);
    expect(res.body.count).toBe(expected.size);
    expect(new Set(res.body.mailboxes.map((m: { mail: string }) => m.mail))).toEqual(expected);
    expect(res.body).toMatchObject({ withinLimits: true, message: null, limits: { min: 2, max: 2500 } });
  });

  it('when the prerequisites are read in Contoso, then all are met', async () => {
    const res = await request(h.app).get('/api/prerequisites').set(auth(admin)).expect(200);
    expect(res.body.canCreate).toBe(true);
    expect(res.body.items.map((i: { id: string; status: string }) => [i.id, i.status])).toEqual([['region', 'met'], ['licence', 'met'], ['dataset', 'met'], ['role', 'met']]);
    expect(res.body.supportedCountries).toEqual(expect.arrayContaining(['GB', 'DE', 'CH', 'US', 'CA', 'NO']));
  });

  it('when the enrichment is saved, then the consent request goes to the Global Administrators with a signed link', async () => {
    const outboxBefore = h.sim.tenant(CONTOSO_TENANT_ID).outbox.length;
    const res = await request(h.app).post('/api/enrichments').set(auth(admin)).send(input()).expect(201);
    enrichmentId = res.body.enrichment.id;
    const admins = contoso().users.filter((u) => u.isGlobalAdmin && u.accountEnabled).map((u) => u.mail.toLowerCase());
    expect(res.body.consentRequest).toMatchObject({ sent: true, recipientSource: 'global-admins', reason: null });
    expect(res.body.consentRequest.recipients.sort()).toEqual(admins.sort());
    expect(res.body.enrichment).toMatchObject({
      name: 'Contoso engagement', entityName: 'Office', userEntityName: 'Office_UserEntity', state: 'awaiting-consent', version: 1,
      exclusions: { addresses: ['partner@agency.example'], domains: ['gmail.com'] }, matchAccountDomains: false,
      consentAgreement: { agreedBy: adminId }, createdBy: adminId, datasetName: 'Demo customers',
    });
    consentLink = res.body.consentRequest.link;
    const link = new URL(consentLink);
    expect(link.pathname).toBe(`/${CONTOSO_TENANT_ID}/v2.0/adminconsent`);
    expect(link.searchParams.get('scope')).toBe('https://graph.microsoft.com/.default');
    expect(link.searchParams.get('redirect_uri')).toBe('http://localhost:3999/api/consent/callback');

    const outbox = h.sim.tenant(CONTOSO_TENANT_ID).outbox.slice(outboxBefore);
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ senderUserId: adminId, via: 'delegated' });
    const message = outbox[0]!.message as { toRecipients: Array<{ emailAddress: { address: string } }>; body: { content: string } };
    expect(message.toRecipients.map((r) => r.emailAddress.address).sort()).toEqual(admins.sort());
    expect(message.body.content).toContain(consentLink.replace(/&/g, '&amp;'));

    const list = await request(h.app).get('/api/enrichments').set(auth(admin)).expect(200);
    expect(list.body.items).toContainEqual(expect.objectContaining({ id: enrichmentId, consentState: 'awaiting', state: 'awaiting-consent', mailboxCount: res.body.enrichment.mailboxes.count }));
    // A seller sees the name only, without configuration.
    await request(h.app).get('/api/enrichments').set(auth(seller)).expect(403);
    const names = await request(h.app).get('/api/results').set(auth(seller)).expect(200);
    expect(names.body.items).toContainEqual({ id: enrichmentId, name: 'Contoso engagement', entityName: 'Office', lastRefreshAt: null, dataAsOf: null });
  });

  let callbackUrl: string;
  it('when a Global Administrator approves on the consent page, then the callback records consent and redirects to the tab', async () => {
    const page = await fetch(consentLink);
    expect(page.status).toBe(200);
    const fields = hiddenFields(await page.text());
    const globalAdmin = contoso().users.find((u) => u.isGlobalAdmin)!;
    const action = new URL(`/${CONTOSO_TENANT_ID}/v2.0/adminconsent`, h.sim.url);
    const approved = await fetch(action, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ ...fields, userId: globalAdmin.id, decision: 'approve' }) });
    expect(approved.status).toBe(302);
    const location = new URL(approved.headers.get('location')!);
    expect(location.origin + location.pathname).toBe('http://localhost:3999/api/consent/callback');
    callbackUrl = location.pathname + location.search;

    const cb = await request(h.app).get(callbackUrl).expect(302);
    expect(cb.headers.location).toBe(`http://localhost:3999/?page=enrichments&consent=granted&enrichmentId=${enrichmentId}`);
    const consent = await request(h.app).get(`/api/enrichments/${enrichmentId}/consent`).set(auth(admin)).expect(200);
    expect(consent.body).toMatchObject({ state: 'consented', source: 'consent-link', decidedBy: expect.stringContaining(CONTOSO_TENANT_ID) });
    expect(consent.body.history.map((e: { event: string }) => e.event)).toEqual(['consented', 'requested']);
  });

  it('when the same callback is replayed, then it is refused and nothing changes', async () => {
    const before = await snapshot(h.db, DATA_COLLECTIONS);
    const cb = await request(h.app).get(callbackUrl.replace(/&?error=[^&]*/, '') + '&error=access_denied').expect(302);
    expect(cb.headers.location).toContain('consent=invalid');
    expect(await snapshot(h.db, DATA_COLLECTIONS)).toEqual(before);
  });

  it('when the state is forged or expired, then the callback changes nothing', async () => {
    const before = await snapshot(h.db, DATA_COLLECTIONS);
    const secret = testAppConfig(h.sim, 'mongodb://unused/', 'x').consent.stateSecret;
    const forged = createConsentState('not-the-secret-not-the-secret-not-the-secret', CONTOSO_TENANT_ID, enrichmentId, new Date()).state;
    const expired = createConsentState(secret, CONTOSO_TENANT_ID, enrichmentId, new Date(Date.now() - 8 * 24 * 3600_000)).state;
    const [body] = createConsentState(secret, CONTOSO_TENANT_ID, enrichmentId, new Date()).state.split('.');
    const tampered = `${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), e: 'enr_x' })).toString('base64url')}.${createConsentState(secret, CONTOSO_TENANT_ID, enrichmentId, new Date()).state.split('.')[1]}`;
    for (const state of [forged, expired, tampered, 'garbage', '']) {
      const cb = await request(h.app).get('/api/consent/callback').query({ admin_consent: 'True', tenant: CONTOSO_TENANT_ID, state, error: 'access_denied' }).expect(302);
      expect(cb.headers.location).toContain('consent=invalid');
    }
    expect(await snapshot(h.db, DATA_COLLECTIONS)).toEqual(before);
  });

  it('when a refusal comes back with a valid state, then the refusal and its reason are recorded; a resend asks again', async () => {
    const secret = testAppConfig(h.sim, 'mongodb://unused/', 'x').consent.stateSecret;
    const created = await request(h.app).post('/api/enrichments').set(auth(admin)).send(input({ name: 'Second one' })).expect(201);
    const id = created.body.enrichment.id;
    const { state } = createConsentState(secret, CONTOSO_TENANT_ID, id, new Date());
    const cb = await request(h.app).get('/api/consent/callback').query({ admin_consent: 'True', tenant: CONTOSO_TENANT_ID, state, error: 'access_denied', error_description: 'AADSTS65004: User declined to consent to access the app.' }).expect(302);
    expect(cb.headers.location).toContain('consent=refused');
    const refused = await request(h.app).get(`/api/enrichments/${id}`).set(auth(admin)).expect(200);
    expect(refused.body).toMatchObject({ state: 'consent-refused', consent: { state: 'refused', refusalReason: expect.stringMatching(/declined/) } });

    const resend = await request(h.app).post(`/api/enrichments/${id}/consent/request`).set(auth(admin)).send({}).expect(200);
    expect(resend.body).toMatchObject({ sent: true, consent: { state: 'awaiting' } });
    // Consent was granted tenant-wide already, so "check consent" detects it.
    const checked = await request(h.app).post(`/api/enrichments/${id}/consent/check`).set(auth(admin)).expect(200);
    expect(checked.body).toMatchObject({ state: 'consented', source: 'detected', decidedBy: adminId });
  });
});

describe('refusals leave stored data unchanged', () => {
  it('when the selection resolves to 1 address, then saving is refused with the range', async () => {
    const before = await snapshot(h.db, DATA_COLLECTIONS);
    const [u1] = twoOthers();
    const res = await request(h.app).post('/api/enrichments').set(auth(admin)).send(input({ name: 'Too small', mailboxes: { selections: [{ kind: 'user', id: u1!.id }] } })).expect(400);
    expect(res.body.detail).toBe('Select at least 2 mailboxes; the selection resolves to 1 unique address.');
    const live = await request(h.app).post('/api/directory/resolve').set(auth(admin)).send({ selections: [{ kind: 'user', id: u1!.id }] }).expect(200);
    expect(live.body).toMatchObject({ count: 1, withinLimits: false, message: res.body.detail });
    expect(await snapshot(h.db, DATA_COLLECTIONS)).toEqual(before);
  });

  it('when a seller tries to write, then every write is forbidden', async () => {
    const before = await snapshot(h.db, DATA_COLLECTIONS);
    await request(h.app).post('/api/enrichments').set(auth(seller)).send(input({ name: 'Seller made' })).expect(403);
    await request(h.app).put(`/api/enrichments/${enrichmentId}`).set(auth(seller)).send({ ...input(), version: 1 }).expect(403);
    await request(h.app).post(`/api/enrichments/${enrichmentId}/pause`).set(auth(seller)).send({}).expect(403);
    await request(h.app).delete(`/api/enrichments/${enrichmentId}`).set(auth(seller)).expect(403);
    await request(h.app).post(`/api/enrichments/${enrichmentId}/consent/request`).set(auth(seller)).send({}).expect(403);
    await request(h.app).post('/api/directory/resolve').set(auth(seller)).send({ selections: [] }).expect(403);
    // Reading the configuration is an admin's business too.
    await request(h.app).get(`/api/enrichments/${enrichmentId}`).set(auth(seller)).expect(403);
    await request(h.app).get(`/api/enrichments/${enrichmentId}/consent`).set(auth(seller)).expect(403);
    expect(await snapshot(h.db, DATA_COLLECTIONS)).toEqual(before);
  });

  it("when another tenant's admin touches an enrichment, then it does not exist for them", async () => {
    const before = await snapshot(h.db, DATA_COLLECTIONS);
    await request(h.app).get(`/api/enrichments/${enrichmentId}`).set(auth(fabrikamAdmin)).expect(404);
    await request(h.app).put(`/api/enrichments/${enrichmentId}`).set(auth(fabrikamAdmin)).send({ ...input(), version: 1 }).expect(404);
    await request(h.app).post(`/api/enrichments/${enrichmentId}/pause`).set(auth(fabrikamAdmin)).send({}).expect(404);
    await request(h.app).delete(`/api/enrichments/${enrichmentId}`).set(auth(fabrikamAdmin)).expect(404);
    await request(h.app).get(`/api/enrichments/${enrichmentId}/consent`).set(auth(fabrikamAdmin)).expect(404);
    const theirs = await request(h.app).get('/api/enrichments').set(auth(fabrikamAdmin)).expect(200);
    expect(theirs.body.items).toEqual([]);
    expect(await snapshot(h.db, DATA_COLLECTIONS)).toEqual(before);
  });

  it('when the region is unsupported (Fabrikam, BR), then the prerequisites say why and saving is refused', async () => {
    const pre = await request(h.app).get('/api/prerequisites').set(auth(fabrikamAdmin)).expect(200);
    expect(pre.body.countryLetterCode).toBe('BR');
    expect(pre.body.canCreate).toBe(false);
    expect(pre.body.items[0]).toMatchObject({ id: 'region', status: 'not-met', reason: expect.stringMatching(/BR.*outside the supported regions/) });
    expect(pre.body.items[1]).toMatchObject({ id: 'licence', status: 'unknown' });
    const before = await snapshot(h.db, DATA_COLLECTIONS);
    const res = await request(h.app).post('/api/enrichments').set(auth(fabrikamAdmin)).send(input({ name: 'Fabrikam one' })).expect(400);
    expect(res.body.detail).toMatch(/country \(BR\) is outside the supported regions/);
    expect(await snapshot(h.db, DATA_COLLECTIONS)).toEqual(before);
  });

  it('when the consent box is not ticked, a name is taken or invalid, or an exclusion is malformed, then saving is refused', async () => {
    const before = await snapshot(h.db, DATA_COLLECTIONS);
    const unticked = await request(h.app).post('/api/enrichments').set(auth(admin)).send(input({ name: 'Unticked', consentAgreed: false })).expect(400);
    expect(unticked.body.errors[0]).toMatchObject({ path: 'body.consentAgreed', message: expect.stringMatching(/I agree/) });
    const taken = await request(h.app).post('/api/enrichments').set(auth(admin)).send(input({ name: 'CONTOSO ENGAGEMENT' })).expect(409);
    expect(taken.body.detail).toMatch(/already exists/);
    await request(h.app).post('/api/enrichments').set(auth(admin)).send(input({ name: 'Bad/name' })).expect(400);
    await request(h.app).post('/api/enrichments').set(auth(admin)).send(input({ name: 'Ok name', entityName: '1Office' })).expect(400);
    const excl = await request(h.app).post('/api/enrichments').set(auth(admin)).send(input({ name: 'Ok name', exclusions: { addresses: ['nope'] } })).expect(400);
    expect(excl.body.detail).toMatch(/"nope" is not an email address/);
    const field = await request(h.app).post('/api/enrichments').set(auth(admin)).send(input({ name: 'Ok name', mapping: { emailField: 'Mail', accountIdField: 'AccountId' } })).expect(400);
    expect(field.body.detail).toMatch(/no contact field "Mail"/);
    const avail = await request(h.app).get('/api/enrichments/name-availability').query({ name: 'contoso engagement' }).set(auth(admin)).expect(200);
    expect(avail.body).toEqual({ available: false, reason: 'An enrichment named "Contoso engagement" already exists.' });
    expect(await snapshot(h.db, DATA_COLLECTIONS)).toEqual(before);
  });

  it('when the dataset an enrichment uses is deleted, then it is refused naming the enrichment', async () => {
    const before = await snapshot(h.db, DATA_COLLECTIONS);
    const res = await request(h.app).delete(`/api/datasets/${datasetId}`).set(auth(admin)).expect(409);
    expect(res.body.detail).toMatch(/used by the enrichments "Contoso engagement", "Second one"/);
    expect(await snapshot(h.db, DATA_COLLECTIONS)).toEqual(before);
  });
});

describe('editing, pausing and deleting', () => {
  it('when an edit is based on a stale version, then it is a 409 and the stored enrichment is unchanged', async () => {
    const current = await request(h.app).get(`/api/enrichments/${enrichmentId}`).set(auth(admin)).expect(200);
    const edited = await request(h.app).put(`/api/enrichments/${enrichmentId}`).set(auth(admin)).set('if-match', `"${current.body.version}"`).send(input({ entityName: 'Sales', matchAccountDomains: true })).expect(200);
    expect(edited.body).toMatchObject({ version: current.body.version + 1, entityName: 'Sales', userEntityName: 'Sales_UserEntity', matchAccountDomains: true, state: 'consented' });
    const before = await snapshot(h.db, DATA_COLLECTIONS);
    const stale = await request(h.app).put(`/api/enrichments/${enrichmentId}`).set(auth(admin)).send({ ...input({ entityName: 'Other' }), version: current.body.version }).expect(409);
    expect(stale.body.detail).toMatch(new RegExp(`version ${current.body.version}, it is now version ${current.body.version + 1}`));
    await request(h.app).put(`/api/enrichments/${enrichmentId}`).set(auth(admin)).send(input({ entityName: 'Other' })).expect(400);
    expect(await snapshot(h.db, DATA_COLLECTIONS)).toEqual(before);
  });

  it('when paused and resumed, then the state follows', async () => {
    const paused = await request(h.app).post(`/api/enrichments/${enrichmentId}/pause`).set(auth(admin)).send({}).expect(200);
    expect(paused.body).toMatchObject({ state: 'paused', paused: true });
    const resumed = await request(h.app).post(`/api/enrichments/${enrichmentId}/resume`).set(auth(admin)).send({ version: paused.body.version }).expect(200);
    expect(resumed.body).toMatchObject({ state: 'consented', paused: false });
  });

  it('when the half-life is set, then it is checked and versioned, an edit that leaves it out keeps it, and one saved before it existed reads 30', async () => {
    const url = `/api/enrichments/${enrichmentId}/half-life`;
    const current = await request(h.app).get(`/api/enrichments/${enrichmentId}`).set(auth(admin)).expect(200);
    expect(current.body.halfLifeDays).toBe(30);
    const before = await snapshot(h.db, DATA_COLLECTIONS);
    const v = current.body.version;
    for (const [body, detail] of [
      [{ halfLifeDays: 6, version: v }, /at least 7 days/],
      [{ halfLifeDays: 366, version: v }, /at most 365 days/],
      [{ halfLifeDays: 30.5, version: v }, /whole number of days from 7 to 365/],
      [{ halfLifeDays: '30', version: v }, /whole number of days from 7 to 365/],
      [{ halfLifeDays: 30 }, /Send the version you edited/],
    ] as const) {
      const res = await request(h.app).put(url).set(auth(admin)).send(body).expect(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.body.detail).toMatch(detail);
    }
    await request(h.app).put(url).set(auth(seller)).send({ halfLifeDays: 14, version: v }).expect(403);
    await request(h.app).put(url).set(auth(admin)).send({ halfLifeDays: 14, version: v - 1 }).expect(409);
    const badCreate = await request(h.app).post('/api/enrichments').set(auth(admin)).send(input({ name: 'Short memory', halfLifeDays: 3 })).expect(400);
    expect(badCreate.body.detail).toMatch(/at least 7 days/);
    expect(await snapshot(h.db, DATA_COLLECTIONS)).toEqual(before);

    const set = await request(h.app).put(url).set(auth(admin)).set('if-match', `"${v}"`).send({ halfLifeDays: 14 }).expect(200);
    expect(set.body).toMatchObject({ halfLifeDays: 14, version: v + 1 });
    const kept = await request(h.app).put(`/api/enrichments/${enrichmentId}`).set(auth(admin)).send({ ...input({ entityName: 'Sales' }), version: v + 1 }).expect(200);
    expect(kept.body).toMatchObject({ halfLifeDays: 14, version: v + 2 });
    const changed = await request(h.app).put(`/api/enrichments/${enrichmentId}`).set(auth(admin)).send({ ...input({ entityName: 'Sales', halfLifeDays: 365 }), version: v + 2 }).expect(200);
    expect(changed.body.halfLifeDays).toBe(365);

    await h.db.collection('enrichments').updateOne({ _id: enrichmentId as never }, { $unset: { halfLifeDays: '' } });
    expect((await request(h.app).get(`/api/enrichments/${enrichmentId}`).set(auth(admin)).expect(200)).body.halfLifeDays).toBe(30);
    const openapi = await request(h.app).get('/api/openapi.json').expect(200);
    expect(openapi.body.paths['/api/enrichments/{id}/half-life'].put['x-required-role']).toBe('EngagementAdmin');
  });

  it('when deleted, then the enrichment and what it owns are gone', async () => {
    await h.db.collection('consent_events').countDocuments({ enrichmentId }).then((n) => expect(n).toBeGreaterThan(0));
    await request(h.app).delete(`/api/enrichments/${enrichmentId}`).set(auth(admin)).expect(204);
    await request(h.app).get(`/api/enrichments/${enrichmentId}`).set(auth(admin)).expect(404);
    expect(await h.db.collection('consent_events').countDocuments({ enrichmentId })).toBe(0);
    expect(await h.db.collection('consent_nonces').countDocuments({ enrichmentId })).toBe(0);
  });

  it('when the OpenAPI document is read, then the new endpoints are in it', async () => {
    const res = await request(h.app).get('/api/openapi.json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/datasets', '/api/datasets/imports', '/api/datasets/imports/{importId}/contacts', '/api/datasets/imports/{importId}/commit',
        '/api/directory/search', '/api/directory/resolve', '/api/prerequisites', '/api/enrichments/{id}', '/api/enrichments/{id}/consent/request', '/api/consent/callback',
      ]),
    );
    expect(res.body.paths['/api/consent/callback'].get.security).toEqual([]);
    expect(res.body.paths['/api/enrichments'].post['x-required-role']).toBe('EngagementAdmin');
  });
});
