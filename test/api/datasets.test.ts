import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetsStore } from '../../api/src/datasets/datasets.store';
import { CONTOSO_TENANT_ID, FABRIKAM_TENANT_ID } from '../../simulator/src/tenant/default-tenants';
import { importDemoDataset, snapshot, startAdminHarness, type AdminTestHarness } from './enrichments-test-support';

let h: AdminTestHarness;
let admin: string;
let seller: string;
let fabrikamAdmin: string;
const auth = (token: string) => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  h = await startAdminHarness('datasets');
  admin = await h.tokenFor(CONTOSO_TENANT_ID, h.persona(CONTOSO_TENANT_ID, 'enrichmentAdmin'));
  seller = await h.tokenFor(CONTOSO_TENANT_ID, h.persona(CONTOSO_TENANT_ID, 'seller'));
  fabrikamAdmin = await h.tokenFor(FABRIKAM_TENANT_ID, h.persona(FABRIKAM_TENANT_ID, 'enrichmentAdmin'));
});
afterAll(async () => h?.close());

async function startImport(name: string, datasetId?: string): Promise<string> {
  const res = await request(h.app).post('/api/datasets/imports').set(auth(admin)).send({ name, ...(datasetId ? { datasetId } : {}) }).expect(201);
  return res.body.id;
}
const putCsv = (importId: string, stage: 'accounts' | 'contacts', csv: string, query: Record<string, string> = {}) =>
  request(h.app).put(`/api/datasets/imports/${importId}/${stage}`).query(query).set(auth(admin)).set('content-type', 'text/csv').send(csv);

const ACCOUNTS = 'AccountId,AccountName,Domains,Industry,Country\r\nA1,Alpha,alpha.example,Retail,US\r\nA2,Beta,beta.example;beta.test,Energy,DE\r\n';

describe('importing the demo dataset', () => {
  it('when the simulator CSVs are imported, then the dataset lists every account and contact and keeps extra columns as attributes', async () => {
    const id = await importDemoDataset(h, CONTOSO_TENANT_ID, admin);
    const tenant = h.sim.tenant(CONTOSO_TENANT_ID).tenant;
    await request(h.app).get(`/api/datasets/${id}`).set(auth(seller)).expect(403);
    const res = await request(h.app).get(`/api/datasets/${id}`).set(auth(admin)).expect(200);
    expect(res.body).toMatchObject({
      name: 'Demo customers',
      version: 1,
      accountCount: tenant.accounts.length,
      contactCount: tenant.contacts.length,
      accountAttributes: ['Industry', 'Country'],
      emailField: 'Email',
      accountIdField: 'AccountId',
      usedBy: [],
    });
    const list = await request(h.app).get('/api/datasets').set(auth(admin)).expect(200);
    expect(list.body.items.map((d: { id: string }) => d.id)).toContain(id);

    // The engine's lookup: every contact address maps to its account, in normal form.
    const map = await new DatasetsStore(h.db).contactAddressMap(CONTOSO_TENANT_ID, id);
    expect(map.size).toBe(tenant.contacts.length);
    const c = tenant.contacts[7]!;
    expect(map.get(c.email.toLowerCase())).toBe(c.accountId);

    const preview = await request(h.app).get(`/api/datasets/${id}/mapping-preview`).set(auth(admin)).expect(200);
    expect(preview.body).toMatchObject({ emailField: 'Email', accountIdField: 'AccountId', contactCount: tenant.contacts.length, usableAddressCount: tenant.contacts.length });
    expect(preview.body.samples).toHaveLength(5);

    // Another tenant sees none of it.
    const theirs = await request(h.app).get('/api/datasets').set(auth(fabrikamAdmin)).expect(200);
    expect(theirs.body.items).toEqual([]);
    await request(h.app).get(`/api/datasets/${id}`).set(auth(fabrikamAdmin)).expect(404);
  });
});

