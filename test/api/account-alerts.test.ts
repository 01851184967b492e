import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertsNotifier } from '../../api/src/alerts/alerts-delivery.job';
import { alertOptionsFrom, alertsServiceFrom } from '../../api/src/alerts/alerts.feature';
import type { AlertsService } from '../../api/src/alerts/alerts.service';
import { AlertsStore, sendKey } from '../../api/src/alerts/alerts.store';
import type { RunDocument } from '../../api/src/runs/lifecycle/runs.store';
import type { ResultPointerDocument } from '../../api/src/runs/output/run-output.store';
import { REQUIRED_APP_ROLES } from '../../simulator/src/state/sim-tenant-handle';
import type { SimUser } from '../../simulator/src/tenant/tenant.types';
import { testAppConfig } from '../support/app-config';
import { graphFor, silent, startRuntime, type Runtime } from '../runs/run-test-support';
import { control } from '../sim/sim-test-helpers';
import { importDemoDataset, startAdminHarness, type AdminTestHarness } from './enrichments-test-support';
import { publishAlertRun, seedAlertEnrichment, type AccountSpec } from './alerts-test-support';

/**
 * Account alerts end to end against the simulator: two published runs of an enrichment whose
 * dataset maps an owner column, the alert job comparing their Year rows, and the notifications
 * Teams (the simulator) accepted, read from its inbox through the control API.
 */
let h: AdminTestHarness;
let runtime: Runtime;
let tenantId: string;
let admin: string;
let service: AlertsService;
const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
const runOf = (enrichmentId: string, runId: string) => ({ _id: runId, tenantId, enrichmentId, summary: { accountsEnriched: 1 } }) as unknown as RunDocument;
const inbox = async (userId?: string) =>
  (await control(h.sim, `/tenants/${tenantId}/activity-feed${userId ? `?userId=${userId}` : ''}`)).body as { value: Array<{ recipientUserId: string; activityType: string; previewText: string; topic: { webUrl: string }; templateParameters: Array<{ name: string; value: string }> }>; throttledAnswers: number };
const settings = { enabled: true, quietDays: 60, scoreDrop: 15, cameBack: true };

let owner1: SimUser;
let owner2: SimUser;
let ownerWithoutApp: SimUser;
let mutedOwner: SimUser;
let frenchOwner: SimUser;
let accounts: AccountSpec[];

beforeAll(async () => {
  h = await startAdminHarness('account-alerts');
  const handle = h.sim.tenants().find((x) => x.tenant.spec.slug === 'contoso')!;
  tenantId = handle.tenantId;
  admin = await h.tokenFor(tenantId, h.persona(tenantId, 'enrichmentAdmin'));
  const without = new Set(((await control(h.sim, `/tenants/${tenantId}/teams-app`)).body as { withoutApp: string[] }).withoutApp);
  const withApp = handle.tenant.users.filter((u) => u.mail && u.accountEnabled !== false && !without.has(u.id) && !u.persona);
  // English readers (no preferredLanguage, and the organisation's default is English) for the English texts below.
  const english = withApp.filter((u) => !u.preferredLanguage);
  [owner1, owner2, mutedOwner] = [english[0]!, english[1]!, english[2]!];
  frenchOwner = withApp.find((u) => u.preferredLanguage === 'fr-FR')!;
  expect(frenchOwner).toBeDefined();
  ownerWithoutApp = handle.tenant.users.find((u) => u.mail && u.accountEnabled !== false && without.has(u.id))!;
  expect(ownerWithoutApp).toBeDefined();
  const quiet = { email: 90, meeting: null, score: 10 };
  accounts = [
    { id: 'A1', name: 'Zenith Chemicals', owner: owner1.mail, before: { email: 3, meeting: 20, score: 70 }, after: { email: 70, meeting: 65, score: 62 } },
    { id: 'A2', name: 'Borealis Freight', owner: owner1.mail, before: { email: 2, meeting: 5, score: 80 }, after: { email: 4, meeting: 9, score: 60 } },
    { id: 'A3', name: 'Acme Works', owner: owner1.mail.toUpperCase(), before: quiet, after: { email: 1, meeting: null, score: 30 } },
    { id: 'A4', name: 'Steady Mills', owner: owner1.mail, before: { email: 1, meeting: 1, score: 50 }, after: { email: 2, meeting: 3, score: 45 } },
    { id: 'A5', name: 'Harbor Logistics', owner: ` ${owner2.mail} `, before: { email: 10, meeting: 30, score: 40 }, after: { email: 75, meeting: 61, score: 35 } },
    { id: 'A6', name: 'Nimbus Retail', owner: ownerWithoutApp.mail, before: { email: 5, meeting: null, score: 55 }, after: { email: 80, meeting: null, score: 20 } },
    { id: 'A7', name: 'Quartz Energy', owner: mutedOwner.mail, before: { email: 1, meeting: 2, score: 90 }, after: { email: 3, meeting: 4, score: 50 } },
    { id: 'A8', name: 'Orphan Ltd', owner: 'nobody@unknown-owner.example', before: { email: 1, meeting: 2, score: 90 }, after: { email: 100, meeting: 200, score: 5 } },
    { id: 'A9', name: 'Unowned plc', owner: null, before: { email: 1, meeting: 2, score: 90 }, after: { email: 100, meeting: 200, score: 5 } },
  ];
  service = alertsServiceFrom(h.db, graphFor(h.sim), alertOptionsFrom(testAppConfig(h.sim, 'mongodb://unused', 'unused')), silent);
  runtime = await startRuntime(h.db, h.sim, tenantId, { alerts: { ...alertOptionsFrom(testAppConfig(h.sim, 'mongodb://unused', 'unused')), retryBaseMs: 200 } });
}, 120_000);
afterAll(async () => {
  await runtime?.stop();
  await h?.close();
});

