import { decodeJwt } from 'jose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callOperation, expectProblem, openApiOperations, sellerBodies, snapshotAll, startSecurityWorld, type OpenApiOperation, type SecurityWorld } from '../security/security-support';
import { clientCredentialsToken, INTEGRATION_CLIENT, TEST_CLIENT_ID, UNGRANTED_CLIENT } from '../support/simulator';

/**
 * App-only access (client credentials), generated from /api/openapi.json: the simulator's second
 * registered client gets a token for the API on the tenant's token endpoint, as from Entra; with
 * it, every operation that declares x-app-access answers with data and every other one (all
 * writes, all configuration reads, the user's own session) is a 403 that changes nothing.
 */
let w: SecurityWorld;
let ops: OpenApiOperation[];
let app: string;

beforeAll(async () => {
  w = await startSecurityWorld('app_only');
  ops = await openApiOperations(w.baseUrl);
  app = await clientCredentialsToken(w.sim, w.tenantId, INTEGRATION_CLIENT);
});
afterAll(async () => w?.close());

/** POSTs an app may make: reads with a body (nothing stored). Anything else an app may call is a GET. */
const READS_WITH_A_BODY = ['post /api/enrichments/{enrichmentId}/segments/count', 'post /api/enrichments/{enrichmentId}/measures'];
const key = (op: OpenApiOperation) => `${op.method} ${op.path}`;
const appOps = () => ops.filter((o) => o.op['x-app-access'] === true);

describe('the simulator\'s client credentials grant for the API', () => {
  it('when the second client asks for the API\'s .default scope, then it gets a v2 app-only token with the granted role', () => {
    const claims = decodeJwt(app);
    expect(claims).toMatchObject({ aud: TEST_CLIENT_ID, tid: w.tenantId, idtyp: 'app', azp: INTEGRATION_CLIENT.clientId, roles: ['EngagementData.Read.All'], ver: '2.0' });
    expect(claims.iss).toBe(`${w.sim.url}/${w.tenantId}/v2.0`);
    expect(claims.scp).toBeUndefined();
  });

  it('when the secret is wrong or the client is not registered, then the token endpoint refuses as Entra does', async () => {
    await expect(clientCredentialsToken(w.sim, w.tenantId, { clientId: INTEGRATION_CLIENT.clientId, clientSecret: 'wrong' })).rejects.toThrow(/401.*Invalid client secret/);
    await expect(clientCredentialsToken(w.sim, w.tenantId, { clientId: '00000000-0000-4000-8000-000000000009', clientSecret: 'x' })).rejects.toThrow(/400.*was not found/);
  });
});

describe('app-only access, operation by operation from the OpenAPI document', () => {
  it('when the document is read, then app access is declared on seller reads only, each with both security schemes', () => {
    const allowed = appOps();
    expect(allowed.length).toBeGreaterThan(10);
    for (const op of allowed) {
      expect(op.access, key(op)).toBe('user');
      if (op.method !== 'get') expect(READS_WITH_A_BODY, key(op)).toContain(key(op));
      expect(op.op.security, key(op)).toEqual([{ teamsSso: [] }, { appOnly: [] }]);
    }
    for (const op of ops.filter((o) => o.op['x-app-access'] !== true && o.access !== 'public')) expect(op.op.security, key(op)).toEqual([{ teamsSso: [] }]);
  });

  it('when the app calls each operation it may, with real ids, then it answers with data and stores nothing', async () => {
    const before = await snapshotAll(w.db);
    for (const op of appOps()) {
      if (op.hasBody) expect(sellerBodies, `a valid body for ${key(op)}`).toHaveProperty([key(op)]);
      const res = await callOperation(w, op, app, op.hasBody ? sellerBodies[key(op)] : undefined);
      expect(res.status, `${key(op)}: ${res.text.slice(0, 200)}`).toBeGreaterThanOrEqual(200);
      expect(res.status, `${key(op)}: ${res.text.slice(0, 200)}`).toBeLessThan(300);
    }
    expect(await snapshotAll(w.db)).toEqual(before);
  });

  it('when the app calls every other operation (writes, configuration, the session), then each is a 403 problem and the database is unchanged', async () => {
    const refused = ops.filter((o) => o.access !== 'public' && o.op['x-app-access'] !== true);
    // Every admin operation and every write is among them.
    expect(refused.filter((o) => o.access === 'admin').length).toBe(ops.filter((o) => o.access === 'admin').length);
    expect(ops.filter((o) => o.method !== 'get' && o.access !== 'public' && !READS_WITH_A_BODY.includes(key(o))).every((o) => refused.includes(o))).toBe(true);
    const before = await snapshotAll(w.db);
    for (const op of refused) {
      const res = await callOperation(w, op, app, op.hasBody ? {} : undefined);
      expect(res.status, key(op)).toBe(403);
      expectProblem(res, key(op));
      expect(res.body.code, key(op)).toBe('forbidden');
    }
    expect(await snapshotAll(w.db)).toEqual(before);
  });

  it('when a registered app without the role calls a results read, then it is a 403 naming EngagementData.Read.All', async () => {
    const ungranted = await clientCredentialsToken(w.sim, w.tenantId, UNGRANTED_CLIENT);
    const res = await request(w.baseUrl).get('/api/results').set('authorization', `Bearer ${ungranted}`).expect(403);
    expectProblem(res, 'ungranted app');
    expect(res.body.detail).toContain('EngagementData.Read.All');
  });

  it('when the app reads results, then it sees what a seller sees: the same enrichments and the same rows, in its own tenant only', async () => {
    const as = (token: string, path: string) => request(w.baseUrl).get(path).set('authorization', `Bearer ${token}`).expect(200);
    expect((await as(app, '/api/results')).body).toEqual((await as(w.seller, '/api/results')).body);
    const rows = `/api/enrichments/${w.ids.enrichmentId}/results/rows?limit=7`;
    const [byApp, bySeller] = await Promise.all([as(app, rows), as(w.seller, rows)]);
    expect(byApp.body.items).toEqual(bySeller.body.items);
    // Another tenant's app token does not reach this tenant's enrichment.
    const other = w.sim.tenants().find((t) => t.tenantId !== w.tenantId)!;
    const stranger = await clientCredentialsToken(w.sim, other.tenantId, INTEGRATION_CLIENT);
    await request(w.baseUrl).get(rows).set('authorization', `Bearer ${stranger}`).expect(404);
  });
});
