import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withinShare } from '../../api/src/estimate/estimate-model';
import { seedEnrichment } from '../runs/run-test-support';
import { clientCredentialsToken, INTEGRATION_CLIENT } from '../support/simulator';
import { bearer, startAdminViewsWorld, waitForEnd, type AdminRunBody, type AdminViewsWorld } from './admin-views-support';

/**
 * The dry-run estimate against the simulator's demo tenant (all 50 mailboxes): computed in the
 * background with progress, cached, refreshable; one mailbox without a licence is left out and
 * said; the messages and calendar items it counts are within 10 % of what the full run then
 * reads. The same estimate of a draft selection (the wizard's, before the enrichment exists) is
 * keyed by its mailboxes and equals the enrichment's; a run carries the estimate it was queued
 * with beside what it read. Sellers and app-only tokens get 403.
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
  asOf: string | null;
  endedAt: string | null;
  model: { concurrency: number } | null;
}
interface DraftBody extends EstimateBody {
  key: string;
}
interface RunWithEstimate extends AdminRunBody {
  mode: string;
  estimate: { source: string; asOf: string; mailboxes: number; messages: number; events: number; firstRunSeconds: number; refreshSeconds: number; concurrency: number } | null;
}
const path = () => `/api/enrichments/${w.enrichment._id}/estimate`;
const estimate = async () => (await request(w.stack.baseUrl).get(path()).set(bearer(w.admin)).expect(200)).body as EstimateBody;
const askDraft = async (userIds: string[], refresh = false) => (await request(w.stack.baseUrl).post('/api/estimates/drafts').set(bearer(w.admin)).send({ userIds, refresh }).expect(202)).body as DraftBody;
/** Polls a draft's estimate until it has ended. */
async function untilDraftEstimated(key: string): Promise<DraftBody> {
  for (;;) {
    const e = (await request(w.stack.baseUrl).get(`/api/estimates/drafts/${key}`).set(bearer(w.admin)).expect(200)).body as DraftBody;
    if (e.state === 'done' || e.state === 'failed') return e;
    await new Promise((res) => setTimeout(res, 100));
  }
}
/** What the full run of the 10 % test read, and the enrichment's estimate it was compared with. */
let fullRun: RunWithEstimate;
let enrichmentEstimate: EstimateBody;
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

  it('when a seller or an app-only token asks for an estimate, a draft estimate or a refresh, then it is a 403 problem', async () => {
    const app = await clientCredentialsToken(w.stack.simulator, w.handle.tenantId, INTEGRATION_CLIENT);
    const draftKey = 'a'.repeat(64);
    for (const token of [w.seller, app]) {
      for (const [method, url] of [['get', path()], ['post', path()], ['post', '/api/estimates/drafts'], ['get', `/api/estimates/drafts/${draftKey}`]] as const) {
        const res = await request(w.stack.baseUrl)[method](url).set(bearer(token)).send(method === 'post' ? { userIds: [w.mailboxes[0]!.userId] } : undefined);
        expect(res.status, `${method} ${url} ${token === app ? 'app' : 'seller'}`).toBe(403);
        expect(res.headers['content-type']).toContain('application/problem+json');
      }
    }
  });

  it('when the admin sends a draft selection that is not mailbox ids, or reads a key never answered, then it is a 400 or 404 problem naming the cause', async () => {
    const bad = await request(w.stack.baseUrl).post('/api/estimates/drafts').set(bearer(w.admin)).send({ userIds: ['alice@contoso.com'] });
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(bad.body)).toContain('userIds');
    const empty = await request(w.stack.baseUrl).post('/api/estimates/drafts').set(bearer(w.admin)).send({ userIds: [] });
    expect(empty.status).toBe(400);
    const badKey = await request(w.stack.baseUrl).get('/api/estimates/drafts/not-a-key').set(bearer(w.admin));
    expect(badKey.status).toBe(400);
    const unknown = await request(w.stack.baseUrl).get(`/api/estimates/drafts/${'0'.repeat(64)}`).set(bearer(w.admin));
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
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
    const run = (await w.completedRun({ mode: 'full' })) as RunWithEstimate;
    fullRun = run;
    enrichmentEstimate = fresh;
    expect(run.counters.mailboxesDone).toBe(50);
    const e = fresh.result!;
    expect(withinShare(e.messages, run.counters.messagesRead, 0.1), `messages: estimated ${e.messages}, read ${run.counters.messagesRead}`).toBe(true);
    expect(withinShare(e.events, run.counters.eventsRead, 0.1), `calendar items: estimated ${e.events}, read ${run.counters.eventsRead}`).toBe(true);
    if (process.env.SHOW_ESTIMATE) console.log(JSON.stringify({ estimate: e, actual: run.counters, durationMs: run.summary?.durationMs }));
  }, 180_000);

  it('when a full run was queued after the estimate, then its summary carries that estimate beside what it read and took', async () => {
    const e = enrichmentEstimate.result!;
    expect(fullRun).toMatchObject({ state: 'completed', mode: 'full' });
    expect(fullRun.estimate).toEqual({
      source: 'enrichment',
      asOf: enrichmentEstimate.asOf,
      countedAt: enrichmentEstimate.endedAt,
      mailboxes: 50,
      mailboxesFailed: 0,
      messages: e.messages,
      events: e.events,
      firstRunSeconds: e.firstRunSeconds,
      refreshSeconds: e.refreshSeconds,
      concurrency: enrichmentEstimate.model!.concurrency,
    });
    expect(fullRun.counters.messagesRead).toBeGreaterThan(0);
    expect(fullRun.summary!.durationMs).toBeGreaterThan(0);
    // The run history carries the same frozen estimate.
    const history = (await request(w.stack.baseUrl).get(`/api/enrichments/${w.enrichment._id}/runs`).set(bearer(w.admin)).expect(200)).body as { items: RunWithEstimate[] };
    expect(history.items.find((r) => r.id === fullRun.id)!.estimate).toEqual(fullRun.estimate);
  });

  it('when the admin estimates a draft selection of the same mailboxes, then it is counted in the background, equals the enrichment\'s estimate and is cached under its key', async () => {
    // The wizard sends the resolved mailboxes in whatever order; the key is of the set.
    const userIds = [...w.mailboxes].reverse().map((m) => m.userId.toUpperCase());
    const started = await askDraft(userIds);
    expect(started).toMatchObject({ state: 'queued', stale: false, mailboxesTotal: 50, mailboxesDone: 0 });
    expect(started.key).toMatch(/^[0-9a-f]{64}$/);
    const done = await untilDraftEstimated(started.key);
    expect(done).toMatchObject({ state: 'done', key: started.key, mailboxesTotal: 50, mailboxesDone: 50, mailboxesFailed: 0, asOf: enrichmentEstimate.asOf });
    expect(done.result).toEqual(enrichmentEstimate.result);
    // Asked again (the review step shown again): the cached estimate, without counting again.
    const requests = w.handle.stats.graphRequests;
    expect(await askDraft(w.mailboxes.map((m) => m.userId))).toEqual(done);
    expect(w.handle.stats.graphRequests).toBe(requests);
    // A refresh counts again under the same key.
    const refreshed = await askDraft(userIds, true);
    expect(refreshed).toMatchObject({ state: 'queued', key: started.key });
    expect(refreshed.requestedAt).not.toBe(done.requestedAt);
    expect((await untilDraftEstimated(started.key)).result).toEqual(enrichmentEstimate.result);
  }, 120_000);

  it('when an enrichment made from an estimated selection is run before any estimate of its own, then its page shows the draft\'s estimate and its run carries it', async () => {
    const mailboxes = w.mailboxes.slice(0, 6);
    const draft = await askDraft(mailboxes.map((m) => m.userId));
    const counted = await untilDraftEstimated(draft.key);
    expect(counted).toMatchObject({ state: 'done', mailboxesTotal: 6 });
    const second = await seedEnrichment(w.stack.db, w.handle.tenantId, w.enrichment.datasetId, mailboxes, { name: 'Estimated in the wizard' });
    const shown = (await request(w.stack.baseUrl).get(`/api/enrichments/${second._id}/estimate`).set(bearer(w.admin)).expect(200)).body as EstimateBody;
    expect(shown).toMatchObject({ state: 'done', stale: false, result: counted.result });
    const runPath = `/api/enrichments/${second._id}/runs`;
    const started = (await request(w.stack.baseUrl).post(runPath).set(bearer(w.admin)).send({ mode: 'full' }).expect(202)).body as RunWithEstimate;
    expect(started.estimate).toMatchObject({ source: 'draft', mailboxes: 6, messages: counted.result!.messages, events: counted.result!.events });
    const run = (await waitForEnd(w.stack, w.admin, `${runPath}/${started.id}`)) as RunWithEstimate;
    expect(run.estimate).toEqual(started.estimate);
    expect(withinShare(run.estimate!.messages, run.counters.messagesRead, 0.1)).toBe(true);
  }, 120_000);

  it('when the enrichment changes after the estimate, then the estimate says it is stale', async () => {
    await request(w.stack.baseUrl).post(`/api/enrichments/${w.enrichment._id}/exclusions`).set(bearer(w.admin)).send({ domains: ['stale.example'] }).expect(200);
    expect(await estimate()).toMatchObject({ state: 'done', stale: true });
  });

  it('when no enrichment of the organisation has admin consent, then a new draft selection is refused with a consent problem', async () => {
    await w.stack.db.collection('enrichments').updateMany({ tenantId: w.handle.tenantId }, { $set: { 'consent.state': 'awaiting' } });
    const res = await request(w.stack.baseUrl).post('/api/estimates/drafts').set(bearer(w.admin)).send({ userIds: w.mailboxes.slice(0, 3).map((m) => m.userId) });
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ code: 'consent-required' });
  });
});