describe('the dataset\'s owner column', () => {
  it('when an admin maps an owner column the dataset has, then the enrichment keeps it; one it lacks is refused naming its account columns', async () => {
    const datasetId = await importDemoDataset(h, tenantId, admin, 'Owner demo customers');
    const users = h.sim.tenant(tenantId).tenant.users.filter((u) => u.accountEnabled && u.mail && !u.persona).slice(0, 2);
    const body = (ownerField: string | null) => ({
      name: `Owner column ${ownerField ?? 'none'}`,
      mailboxes: { selections: users.map((u) => ({ kind: 'user', id: u.id })) },
      datasetId,
      mapping: { emailField: 'Email', accountIdField: 'AccountId', ownerField },
      consentAgreed: true,
    });
    const refused = await request(h.app).post('/api/enrichments').set(auth(admin)).send(body('Account manager')).expect(400);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body.detail).toMatch(/no account column "Account manager"; its account columns are Industry, Country/);
    const created = await request(h.app).post('/api/enrichments').set(auth(admin)).send(body('Country')).expect(201);
    expect(created.body.enrichment.mapping).toEqual({ emailField: 'Email', accountIdField: 'AccountId', ownerField: 'Country' });
    const settings = await request(h.app).get(`/api/enrichments/${created.body.enrichment.id}/alerts`).set(auth(admin)).expect(200);
    expect(settings.body.ownerField).toBe('Country');
  });
});

describe('account alert settings', () => {
  it('when an admin reads the settings of a new enrichment, then alerts are off with the default thresholds', async () => {
    const id = await seedAlertEnrichment(h.db, tenantId, 'Defaults', 'Owner');
    const res = await request(h.app).get(`/api/enrichments/${id}/alerts`).set(auth(admin)).expect(200);
    expect(res.body).toMatchObject({ enabled: false, quietDays: 60, scoreDrop: 15, cameBack: true, ownerField: 'Owner' });
  });

  it('when an admin saves out-of-range or malformed settings, then each is refused as problem+json and nothing is stored', async () => {
    const id = await seedAlertEnrichment(h.db, tenantId, 'Bad settings', 'Owner');
    for (const [body, field] of [
      [{ ...settings, quietDays: 3 }, /quiet threshold must be at least 7/],
      [{ ...settings, quietDays: 400 }, /quiet threshold must be at most 365/],
      [{ ...settings, scoreDrop: 0 }, /score drop must be at least 1/],
      [{ ...settings, scoreDrop: 12.5 }, /score drop must be a whole number/],
      [{ ...settings, enabled: 'yes' }, /enabled must be true or false/],
      [{ ...settings, extra: 1 }, /extra/],
    ] as const) {
      const res = await request(h.app).put(`/api/enrichments/${id}/alerts`).set(auth(admin)).send(body).expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.detail).toMatch(field);
    }
    expect(await new AlertsStore(h.db).getSettings(tenantId, id)).toBeNull();
  });

  it('when an admin turns alerts on for an enrichment without an owner column, then it is refused and a seller may not change settings', async () => {
    const id = await seedAlertEnrichment(h.db, tenantId, 'No owner column', null);
    const res = await request(h.app).put(`/api/enrichments/${id}/alerts`).set(auth(admin)).send(settings).expect(400);
    expect(res.body.detail).toMatch(/owner column/);
    const seller = await h.tokenFor(tenantId, h.persona(tenantId, 'seller'));
    await request(h.app).put(`/api/enrichments/${id}/alerts`).set(auth(seller)).send({ ...settings, enabled: false }).expect(403);
    await request(h.app).get(`/api/enrichments/${id}/alerts/owners`).set(auth(seller)).expect(403);
  });
});

