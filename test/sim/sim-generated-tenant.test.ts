import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../simulator/src/simulator';
import type { TenantSpec } from '../../simulator/src/tenant/tenant.types';
import { control, followPages, graph, startSpecSimulator } from './sim-test-helpers';

const SPEC: TenantSpec = {
  tenantId: 'd0000000-0000-4000-8000-0000000000d1', slug: 'adatum', displayName: 'Adatum', seed: 11, mailboxes: 6, accounts: 8,
  countryLetterCode: 'DE', licensed: true, consentGranted: true, anchor: new Date('2025-09-01T00:00:00Z'),
};

let sim: RunningSimulator;
let token: string;
beforeAll(async () => {
  ({ sim, token } = await startSpecSimulator(SPEC));
});
afterAll(async () => {
  await sim?.close();
});

describe('a generated tenant', () => {
  it('when the simulator starts from a TenantSpec, then its generated mailboxes are served through Graph', async () => {
    const tenant = sim.tenant(SPEC.tenantId).tenant;
    const mailbox = tenant.users.find((u) => tenant.mailboxMessages(u.id, { visibleAt: SPEC.anchor }).length > 0);
    expect(mailbox).toBeDefined();
    const expected = tenant.mailboxMessages(mailbox!.id, { visibleAt: SPEC.anchor });
    const { items } = await followPages(sim, token, `/users/${mailbox!.id}/messages?$top=200&$select=internetMessageId`, { Prefer: 'IdType="ImmutableId"' });
    expect(items.map((m) => m.id).sort()).toEqual(expected.map((m) => m.id).sort());
  });

  it('when the dataset and expected aggregates are asked for, then the control endpoints return the generator output', async () => {
    const csv = await fetch(`${sim.url}/_sim/tenants/${SPEC.tenantId}/dataset/accounts.csv`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(await csv.text()).toBe(sim.tenant(SPEC.tenantId).tenant.datasetCsv().accountsCsv);
    const users = sim.tenant(SPEC.tenantId).tenant.users.slice(0, 3).map((u) => u.id);
    const r = await control(sim, `/tenants/${SPEC.tenantId}/expected-aggregates`, { selectedUserIds: users, asOf: SPEC.anchor.toISOString() });
    expect(r.status).toBe(200);
    expect(Array.isArray(r.body.value)).toBe(true);
    for (const row of r.body.value) expect(['Week', 'Month', 'Year']).toContain(row.AggregationLevel);
    const bad = await control(sim, `/tenants/${SPEC.tenantId}/expected-aggregates`, { selectedUserIds: users, asOf: 'yesterday' });
    expect(bad.status).toBe(400);
  });

  it('when the tenants are listed, then personas and consent are shown', async () => {
    const r = await control(sim, '/tenants');
    expect(r.body.tenants).toHaveLength(1);
    expect(r.body.tenants[0]).toMatchObject({ tenantId: SPEC.tenantId, countryLetterCode: 'DE', consent: { granted: true } });
    const personas = await control(sim, `/dev/personas?tenantId=${SPEC.tenantId}`);
    expect(personas.body.value.map((p: any) => p.persona).sort()).toEqual(['enrichmentAdmin', 'seller', 'tenantAdmin']);
    const org = await graph(sim, token, '/organization');
    expect(org.body.value[0].verifiedDomains.some((d: any) => d.isInitial && d.name === 'adatum.onmicrosoft.com')).toBe(true);
  });
});