describe('bad rows', () => {
  const contacts =
    'Email,AccountId,FirstName\r\n' +
    'ann@alpha.example,A1,Ann\r\n' + // row 1 ok
    ',A1,NoMail\r\n' + // row 2 missing address
    'not-an-address,A1,Bad\r\n' + // row 3 malformed
    ' ANN@Alpha.example ,A2,Dup\r\n' + // row 4 duplicate (case and spaces)
    'zed@zeta.example,A9,Zed\r\n' + // row 5 unknown account
    'bob@beta.example,,Bob\r\n' + // row 6 missing account id
    'cy@beta.example,A2,Cy\r\n'; // row 7 ok

  it('when rows are bad, then each is reported with row, column and reason, and all-or-nothing imports nothing', async () => {
    const before = await snapshot(h.db, ['datasets', 'dataset_accounts', 'dataset_contacts']);
    const importId = await startImport('Bad rows');
    await putCsv(importId, 'accounts', ACCOUNTS + ',NoId,,,\r\nA1,Again,,,\r\n', { nameColumn: 'AccountName', domainsColumn: 'Domains' }).expect(200);
    const res = await putCsv(importId, 'contacts', contacts).expect(200);
    expect(res.body.accounts).toMatchObject({ received: 4, valid: 2, rejected: 2 });
    expect(res.body.accounts.rejections.map((r: { row: number; reason: string }) => [r.row, r.reason])).toEqual([[3, 'missing-account-id'], [4, 'duplicate-account']]);
    expect(res.body.contacts).toMatchObject({ received: 7, valid: 2, rejected: 5 });
    expect(res.body.contacts.rejections.map((r: { row: number; column: string; reason: string }) => [r.row, r.column, r.reason])).toEqual([
      [2, 'Email', 'missing-address'],
      [3, 'Email', 'malformed-address'],
      [4, 'Email', 'duplicate-address'],
      [5, 'AccountId', 'unknown-account'],
      [6, 'AccountId', 'missing-account-id'],
    ]);

    const refused = await request(h.app).post(`/api/datasets/imports/${importId}/commit`).set(auth(admin)).send({ mode: 'all-or-nothing' }).expect(400);
    expect(refused.body.detail).toMatch(/7 rows were rejected.*nothing was imported.*valid-only/);
    const after = await snapshot(h.db, ['datasets']);
    expect(after.datasets).toEqual(before.datasets);
    const list = await request(h.app).get('/api/datasets').set(auth(admin)).expect(200);
    expect(list.body.items.map((d: { name: string }) => d.name)).not.toContain('Bad rows');

    const csv = await request(h.app).get(`/api/datasets/imports/${importId}/rejections.csv`).set(auth(admin)).expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.text.trim().split(/\r\n/);
    expect(lines[0]).toBe('stage,row,column,reason,message,value');
    expect(lines).toHaveLength(8);
    expect(lines).toContain('contacts,3,Email,malformed-address,"""not-an-address"" is not a valid email address.",not-an-address');

    const valid = await request(h.app).post(`/api/datasets/imports/${importId}/commit`).set(auth(admin)).send({ mode: 'valid-only' }).expect(200);
    expect(valid.body).toMatchObject({ name: 'Bad rows', accountCount: 2, contactCount: 2, accountAttributes: ['Industry', 'Country'] });
    const map = await new DatasetsStore(h.db).contactAddressMap(CONTOSO_TENANT_ID, valid.body.id);
    expect([...map.entries()].sort()).toEqual([['ann@alpha.example', 'A1'], ['cy@beta.example', 'A2']]);
  });

  it('when the CSV is broken or a mapped column is missing, then the upload is refused and the stage keeps its previous state', async () => {
    const importId = await startImport('Broken');
    await putCsv(importId, 'accounts', ACCOUNTS).expect(200);
    const accountsBefore = await h.db.collection('dataset_accounts').countDocuments();
    const noColumn = await putCsv(importId, 'contacts', 'Mail,AccountId\r\na@b.example,A1\r\n').expect(400);
    expect(noColumn.body.detail).toMatch(/no column "Email".*Mail/);
    const broken = await putCsv(importId, 'contacts', 'Email,AccountId\r\n"unterminated,A1\r\n').expect(400);
    expect(broken.body.detail).toMatch(/cannot be read/);
    const s = await request(h.app).get(`/api/datasets/imports/${importId}`).set(auth(admin)).expect(200);
    expect(s.body.contacts).toBeNull();
    expect(await h.db.collection('dataset_contacts').countDocuments({ versionId: { $regex: '^con_' }, tenantId: CONTOSO_TENANT_ID })).toBe(
      await h.db.collection('dataset_contacts').countDocuments({ tenantId: CONTOSO_TENANT_ID }),
    );
    expect(await h.db.collection('dataset_accounts').countDocuments()).toBe(accountsBefore);
    await request(h.app).put(`/api/datasets/imports/${importId}/contacts`).set(auth(admin)).set('content-type', 'application/xml').send('<a/>').expect(415);
  });

  it('when contacts come before accounts, then the upload is refused', async () => {
    const importId = await startImport('Order');
    const res = await putCsv(importId, 'contacts', 'Email,AccountId\r\na@b.example,A1\r\n').expect(409);
    expect(res.body.detail).toMatch(/accounts before the contacts/);
  });
});

