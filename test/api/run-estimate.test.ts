import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withinShare } from '../../api/src/estimate/estimate-model';
import { clientCredentialsToken, INTEGRATION_CLIENT } from '../support/simulator';
import { bearer, startAdminViewsWorld, type AdminViewsWorld } from './admin-views-support';

/**
 * The dry-run estimate against the simulator's demo tenant (all 50 mailboxes): computed in the
 * background with progress, cached, refreshable; one mailbox without a licence is left out and
 * said; the messages and calendar items it counts are within 10 % of what the full run then
 * reads. Sellers and app-only tokens get 403.
 */

let w: AdminViewsWorld;
interface EstimateBody {
  state: string;
  stale: boolean;
  mailboxesTotal: number;
  mailboxesDone: number;
  mailboxesFailed: number;
  result: { mailboxes: number; messages: number; events: number; weekMessages: number; requestsFull: number; requestsRefresh: number; firstRunSeconds: number; refreshSeconds: number } | null;
  requestedAt: string | null;
}
const path = () => `/api/enrichments/${w.enrichment._id}/estimate`;
const estimate = async () => (await request(w.stack.baseUrl).get(path()).set(bearer(w.admin)).expect(200)).body as EstimateBody;
/** Polls until the estimate has ended, remembering every progress figure seen on the way. */
async function untilEstimated(seen: number[] = []): Promise<EstimateBody> {
  for (;;) {
    const e = await estimate();
    seen.push(e.mailboxesDone);
    if (e.state === 'done' || e.state === 'failed') return e;
    await new Promise((res) => setTimeout(res, 100));
  }
}

beforeAll(async () => {
  w = await startAdminViewsWorld('run_estimate', { mailboxes: 50, enrichmentName: 'Estimate' });
}, 120_000);
afterAll(async () => {
  await w?.close();
});

describe('dry-run estimate', () => {
  it('when nothing was asked yet, then there is no estimate', async () => {
    expect(await estimate()).toMatchObject({ state: 'none', result: null });
  });

  it('when a seller or an app-only token asks for the estimate or a refresh, then it is a 403 problem', async () => {
    const app = await clientCredentialsToken(w.stack.simulator, w.handle.tenantId, INTEGRATION_CLIENT);
    for (const token of [w.seller, app]) {
      for (const method of ['get', 'post'] as const) {
        const res = await request(w.stack.baseUrl)[method](path()).set(bearer(token));
        expect(res.status, `${method} ${token === app ? 'app' : 'seller'}`).toBe(403);
        expect(res.headers['content-type']).toContain('application/problem+json');
      }
    }
  });

  it('when the admin asks, then it is computed in the background with progress, leaves out a mailbox without a licence, and stays cached', async () => {
    const noLicence = w.mailboxes[7]!.userId;
    await fetch(`${w.stack.simulator.url}/_sim/tenants/${w.handle.tenantId}/mailbox-faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: noLicence, fault: { kind: 'no-licence' } }) });
    const started = (await request(w.stack.baseUrl).post(path()).set(bearer(w.admin)).expect(202)).body as EstimateBody;
    expect(started).toMatchObject({ state: 'queued', mailboxesTotal: 50, mailboxesDone: 0 });
    const seen: number[] = [];
    const done = await untilEstimated(seen);
    expect(done).toMatchObject({ state: 'done', stale: false, mailboxesTotal: 50, mailboxesDone: 50, mailboxesFailed: 1 });
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]!);
    expect(done.result).toMatchObject({ mailboxes: 49 });
    expect(done.result!.messages).toBeGreaterThan(1000);
    expect(done.result!.requestsFull).toBeGreaterThanOrEqual(2 * 49);
    expect(done.result!.firstRunSeconds).toBeGreaterThan(0);
    expect(done.result!.refreshSeconds).toBeLessThan(done.result!.firstRunSeconds);
    // Cached: asking again answers the same estimate without counting again.
    const requests = w.handle.stats.graphRequests;
    expect(await estimate()).toEqual(done);
    expect(w.handle.stats.graphRequests).toBe(requests);
  });

  it('when the licence is fixed, the estimate refreshed and the full run made, then the estimate is within 10 % of what the run read', async () => {
    await fetch(`${w.stack.simulator.url}/_sim/tenants/${w.handle.tenantId}/mailbox-faults`, { method: 'DELETE' });
    const before = await estimate();
    await request(w.stack.baseUrl).post(path()).set(bearer(w.admin)).expect(202);
    const fresh = await untilEstimated();
    expect(fresh).toMatchObject({ state: 'done', mailboxesFailed: 0, result: { mailboxes: 50 } });
    expect(fresh.requestedAt).not.toBe(before.requestedAt);
    const run = await w.completedRun({ mode: 'full' });
    expect(run.counters.mailboxesDone).toBe(50);
    const e = fresh.result!;
    expect(withinShare(e.messages, run.counters.messagesRead, 0.1), `messages: estimated ${e.messages}, read ${run.counters.messagesRead}`).toBe(true);
    expect(withinShare(e.events, run.counters.eventsRead, 0.1), `calendar items: estimated ${e.events}, read ${run.counters.eventsRead}`).toBe(true);
    if (process.env.SHOW_ESTIMATE) console.log(JSON.stringify({ estimate: e, actual: run.counters, durationMs: run.summary?.durationMs }));
  }, 180_000);

  it('when the enrichment changes after the estimate, then the estimate says it is stale', async () => {
    await request(w.stack.baseUrl).post(`/api/enrichments/${w.enrichment._id}/exclusions`).set(bearer(w.admin)).send({ domains: ['stale.example'] }).expect(200);
    expect(await estimate()).toMatchObject({ state: 'done', stale: true });
  });
});
