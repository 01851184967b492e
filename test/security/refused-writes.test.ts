import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createConsentState } from '../../api/src/consent/consent-state';
import { testAppConfig } from '../support/app-config';
import { fillPath, openApiOperations, paramValues, snapshotAll, startSecurityWorld, type OpenApiOperation, type SecurityWorld } from './security-support';

/**
 * A refused request changes nothing, and neither does a read: the whole database (every
 * collection, agenda's queue included) is compared before and after each class of refusal the
 * probe sent, and after every read of every operation as a seller and as an admin.
 */
let w: SecurityWorld;
let ops: OpenApiOperation[];
let before: Record<string, unknown[]>;

beforeAll(async () => {
  w = await startSecurityWorld('sec_refused');
  ops = await openApiOperations(w.baseUrl);
  // An import that expired yesterday: housekeeping may remove it, but only on an accepted request.
  const yesterday = new Date(Date.now() - 86_400_000);
  await w.db.collection('dataset_imports').insertOne({
    _id: 'imp_expired_security' as never, tenantId: w.tenantId, name: 'Old import', nameKey: 'old import', datasetId: null, status: 'open',
    accounts: null, contacts: null, createdBy: 'admin', createdAt: new Date(yesterday.getTime() - 86_400_000), expiresAt: yesterday,
  });
});
afterAll(async () => w?.close());
// Each class is compared with the state just before it, so one failure does not hide the others.
beforeEach(async () => {
  before = await snapshotAll(w.db);
});

const api = () => request(w.baseUrl);
const as = (token: string) => (r: request.Test) => r.set('authorization', `Bearer ${token}`);

async function expectUnchanged(what: string): Promise<void> {
  const after = await snapshotAll(w.db);
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
    expect(after[name] ?? [], `${what}: collection ${name}`).toEqual(before[name] ?? []);
  }
}

describe('reads', () => {
  it('when every read of the API is called as a seller and as an admin, then nothing is stored (no lazy seeding, no schedule)', async () => {
    const values = paramValues(w);
    for (const op of ops.filter((o) => o.method === 'get' && o.access !== 'public')) {
      for (const token of [w.seller, w.admin]) {
        const res = await as(token)(api().get(fillPath(op.path, values)).query({ q: 'ad', name: 'x' }));
        expect(res.status, `${op.path}`).toBeLessThan(500);
      }
    }
    // The reads did show the built-in example and the planned schedule.
    const segments = await as(w.seller)(api().get(`/api/enrichments/${w.ids.enrichmentId}/segments`)).expect(200);
    expect(segments.body.items.map((s: { name: string }) => s.name)).toContain('Stale accounts');
    const schedule = await as(w.admin)(api().get(`/api/enrichments/${w.ids.enrichmentId}/schedule`)).expect(200);
    expect(schedule.body).toMatchObject({ enabled: true, nextRunAt: expect.any(String) });
    await expectUnchanged('reads');
  });
});

