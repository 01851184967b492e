import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { issueSsoToken } from '../entra/entra-tokens';
import { REQUIRED_APP_ROLES, type SimTenantHandle } from '../state/sim-tenant-handle';
import { isLoopback, type SimContext } from '../sim-context';
import fs from 'node:fs';
import path from 'node:path';
import { primePages } from '../graph/page-priming';
import { CalendarEditError } from '../tenant/calendar-edits';
import type { SimUser } from '../tenant/tenant.types';

const faultsSchema = z
  .object({
    error503Rate: z.number().min(0).max(1),
    retryAfterRate: z.number().min(0).max(1),
    latencyMs: z.number().int().min(0).max(60_000),
    latencyMinMs: z.number().int().min(0).max(60_000),
    latencyMaxMs: z.number().int().min(0).max(60_000),
    dropRate: z.number().min(0).max(1),
    seed: z.number().int(),
  })
  .partial()
  .strict();

const throttlingSchema = z
  .object({
    enabled: z.boolean(),
    concurrencyPerMailbox: z.number().int().min(1),
    budgetPerWindow: z.number().int().min(1),
    windowMs: z.number().int().min(1000),
  })
  .partial()
  .strict();

const mailboxFaultSchema = z
  .object({
    userId: z.string().min(1),
    fault: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('no-licence') }).strict(),
        z.object({ kind: z.literal('access-denied') }).strict(),
        z.object({ kind: z.literal('throttle'), requests: z.number().int().min(1).max(10_000), retryAfterSeconds: z.number().int().min(1).max(60).default(1) }).strict(),
      ])
      .nullable(),
  })
  .strict();

const clockSchema = z.object({ advanceMs: z.number().int().min(0) }).strict();
const primeSchema = z.object({ requests: z.array(z.object({ url: z.string().startsWith('/'), prefer: z.string().optional() }).strict()).max(10_000) }).strict();
const pageFileSchema = z.object({ name: z.string().regex(/^[a-z0-9-]{1,80}$/, 'lower-case letters, digits and -') }).strict();
const expireSchema = z.object({ userIds: z.array(z.string()).min(1).optional() }).strict();
const ttlSchema = z.object({ ttlMs: z.number().int().min(0).nullable() }).strict();
const instant = z.iso.datetime({ offset: true });
const calendarEditSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('move'), eventId: z.string().min(1), startDateTime: instant, endDateTime: instant }).strict(),
  z.object({ kind: z.literal('cancel'), eventId: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('add'), organizer: z.string().min(3), attendees: z.array(z.string().min(3)), startDateTime: instant, endDateTime: instant }).strict(),
]);
const teamsAppSchema = z.object({ userId: z.string().min(1), installed: z.boolean().nullable() }).strict();
const activityThrottleSchema = z.object({ requests: z.number().int().min(0).max(1000), retryAfterSeconds: z.number().int().min(0).max(600) }).strict();
const consentSchema = z.object({ grantedBy: z.string().optional(), roles: z.array(z.string()).optional() }).strict();
const ssoSchema = z.object({ tenantId: z.string(), persona: z.enum(['tenantAdmin', 'enrichmentAdmin', 'seller']).optional(), userId: z.string().optional() }).strict();
const scopeSchema = z.object({
  selectedUserIds: z.array(z.string()),
  asOf: z.iso.datetime({ offset: true }),
  contacts: z.array(z.object({ email: z.string(), accountId: z.string() })).optional(),
  accounts: z.array(z.object({ id: z.string(), name: z.string(), domains: z.array(z.string()) })).optional(),
  excludedAddresses: z.array(z.string()).optional(),
  excludedDomains: z.array(z.string()).optional(),
  matchAccountDomains: z.boolean().optional(),
});

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw new ControlError(400, z.prettifyError(result.error));
  return result.data;
}

function personaView(u: SimUser) {
  return { id: u.id, displayName: u.displayName, persona: u.persona, roles: u.appRoles, isGlobalAdmin: u.isGlobalAdmin };
}

