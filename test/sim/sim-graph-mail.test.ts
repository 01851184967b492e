import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../simulator/src/simulator';
import { ANCHOR, BIG_BOX_MESSAGES, HOUR, IDS } from './sim-test-tenant';
import { TENANT_ID, appToken, control, followPages, graph, startTestSimulator } from './sim-test-helpers';

let sim: RunningSimulator;
let token: string;
const IMMUTABLE = { Prefer: 'IdType="ImmutableId"' };

beforeAll(async () => {
  sim = await startTestSimulator();
  token = await appToken(sim);
});
afterAll(async () => {
  await sim?.close();
});

describe('listing messages', () => {
  it('when nextLinks are followed to the end, then every visible message is returned exactly once', async () => {
    const first = `/users/${IDS.seller}/mailFolders/inbox/messages?$top=4&$select=receivedDateTime,internetMessageId`;
    const { items, pages } = await followPages(sim, token, first, IMMUTABLE);
    const expected = sim.tenant(TENANT_ID).tenant.mailboxMessages(IDS.seller, { visibleAt: ANCHOR, folder: 'inbox' });
    expect(items).toHaveLength(35);
    expect(pages).toBe(9);
    expect(items.map((m) => m.id)).toEqual(expected.map((m) => m.id));
    expect(Object.keys(items[0]).sort()).toEqual(['@odata.etag', 'id', 'internetMessageId', 'receivedDateTime']);
  });

  it('when a nextLink is returned, then it is an absolute https URL on the simulator with an opaque $skiptoken', async () => {
    const r = await graph(sim, token, `/users/${IDS.seller}/messages?$top=5`);
    const next = new URL(r.body['@odata.nextLink']);
    expect(next.origin).toBe(sim.url);
    expect(next.searchParams.get('$skiptoken')).toBeTruthy();
    const link: string = r.body['@odata.nextLink'];
    const tokenStart = link.indexOf('skiptoken=') + 'skiptoken='.length;
    const tampered = `${link.slice(0, tokenStart)}${link[tokenStart] === 'e' ? 'f' : 'e'}${link.slice(tokenStart + 1)}`;
    expect((await graph(sim, token, link)).status).toBe(200);
    expect((await graph(sim, token, tampered)).status).toBe(400);
  });

  it('when $top is out of range, then 400', async () => {
    expect((await graph(sim, token, `/users/${IDS.seller}/messages?$top=1001`)).status).toBe(400);
    expect((await graph(sim, token, `/users/${IDS.seller}/messages?$top=0`)).status).toBe(400);
  });

  it('when a date range filter is used with a matching orderby, then only messages in range come back, in order', async () => {
    const from = new Date(ANCHOR.getTime() - 10.5 * HOUR).toISOString();
    const to = new Date(ANCHOR.getTime() - 2.5 * HOUR).toISOString();
    const r = await graph(sim, token, `/users/${IDS.seller}/mailFolders/inbox/messages?$filter=receivedDateTime ge ${from} and receivedDateTime lt ${to}&$orderby=receivedDateTime asc&$top=100`);
    expect(r.status).toBe(200);
    const times = r.body.value.map((m: any) => Date.parse(m.receivedDateTime));
    expect(times).toHaveLength(8); // hours 3..10 before the anchor
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(times.every((t: number) => t >= Date.parse(from) && t < Date.parse(to))).toBe(true);
  });

  it('when $orderby names a property the filter does not start with, then 400 InefficientFilter', async () => {
    const r = await graph(sim, token, `/users/${IDS.seller}/messages?$filter=isRead eq true and receivedDateTime ge 2025-01-01T00:00:00Z&$orderby=receivedDateTime desc`);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('InefficientFilter');
    const ok = await graph(sim, token, `/users/${IDS.seller}/messages?$filter=receivedDateTime ge 2025-01-01T00:00:00Z and isRead eq true&$orderby=receivedDateTime desc`);
    expect(ok.status).toBe(200);
    expect(ok.body.value.every((m: any) => m.isRead === true)).toBe(true);
  });

  it('when the request carries an unsupported filter, then 400 with a Graph error body', async () => {
    const r = await graph(sim, token, `/users/${IDS.seller}/messages?$filter=contains(subject,'x')`);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'ErrorInvalidUrlQueryFilter' });
    expect(r.body.error.innerError).toHaveProperty('request-id');
    expect(r.body.error.innerError).toHaveProperty('date');
  });
});

