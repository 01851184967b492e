import { SignJWT, generateKeyPair } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../simulator/src/simulator';
import { IDS } from './sim-test-tenant';
import { TENANT_ID, appToken, control, graph, startTestSimulator, waitFor } from './sim-test-helpers';

let sim: RunningSimulator;
let token: string;
const msgs = (user: string) => `/users/${user}/messages?$top=1&$select=id`;

beforeAll(async () => {
  sim = await startTestSimulator();
  token = await appToken(sim);
});
afterEach(() => {
  sim.setFaults({ error503Rate: 0, latencyMs: 0, dropRate: 0 });
  sim.setThrottling({ enabled: true, concurrencyPerMailbox: 4, budgetPerWindow: 10_000, windowMs: 600_000 });
  sim.tenant(TENANT_ID).resetStats();
});
afterAll(async () => {
  await sim?.close();
});

describe('$batch', () => {
  it('when a batch mixes requests, then each gets its own status and body under an outer 200', async () => {
    const r = await graph(sim, token, '/$batch', {
      method: 'POST',
      body: {
        requests: [
          { id: '1', method: 'GET', url: msgs(IDS.seller) },
          { id: '2', method: 'GET', url: '/users/nobody@northwind.example/messages' },
          { id: '3', method: 'GET', url: `users/${IDS.admin}?$select=displayName` },
        ],
      },
    });
    expect(r.status).toBe(200);
    const byId = Object.fromEntries(r.body.responses.map((x: any) => [x.id, x]));
    expect(byId['1'].status).toBe(200);
    expect(byId['1'].body.value).toHaveLength(1);
    expect(byId['2'].status).toBe(404);
    expect(byId['3'].body.displayName).toBe('Ada Admin');
  });

  it('when a batch has more than 20 requests or duplicate ids, then the whole batch is 400', async () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: msgs(IDS.seller) }));
    expect((await graph(sim, token, '/$batch', { method: 'POST', body: { requests: many } })).status).toBe(400);
    const twenty = many.slice(0, 20);
    expect((await graph(sim, token, '/$batch', { method: 'POST', body: { requests: twenty } })).status).toBe(200);
    const dup = [{ id: 'a', method: 'GET', url: '/organization' }, { id: 'a', method: 'GET', url: '/organization' }];
    const r = await graph(sim, token, '/$batch', { method: 'POST', body: { requests: dup } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('BadRequest');
    const absolute = [{ id: 'a', method: 'GET', url: `${sim.url}/v1.0/organization` }];
    expect((await graph(sim, token, '/$batch', { method: 'POST', body: { requests: absolute } })).status).toBe(400);
  });

  it('when a dependency fails, then its dependants answer 424 without running', async () => {
    const before = sim.tenant(TENANT_ID).stats.requestsByMailbox[IDS.colleague] ?? 0;
    const r = await graph(sim, token, '/$batch', {
      method: 'POST',
      body: {
        requests: [
          { id: '1', method: 'GET', url: '/users/ghost@northwind.example' },
          { id: '2', method: 'GET', url: msgs(IDS.colleague), dependsOn: ['1'] },
          { id: '3', method: 'GET', url: msgs(IDS.colleague), dependsOn: ['2'] },
          { id: '4', method: 'GET', url: '/organization' },
        ],
      },
    });
    const byId = Object.fromEntries(r.body.responses.map((x: any) => [x.id, x]));
    expect(byId['1'].status).toBe(404);
    expect(byId['2'].status).toBe(424);
    expect(byId['3'].status).toBe(424);
    expect(byId['4'].status).toBe(200);
    expect(sim.tenant(TENANT_ID).stats.requestsByMailbox[IDS.colleague] ?? 0).toBe(before);
  });

  it('when the mailbox budget runs out inside a batch, then only the excess sub-requests are 429 with their own Retry-After', async () => {
    sim.setThrottling({ budgetPerWindow: 3 });
    const requests = Array.from({ length: 5 }, (_, i) => ({ id: String(i + 1), method: 'GET', url: msgs(IDS.seller) }));
    const r = await graph(sim, token, '/$batch', { method: 'POST', body: { requests } });
    expect(r.status).toBe(200);
    const statuses = r.body.responses.map((x: any) => x.status).sort();
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const throttled = r.body.responses.find((x: any) => x.status === 429);
    expect(Number(throttled.headers['Retry-After'])).toBeGreaterThan(0);
    expect(throttled.body.error.code).toBe('ApplicationThrottled');
  });

  it('when a batch holds 8 requests to one mailbox, then at most 4 run at once and none is throttled for concurrency', async () => {
    sim.setFaults({ latencyMs: 80 });
    const requests = Array.from({ length: 8 }, (_, i) => ({ id: String(i + 1), method: 'GET', url: msgs(IDS.seller) }));
    const started = Date.now();
    const r = await graph(sim, token, '/$batch', { method: 'POST', body: { requests } });
    const elapsed = Date.now() - started;
    expect(r.body.responses.every((x: any) => x.status === 200)).toBe(true);
    expect(sim.tenant(TENANT_ID).stats.concurrency429).toBe(0);
    // Two waves of four, each waiting its latency (the batch itself adds none: its sub-requests are the pages).
    expect(elapsed).toBeGreaterThanOrEqual(2 * 80);
  });
});

