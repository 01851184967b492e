import request from 'supertest';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, createWorkerApp } from '../../api/src/app';
import { ALL_COLLECTIONS } from '../../api/src/collections';
import { ensureSchema } from '../../api/src/platform/db/ensure-schema';
import { createLogger } from '../../api/src/platform/logger/logger';
import { buildDependencies } from '../../api/src/dependencies';
import type { RunningSimulator } from '../../simulator/src/simulator';
import { testAppConfig } from '../support/app-config';
import { createTestDatabase, type TestDatabase } from '../support/mongo';
import { startTestSimulator } from '../support/simulator';
import { accountIdOf, seedResult } from './results-test-support';

let sim: RunningSimulator;
let t: TestDatabase;
let app: Express;
let contoso: { tenantId: string; admin: string; seller: string };
let fabrikam: { tenantId: string; admin: string };

async function signIn(tenantId: string, userId: string): Promise<string> {
  const res = await request(app).post('/api/dev/sign-in').send({ tenantId, userId }).expect(200);
  return res.body.accessToken as string;
}

beforeAll(async () => {
  sim = await startTestSimulator();
  t = await createTestDatabase('app');
  await ensureSchema(t.db, ALL_COLLECTIONS);
  app = createApp(buildDependencies(testAppConfig(sim, t.uri, t.db.databaseName), t.db, createLogger('silent')));

  const { body } = await request(app).get('/api/dev/personas').expect(200);
  const tenants = body.tenants as Array<{ tenantId: string; displayName: string; personas: Array<{ userId: string; persona: string }> }>;
  const c = tenants.find((x) => x.displayName.startsWith('Contoso'))!;
  const f = tenants.find((x) => x.displayName.startsWith('Fabrikam'))!;
  const by = (tn: typeof c, p: string) => tn.personas.find((x) => x.persona === p)!.userId;
  contoso = { tenantId: c.tenantId, admin: by(c, 'enrichmentAdmin'), seller: by(c, 'seller') };
  fabrikam = { tenantId: f.tenantId, admin: by(f, 'enrichmentAdmin') };
});

afterAll(async () => {
  await sim?.close();
  await t?.drop();
});

