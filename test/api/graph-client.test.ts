import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../api/src/platform/logger/logger';
import { createGraphClientFactory, toAppError } from '../../api/src/platform/graph/graph-client.factory';
import { createMsalClientFactory } from '../../api/src/platform/graph/msal-client.factory';
import type { RunningSimulator } from '../../simulator/src/simulator';
import { startTestSimulator, TEST_CLIENT_ID, TEST_CLIENT_SECRET } from '../support/simulator';

let sim: RunningSimulator;
let contosoId: string;
let fabrikamId: string;

function factory(maxRetries = 3) {
  // A fresh MSAL client per factory: MSAL caches tokens in memory per client.
  const msalFor = createMsalClientFactory({ clientId: TEST_CLIENT_ID, clientSecret: TEST_CLIENT_SECRET, authorityHost: sim.url }, createLogger('silent'));
  return createGraphClientFactory({ baseUrl: sim.url, maxRetries, retryDelaySeconds: 0, msalFor });
}

beforeAll(async () => {
  sim = await startTestSimulator();
  const res = await fetch(`${sim.url}/_sim/tenants`);
  const { tenants } = (await res.json()) as { tenants: Array<{ tenantId: string; displayName: string }> };
  contosoId = tenants.find((x) => x.displayName.startsWith('Contoso'))!.tenantId;
  fabrikamId = tenants.find((x) => x.displayName.startsWith('Fabrikam'))!.tenantId;
});

afterAll(async () => {
  await sim?.close();
});

describe('MSAL client credentials → Graph client → simulator', () => {
  it('when the tenant consented, then users page through with @odata.nextLink to the full directory', async () => {
    const client = factory().forApp(contosoId);
    const seen: string[] = [];
    let page = (await client.api('/users').select(['id', 'displayName']).top(7).get()) as { value: Array<{ id: string }>; '@odata.nextLink'?: string };
    seen.push(...page.value.map((u) => u.id));
    while (page['@odata.nextLink']) {
      page = await client.api(page['@odata.nextLink']).get();
      seen.push(...page.value.map((u) => u.id));
    }
    const tenant = sim.tenant(contosoId).tenant;
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(tenant.users.map((u) => u.id).sort());
  });

  it('when the tenant has not consented, then MSAL fails and it maps to consent-required', async () => {
    const error = await factory().forApp(fabrikamId).api('/organization').get().then(() => undefined, (e: unknown) => e);
    expect(toAppError(error).code).toBe('consent-required');
  });

  it('when Graph answers 503 with Retry-After, then the retry handler retries and the call succeeds', async () => {
    sim.setFaults({ error503Rate: 1 });
    const client = factory(3).forApp(contosoId);
    const pending = client.api('/organization').get();
    // Let the first attempts fail, then heal the service: the retries must carry the call.
    setTimeout(() => sim.setFaults({ error503Rate: 0 }), 300);
    const org = (await pending) as { value: Array<{ countryLetterCode: string }> };
    expect(org.value[0]?.countryLetterCode).toBe('US');
  });

  it('when many requests go out for a tenant at once and after, then they share one app token', async () => {
    const issuedBefore = sim.tenant(contosoId).stats.tokensIssued;
    const client = factory().forApp(contosoId);
    await Promise.all(Array.from({ length: 8 }, () => client.api('/organization').get()));
    await client.api('/organization').get();
    // Another client of the same factory (the next mailbox) takes the same token too.
    const other = factory();
    await other.forApp(contosoId).api('/organization').get();
    await other.forApp(contosoId).api('/organization').get();
    // One for each factory (each has its own MSAL client): none per request.
    expect(sim.tenant(contosoId).stats.tokensIssued - issuedBefore).toBe(2);
  });

  it('when Graph keeps failing beyond the retries, then the error maps to graph-unavailable', async () => {
    sim.setFaults({ error503Rate: 1 });
    try {
      const error = await factory(1).forApp(contosoId).api('/organization').get().then(() => undefined, (e: unknown) => e);
      expect(toAppError(error).code).toBe('graph-unavailable');
    } finally {
      sim.setFaults({ error503Rate: 0 });
    }
  });
});

describe('MSAL on-behalf-of → delegated Graph client', () => {
  it("when the signed-in user's SSO token is exchanged, then /me is that user", async () => {
    const personas = (await (await fetch(`${sim.url}/_sim/dev/personas?tenantId=${contosoId}`)).json()) as { value: Array<{ id: string; persona: string }> };
    const admin = personas.value.find((p) => p.persona === 'enrichmentAdmin')!;
    const sso = (await (await fetch(`${sim.url}/_sim/dev/sso-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenantId: contosoId, userId: admin.id }) })).json()) as { accessToken: string };
    const me = (await factory().forUser(contosoId, sso.accessToken, ['User.Read']).api('/me').get()) as { id: string };
    expect(me.id).toBe(admin.id);
  });
});
