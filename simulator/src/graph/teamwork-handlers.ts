import { randomUUID } from 'node:crypto';
import type { SimContext } from '../sim-context';
import { findUser } from './directory-handlers';
import { GraphError, badRequest } from './graph-errors';
import { holdsAny, type GraphCall, type GraphResponse } from './graph-types';

/** What Graph accepts for sending activity feed notifications (application or delegated). */
const SEND_PERMISSIONS = ['TeamsActivity.Send'];
const TOPIC_SOURCES = ['entityUrl', 'text'];
const PREVIEW_MAX = 150;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * POST /users/{id}/teamwork/sendActivityNotification: checks the permission, the body's shape
 * (topic with source, value and, for text, webUrl; activityType; previewText; templateParameters),
 * the recipient, throttling (429 + Retry-After) and whether the recipient has the Teams app
 * (403 otherwise, as Teams refuses it); then keeps the notification in the tenant's inbox, 204.
 */
export function sendActivityNotification(_ctx: SimContext, call: GraphCall): GraphResponse {
  const p = call.principal;
  if (!holdsAny(p, SEND_PERMISSIONS)) {
    const held = [...(p.kind === 'app' ? p.roles : p.scopes)].join(',');
    throw new GraphError(403, 'Forbidden', `Missing role permissions on the request. API requires one of '${SEND_PERMISSIONS.join(', ')}'. Roles on the request '${held}'.`);
  }
  const tenant = p.tenant;
  const user = findUser(tenant.tenant, call.params[0]!);
  if (!user) throw new GraphError(404, 'NotFound', `The recipient user '${decodeURIComponent(call.params[0]!)}' could not be found.`);

  const body = call.req.body;
  if (!isRecord(body)) throw badRequest('Request body is required and must be a JSON object.');
  const { topic, activityType, previewText, templateParameters, chainId } = body;
  if (!isRecord(topic) || typeof topic.source !== 'string' || !TOPIC_SOURCES.includes(topic.source) || typeof topic.value !== 'string' || !topic.value) {
    throw badRequest("The 'topic' parameter is required: source (entityUrl or text) and value.");
  }
  if (topic.source === 'text' && (typeof topic.webUrl !== 'string' || !/^https?:\/\//i.test(topic.webUrl))) throw badRequest("A topic with source 'text' needs a webUrl.");
  if (typeof activityType !== 'string' || !activityType.trim()) throw badRequest("The 'activityType' parameter is required.");
  if (previewText !== undefined && (!isRecord(previewText) || typeof previewText.content !== 'string')) throw badRequest("'previewText' must be an itemBody with content.");
  if (isRecord(previewText) && typeof previewText.content === 'string' && previewText.content.length > PREVIEW_MAX) {
    throw badRequest(`'previewText' content must be at most ${PREVIEW_MAX} characters.`);
  }
  const parameters = templateParameters ?? [];
  if (!Array.isArray(parameters) || !parameters.every((x) => isRecord(x) && typeof x.name === 'string' && typeof x.value === 'string')) {
    throw badRequest("'templateParameters' must be a collection of keyValuePair (name, value).");
  }
  if (chainId !== undefined && !Number.isInteger(chainId)) throw badRequest("'chainId' must be a whole number.");

  const activity = tenant.teamsActivity;
  const retryAfter = activity.takeThrottle();
  if (retryAfter !== null) {
    tenant.stats.throttled429 += 1;
    throw new GraphError(429, 'TooManyRequests', 'Too many requests: the activity feed notification rate for this application was exceeded.', { 'Retry-After': String(retryAfter) });
  }
  if (!activity.hasApp(user.id)) {
    throw new GraphError(403, 'Forbidden', `The Teams app of application '${p.appId}' is not installed for the recipient user, so the notification cannot be delivered.`);
  }
  activity.record({
    id: randomUUID(),
    recipientUserId: user.id,
    appId: p.appId,
    activityType,
    topic: { source: topic.source, value: topic.value, ...(typeof topic.webUrl === 'string' ? { webUrl: topic.webUrl } : {}) },
    previewText: isRecord(previewText) ? String(previewText.content) : null,
    templateParameters: (parameters as Array<{ name: string; value: string }>).map((x) => ({ name: x.name, value: x.value })),
    chainId: typeof chainId === 'number' ? chainId : null,
    sentAt: tenant.now().toISOString(),
  });
  return { status: 204, headers: {}, body: undefined };
}
