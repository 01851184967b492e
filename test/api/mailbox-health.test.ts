import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineResultsStore } from '../../api/src/runs/output/run-output.store';
import type { SimTenantHandle } from '../../simulator/src/state/sim-tenant-handle';
import { computeExpectedResult } from '../../simulator/src/tenant/expected-aggregates';
import { expectRowsEqualOracle } from '../runs/run-test-support';
import { clientCredentialsToken, INTEGRATION_CLIENT } from '../support/simulator';
import type { TestStack } from '../support/stack';
import { bearer, startAdminViewsWorld, waitForEnd, type AdminRunBody, type AdminViewsWorld } from './admin-views-support';

/**
 * Mailbox health against the simulator: one mailbox without an Exchange licence, one an access
 * policy shuts out, one throttled for its first requests. The run publishes without the two
 * failed ones; the health page says which, why and since when, without a count per mailbox;
 * "retry failed mailboxes" reads only those two into the published result, which then equals
 * the oracle for every selected mailbox. Sellers and app-only tokens get 403.
 */

let w: AdminViewsWorld;
let stack: TestStack;
let handle: SimTenantHandle;
let enrichment: AdminViewsWorld['enrichment'];
let admin: string;
let seller: string;
let mailboxes: AdminViewsWorld['mailboxes'];

interface HealthBody {
  runId: string | null;
  summary: { total: number; read: number; failed: number; failedByKind: Record<string, number>; readByState: Record<string, number> };
  mailboxes: Array<{ userId: string; mail: string; state: string; failureKind: string | null; reason: string | null; lastSuccessAt: string | null; failingSince: string | null }>;
  canRetry: boolean;
}