describe('account alerts after a publish', () => {
  let enrichmentId: string;
  let second: ResultPointerDocument;

  beforeAll(async () => {
    enrichmentId = await seedAlertEnrichment(h.db, tenantId, 'Alerts demo', 'Owner');
    await publishAlertRun(h.db, tenantId, enrichmentId, 'run_alerts_1', accounts, 'before', new Date('2026-02-23T00:00:00Z'));
    second = await publishAlertRun(h.db, tenantId, enrichmentId, 'run_alerts_2', accounts, 'after', new Date('2026-03-02T00:00:00Z'));
  }, 60_000);

  it('when alerts are off, then a publish sends nothing', async () => {
    const done = await service.deliver({ tenantId, enrichmentId, runId: 'run_alerts_2', previousRunId: 'run_alerts_1' });
    expect(done.skipped).toBe('off');
    expect((await inbox()).value).toEqual([]);
  });

  it('when a seller mutes their alerts from the tab, then their own setting says so', async () => {
    const token = await h.tokenFor(tenantId, mutedOwner.id);
    expect((await request(h.app).get('/api/me/alerts').set(auth(token)).expect(200)).body).toEqual({ muted: false });
    await request(h.app).put('/api/me/alerts').set(auth(token)).send({ muted: 'yes' }).expect(400);
    expect((await request(h.app).put('/api/me/alerts').set(auth(token)).send({ muted: true }).expect(200)).body).toEqual({ muted: true });
    expect((await request(h.app).get('/api/me/alerts').set(auth(token)).expect(200)).body).toEqual({ muted: true });
  });

  it('when a run publishes with alerts on, then each owner gets exactly one notification grouping their changed accounts, opening the customer list filtered to them', async () => {
    await request(h.app).put(`/api/enrichments/${enrichmentId}/alerts`).set(auth(admin)).send(settings).expect(200);
    // The publish listener, told twice as a retried finalize would; the worker runs the one job it enqueues.
    const listener = alertsNotifier(runtime.jobs, service, silent);
    await listener({ run: runOf(enrichmentId, 'run_alerts_2'), pointer: second });
    await listener({ run: runOf(enrichmentId, 'run_alerts_2'), pointer: second });
    for (const deadline = Date.now() + 60_000; (await new AlertsStore(h.db).getReport(tenantId, enrichmentId))?.runId !== 'run_alerts_2'; ) {
      if (Date.now() > deadline) throw new Error('the alert job did not report');
      await new Promise((r) => setTimeout(r, 100));
    }
    const sent = (await inbox()).value;
    expect(sent.map((n) => n.recipientUserId).sort()).toEqual([owner1.id, owner2.id].sort());
    const first = sent.find((n) => n.recipientUserId === owner1.id)!;
    expect(first.previewText).toBe('1 of your accounts went quiet, 1 dropped in score, 1 came back: Zenith Chemicals, Borealis Freight, Acme Works');
    expect(first.activityType).toBe('accountsChanged');
    expect(first.templateParameters).toEqual([{ name: 'count', value: '3' }]);
    const link = new URL(first.topic.webUrl);
    expect(link.searchParams.get('page')).toBe('customers');
    expect(link.searchParams.get('enrichmentId')).toBe(enrichmentId);
    expect(link.searchParams.get('accounts')).toBe('A1,A2,A3');
    expect(sent.find((n) => n.recipientUserId === owner2.id)!.previewText).toBe('1 of your accounts went quiet: Harbor Logistics');
  });

  it('when an owner has not installed the app or muted alerts, then nothing is sent to them and the admin sees who lacks the app', async () => {
    const store = new AlertsStore(h.db);
    expect((await store.getSend(tenantId, 'run_alerts_2', ownerWithoutApp.id))?.outcome).toBe('not-installed');
    expect((await store.getSend(tenantId, 'run_alerts_2', mutedOwner.id))?.outcome).toBe('muted');
    expect((await inbox(ownerWithoutApp.id)).value).toEqual([]);
    expect((await inbox(mutedOwner.id)).value).toEqual([]);
    const report = (await request(h.app).get(`/api/enrichments/${enrichmentId}/alerts/owners`).set(auth(admin)).expect(200)).body;
    expect(report).toMatchObject({ runId: 'run_alerts_2', notified: 2, muted: 1, permissionMissing: 0, failed: 0, setupPolicyUrl: 'https://admin.teams.microsoft.com/policies/app-setup' });
    expect(report.withoutApp).toEqual([{ userId: ownerWithoutApp.id, displayName: ownerWithoutApp.displayName, mail: ownerWithoutApp.mail.toLowerCase() }]);
    expect(report.unknownOwners).toEqual(['nobody@unknown-owner.example']);
  });

  it('when the alert job runs again for the same run, then nothing is sent twice', async () => {
    const again = await service.deliver({ tenantId, enrichmentId, runId: 'run_alerts_2', previousRunId: 'run_alerts_1' });
    expect(again.outcomes).toEqual({ sent: 2, 'not-installed': 1, muted: 1 });
    expect((await inbox()).value).toHaveLength(2);
    expect((await new AlertsStore(h.db).getSend(tenantId, 'run_alerts_2', owner1.id))?.attempts).toBe(1);
  });
});