describe('Mail.ReadBasic.All', () => {
  it('when body or bodyPreview is selected, then 403 ErrorAccessDenied', async () => {
    for (const prop of ['body', 'bodyPreview', 'uniqueBody']) {
      const r = await graph(sim, token, `/users/${IDS.seller}/messages?$select=subject,${prop}`);
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('ErrorAccessDenied');
    }
  });

  it('when nothing is selected, then messages come back without body and bodyPreview', async () => {
    const r = await graph(sim, token, `/users/${IDS.seller}/messages?$top=3`);
    expect(r.status).toBe(200);
    for (const m of r.body.value) {
      expect(m).toHaveProperty('toRecipients');
      expect(m).not.toHaveProperty('body');
      expect(m).not.toHaveProperty('bodyPreview');
    }
  });
});

describe('ids', () => {
  it('when ImmutableId is preferred, then immutable ids come back and the preference is echoed; otherwise the regular form', async () => {
    const imm = await graph(sim, token, `/users/${IDS.seller}/messages?$top=1&$select=id`, { headers: IMMUTABLE });
    const reg = await graph(sim, token, `/users/${IDS.seller}/messages?$top=1&$select=id`);
    const newest = sim.tenant(TENANT_ID).tenant.mailboxMessages(IDS.seller, { visibleAt: ANCHOR })[0]!;
    expect(imm.body.value[0].id).toBe(newest.id);
    expect(imm.headers.get('preference-applied')).toContain('IdType="ImmutableId"');
    expect(reg.body.value[0].id).not.toBe(newest.id);
    expect(reg.headers.get('preference-applied')).toBeNull();
    const again = await graph(sim, token, `/users/${IDS.seller}/messages?$top=1&$select=id`);
    expect(again.body.value[0].id).toBe(reg.body.value[0].id);
  });
});

describe('message delta', () => {

  it('when the clock moves after a full round, then the next round returns only the newly visible messages', async () => {
    const handle = sim.tenant(TENANT_ID);
    const start = `/users/${IDS.seller}/mailFolders/inbox/messages/delta?$select=receivedDateTime,from`;
    const round1 = await followPages(sim, token, start, { ...IMMUTABLE, Prefer: 'IdType="ImmutableId", odata.maxpagesize=10' });
    expect(round1.items).toHaveLength(35);
    expect(round1.pages).toBe(4);
    const deltaLink = round1.last['@odata.deltaLink'];
    expect(deltaLink).toMatch(/^https:\/\/localhost:\d+\/v1\.0\/users\/.+\/messages\/delta\?%24deltatoken=/);

    const empty = await followPages(sim, token, deltaLink, IMMUTABLE);
    expect(empty.items).toHaveLength(0);

    const clockBefore = handle.now().getTime();
    const moved = await control(sim, `/tenants/${TENANT_ID}/clock`, { advanceMs: 2.5 * HOUR });
    expect(Date.parse(moved.body.now)).toBe(clockBefore + 2.5 * HOUR);
    const round2 = await followPages(sim, token, empty.last['@odata.deltaLink'], IMMUTABLE);
    expect(round2.items.map((m) => m.id).sort()).toEqual([`imm-03-inbox-100`, `imm-03-inbox-101`]);
    expect(Object.keys(round2.items[0]).sort()).toEqual(['@odata.etag', 'from', 'id', 'receivedDateTime']);
  });

  it('when a delta round is filtered, then it is capped at 5,000 messages (the newest)', async () => {
    const since = new Date(ANCHOR.getTime() - 365 * 24 * HOUR).toISOString();
    const round = await followPages(sim, token, `/users/${IDS.bigBox}/mailFolders/inbox/messages/delta?$filter=receivedDateTime ge ${since}&$select=receivedDateTime`, { ...IMMUTABLE, Prefer: 'IdType="ImmutableId", odata.maxpagesize=1000' });
    expect(BIG_BOX_MESSAGES).toBeGreaterThan(5000);
    expect(round.items).toHaveLength(5000);
    expect(new Set(round.items.map((m) => m.id)).size).toBe(5000);
    const oldestReturned = Math.min(...round.items.map((m) => Date.parse(m.receivedDateTime)));
    const all = sim.tenant(TENANT_ID).tenant.mailboxMessages(IDS.bigBox, { visibleAt: sim.tenant(TENANT_ID).now() });
    expect(oldestReturned).toBe(Date.parse(all[4999]!.receivedDateTime));
    expect(round.last['@odata.deltaLink']).toBeTruthy();
  });

  it('when an unfiltered round covers the same big mailbox, then it is not capped', async () => {
    const round = await followPages(sim, token, `/users/${IDS.bigBox}/mailFolders/inbox/messages/delta?$select=id`, { Prefer: 'odata.maxpagesize=1000' });
    expect(round.items).toHaveLength(BIG_BOX_MESSAGES);
  });

  it('when delta tokens are expired or garbled, then 410 SyncStateNotFound', async () => {
    const round = await followPages(sim, token, `/users/${IDS.seller}/mailFolders/sentitems/messages/delta?$select=id`, { Prefer: 'odata.maxpagesize=50' });
    const deltaLink: string = round.last['@odata.deltaLink'];
    expect((await graph(sim, token, deltaLink)).status).toBe(200);

    const garbled = await graph(sim, token, deltaLink.replace(/deltatoken=./, 'deltatoken=Q'));
    expect(garbled.status).toBe(410);
    expect(garbled.body.error.code).toBe('SyncStateNotFound');

    const expire = await control(sim, `/tenants/${TENANT_ID}/delta-tokens/expire`, {});
    expect(expire.status).toBe(200);
    const expired = await graph(sim, token, deltaLink);
    expect(expired.status).toBe(410);
    expect(expired.body.error.code).toBe('SyncStateNotFound');
  });

  it('when the delta filter is not a receivedDateTime lower bound, then 400', async () => {
    const r = await graph(sim, token, `/users/${IDS.seller}/mailFolders/inbox/messages/delta?$filter=sentDateTime ge 2025-01-01T00:00:00Z`);
    expect(r.status).toBe(400);
  });
});