describe('throttling', () => {
  it('when five requests hit one mailbox at once, then the fifth is 429 MailboxConcurrency', async () => {
    // Four requests are held inside the mailbox's concurrency slots until the fifth has been answered.
    const release = sim.holdGraphRequests();
    const first = Array.from({ length: 4 }, () => graph(sim, token, msgs(IDS.seller)));
    await waitFor(() => sim.heldGraphRequests() === 4);
    const fifth = await graph(sim, token, msgs(IDS.seller));
    release();
    const results = [...(await Promise.all(first)), fifth];
    expect(fifth.status).toBe(429);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    const throttled = results.find((r) => r.status === 429)!;
    expect(throttled.body.error).toMatchObject({ code: 'ApplicationThrottled', message: 'Application is over its MailboxConcurrency limit.' });
    expect(throttled.headers.get('retry-after')).toBeTruthy();
    expect(sim.tenant(TENANT_ID).stats.concurrency429).toBe(1);
    // Once those finished, the mailbox accepts requests again.
    expect((await graph(sim, token, msgs(IDS.seller))).status).toBe(200);
  });

  it('when the per-mailbox budget is spent, then 429 with Retry-After until the window frees, other mailboxes unaffected', async () => {
    sim.setThrottling({ budgetPerWindow: 2, windowMs: 60_000 });
    expect((await graph(sim, token, msgs(IDS.seller))).status).toBe(200);
    expect((await graph(sim, token, msgs(IDS.seller))).status).toBe(200);
    const third = await graph(sim, token, msgs(IDS.seller));
    expect(third.status).toBe(429);
    const retryAfter = Number(third.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(50);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await graph(sim, token, msgs(IDS.colleague))).status).toBe(200);
    const stats = (await control(sim, `/tenants/${TENANT_ID}/stats`)).body;
    expect(stats.budget429).toBe(1);
    expect(stats.requestsByMailbox[IDS.seller]).toBe(2);
  });
});

describe('faults', () => {
  it('when a 503 rate is set through the control endpoint, then that share of requests fails with ServiceUnavailable', async () => {
    const set = await control(sim, '/faults', { error503Rate: 0.5, seed: 42 });
    expect(set.body.error503Rate).toBe(0.5);
    const results = [];
    for (let i = 0; i < 40; i++) results.push(await graph(sim, token, '/organization'));
    const failed = results.filter((r) => r.status === 503);
    expect(failed.length).toBeGreaterThan(8);
    expect(failed.length).toBeLessThan(32);
    expect(failed[0]!.body.error.code).toBe('ServiceUnavailable');
    expect(results.filter((r) => r.status === 200).length).toBe(40 - failed.length);
    expect(sim.tenant(TENANT_ID).stats.injected503).toBe(failed.length);
  });

  it('when the drop rate is 1, then the connection is closed without an answer', async () => {
    sim.setFaults({ dropRate: 1 });
    await expect(fetch(`${sim.url}/v1.0/organization`, { headers: { Authorization: `Bearer ${token}` } })).rejects.toThrow();
  });
});

describe('authentication', () => {
  it('when the token is missing or signed by someone else, then 401 InvalidAuthenticationToken', async () => {
    const none = await fetch(`${sim.url}/v1.0/organization`);
    expect(none.status).toBe(401);
    expect((await none.json()).error.code).toBe('InvalidAuthenticationToken');
    const { privateKey } = await generateKeyPair('RS256');
    const foreign = await new SignJWT({ tid: TENANT_ID, roles: ['Organization.Read.All'], idtyp: 'app' })
      .setProtectedHeader({ alg: 'RS256' })
      .setAudience('https://graph.microsoft.com')
      .setIssuer(`https://sts.windows.net/${TENANT_ID}/`)
      .setExpirationTime('1h')
      .sign(privateKey);
    expect((await graph(sim, foreign, '/organization')).status).toBe(401);
  });
});