function tenantSummary(h: SimTenantHandle) {
  const s = h.tenant.spec;
  return {
    tenantId: h.tenantId,
    displayName: s.displayName,
    slug: s.slug,
    countryLetterCode: s.countryLetterCode,
    licensed: s.licensed,
    mailboxes: s.mailboxes,
    accounts: s.accounts,
    users: h.tenant.users.length,
    groups: h.tenant.groups.length,
    verifiedDomains: h.tenant.verifiedDomains,
    now: h.now().toISOString(),
    consent: h.consent,
    personas: h.tenant.users.filter((u) => u.persona).map(personaView),
  };
}

export function createControlRouter(ctx: SimContext, options: { pageStoreDir?: string } = {}): Router {
  const router = express.Router();

  // Control endpoints have no authentication, so they answer loopback callers only.
  router.use((req, res, next) => {
    if (!isLoopback(req.socket.remoteAddress)) return void res.status(403).json({ error: 'control endpoints are loopback-only' });
    next();
  });
  router.use(express.json({ limit: '16mb' }));

  const tenantOf = (req: Request): SimTenantHandle => {
    const h = ctx.tenants.get(String(req.params.tid ?? req.query.tenantId ?? '').toLowerCase());
    if (!h) throw new ControlError(404, 'unknown tenant');
    return h;
  };

  router.get('/tenants', (_req, res) => void res.json({ tenants: [...ctx.tenants.values()].map(tenantSummary) }));
  router.get('/tenants/:tid', (req, res) => void res.json(tenantSummary(tenantOf(req))));
  router.get('/tenants/:tid/outbox', (req, res) => void res.json({ value: tenantOf(req).outbox }));

  router.get('/tenants/:tid/consent', (req, res) => void res.json(tenantOf(req).consent));
  router.post('/tenants/:tid/consent/grant', (req, res) => {
    const h = tenantOf(req);
    const body = parse(consentSchema, req.body);
    if (body.grantedBy && !h.tenant.users.some((u) => u.id === body.grantedBy && u.isGlobalAdmin)) throw new ControlError(400, 'grantedBy must be a Global Administrator of the tenant');
    h.grantConsent(body.grantedBy, body.roles ?? REQUIRED_APP_ROLES);
    res.json(h.consent);
  });
  router.post('/tenants/:tid/consent/revoke', (req, res) => {
    const h = tenantOf(req);
    h.revokeConsent();
    res.json(h.consent);
  });

  router.get('/tenants/:tid/clock', (req, res) => void res.json({ now: tenantOf(req).now().toISOString() }));
  router.post('/tenants/:tid/clock', (req, res) => {
    const h = tenantOf(req);
    const { advanceMs } = parse(clockSchema, req.body);
    res.json({ now: h.advance(advanceMs).toISOString() });
  });

  // Every outstanding delta token of the tenant, or (calendar sync) those of the named mailboxes.
  router.post('/tenants/:tid/delta-tokens/expire', (req, res) => {
    const h = tenantOf(req);
    const { userIds } = parse(expireSchema, req.body);
    h.expireDeltaTokens(userIds);
    res.json({ deltaEpoch: h.deltaEpoch });
  });
  // Calendar delta tokens older than ttlMs (tenant clock) answer 410; null: they never expire by age.
  router.post('/tenants/:tid/delta-tokens/ttl', (req, res) => {
    const h = tenantOf(req);
    h.deltaTokenTtlMs = parse(ttlSchema, req.body).ttlMs;
    res.json({ ttlMs: h.deltaTokenTtlMs });
  });

  // Calendar changes at the tenant clock's instant: move or cancel an occurrence (named by any
  // holder's calendar item id), or add a meeting. calendarView, its delta and the oracle see them.
  router.post('/tenants/:tid/calendar/edits', (req, res) => {
    const h = tenantOf(req);
    const body = parse(calendarEditSchema, req.body);
    if (!h.tenant.calendarEdits) throw new ControlError(400, 'calendar edits need a generated tenant');
    const request =
      body.kind === 'cancel'
        ? body
        : { ...body, startMs: Date.parse(body.startDateTime), endMs: Date.parse(body.endDateTime) };
    try {
      res.json(h.tenant.calendarEdits.edit(request, h.now()));
    } catch (e) {
      if (e instanceof CalendarEditError) throw new ControlError(e.status, e.message);
      throw e;
    }
  });

  // One mailbox made to fail (no licence, access denied) or throttled for its next N requests; null clears it.
  router.get('/tenants/:tid/mailbox-faults', (req, res) => {
    const h = tenantOf(req);
    res.json({ value: h.mailboxFaults.list(), throttledAnswers: Object.fromEntries(h.mailboxFaults.throttledAnswers) });
  });
  router.post('/tenants/:tid/mailbox-faults', (req, res) => {
    const h = tenantOf(req);
    const { userId, fault } = parse(mailboxFaultSchema, req.body);
    if (!h.tenant.users.some((u) => u.id.toLowerCase() === userId.toLowerCase())) throw new ControlError(404, 'no such user in this tenant');
    h.mailboxFaults.set(userId, fault);
    res.json({ value: h.mailboxFaults.list() });
  });
  router.delete('/tenants/:tid/mailbox-faults', (req, res) => {
    const h = tenantOf(req);
    h.mailboxFaults.clear();
    res.json({ value: [] });
  });

    // Teams activity feed: the notifications accepted (the inbox), who has the app, throttling.
  router.get('/tenants/:tid/activity-feed', (req, res) => {
    const h = tenantOf(req);
    const userId = typeof req.query.userId === 'string' ? req.query.userId : undefined;
    res.json({ value: h.teamsActivity.notifications(userId), throttledAnswers: h.teamsActivity.throttledAnswers });
  });
  router.delete('/tenants/:tid/activity-feed', (req, res) => {
    tenantOf(req).teamsActivity.clearInbox();
    res.json({ value: [] });
  });
  router.get('/tenants/:tid/teams-app', (req, res) => void res.json({ withoutApp: tenantOf(req).teamsActivity.withoutApp() }));
  router.post('/tenants/:tid/teams-app', (req, res) => {
    const h = tenantOf(req);
    const { userId, installed } = parse(teamsAppSchema, req.body);
    if (!h.tenant.users.some((u) => u.id.toLowerCase() === userId.toLowerCase())) throw new ControlError(404, 'no such user in this tenant');
    h.teamsActivity.setInstalled(userId, installed);
    res.json({ userId, installed: h.teamsActivity.hasApp(userId) });
  });
  router.post('/tenants/:tid/activity-throttle', (req, res) => {
    const h = tenantOf(req);
    const { requests, retryAfterSeconds } = parse(activityThrottleSchema, req.body);
    h.teamsActivity.throttleNext(requests, retryAfterSeconds);
    res.json({ requests, retryAfterSeconds });
  });

  router.get('/tenants/:tid/stats', (req, res) => void res.json(tenantOf(req).stats));
  router.post('/tenants/:tid/stats/reset', (req, res) => {
    const h = tenantOf(req);
    h.resetStats();
    res.json(h.stats);
  });
  router.get('/stats', (_req, res) => void res.json({ tenants: Object.fromEntries([...ctx.tenants.values()].map((h) => [h.tenantId, h.stats])) }));

  router.get('/faults', (_req, res) => void res.json(ctx.faults.settings));
  router.post('/faults', (req, res) => {
    ctx.faults.configure(parse(faultsSchema, req.body));
    res.json(ctx.faults.settings);
  });
  router.get('/throttling', (_req, res) => void res.json(ctx.throttle.settings));
  router.post('/throttling', (req, res) => {
    ctx.throttle.configure(parse(throttlingSchema, req.body));
    res.json(ctx.throttle.settings);
  });

  // The page store (benchmarks): render a run's pages ahead, keep them, and measure what is served.
  router.post('/tenants/:tid/pages/prime', async (req, res, next) => {
    try {
      const h = tenantOf(req);
      const { requests } = parse(primeSchema, req.body);
      const started = Date.now();
      res.json({ ...(await primePages(ctx, h, requests)), ms: Date.now() - started, store: ctx.pages.stats() });
    } catch (e) {
      next(e);
    }
  });
  router.get('/pages', (_req, res) => void res.json(ctx.pages.stats()));
  router.get('/pages/requests', (_req, res) => void res.json({ value: ctx.pages.requests() }));
  router.post('/pages/stats/reset', (_req, res) => {
    ctx.pages.resetCounters();
    res.json(ctx.pages.stats());
  });
  router.post('/pages/clear', (_req, res) => {
    ctx.pages.clear();
    res.json(ctx.pages.stats());
  });
  // Saved and loaded by name, inside the directory the simulator was started with (never a path).
  const pageFile = (req: Request) => {
    if (!options.pageStoreDir) throw new ControlError(501, 'the simulator was started without a page store directory');
    const { name } = parse(pageFileSchema, req.body);
    return path.join(options.pageStoreDir, `${name}.pages`);
  };
  router.post('/pages/save', (req, res) => {
    const file = pageFile(req);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    ctx.pages.save(file);
    res.json(ctx.pages.stats());
  });
  router.post('/pages/load', (req, res) => {
    const loaded = ctx.pages.load(pageFile(req));
    res.json({ loaded, ...ctx.pages.stats() });
  });

  router.post('/tenants/:tid/expected-aggregates', (req, res) => {
    const h = tenantOf(req);
    const body = parse(scopeSchema, req.body);
    if (!ctx.computeExpectedAggregates) throw new ControlError(501, 'expected aggregates are not available');
    const rows = ctx.computeExpectedAggregates(h.tenant, { ...body, asOf: new Date(body.asOf) });
    res.json({ value: rows });
  });

  router.get('/tenants/:tid/dataset/:file', (req, res) => {
    const h = tenantOf(req);
    const { accountsCsv, contactsCsv } = h.tenant.datasetCsv();
    const file = req.params.file;
    if (file !== 'accounts.csv' && file !== 'contacts.csv') throw new ControlError(404, 'unknown dataset file');
    res.type('text/csv').set('Content-Disposition', `attachment; filename="${file}"`).send(file === 'accounts.csv' ? accountsCsv : contactsCsv);
  });

  router.get('/dev/personas', (req, res) => {
    const h = tenantOf(req);
    res.json({ value: h.tenant.users.filter((u) => u.persona).map(personaView) });
  });
  router.post('/dev/sso-token', async (req, res) => {
    const body = parse(ssoSchema, req.body);
    const h = ctx.tenants.get(body.tenantId.toLowerCase());
    if (!h) throw new ControlError(404, 'unknown tenant');
    const user = body.userId ? h.tenant.users.find((u) => u.id === body.userId) : h.tenant.users.find((u) => u.persona === (body.persona ?? 'seller'));
    if (!user) throw new ControlError(404, 'no such user or persona in this tenant');
    if (!user.accountEnabled) throw new ControlError(400, 'the user account is disabled');
    const { token, exp } = await issueSsoToken(ctx, h, user);
    res.json({ accessToken: token, expiresOn: new Date(exp * 1000).toISOString() });
  });

  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    if (err instanceof ControlError) return void res.status(err.status).json({ error: err.message });
    if (err instanceof RangeError) return void res.status(400).json({ error: err.message });
    const status = (err as { status?: number }).status;
    if (status && status < 500) return void res.status(status).json({ error: 'invalid request body' });
    ctx.log(`control endpoint failed: ${err instanceof Error ? err.message : String(err)}`);
    res.status(500).json({ error: 'internal error' });
  });
  return router;
}
