import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnrichmentDocument } from '../../api/src/enrichments/enrichments.store';
import type { Principal } from '../../api/src/platform/auth/principal';
import { parseConfig } from '../../api/src/platform/config/config';
import { AppError } from '../../api/src/platform/errors/app-error';
import { createLogger } from '../../api/src/platform/logger/logger';
import { webhookNotifier, WEBHOOK_DELIVERY_JOB } from '../../api/src/webhooks/webhook-delivery.job';
import { webhooksServiceFrom } from '../../api/src/webhooks/webhooks.feature';
import { webhookOptionsFrom, type WebhookOptions } from '../../api/src/webhooks/webhooks.service';
import { AGENDA_COLLECTION } from '../../api/src/runs/jobs/job-queue';
import type { RunDocument } from '../../api/src/runs/lifecycle/runs.store';
import { verifyEngagementSignature } from '../../docs/client/webhook-receiver';
import { CONTOSO_TENANT_ID } from '../../simulator/src/tenant/default-tenants';
import { expectProblem } from '../security/security-support';
import { isEnded, seedDataset, seedEnrichment, startRuntime, waitForRun, type Runtime } from '../runs/run-test-support';
import { clientCredentialsToken, INTEGRATION_CLIENT } from '../support/simulator';
import { startWebhookReceiver, type ReceivedRequest, type WebhookReceiver } from '../support/webhook-receiver';
import { startAdminHarness, type AdminTestHarness } from './enrichments-test-support';

/**
 * Webhooks on publish against real parts: the API (createApp), a worker on the same database
 * running real runs against the simulator, and a real HTTPS receiver on this machine (the
 * simulator's self-signed certificate). Outside production the receiver's host name `localhost`
 * is allowed by configuration; a production configuration refuses it. Retries use a small
 * backoff (configuration), and every wait is for a state (a delivery recorded, a run ended).
 */
const T = CONTOSO_TENANT_ID;
const TEST_WEBHOOKS = { WEBHOOK_ALLOWED_PRIVATE_HOSTS: 'localhost', WEBHOOK_RETRY_BASE_MS: '150', WEBHOOK_MAX_ATTEMPTS: '3', WEBHOOK_TIMEOUT_MS: '5000' };
let h: AdminTestHarness;
let runtime: Runtime;
let receiver: WebhookReceiver;
let admin: string;
let seller: string;
let appToken: string;
let enrichment: EnrichmentDocument;
let quiet: EnrichmentDocument;
let options: WebhookOptions;
let secret: string;

beforeAll(async () => {
  h = await startAdminHarness('webhooks', {}, TEST_WEBHOOKS);
  options = webhookOptionsFrom(parseConfig({ MONGODB_URI: 'mongodb://127.0.0.1/', AUTH_CLIENT_ID: '11111111-2222-4333-8444-555555555555', AUTH_CLIENT_SECRET: 'x', PUBLIC_URL: 'http://localhost:3999', ...TEST_WEBHOOKS }));
  admin = await h.tokenFor(T, h.persona(T, 'enrichmentAdmin'));
  seller = await h.tokenFor(T, h.persona(T, 'seller'));
  appToken = await clientCredentialsToken(h.sim, T, INTEGRATION_CLIENT);
  const tenant = h.sim.tenant(T).tenant;
  const dataset = await seedDataset(h.db, T, tenant);
  const mailboxes = tenant.users.slice(0, 2).map((u) => ({ userId: u.id, mail: u.mail }));
  enrichment = await seedEnrichment(h.db, T, dataset._id, mailboxes, { name: 'Webhook demo' });
  quiet = await seedEnrichment(h.db, T, dataset._id, mailboxes, { name: 'Webhook refusals' });
  runtime = await startRuntime(h.db, h.sim, T, { webhooks: options });
  receiver = await startWebhookReceiver('echo');
});
afterAll(async () => {
  await runtime?.stop();
  await receiver?.close();
  await h?.close();
});

const as = (token: string) => ({ authorization: `Bearer ${token}` });
const hookPath = (e: { _id: string }) => `/api/enrichments/${e._id}/webhook`;