describe('directory', () => {
  it('when transitive members are listed, then nested groups are expanded once, cycles are harmless and groups appear as objects', async () => {
    const r = await graph(sim, token, `/groups/${IDS.groupA}/transitiveMembers`);
    expect(r.status).toBe(200);
    const ids = r.body.value.map((m: any) => m.id);
    expect(ids.sort()).toEqual([IDS.seller, IDS.colleague, IDS.bigBox, IDS.groupB, IDS.groupC].sort());
    expect(new Set(ids).size).toBe(ids.length);
    expect(r.body.value.find((m: any) => m.id === IDS.groupB)['@odata.type']).toBe('#microsoft.graph.group');
    const usersOnly = await graph(sim, token, `/groups/${IDS.groupA}/transitiveMembers/microsoft.graph.user?$select=id,mail`, { headers: { ConsistencyLevel: 'eventual' } });
    expect(usersOnly.body.value.map((m: any) => m.id).sort()).toEqual([IDS.seller, IDS.colleague, IDS.bigBox].sort());
    expect(usersOnly.body.value[0].mail).toMatch(/@northwind\.example$/);
  });

  it('when the app holds GroupMember.Read.All but no user permission, then members come back with type and id only', async () => {
    sim.tenant(TENANT_ID).grantConsent(IDS.admin, ['GroupMember.Read.All']);
    try {
      const limited = await appToken(sim);
      const r = await graph(sim, limited, `/groups/${IDS.groupC}/members`);
      expect(r.status).toBe(200);
      expect(r.body.value).toEqual([
        { '@odata.type': '#microsoft.graph.user', id: IDS.seller },
        { '@odata.type': '#microsoft.graph.user', id: IDS.colleague },
      ]);
      const users = await graph(sim, limited, '/users');
      expect(users.status).toBe(403);
      expect(users.body.error.code).toBe('Authorization_RequestDenied');
    } finally {
      sim.tenant(TENANT_ID).grantConsent();
    }
  });

  it('when users are filtered, searched and paged, then the directory rules apply', async () => {
    const starts = await graph(sim, token, `/users?$filter=startswith(displayName,'sa')`);
    expect(starts.body.value.map((u: any) => u.id)).toEqual([IDS.seller]);
    const byMail = await graph(sim, token, `/users?$filter=mail eq 'ADA.ADMIN@northwind.example'`);
    expect(byMail.body.value.map((u: any) => u.id)).toEqual([IDS.admin]);
    const noHeader = await graph(sim, token, `/users?$search="displayName:bigbox"`);
    expect(noHeader.status).toBe(400);
    const search = await graph(sim, token, `/users?$search="displayName:bigbox"&$count=true`, { headers: { ConsistencyLevel: 'eventual' } });
    expect(search.body['@odata.count']).toBe(1);
    expect((await graph(sim, token, '/users?$top=1000')).status).toBe(400);
    const page1 = await graph(sim, token, '/users?$top=4&$select=id');
    const page2 = await graph(sim, token, page1.body['@odata.nextLink']);
    expect([...page1.body.value, ...page2.body.value].map((u: any) => u.id)).toEqual(sim.tenant(TENANT_ID).tenant.users.map((u) => u.id));
    expect(page2.body['@odata.nextLink']).toBeUndefined();
  });

  it('when organization, subscribedSkus and Global Administrators are read, then the shapes match Graph', async () => {
    const org = await graph(sim, token, '/organization?$select=id,countryLetterCode,verifiedDomains');
    expect(org.body.value[0]).toMatchObject({ id: TENANT_ID, countryLetterCode: 'GB' });
    expect(org.body.value[0].verifiedDomains).toContainEqual({ capabilities: 'Email, OfficeCommunicationsOnline', isDefault: true, isInitial: false, name: 'northwind.example', type: 'Managed' });
    expect((await graph(sim, token, `/subscribedSkus?$filter=capabilityStatus eq 'Enabled'`)).status).toBe(400);
    expect((await graph(sim, token, '/subscribedSkus?$select=skuPartNumber')).status).toBe(200);
    const admins = await graph(sim, token, `/directoryRoles(roleTemplateId='62e90394-69f5-4237-9190-012177145e10')/members?$select=id,displayName`);
    expect(admins.status).toBe(200);
    expect(admins.body.value.map((u: any) => u.id)).toEqual([IDS.admin]);
  });
});