/** A fresh enrichment whose two published runs differ only in these accounts; the inbox emptied. */
async function twoRuns(name: string, only: AccountSpec[]): Promise<{ tenantId: string; enrichmentId: string; runId: string; previousRunId: string }> {
  const enrichmentId = await seedAlertEnrichment(h.db, tenantId, name, 'Owner');
  await new AlertsStore(h.db).putSettings({ tenantId, enrichmentId, ...settings, updatedAt: new Date(), updatedBy: 'test' });
  const [previousRunId, runId] = [`run_${enrichmentId}_1`, `run_${enrichmentId}_2`];
  await publishAlertRun(h.db, tenantId, enrichmentId, previousRunId, only, 'before', new Date('2026-02-23T00:00:00Z'));
  await publishAlertRun(h.db, tenantId, enrichmentId, runId, only, 'after', new Date('2026-03-02T00:00:00Z'));
  await fetch(`${h.sim.url}/_sim/tenants/${tenantId}/activity-feed`, { method: 'DELETE' });
  return { tenantId, enrichmentId, runId, previousRunId };
}

describe('account alerts in the owner\'s language', () => {
  it('when an owner\'s preferredLanguage is fr-FR, then their notification\'s preview is French, with French plural forms and typography', async () => {
    const own = (a: AccountSpec): AccountSpec => ({ ...a, owner: frenchOwner.mail });
    const job = await twoRuns('French owner', accounts.filter((a) => a.id === 'A1' || a.id === 'A5').map(own));
    const done = await service.deliver(job);
    expect(done.outcomes).toEqual({ sent: 1 });
    const feed = (await inbox(frenchOwner.id)).value;
    expect(feed.map((n) => n.previewText)).toEqual(['2 de vos comptes sont devenus silencieux\u00a0: Harbor Logistics, Zenith Chemicals']);
  });
});