/** Waits (for a state, polling) until `check` returns a value. */
async function until<T>(what: string, check: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** What a receiver does with a delivery: the documented example (docs/client/webhook-receiver.ts) checks the HMAC over the raw body and the timestamp's age. */
function verifyAsReceiver(r: ReceivedRequest, key: string): { ok: boolean } {
  const header = r.headers['x-engagement-signature'];
  return { ok: verifyEngagementSignature(r.rawBody, typeof header === 'string' ? header : undefined, key) };
}

async function runToEnd(e: EnrichmentDocument) {
  const run = await runtime.runs.start({ tenantId: T, enrichmentId: e._id, trigger: 'manual', requestedBy: null });
  const ended = await waitForRun(runtime.runs, run, isEnded, 90_000);
  expect(ended.state).toBe('completed');
  return ended;
}

describe('registering a webhook', () => {
  it('when no webhook is registered, then the admin reads null and an empty delivery log', async () => {
    expect((await request(h.app).get(hookPath(enrichment)).set(as(admin)).expect(200)).body).toEqual({ webhook: null });
    expect((await request(h.app).get(`${hookPath(enrichment)}/deliveries`).set(as(admin)).expect(200)).body).toEqual({ items: [] });
  });

  it('when the receiver does not echo the validation token, then it is a 400 problem saying so, and nothing is stored', async () => {
    receiver.mode = 'no-echo';
    try {
      const res = await request(h.app).put(hookPath(enrichment)).set(as(admin)).send({ url: receiver.url }).expect(400);
      expectProblem(res, 'no echo');
      expect(res.body.detail).toMatch(/did not echo the validation token/);
      expect(res.body.errors).toEqual([expect.objectContaining({ path: 'body.url' })]);
    } finally {
      receiver.mode = 'echo';
    }
    // The handshake reached the receiver as a POST with a validationToken query parameter.
    const probe = receiver.received.at(-1)!;
    expect(probe).toMatchObject({ method: 'POST', path: '/hooks/engagement' });
    expect(probe.query.get('validationToken')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect((await request(h.app).get(hookPath(enrichment)).set(as(admin)).expect(200)).body).toEqual({ webhook: null });
  });

  it('when the receiver echoes the token, then the webhook is stored validated, the secret is shown once and never read back', async () => {
    const res = await request(h.app).put(hookPath(enrichment)).set(as(admin)).send({ url: receiver.url }).expect(201);
    secret = res.body.secret as string;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{40,}$/);
    expect(res.body.webhook).toMatchObject({ enrichmentId: enrichment._id, url: receiver.url, events: ['results.published'], secretHint: secret.slice(-4), validatedAt: expect.any(String) });
    const read = await request(h.app).get(hookPath(enrichment)).set(as(admin)).expect(200);
    expect(read.body.webhook).toEqual(res.body.webhook);
    expect(JSON.stringify(read.body)).not.toContain(secret);
    // Stored sealed: the database holds no copy of the secret in clear.
    const stored = await h.db.collection('enrichment_webhooks').find({}).toArray();
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(secret.slice(6));
  });

  it('when the URL is not HTTPS, names a private, loopback, link-local, CGNAT, unique-local or metadata address, or is malformed, then each is a 400 problem naming body.url', async () => {
    for (const url of [
      `http://localhost:${receiver.port}/hooks`,
      `https://127.0.0.1:${receiver.port}/hooks`,
      'https://10.1.2.3/hook',
      'https://192.168.1.10/hook',
      'https://169.254.169.254/latest/meta-data',
      'https://100.64.0.7/hook',
      'https://[::1]/hook',
      'https://[fd12:3456::1]/hook',
      'https://[fe80::1]/hook',
      'https://[::ffff:127.0.0.1]/hook',
      'https://user:pw@example.com/hook',
      'not a url',
      '',
    ]) {
      const res = await request(h.app).put(hookPath(quiet)).set(as(admin)).send({ url }).expect(400);
      expectProblem(res, url);
      expect(res.body.errors?.[0]?.path, url).toBe('body.url');
    }
    expect((await request(h.app).get(hookPath(quiet)).set(as(admin)).expect(200)).body).toEqual({ webhook: null });
  });

  it('when a production configuration is used, then the local receiver (localhost resolves to a loopback address) is refused', async () => {
    const production = parseConfig({
      APP_ENV: 'production',
      MONGODB_URI: 'mongodb://127.0.0.1/',
      AUTH_CLIENT_ID: '11111111-2222-4333-8444-555555555555',
      AUTH_CLIENT_SECRET: 'x',
      CONSENT_STATE_SECRET: 'c'.repeat(40),
      WEBHOOK_SECRET_KEY: 'k'.repeat(40),
    });
    expect(production.webhooks.allowedPrivateHosts).toEqual([]);
    const service = webhooksServiceFrom(h.db, webhookOptionsFrom(production), createLogger('silent'));
    const principal = { kind: 'user', tenantId: T, userId: 'admin', clientAppId: 'x', displayName: 'Admin', roles: ['EngagementAdmin'], isAdmin: true, token: '' } satisfies Principal;
    const before = receiver.received.length;
    const refusal = await service.register(principal, quiet._id, receiver.url).then(() => null, (e: unknown) => e);
    expect(refusal).toBeInstanceOf(AppError);
    expect((refusal as AppError).detail).toMatch(/localhost resolves to 127\.0\.0\.1, a private, loopback/);
    // Refused before any request: the receiver heard nothing.
    expect(receiver.received.length).toBe(before);
    // And production refuses to start with an allowance.
    expect(() => parseConfig({ APP_ENV: 'production', MONGODB_URI: 'mongodb://127.0.0.1/', AUTH_CLIENT_ID: '11111111-2222-4333-8444-555555555555', AUTH_CLIENT_SECRET: 'x', CONSENT_STATE_SECRET: 'c'.repeat(40), WEBHOOK_SECRET_KEY: 'k'.repeat(40), WEBHOOK_ALLOWED_PRIVATE_HOSTS: 'localhost' })).toThrow(/WEBHOOK_ALLOWED_PRIVATE_HOSTS must be empty in production/);
  });

  it('when a seller or an app-only token calls any webhook route, then it is a 403 problem and nothing changes', async () => {
    for (const token of [seller, appToken]) {
      for (const [method, path, body] of [
        ['get', hookPath(enrichment), undefined],
        ['put', hookPath(enrichment), { url: receiver.url }],
        ['delete', hookPath(enrichment), undefined],
        ['get', `${hookPath(enrichment)}/deliveries`, undefined],
      ] as const) {
        const req = request(h.app)[method](path).set(as(token));
        const res = await (body ? req.send(body) : req).expect(403);
        expectProblem(res, `${method} ${path}`);
      }
    }
    expect((await request(h.app).get(hookPath(enrichment)).set(as(admin)).expect(200)).body.webhook.url).toBe(receiver.url);
  });
});

describe('delivering on publish', () => {
  it('when a run of the enrichment publishes, then the receiver gets one signed notification with ids and counts only, and the admin sees it delivered', async () => {
    const run = await runToEnd(enrichment);
    const [delivery] = await until('a delivery', () => (receiver.deliveries().length ? receiver.deliveries() : null));
    expect(delivery!.headers['content-type']).toBe('application/json');
    expect(verifyAsReceiver(delivery!, secret).ok).toBe(true);
    // A tampered body or another key does not verify.
    expect(verifyAsReceiver({ ...delivery!, rawBody: delivery!.rawBody.replace('"runId"', '"runID"') }, secret).ok).toBe(false);
    expect(verifyAsReceiver(delivery!, `${secret}x`).ok).toBe(false);
    // A captured delivery replayed later than the tolerance is refused by its timestamp.
    const header = String(delivery!.headers['x-engagement-signature']);
    expect(verifyEngagementSignature(delivery!.rawBody, header, secret, Date.now() + 10 * 60_000)).toBe(false);
    const payload = JSON.parse(delivery!.rawBody);
    expect(payload).toEqual({
      type: 'results.published',
      id: delivery!.headers['x-engagement-delivery'],
      tenantId: T,
      enrichmentId: enrichment._id,
      enrichmentName: 'Webhook demo',
      runId: run._id,
      asOf: run.asOf.toISOString(),
      publishedAt: expect.any(String),
      counts: { accountsEnriched: run.summary!.accountsEnriched, emailsProcessed: run.summary!.emailsProcessed, meetingsProcessed: run.summary!.meetingsProcessed, mailboxesRead: 2, mailboxesFailed: 0 },
      links: { results: `http://localhost:3999/api/enrichments/${enrichment._id}/results`, rows: `http://localhost:3999/api/enrichments/${enrichment._id}/results/rows` },
    });
    expect(run.summary!.accountsEnriched).toBeGreaterThan(0);
    // No account data: no account id or name of the tenant appears anywhere in the body.
    for (const a of h.sim.tenant(T).tenant.accounts.slice(0, 50)) expect(delivery!.rawBody).not.toContain(`"${a.id}"`);
    const log = await until('the delivery in the log', async () => {
      const items = (await request(h.app).get(`${hookPath(enrichment)}/deliveries`).set(as(admin)).expect(200)).body.items as Array<Record<string, unknown>>;
      return items.length ? items : null;
    });
    expect(log).toEqual([{ deliveryId: payload.id, runId: run._id, attempt: 1, at: expect.any(String), outcome: 'delivered', willRetry: false, statusCode: 202, error: null, durationMs: expect.any(Number) }]);
  });

  it('when the receiver fails the first attempt, then the delivery is retried and the log shows the failure, then the success, with one delivery id', async () => {
    receiver.mode = 'fail-once';
    const before = receiver.deliveries().length;
    const run = await runToEnd(enrichment);
    const log = await until('a retried delivery', async () => {
      const items = (await request(h.app).get(`${hookPath(enrichment)}/deliveries`).set(as(admin)).expect(200)).body.items as Array<Record<string, unknown>>;
      const ofRun = items.filter((i) => i.runId === run._id);
      return ofRun.some((i) => i.outcome === 'delivered') ? ofRun : null;
    });
    expect(log.map((i) => [i.attempt, i.outcome, i.statusCode, i.willRetry])).toEqual([
      [2, 'delivered', 202, false],
      [1, 'failed', 500, true],
    ]);
    expect(log[1]!.error).toMatch(/answered 500/);
    const attempts = receiver.deliveries().slice(before);
    expect(attempts).toHaveLength(2);
    expect(new Set(attempts.map((a) => a.headers['x-engagement-delivery'])).size).toBe(1);
    for (const a of attempts) expect(verifyAsReceiver(a, secret).ok).toBe(true);
    expect(JSON.parse(attempts[1]!.rawBody).runId).toBe(run._id);
  });

  it('when the receiver keeps failing, then delivery stops after the configured number of attempts, the last one saying no retry follows', async () => {
    receiver.mode = 'fail';
    const before = receiver.deliveries().length;
    const service = webhooksServiceFrom(h.db, options, createLogger('silent'));
    // The notification a publish enqueues, for a run id of its own.
    const runId = 'run_webhook_always_failing';
    const asOf = new Date('2026-01-01T00:00:00Z');
    // The publish listener's argument: the run as it is completed, and the pointer publishing it.
    const published = {
      run: {
        _id: runId,
        tenantId: T,
        enrichmentId: enrichment._id,
        asOf,
        state: 'completed',
        summary: { accountsEnriched: 1, emailsProcessed: 2, meetingsProcessed: 3, daysCovered: 365, durationMs: 10 },
        counters: { mailboxesTotal: 2, mailboxesDone: 2, mailboxesFailed: 0, mailboxesPending: 0, messagesRead: 0, eventsRead: 0, mailboxesFullRead: 0, mailboxesCalendarFullRead: 0 },
      } as RunDocument,
      pointer: { _id: `${T}:${enrichment._id}`, tenantId: T, enrichmentId: enrichment._id, runId, asOf, flippedAt: new Date(), kept: [] },
    };
    await webhookNotifier(runtime.jobs, service, createLogger('silent'))(published);
    const log = await until('three failed attempts', async () => {
      const items = (await request(h.app).get(`${hookPath(enrichment)}/deliveries`).set(as(admin)).expect(200)).body.items as Array<Record<string, unknown>>;
      const ofRun = items.filter((i) => i.runId === runId);
      return ofRun.length === 3 ? ofRun : null;
    });
    expect(log.map((i) => [i.attempt, i.outcome, i.willRetry])).toEqual([
      [3, 'failed', false],
      [2, 'failed', true],
      [1, 'failed', true],
    ]);
    // The job has given up and left the queue (no finished job is kept), with no fourth attempt.
    await until('the job to leave the queue', async () => (await h.db.collection(AGENDA_COLLECTION).countDocuments({ name: WEBHOOK_DELIVERY_JOB, 'data.runId': runId })) === 0);
    expect(receiver.deliveries().length - before).toBe(3);
    receiver.mode = 'echo';
  });

  it('when the webhook is removed, then the admin reads null again', async () => {
    await request(h.app).delete(hookPath(enrichment)).set(as(admin)).expect(204);
    expect((await request(h.app).get(hookPath(enrichment)).set(as(admin)).expect(200)).body).toEqual({ webhook: null });
    const res = await request(h.app).delete(hookPath(enrichment)).set(as(admin)).expect(404);
    expectProblem(res, 'second delete');
  });
});
