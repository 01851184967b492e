import { Router } from 'express';
import { z } from 'zod';
import { principalOf } from '../platform/auth/auth.middleware';
import { defineRoute } from '../platform/http/define-route';
import type { ApiDocs } from '../platform/openapi/api-docs';
import { deliveriesList, publishedPayload, registerWebhookBody, webhookParams, webhookRegistered, webhookState } from './webhooks.schema';
import type { WebhooksService } from './webhooks.service';

/** Admin-only: the enrichment's webhook on publish and its delivery log (sellers and apps get 403). */
export function webhooksRoutes(docs: ApiDocs, service: WebhooksService): Router {
  const router = Router();
  const tenant = (req: Parameters<typeof principalOf>[0]) => principalOf(req).tenantId;

  docs.addWebhook({
    name: 'results.published',
    summary: 'A run of the enrichment was published',
    description:
      'POSTed to the registered URL after every publish: ids, times and counts, never account data. Verify X-Engagement-Signature before trusting it (HMAC-SHA256 with the webhook secret over "<t>.<raw body>"; refuse a t older than 5 minutes and a delivery id already seen). Retried with exponential backoff until a 2xx answer or the last attempt.',
    body: publishedPayload,
    headers: {
      'X-Engagement-Signature': 't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed with the webhook secret>',
      'X-Engagement-Delivery': 'The delivery id (the payload\'s id), the same across retries',
      'X-Engagement-Event': 'results.published',
    },
    responses: { '2XX': 'Received: no retry', default: 'Anything else, a timeout or no connection: retried with backoff' },
  });

  defineRoute(router, docs, {
    method: 'get', path: '/api/enrichments/:id/webhook', summary: 'The enrichment\'s webhook on publish (never its secret)', tags: ['webhooks'], access: 'admin',
    params: webhookParams,
    responses: { 200: { description: 'The webhook, or null when none is registered', schema: webhookState } },
  }, ({ req, params }) => service.get(tenant(req), params.id));

  defineRoute(router, docs, {
    method: 'put', path: '/api/enrichments/:id/webhook', summary: 'Register or replace the webhook: the URL is checked (HTTPS, public address) and validated with a validationToken it must echo; the signing secret is returned this once', tags: ['webhooks'], access: 'admin',
    params: webhookParams,
    body: registerWebhookBody,
    responses: {
      201: { description: 'Validated and stored; `secret` is shown only now', schema: webhookRegistered },
      400: { description: 'validation: the URL is refused (not HTTPS, a private address) or the receiver did not echo the token; `detail` says which' },
    },
  }, ({ req, params, body }) => service.register(principalOf(req), params.id, body.url));

  defineRoute(router, docs, {
    method: 'delete', path: '/api/enrichments/:id/webhook', summary: 'Remove the webhook: no more notifications', tags: ['webhooks'], access: 'admin',
    params: webhookParams,
    responses: { 204: { description: 'Removed' } },
  }, async ({ req, params }) => {
    await service.remove(tenant(req), params.id);
    return undefined;
  });

  defineRoute(router, docs, {
    method: 'get', path: '/api/enrichments/:id/webhook/deliveries', summary: 'The last delivery attempts: time, run, status code or error, attempt, duration', tags: ['webhooks'], access: 'admin',
    params: webhookParams,
    query: z.object({}).strict(),
    responses: { 200: { description: 'Newest first', schema: deliveriesList } },
  }, ({ req, params }) => service.deliveries(tenant(req), params.id));

  return router;
}