describe('account alerts when the organisation consented before alerts existed', () => {
  it('when the app\'s token lacks TeamsActivity.Send, then the refusal is recorded as a missing permission and the admin is told to grant consent again', async () => {
    const job = await twoRuns('Consented before alerts', accounts.filter((a) => a.id === 'A5'));
    // The tenant's consent without TeamsActivity.Send, and a Graph client with no cached token, so its token carries the roles granted now.
    expect((await control(h.sim, `/tenants/${tenantId}/consent/grant`, { roles: REQUIRED_APP_ROLES.filter((r) => r !== 'TeamsActivity.Send') })).status).toBe(200);
    try {
      const oldConsent = alertsServiceFrom(h.db, graphFor(h.sim), alertOptionsFrom(testAppConfig(h.sim, 'mongodb://unused', 'unused')), silent);
      const done = await oldConsent.deliver(job);
      expect(done).toMatchObject({ retry: false, outcomes: { 'permission-missing': 1 } });
    } finally {
      await control(h.sim, `/tenants/${tenantId}/consent/grant`, { roles: [...REQUIRED_APP_ROLES] });
    }
    const record = await new AlertsStore(h.db).getSend(tenantId, job.runId, owner2.id);
    expect(record).toMatchObject({ outcome: 'permission-missing', attempts: 1, error: 'HTTP 403 Forbidden' });
    expect((await inbox(owner2.id)).value).toEqual([]);
    const report = (await request(h.app).get(`/api/enrichments/${job.enrichmentId}/alerts/owners`).set(auth(admin)).expect(200)).body;
    expect(report).toMatchObject({ runId: job.runId, notified: 0, permissionMissing: 1, failed: 0, withoutApp: [] });
  });
});

describe('account alerts when Teams throttles', () => {
  it('when Teams answers 429 a few times, then the send waits out Retry-After and succeeds once', async () => {
    const enrichmentId = await seedAlertEnrichment(h.db, tenantId, 'Throttled briefly', 'Owner');
    await new AlertsStore(h.db).putSettings({ tenantId, enrichmentId, ...settings, updatedAt: new Date(), updatedBy: 'test' });
    const only = accounts.filter((a) => a.id === 'A5');
    await publishAlertRun(h.db, tenantId, enrichmentId, 'run_throttle_1', only, 'before', new Date('2026-02-23T00:00:00Z'));
    await publishAlertRun(h.db, tenantId, enrichmentId, 'run_throttle_2', only, 'after', new Date('2026-03-02T00:00:00Z'));
    await fetch(`${h.sim.url}/_sim/tenants/${tenantId}/activity-feed`, { method: 'DELETE' });
    await control(h.sim, `/tenants/${tenantId}/activity-throttle`, { requests: 2, retryAfterSeconds: 1 });
    const done = await service.deliver({ tenantId, enrichmentId, runId: 'run_throttle_2', previousRunId: 'run_throttle_1' });
    expect(done.outcomes).toEqual({ sent: 1 });
    const feed = await inbox(owner2.id);
    expect(feed.value).toHaveLength(1);
    expect(feed.throttledAnswers).toBe(2);
  });

  it('when Teams keeps answering 429, then the owner is recorded as throttled and the retried job sends once', async () => {
    const enrichmentId = await seedAlertEnrichment(h.db, tenantId, 'Throttled long', 'Owner');
    await new AlertsStore(h.db).putSettings({ tenantId, enrichmentId, ...settings, updatedAt: new Date(), updatedBy: 'test' });
    const only = accounts.filter((a) => a.id === 'A5');
    await publishAlertRun(h.db, tenantId, enrichmentId, 'run_throttle_3', only, 'before', new Date('2026-02-23T00:00:00Z'));
    await publishAlertRun(h.db, tenantId, enrichmentId, 'run_throttle_4', only, 'after', new Date('2026-03-02T00:00:00Z'));
    await fetch(`${h.sim.url}/_sim/tenants/${tenantId}/activity-feed`, { method: 'DELETE' });
    // More 429s than the Graph client's retries (5 in the tests).
    await control(h.sim, `/tenants/${tenantId}/activity-throttle`, { requests: 6, retryAfterSeconds: 0 });
    const job = { tenantId, enrichmentId, runId: 'run_throttle_4', previousRunId: 'run_throttle_3' };
    const first = await service.deliver(job);
    expect(first).toMatchObject({ retry: true, outcomes: { throttled: 1 } });
    expect((await new AlertsStore(h.db).getSend(tenantId, 'run_throttle_4', owner2.id))?.outcome).toBe('throttled');
    expect((await inbox(owner2.id)).value).toEqual([]);
    const second = await service.deliver(job);
    expect(second).toMatchObject({ retry: false, outcomes: { sent: 1 } });
    const third = await service.deliver(job);
    expect(third.outcomes).toEqual({ sent: 1 });
    expect((await inbox(owner2.id)).value).toHaveLength(1);
    const record = await new AlertsStore(h.db).getSend(tenantId, 'run_throttle_4', owner2.id);
    expect(record).toMatchObject({ _id: sendKey('run_throttle_4', owner2.id), outcome: 'sent', attempts: 2 });
  }, 60_000);
});