describe('sendMail', () => {
  it('when a delegated user with Mail.Send sends, then 202 and the message lands in the outbox', async () => {
    const { body } = await control(sim, '/dev/sso-token', { tenantId: TENANT_ID, persona: 'tenantAdmin' });
    const obo = await fetch(`${sim.url}/${TENANT_ID}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', requested_token_use: 'on_behalf_of', client_id: '99999999-aaaa-4bbb-8ccc-dddddddddddd',
        client_secret: 'test-secret', assertion: body.accessToken, scope: 'https://graph.microsoft.com/Mail.Send',
      }),
    });
    const delegated = (await obo.json()).access_token;
    const message = { subject: 'Please consent', body: { contentType: 'text', content: 'hello' }, toRecipients: [{ emailAddress: { address: 'it@northwind.example' } }] };
    const sent = await graph(sim, delegated, '/me/sendMail', { method: 'POST', body: { message, saveToSentItems: false } });
    expect(sent.status).toBe(202);
    const outbox = await control(sim, `/tenants/${TENANT_ID}/outbox`);
    expect(outbox.body.value.at(-1)).toMatchObject({ senderUserId: IDS.admin, via: 'delegated', saveToSentItems: false, message: { subject: 'Please consent' } });

    const noRecipients = await graph(sim, delegated, '/me/sendMail', { method: 'POST', body: { message: { subject: 'x' } } });
    expect(noRecipients.status).toBe(400);
    expect(noRecipients.body.error.code).toBe('ErrorInvalidRecipients');
    const asSomeoneElse = await graph(sim, delegated, `/users/${IDS.seller}/sendMail`, { method: 'POST', body: { message } });
    expect(asSomeoneElse.status).toBe(403);
    expect(sim.tenant(TENANT_ID).outbox).toHaveLength(1);
  });

  it('when the app token lacks Mail.Send, then 403', async () => {
    const r = await graph(sim, token, `/users/${IDS.seller}/sendMail`, { method: 'POST', body: { message: { toRecipients: [{ emailAddress: { address: 'a@b.example' } }] } } });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('ErrorAccessDenied');
  });
});
