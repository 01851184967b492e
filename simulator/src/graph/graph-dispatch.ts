import { randomUUID } from 'node:crypto';
import zlib from 'node:zlib';
import type { SimContext } from '../sim-context';
import { authenticateGraph } from './graph-auth';
import { GraphError, badRequest, graphErrorBody } from './graph-errors';
import type { GraphCall, GraphPrincipal, GraphRequest, GraphResponse } from './graph-types';
import * as dir from './directory-handlers';
import * as mail from './mail-handlers';
import * as cal from './calendar-handlers';
import { sendActivityNotification } from './teamwork-handlers';

type Handler = (ctx: SimContext, call: GraphCall) => GraphResponse | Promise<GraphResponse>;

interface Route {
  method: string;
  re: RegExp;
  /** Outlook (mailbox-scoped) routes: the first capture is the user, undefined for `/me`. */
  mailbox: boolean;
  handler: Handler;
}

const U = '(?:users/([^/]+)|me)';
const ROUTES: Route[] = [
  { method: 'GET', re: /^\/me$/i, mailbox: false, handler: dir.getMe },
  { method: 'GET', re: /^\/users$/i, mailbox: false, handler: dir.listUsers },
  { method: 'GET', re: /^\/users\/([^/]+)$/i, mailbox: false, handler: dir.getUser },
  { method: 'POST', re: new RegExp(`^/${U}/sendMail$`, 'i'), mailbox: true, handler: mail.sendMail },
  { method: 'GET', re: new RegExp(`^/${U}/messages$`, 'i'), mailbox: true, handler: mail.listMessages },
  { method: 'GET', re: new RegExp(`^/${U}/mailFolders(?:/([^/]+))?$`, 'i'), mailbox: true, handler: mail.listMailFolders },
  { method: 'GET', re: new RegExp(`^/${U}/mailFolders/([^/]+)/messages$`, 'i'), mailbox: true, handler: mail.listMessages },
  { method: 'GET', re: new RegExp(`^/${U}/mailFolders/([^/]+)/messages/(?:microsoft\\.graph\\.)?delta(?:\\(\\))?$`, 'i'), mailbox: true, handler: mail.messageDelta },
  { method: 'GET', re: new RegExp(`^/${U}/(?:calendar/)?calendarView$`, 'i'), mailbox: true, handler: cal.listCalendarView },
  { method: 'GET', re: new RegExp(`^/${U}/(?:calendar/)?calendarView/(?:microsoft\\.graph\\.)?delta(?:\\(\\))?$`, 'i'), mailbox: true, handler: cal.calendarViewDelta },
  { method: 'POST', re: /^\/users\/([^/]+)\/teamwork\/sendActivityNotification$/i, mailbox: false, handler: sendActivityNotification },
  { method: 'GET', re: /^\/groups$/i, mailbox: false, handler: dir.listGroups },
  { method: 'GET', re: /^\/groups\/([^/]+)$/i, mailbox: false, handler: dir.getGroup },
  { method: 'GET', re: /^\/groups\/([^/]+)\/members(\/microsoft\.graph\.(?:user|group))?$/i, mailbox: false, handler: dir.listMembers(false) },
  { method: 'GET', re: /^\/groups\/([^/]+)\/transitiveMembers(\/microsoft\.graph\.(?:user|group))?$/i, mailbox: false, handler: dir.listMembers(true) },
  { method: 'GET', re: /^\/organization$/i, mailbox: false, handler: dir.getOrganization },
  { method: 'GET', re: /^\/organization\/([^/]+)$/i, mailbox: false, handler: dir.getOrganization },
  { method: 'GET', re: /^\/subscribedSkus$/i, mailbox: false, handler: dir.listSubscribedSkus },
  { method: 'GET', re: /^\/directoryRoles$/i, mailbox: false, handler: dir.listDirectoryRoles },
  { method: 'GET', re: /^\/directoryRoles\(roleTemplateId=(?:'|%27)([^'%]+)(?:'|%27)\)\/members$/i, mailbox: false, handler: dir.listRoleMembers(true) },
  { method: 'GET', re: /^\/directoryRoles\/([^/]+)\/members$/i, mailbox: false, handler: dir.listRoleMembers(false) },
  { method: 'POST', re: /^\/\$batch$/i, mailbox: false, handler: handleBatch },
];

function matchRoute(req: GraphRequest): { route: Route; params: string[] } | 'method' | undefined {
  let pathMatched = false;
  for (const route of ROUTES) {
    const m = route.re.exec(req.path);
    if (!m) continue;
    pathMatched = true;
    if (route.method === req.method) return { route, params: m.slice(1) as string[] };
  }
  return pathMatched ? 'method' : undefined;
}

export function errorResponse(err: unknown, req: GraphRequest, log: (line: string) => void): GraphResponse {
  if (err instanceof GraphError) {
    return { status: err.status, headers: { ...err.headers }, body: graphErrorBody(err.code, err.message, req.requestId, req.clientRequestId) };
  }
  log(`graph handler failed: ${err instanceof Error ? err.message : String(err)}`);
  return { status: 500, headers: {}, body: graphErrorBody('generalException', 'General exception while processing.', req.requestId, req.clientRequestId) };
}

function resolveMailboxUser(call: Omit<GraphCall, 'mailbox'>) {
  const seg = call.params[0];
  const tenant = call.principal.tenant.tenant;
  if (seg === undefined) {
    if (call.principal.kind !== 'delegated' || !call.principal.userId) throw badRequest('/me request is only valid with delegated authentication flow.');
    return tenant.users.find((u) => u.id === call.principal.userId);
  }
  const user = dir.findUser(tenant, seg);
  if (!user) throw new GraphError(404, 'ErrorInvalidUser', `The requested user '${decodeURIComponent(seg)}' is invalid.`);
  return user;
}

/**
 * Renders one mailbox-scoped GET for the page store: routing and the handler only (no faults,
 * throttling, latency or stored pages), as the tenant's app principal.
 */
export async function renderForStore(ctx: SimContext, req: GraphRequest, principal: GraphPrincipal): Promise<GraphResponse> {
  const matched = matchRoute(req);
  if (matched === undefined || matched === 'method' || !matched.route.mailbox || req.method !== 'GET') throw badRequest(`Only mailbox GET requests can be stored (${req.method} ${req.path}).`);
  const base = { req, principal, params: matched.params };
  const mailbox = resolveMailboxUser(base);
  if (!mailbox) throw new GraphError(404, 'ErrorInvalidUser', 'The requested user is invalid.');
  return await matched.route.handler(ctx, { ...base, mailbox });
}

/**
 * One Graph request through the whole pipeline: authentication, routing, injected faults,
 * per-mailbox throttling, latency, handler. `$batch` sub-requests come through here too.
 */
export async function dispatchGraph(ctx: SimContext, req: GraphRequest, principal?: GraphPrincipal): Promise<GraphResponse> {
  try {
    const caller = principal ?? (await authenticateGraph(ctx, req.headers['authorization']));
    const stats = caller.tenant.stats;
    stats.graphRequests += 1;
    const matched = matchRoute(req);
    if (matched === undefined) {
      const segment = req.path.split('/').filter(Boolean).pop() ?? '';
      throw badRequest(`Resource not found for the segment '${decodeURIComponent(segment)}'.`);
    }
    if (matched === 'method') throw new GraphError(405, 'Request_BadRequest', `The HTTP method '${req.method}' is not allowed for this resource.`);
    if (principal && matched.route.handler === handleBatch) throw badRequest('A $batch request cannot contain another $batch request.');

    const injected = ctx.faults.injected503();
    if (injected) {
      stats.injected503 += 1;
      throw new GraphError(503, 'ServiceUnavailable', 'Service unavailable. Please try again later.', injected.retryAfterSeconds !== null ? { 'Retry-After': String(injected.retryAfterSeconds) } : {});
    }
    const base = { req, principal: caller, params: matched.params };
    if (!matched.route.mailbox) {
      // A batch's latency is its sub-requests' (they run in parallel): not added again on top.
      if (matched.route.handler !== handleBatch) await ctx.faults.delay();
      return await matched.route.handler(ctx, base);
    }
    const mailbox = resolveMailboxUser(base);
    if (!mailbox) throw new GraphError(404, 'ErrorInvalidUser', 'The requested user is invalid.');
    caller.tenant.mailboxFaults.check(mailbox.id);
    const decision = ctx.throttle.tryAcquire(`${caller.appId}|${caller.tenant.tenantId}|${mailbox.id}`);
    if (!decision.admitted) {
      stats.throttled429 += 1;
      if (decision.reason === 'concurrency') stats.concurrency429 += 1;
      else stats.budget429 += 1;
      const message = decision.reason === 'concurrency' ? 'Application is over its MailboxConcurrency limit.' : 'Application is over its MailboxRequestsPerWindow limit.';
      throw new GraphError(429, 'ApplicationThrottled', message, { 'Retry-After': String(decision.retryAfterSeconds) });
    }
    stats.requestsByMailbox[mailbox.id] = (stats.requestsByMailbox[mailbox.id] ?? 0) + 1;
    try {
      const waited = await ctx.faults.delay();
      if (waited > 0) {
        const chain = matched.route.handler === mail.listMessages ? 'messages' : 'calendar';
        const sums = (stats.latencyMsByMailbox[mailbox.id] ??= { messages: 0, calendar: 0 });
        sums[chain] += waited;
      }
      const stored = ctx.pages.size > 0 ? ctx.pages.get(caller, req, ctx.url) : undefined;
      if (stored) return { status: stored.status, headers: { ...stored.headers }, gzip: stored.gzip };
      return await matched.route.handler(ctx, { ...base, mailbox });
    } finally {
      decision.release();
    }
  } catch (err) {
    return errorResponse(err, req, ctx.log);
  }
}

interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

const BATCH_LIMIT = 20;
const BATCH_PARALLELISM = 4;
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

function validateBatch(body: unknown): BatchItem[] {
  const requests = (body as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(requests) || requests.length === 0) throw badRequest('Invalid batch payload format.');
  if (requests.length > BATCH_LIMIT) throw badRequest(`Invalid batch payload format: the number of requests (${requests.length}) exceeds the limit of ${BATCH_LIMIT}.`);
  const ids = new Set<string>();
  for (const r of requests as BatchItem[]) {
    if (typeof r !== 'object' || r === null || typeof r.id !== 'string' || !r.id) throw badRequest('Invalid batch payload format: every request needs a string id.');
    if (ids.has(r.id)) throw badRequest(`Invalid batch payload format: request id '${r.id}' is not unique.`);
    ids.add(r.id);
    if (typeof r.method !== 'string' || !METHODS.has(r.method.toUpperCase())) throw badRequest(`Invalid batch payload format: request '${r.id}' has an invalid method.`);
    if (typeof r.url !== 'string' || /^[a-z]+:\/\//i.test(r.url)) throw badRequest(`Invalid batch payload format: request '${r.id}' must use a relative url.`);
    if (r.headers !== undefined && (typeof r.headers !== 'object' || r.headers === null)) throw badRequest(`Invalid batch payload format: request '${r.id}' has invalid headers.`);
    if (r.body !== undefined && !Object.keys(r.headers ?? {}).some((h) => h.toLowerCase() === 'content-type')) {
      throw badRequest(`Write request id : ${r.id} does not contain Content-Type header or body.`);
    }
    if (r.dependsOn !== undefined && (!Array.isArray(r.dependsOn) || r.dependsOn.some((d) => typeof d !== 'string'))) {
      throw badRequest(`Invalid batch payload format: request '${r.id}' has an invalid dependsOn.`);
    }
  }
  for (const r of requests as BatchItem[]) {
    for (const d of r.dependsOn ?? []) if (!ids.has(d) || d === r.id) throw badRequest(`Invalid batch payload format: request '${r.id}' depends on unknown request '${d}'.`);
  }
  // Reject cycles up front: they could never run.
  const state = new Map<string, 'visiting' | 'done'>();
  const byId = new Map((requests as BatchItem[]).map((r) => [r.id, r]));
  const visit = (id: string) => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') throw badRequest('Invalid batch payload format: dependsOn forms a cycle.');
    state.set(id, 'visiting');
    for (const d of byId.get(id)!.dependsOn ?? []) visit(d);
    state.set(id, 'done');
  };
  for (const r of requests as BatchItem[]) visit(r.id);
  return requests as BatchItem[];
}

function subRequest(item: BatchItem, outer: GraphRequest): GraphRequest {
  let url = item.url.startsWith('/') ? item.url : `/${item.url}`;
  url = url.replace(/^\/v1\.0(?=\/)/i, '');
  const q = url.indexOf('?');
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(item.headers ?? {})) headers[k.toLowerCase()] = String(v);
  return {
    method: item.method.toUpperCase(),
    path: q < 0 ? url : url.slice(0, q),
    query: new URLSearchParams(q < 0 ? '' : url.slice(q + 1)),
    headers,
    body: item.body,
    requestId: randomUUID(),
    clientRequestId: outer.clientRequestId,
  };
}

/** POST /$batch: ≤ 20 requests, dependsOn (424 on failed dependency), at most 4 at a time. */
async function handleBatch(ctx: SimContext, call: GraphCall): Promise<GraphResponse> {
  const items = validateBatch(call.req.body);
  const results = new Map<string, GraphResponse>();
  const responses: Array<{ id: string; status: number; headers: Record<string, string>; body?: unknown; gzip?: Buffer[] }> = [];
  const pending = new Set(items.map((i) => i.id));
  const running = new Set<string>();

  await new Promise<void>((resolve) => {
    const pump = () => {
      if (pending.size === 0 && running.size === 0) return resolve();
      for (const item of items) {
        if (running.size >= BATCH_PARALLELISM) break;
        if (!pending.has(item.id)) continue;
        const deps = item.dependsOn ?? [];
        if (!deps.every((d) => results.has(d))) continue;
        pending.delete(item.id);
        if (deps.some((d) => results.get(d)!.status >= 400)) {
          const failed: GraphResponse = {
            status: 424,
            headers: { 'Content-Type': 'application/json' },
            body: graphErrorBody('FailedDependency', 'The request could not be processed because a request it depends on failed.', randomUUID(), call.req.clientRequestId),
          };
          results.set(item.id, failed);
          responses.push({ id: item.id, ...failed });
          continue;
        }
        running.add(item.id);
        void dispatchGraph(ctx, subRequest(item, call.req), call.principal).then((res) => {
          running.delete(item.id);
          results.set(item.id, res);
          const hasBody = res.body !== undefined || res.gzip !== undefined;
          const headers = { ...res.headers, ...(hasBody ? { 'Content-Type': 'application/json' } : {}) };
          responses.push({ id: item.id, status: res.status, headers, ...(res.gzip ? { gzip: res.gzip } : res.body !== undefined ? { body: res.body } : {}) });
          pump();
        });
      }
      // Items that were resolved synchronously (424s) may have unblocked others.
      if (running.size === 0 && pending.size > 0) pump();
      else if (pending.size === 0 && running.size === 0) resolve();
    };
    pump();
  });
  if (!responses.some((r) => r.gzip)) return { status: 200, headers: {}, body: { responses } };
  return { status: 200, headers: {}, gzip: composeGzipBatch(responses) };
}

/**
 * A batch answer holding stored pages, as one gzip stream of several members: the JSON around
 * the stored bodies is compressed here, the bodies are sent as they are stored (a gzip stream
 * may be any number of members; decoders read them as one).
 */
function composeGzipBatch(responses: Array<{ id: string; status: number; headers: Record<string, string>; body?: unknown; gzip?: Buffer[] }>): Buffer[] {
  const members: Buffer[] = [];
  let text = '{"responses":[';
  responses.forEach((r, i) => {
    text += `${i > 0 ? ',' : ''}{"id":${JSON.stringify(r.id)},"status":${r.status},"headers":${JSON.stringify(r.headers)}`;
    if (r.gzip) {
      members.push(zlib.gzipSync(`${text},"body":`, { level: 1 }), ...r.gzip);
      text = '}';
    } else text += `${r.body !== undefined ? `,"body":${JSON.stringify(r.body)}` : ''}}`;
  });
  members.push(zlib.gzipSync(`${text}]}`, { level: 1 }));
  return members;
}