const health = async (token = admin) => (await request(stack.baseUrl).get(`/api/enrichments/${enrichment._id}/mailbox-health`).set(bearer(token)).expect(200)).body as HealthBody;
const runOf = async (id: string) => (await request(stack.baseUrl).get(`/api/enrichments/${enrichment._id}/runs/${id}`).set(bearer(admin)).expect(200)).body as AdminRunBody;
const fault = (userId: string, f: unknown) => fetch(`${stack.simulator.url}/_sim/tenants/${handle.tenantId}/mailbox-faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId, fault: f }) }).then((r) => expect(r.status).toBe(200));

beforeAll(async () => {
  w = await startAdminViewsWorld('mailbox_health', { mailboxes: 8, enrichmentName: 'Health', retryBaseMs: 20 });
  ({ stack, handle, enrichment, admin, seller, mailboxes } = w);
}, 120_000);
afterAll(async () => {
  await w?.close();
});

describe('mailbox health', () => {
  it('when no run has finished yet, then the health is empty and nothing can be retried', async () => {
    const h = await health();
    expect(h).toMatchObject({ runId: null, summary: { total: 0, read: 0, failed: 0 }, mailboxes: [], canRetry: false });
    const retry = await request(stack.baseUrl).post(`/api/enrichments/${enrichment._id}/mailbox-health/retry`).set(bearer(admin));
    expect(retry.status).toBe(409);
    expect(retry.headers['content-type']).toContain('application/problem+json');
  });

  it('when one mailbox has no licence, one is refused and one is throttled, then the run publishes and health says which failed, why and since when', async () => {
    const [noLicence, refused, throttled] = [mailboxes[1]!, mailboxes[2]!, mailboxes[3]!];
    await fault(noLicence.userId, { kind: 'no-licence' });
    await fault(refused.userId, { kind: 'access-denied' });
    await fault(throttled.userId, { kind: 'throttle', requests: 2, retryAfterSeconds: 1 });
    const run = await w.completedRun({ mode: 'full' });
    expect(run.counters).toMatchObject({ mailboxesDone: 6, mailboxesFailed: 2 });

    const h = await health();
    expect(h.runId).toBe(run.id);
    expect(h.summary).toEqual({ total: 8, read: 6, failed: 2, failedByKind: { 'no-licence': 1, 'access-denied': 1 }, readByState: { read: 5, 'throttled-resumed': 1 } });
    const of = (userId: string) => h.mailboxes.find((m) => m.userId === userId)!;
    expect(of(noLicence.userId)).toMatchObject({ state: 'unavailable', failureKind: 'no-licence', lastSuccessAt: null });
    expect(of(noLicence.userId).failingSince).not.toBeNull();
    expect(of(refused.userId)).toMatchObject({ state: 'failed', failureKind: 'access-denied', lastSuccessAt: null });
    expect(of(refused.userId).reason).toMatch(/refused/i);
    expect(of(throttled.userId)).toMatchObject({ state: 'throttled-resumed', failureKind: null, failingSince: null });
    expect(of(throttled.userId).lastSuccessAt).not.toBeNull();
    // Failing ones first; no figure about anyone's mail or meetings.
    expect(h.mailboxes.slice(0, 2).map((m) => m.userId).sort()).toEqual([noLicence.userId, refused.userId].sort());
    expect(JSON.stringify(h)).not.toMatch(/messages|meetings|emails|events|count/i);
    expect(h.canRetry).toBe(true);
  });

  it('when a seller or an app-only token asks for mailbox health or a retry, then it is a 403 problem', async () => {
    const app = await clientCredentialsToken(stack.simulator, handle.tenantId, INTEGRATION_CLIENT);
    for (const token of [seller, app]) {
      const get = await request(stack.baseUrl).get(`/api/enrichments/${enrichment._id}/mailbox-health`).set(bearer(token));
      expect(get.status).toBe(403);
      expect(get.headers['content-type']).toContain('application/problem+json');
      const post = await request(stack.baseUrl).post(`/api/enrichments/${enrichment._id}/mailbox-health/retry`).set(bearer(token));
      expect(post.status).toBe(403);
    }
  });

  it('when the admin retries the failed mailboxes after they were fixed, then only those are read, at the same as-of, and the result equals the oracle for all eight', async () => {
    const before = await health();
    const published = await runOf(before.runId!);
    await fetch(`${stack.simulator.url}/_sim/tenants/${handle.tenantId}/mailbox-faults`, { method: 'DELETE' });
    const requestsBefore = { ...handle.stats.requestsByMailbox };
    const started = (await request(stack.baseUrl).post(`/api/enrichments/${enrichment._id}/mailbox-health/retry`).set(bearer(admin)).expect(202)).body as AdminRunBody;
    expect(started.retryOf).toBe(published.id);
    expect(started.asOf).toBe(published.asOf);
    const run = await waitForEnd(stack, admin, `/api/enrichments/${enrichment._id}/runs/${started.id}`);
    expect(run.counters).toMatchObject({ mailboxesDone: 8, mailboxesFailed: 0, mailboxesFullRead: 2 });
    // The six read before were carried without a Graph request; the two retried ones were read.
    const read = mailboxes.filter((m) => (handle.stats.requestsByMailbox[m.userId] ?? 0) > (requestsBefore[m.userId] ?? 0)).map((m) => m.userId);
    expect(read.sort()).toEqual([mailboxes[1]!.userId, mailboxes[2]!.userId].sort());

    const h = await health();
    expect(h.summary).toMatchObject({ total: 8, read: 8, failed: 0 });
    expect(h.canRetry).toBe(false);
    const refused = h.mailboxes.find((m) => m.userId === mailboxes[2]!.userId)!;
    expect(refused).toMatchObject({ state: 'read', failingSince: null });
    // A carried mailbox keeps what the run that read it said (the throttled one, its last read).
    const throttled = h.mailboxes.find((m) => m.userId === mailboxes[3]!.userId)!;
    const throttledBefore = before.mailboxes.find((m) => m.userId === mailboxes[3]!.userId)!;
    expect(throttled).toEqual(throttledBefore);

    const { runId, rows } = await new EngineResultsStore(stack.db).currentRows(handle.tenantId, enrichment._id);
    expect(runId).toBe(run.id);
    expectRowsEqualOracle(rows, computeExpectedResult(handle.tenant, { selectedUserIds: mailboxes.map((m) => m.userId), asOf: new Date(published.asOf), halfLifeDays: 30 }).rows);
  });

  it('when nothing failed in the published run, then a retry is refused with a problem', async () => {
    const retry = await request(stack.baseUrl).post(`/api/enrichments/${enrichment._id}/mailbox-health/retry`).set(bearer(admin));
    expect(retry.status).toBe(409);
    expect(retry.body.detail).toMatch(/nothing to retry/);
  });
});