describe('refused writes', () => {
  const e = () => w.ids.enrichmentId;
  const writes = () => ops.filter((o) => o.method !== 'get' && o.access === 'admin');

  it('when a seller sends every admin write, then each is a 403 and nothing changes', async () => {
    for (const op of writes()) {
      const res = await as(w.seller)(api()[op.method as 'post'](fillPath(op.path, paramValues(w)))).send({});
      expect(res.status, `${op.method} ${op.path}`).toBe(403);
    }
    await expectUnchanged('seller writes');
  });

  it("when another tenant's admin sends every write at this tenant's ids, then each is refused and nothing changes", async () => {
    for (const op of writes().filter((o) => o.pathParams.length > 0)) {
      const res = await as(w.stranger)(api()[op.method as 'post'](fillPath(op.path, paramValues(w)))).send({});
      expect([400, 404, 409, 415], `${op.method} ${op.path}: ${res.status}`).toContain(res.status);
    }
    await expectUnchanged('cross-tenant writes');
  });

  it('when every operation with a body gets an unparsable, mistyped, too deep or wrongly encoded one, then each is a 4xx and nothing changes', async () => {
    const bodies: Array<[string, string, Record<string, string>]> = [
      ['unparsable JSON', '{"version": 1,', { 'content-type': 'application/json' }],
      ['an array', '[1,2,3]', { 'content-type': 'application/json' }],
      ['JSON 40 levels deep', `${'['.repeat(40)}${']'.repeat(40)}`, { 'content-type': 'application/json' }],
      ['a body that is not the gzip it claims', '{"a":1}', { 'content-type': 'application/json', 'content-encoding': 'gzip' }],
      ['binary data as CSV', '\u0000\u0001\u0002', { 'content-type': 'text/csv' }],
    ];
    const withBody = ops.filter((o) => o.hasBody && o.method !== 'get');
    expect(withBody.length).toBeGreaterThan(15);
    for (const op of withBody) {
      for (const [what, body, headers] of bodies) {
        const res = await as(w.admin)(api()[op.method as 'post'](fillPath(op.path, paramValues(w))).set(headers)).send(body);
        // The preview reads an array of non-objects as a file with no columns; it stores nothing either way.
        if (op.path === '/api/datasets/preview' && what === 'an array') continue;
        expect(res.status, `${op.method} ${op.path} with ${what}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${op.method} ${op.path} with ${what}`).toBeLessThan(500);
      }
    }
    await expectUnchanged('bad bodies');
  });

  it('when the probe\'s refusals are replayed (an empty PUT, an unparsable resume), then nothing changes', async () => {
    await as(w.admin)(api().put(`/api/enrichments/${e()}`)).send({}).expect(400);
    await as(w.admin)(api().post(`/api/enrichments/${e()}/resume`)).set('content-type', 'application/json').send('{not json').expect(400);
    await expectUnchanged('probe replay');
  });

  it('when writes are based on a version that is not current, then they are 409s, leave no claim behind, and the right version still works later', async () => {
    const sales = w.sim.tenant(w.tenantId).tenant.users.filter((u) => u.mail && u.accountEnabled).slice(0, 3);
    const valid = {
      name: 'Renamed enrichment',
      mailboxes: { selections: sales.map((u) => ({ kind: 'user', id: u.id })) },
      datasetId: w.ids.datasetId,
      mapping: { emailField: 'Email', accountIdField: 'AccountId' },
      consentAgreed: true,
    };
    await as(w.admin)(api().put(`/api/enrichments/${e()}`)).set('if-match', '"7"').send(valid).expect(409);
    await as(w.admin)(api().post(`/api/enrichments/${e()}/pause`)).send({ version: 7 }).expect(409);
    await as(w.admin)(api().delete(`/api/enrichments/${e()}`)).set('if-match', '"7"').expect(409);
    await as(w.admin)(api().put(`/api/enrichments/enr_${'0'.repeat(31)}9`)).set('if-match', '"1"').send(valid).expect(404);
    await expectUnchanged('stale versions');
  });

  it('when names collide (a segment renamed onto another, the shown example\'s name, a dataset import), then each is a 409 and nothing changes', async () => {
    const base = `/api/enrichments/${e()}/segments`;
    const definition = { level: 'Year', root: { type: 'group', combinator: 'and', children: [{ type: 'condition', column: 'EngagementScore', operator: '>', value: 1 }] } };
    await as(w.admin)(api().post(base)).send({ name: 'Stale accounts', definition }).expect(409);
    await as(w.admin)(api().put(`${base}/${w.ids.segmentId}`)).send({ name: 'stale ACCOUNTS', definition }).expect(409);
    await as(w.admin)(api().post('/api/datasets/imports')).send({ name: 'Security customers' }).expect(409);
    await as(w.admin)(api().delete(`/api/datasets/${`ds_${'0'.repeat(30)}d1`}`)).expect(409);
    await expectUnchanged('name conflicts');
  });

  it('when runs and schedules are refused (a finished run cancelled, a bad mode, a bad interval), then nothing changes', async () => {
    await as(w.admin)(api().post(`/api/enrichments/${e()}/runs/${w.ids.runId}/cancel`)).expect(409);
    await as(w.admin)(api().post(`/api/enrichments/${e()}/runs/run_nope/cancel`)).expect(404);
    await as(w.admin)(api().post(`/api/enrichments/${e()}/runs`)).send({ mode: 'everything' }).expect(400);
    await as(w.admin)(api().put(`/api/enrichments/${e()}/schedule`)).send({ enabled: true, intervalHours: 0 }).expect(400);
    await expectUnchanged('runs and schedule');
  });

  it('when uploads are refused (a quote in a field, binary, 50,000 columns, a missing column), then no row, rejection or stage remains', async () => {
    const stage = (s: string, q: Record<string, string>) => as(w.admin)(api().put(`/api/datasets/imports/${w.ids.importId}/${s}`).query(q)).type('text/csv');
    const contacts = { emailColumn: 'Email', accountIdColumn: 'AccountId' };
    await stage('contacts', contacts).send('Email,AccountId\r\nann@alpha.example,A1\r\nbo"b@alpha.example,A1\r\n').expect(400);
    await stage('contacts', contacts).send('\u0000\u0001').expect(400);
    await stage('accounts', { accountIdColumn: 'C1', nameColumn: 'C2' }).send(`${Array.from({ length: 50_000 }, (_, i) => `C${i}`).join(',')}\r\nx\r\n`).expect(400);
    await stage('contacts', { emailColumn: 'Mail', accountIdColumn: 'AccountId' }).send('Email,AccountId\r\nann@alpha.example,A1\r\n').expect(400);
    await expectUnchanged('uploads');
  });

  it('when consent callbacks are forged, expired or replayed, then nothing changes', async () => {
    const secret = testAppConfig(w.sim, 'mongodb://unused/', 'x').consent.stateSecret;
    const expired = createConsentState(secret, w.tenantId, e(), new Date(Date.now() - 8 * 86_400_000)).state;
    const forged = createConsentState('another-secret-another-secret-another', w.tenantId, e(), new Date()).state;
    for (const state of [expired, forged, 'garbage']) {
      const cb = await api().get('/api/consent/callback').query({ admin_consent: 'True', tenant: w.tenantId, state }).expect(302);
      expect(cb.headers.location).toContain('consent=invalid');
    }
    await expectUnchanged('forged callbacks');
  });
});