describe('health and documentation', () => {
  it('when asked for liveness, then it answers ok', async () => {
    await request(app).get('/healthz').expect(200, { status: 'ok' });
  });

  it('when MongoDB answers, then the API is ready', async () => {
    const res = await request(app).get('/readyz').expect(200);
    expect(res.body).toEqual({ status: 'ready', checks: { mongodb: 'ok' } });
  });

  it('when a worker process (ROLE=worker) is asked, then it answers liveness and readiness and nothing of the API', async () => {
    const worker = createWorkerApp({ db: t.db, logger: createLogger('silent') });
    await request(worker).get('/healthz').expect(200, { status: 'ok' });
    await request(worker).get('/readyz').expect(200, { status: 'ready', checks: { mongodb: 'ok' } });
    const res = await request(worker).get('/api/me').expect(404);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('when the OpenAPI document is fetched, then it is 3.1 and lists every route with its access', async () => {
    const res = await request(app).get('/api/openapi.json').expect(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/me', '/api/tenant', '/api/enrichments', '/api/accounts', '/api/segments', '/healthz', '/readyz']));
    expect(res.body.paths['/api/accounts'].get.parameters.map((p: { name: string }) => p.name)).toEqual(['search', 'enrichmentId', 'limit', 'offset', 'sort', 'order', 'band', 'changeMin', 'changeMax', 'accounts', 'cursor']);
    expect(res.body.paths['/api/me'].get.responses['401'].content['application/problem+json']).toBeDefined();
    expect(res.body.paths['/healthz'].get.security).toEqual([]);
  });
});

describe('authentication', () => {
  it('when no token is sent, then a problem+json 401 says how to authenticate', async () => {
    const res = await request(app).get('/api/me').expect(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 401, code: 'unauthenticated', detail: expect.stringMatching(/Bearer/) });
  });

  it('when a simulator-issued SSO token is sent, then /api/me shows the admin with the EngagementAdmin role', async () => {
    const token = await signIn(contoso.tenantId, contoso.admin);
    const res = await request(app).get('/api/me').set('authorization', `Bearer ${token}`).expect(200);
    expect(res.body).toMatchObject({ tenantId: contoso.tenantId, userId: contoso.admin, isAdmin: true, roles: ['EngagementAdmin'] });
  });

  it('when a seller signs in, then they are not an admin', async () => {
    const token = await signIn(contoso.tenantId, contoso.seller);
    const res = await request(app).get('/api/me').set('authorization', `Bearer ${token}`).expect(200);
    expect(res.body.isAdmin).toBe(false);
  });

  it('when the token is tampered with, then it is refused', async () => {
    const token = await signIn(contoso.tenantId, contoso.seller);
    const [h, p, s] = token.split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, roles: ['EngagementAdmin'] })).toString('base64url')}.${s}`;
    const res = await request(app).get('/api/me').set('authorization', `Bearer ${forged}`).expect(401);
    expect(res.body.detail).toMatch(/signature/);
  });

  it('when dev sign-in names an unknown user, then a clear 404 problem comes back', async () => {
    const res = await request(app).post('/api/dev/sign-in').send({ tenantId: contoso.tenantId, userId: '00000000-0000-4000-8000-000000000000' }).expect(404);
    expect(res.body.code).toBe('not-found');
  });

  it('when dev sign-in gets a malformed body, then each bad field is named', async () => {
    const res = await request(app).post('/api/dev/sign-in').send({ tenantId: 'nope' }).expect(400);
    expect(res.body.code).toBe('validation');
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['body.tenantId', 'body.userId']));
  });
});

describe('reading the tenant through MSAL and Microsoft Graph', () => {
  it('when the tenant has granted consent, then the organisation comes from Graph (for admins)', async () => {
    const token = await signIn(contoso.tenantId, contoso.admin);
    await request(app).get('/api/tenant').set('authorization', `Bearer ${await signIn(contoso.tenantId, contoso.seller)}`).expect(403);
    const res = await request(app).get('/api/tenant').set('authorization', `Bearer ${token}`).expect(200);
    expect(res.body).toMatchObject({ tenantId: contoso.tenantId, displayName: expect.stringMatching(/Contoso/), countryLetterCode: 'US' });
    expect(res.body.verifiedDomains).toContain('contoso.example');
  });

  it('when the tenant has not granted consent, then a consent-required problem explains who must act', async () => {
    const token = await signIn(fabrikam.tenantId, fabrikam.admin);
    const res = await request(app).get('/api/tenant').set('authorization', `Bearer ${token}`).expect(403);
    expect(res.body).toMatchObject({ code: 'consent-required', detail: expect.stringMatching(/Global Administrator/) });
  });
});

describe('tenant-scoped lists and errors', () => {
  it("when one tenant has results, then another tenant's user never sees them", async () => {
    await seedResult(t.db, { tenantId: contoso.tenantId, enrichmentId: 'enr-isolation', runId: 'run-isolation', accounts: 3 });
    const contosoToken = await signIn(contoso.tenantId, contoso.seller);
    const fabrikamToken = await signIn(fabrikam.tenantId, fabrikam.admin);
    const mine = await request(app).get('/api/accounts').query({ search: accountIdOf(1), enrichmentId: 'enr-isolation' }).set('authorization', `Bearer ${contosoToken}`).expect(200);
    expect(mine.body.items.map((i: { id: string }) => i.id)).toEqual([accountIdOf(1)]);
    const theirs = await request(app).get('/api/accounts').query({ search: accountIdOf(1), enrichmentId: 'enr-isolation' }).set('authorization', `Bearer ${fabrikamToken}`);
    expect(theirs.body.items ?? []).toEqual([]);
    await request(app).get('/api/enrichments/enr-isolation/results/rows').set('authorization', `Bearer ${fabrikamToken}`).expect(404);
  });

  it('when a search term is a regular expression, then it is matched literally', async () => {
    const token = await signIn(contoso.tenantId, contoso.seller);
    const res = await request(app).get('/api/accounts').query({ search: '.*' }).set('authorization', `Bearer ${token}`).expect(200);
    expect(res.body.total).toBe(0);
  });

  it('when a query parameter is out of range, then the problem names it', async () => {
    const token = await signIn(contoso.tenantId, contoso.seller);
    const res = await request(app).get('/api/accounts?limit=5000').set('authorization', `Bearer ${token}`).expect(400);
    expect(res.body.errors[0].path).toBe('query.limit');
  });

  it('when the body is not JSON, then a validation problem says so', async () => {
    const res = await request(app).post('/api/dev/sign-in').set('content-type', 'application/json').send('{"tenantId":').expect(400);
    expect(res.body).toMatchObject({ code: 'validation', detail: expect.stringMatching(/not valid JSON/) });
  });

  it('when an API route does not exist, then it is a problem+json 404 (401 without a token), never the tab', async () => {
    const anonymous = await request(app).get('/api/nothing-here').expect(401);
    expect(anonymous.headers['content-type']).toMatch(/problem\+json/);
    const token = await signIn(contoso.tenantId, contoso.seller);
    const res = await request(app).get('/api/nothing-here').set('authorization', `Bearer ${token}`).expect(404);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.body.detail).toMatch(/GET \/api\/nothing-here/);
  });

  it('when a tenant has no enrichments or segments, then the lists are empty arrays', async () => {
    const token = await signIn(fabrikam.tenantId, fabrikam.admin);
    await request(app).get('/api/enrichments').set('authorization', `Bearer ${token}`).expect(200, { items: [] });
    await request(app).get('/api/segments').set('authorization', `Bearer ${token}`).expect(200, { items: [] });
  });
});
