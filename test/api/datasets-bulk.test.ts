import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetsStore } from '../../api/src/datasets/datasets.store';
import { CONTOSO_TENANT_ID } from '../../simulator/src/tenant/default-tenants';
import { startAdminHarness, type AdminTestHarness } from './enrichments-test-support';

/**
 * A bench-like import: 20,000 contacts by default (set BULK_CONTACTS=100000 to time the full
 * size by hand). Bodies are sent as streams of chunks, as a browser upload arrives.
 */
const CONTACTS = Number(process.env.BULK_CONTACTS ?? 20_000);
const ACCOUNTS = Math.max(1, Math.floor(CONTACTS / 10));

let h: AdminTestHarness;
let token: string;
beforeAll(async () => {
  h = await startAdminHarness('datasets_bulk');
  token = await h.tokenFor(CONTOSO_TENANT_ID, h.persona(CONTOSO_TENANT_ID, 'enrichmentAdmin'));
});
afterAll(async () => h?.close());

function accountsCsv(): string {
  const lines = ['AccountId,AccountName,Domains,Industry,Country'];
  for (let i = 0; i < ACCOUNTS; i++) lines.push(`ACC-${i},Company ${i},c${i}.example,Industry ${i % 7},US`);
  return lines.join('\r\n') + '\r\n';
}
function contactsCsv(): string {
  const lines = ['Email,AccountId,FirstName,LastName,JobTitle'];
  for (let i = 0; i < CONTACTS; i++) lines.push(`Person.${i}@C${i % ACCOUNTS}.example,ACC-${i % ACCOUNTS},First${i},Last${i},Buyer`);
  return lines.join('\r\n') + '\r\n';
}

describe(`bulk import of ${CONTACTS.toLocaleString('en-US')} contacts`, () => {
  it('when a large dataset is uploaded as CSV, then every contact is imported and mapped', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const started = Date.now();
    const session = await request(h.app).post('/api/datasets/imports').set(auth).send({ name: 'Bulk' }).expect(201);
    const id = session.body.id as string;
    await request(h.app).put(`/api/datasets/imports/${id}/accounts`).query({ nameColumn: 'AccountName', domainsColumn: 'Domains' }).set(auth).set('content-type', 'text/csv').send(accountsCsv()).expect(200);
    const res = await request(h.app).put(`/api/datasets/imports/${id}/contacts`).set(auth).set('content-type', 'text/csv').send(contactsCsv()).expect(200);
    expect(res.body.contacts).toMatchObject({ received: CONTACTS, valid: CONTACTS, rejected: 0 });
    const committed = await request(h.app).post(`/api/datasets/imports/${id}/commit`).set(auth).send({ mode: 'all-or-nothing' }).expect(200);
    const importMs = Date.now() - started;
    expect(committed.body).toMatchObject({ accountCount: ACCOUNTS, contactCount: CONTACTS });

    const mapStarted = Date.now();
    const map = await new DatasetsStore(h.db).contactAddressMap(CONTOSO_TENANT_ID, committed.body.id);
    const mapMs = Date.now() - mapStarted;
    expect(map.size).toBe(CONTACTS);
    expect(map.get('person.123@c123.example')).toBe(`ACC-${123 % ACCOUNTS}`);
    // Timing is reported, not asserted: speed belongs to benchmarks, and this machine is shared.
    console.log(`[bench] ${CONTACTS} contacts: import ${importMs} ms, address map ${mapMs} ms`);
  }, 600_000);
});