describe('JSON and NDJSON uploads, re-import and deletion', () => {
  it('when JSON and NDJSON are uploaded, then they import like CSV', async () => {
    const importId = await startImport('Json data');
    const accounts = [{ AccountId: 'J1', AccountName: 'Jay', Tier: 1 }, { AccountId: 'J2', AccountName: 'Kay', Tier: 2 }];
    await request(h.app).put(`/api/datasets/imports/${importId}/accounts`).query({ nameColumn: 'AccountName' }).set(auth(admin)).set('content-type', 'application/json').send(JSON.stringify(accounts)).expect(200);
    const ndjson = '{"Email":"x@j1.example","AccountId":"J1"}\n{"Email":"y@j2.example","AccountId":"J2","Nested":{"a":1}}\n{"Email":"z@j2.example","AccountId":"J2"}\n';
    const res = await request(h.app).put(`/api/datasets/imports/${importId}/contacts`).set(auth(admin)).set('content-type', 'application/x-ndjson').send(ndjson).expect(200);
    expect(res.body.contacts).toMatchObject({ received: 3, valid: 2, rejected: 1 });
    expect(res.body.contacts.rejections[0]).toMatchObject({ row: 2, reason: 'row-malformed' });
    const committed = await request(h.app).post(`/api/datasets/imports/${importId}/commit`).set(auth(admin)).send({ mode: 'valid-only' }).expect(200);
    expect(committed.body).toMatchObject({ accountCount: 2, contactCount: 2, accountAttributes: ['Tier'] });
  });

  it('when a dataset is re-imported, then the old version stays readable until the commit flips to the new one', async () => {
    const importId = await startImport('Versioned');
    await putCsv(importId, 'accounts', ACCOUNTS).expect(200);
    await putCsv(importId, 'contacts', 'Email,AccountId\r\nold@alpha.example,A1\r\nold2@beta.example,A2\r\n').expect(200);
    const v1 = await request(h.app).post(`/api/datasets/imports/${importId}/commit`).set(auth(admin)).send({ mode: 'all-or-nothing' }).expect(200);
    const store = new DatasetsStore(h.db);

    const again = await startImport('Versioned', v1.body.id);
    await putCsv(again, 'accounts', ACCOUNTS).expect(200);
    await putCsv(again, 'contacts', 'Email,AccountId\r\nnew@alpha.example,A1\r\n').expect(200);
    expect([...(await store.contactAddressMap(CONTOSO_TENANT_ID, v1.body.id)).keys()].sort()).toEqual(['old2@beta.example', 'old@alpha.example']);

    const v2 = await request(h.app).post(`/api/datasets/imports/${again}/commit`).set(auth(admin)).send({ mode: 'all-or-nothing' }).expect(200);
    expect(v2.body).toMatchObject({ id: v1.body.id, version: 2, contactCount: 1 });
    expect([...(await store.contactAddressMap(CONTOSO_TENANT_ID, v1.body.id)).keys()]).toEqual(['new@alpha.example']);
    // The superseded rows are gone, and a committed session cannot be committed again.
    expect(await h.db.collection('dataset_contacts').countDocuments({ address: 'old@alpha.example' })).toBe(0);
    await request(h.app).post(`/api/datasets/imports/${again}/commit`).set(auth(admin)).send({ mode: 'all-or-nothing' }).expect(409);
  });

  it('when a name is taken, then a new import with it is refused', async () => {
    const res = await request(h.app).post('/api/datasets/imports').set(auth(admin)).send({ name: 'versioned' }).expect(409);
    expect(res.body.detail).toMatch(/already exists/);
  });

  it('when a seller tries to read, import or delete, then it is forbidden and nothing changes', async () => {
    const before = await snapshot(h.db, ['datasets', 'dataset_imports']);
    await request(h.app).post('/api/datasets/imports').set(auth(seller)).send({ name: 'Mine' }).expect(403);
    await request(h.app).get('/api/datasets').set(auth(seller)).expect(403);
    const list = await request(h.app).get('/api/datasets').set(auth(admin)).expect(200);
    await request(h.app).delete(`/api/datasets/${list.body.items[0].id}`).set(auth(seller)).expect(403);
    expect(await snapshot(h.db, ['datasets', 'dataset_imports'])).toEqual(before);
  });

  it('when another tenant deletes a dataset id, then it is not found and nothing changes', async () => {
    const list = await request(h.app).get('/api/datasets').set(auth(admin)).expect(200);
    const before = await snapshot(h.db, ['datasets']);
    await request(h.app).delete(`/api/datasets/${list.body.items[0].id}`).set(auth(fabrikamAdmin)).expect(404);
    expect(await snapshot(h.db, ['datasets'])).toEqual(before);
  });

  it('when an unused dataset is deleted, then it and its rows are gone', async () => {
    const importId = await startImport('Throwaway');
    await putCsv(importId, 'accounts', ACCOUNTS).expect(200);
    await putCsv(importId, 'contacts', 'Email,AccountId\r\nthrow@alpha.example,A1\r\n').expect(200);
    const d = await request(h.app).post(`/api/datasets/imports/${importId}/commit`).set(auth(admin)).send({ mode: 'all-or-nothing' }).expect(200);
    await request(h.app).delete(`/api/datasets/${d.body.id}`).set(auth(admin)).expect(204);
    await request(h.app).get(`/api/datasets/${d.body.id}`).set(auth(admin)).expect(404);
    expect(await h.db.collection('dataset_contacts').countDocuments({ address: 'throw@alpha.example' })).toBe(0);
  });
});
