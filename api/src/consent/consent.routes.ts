import { Router } from 'express';
import { z } from 'zod';
import { principalOf } from '../platform/auth/auth.middleware';
import { defineRoute } from '../platform/http/define-route';
import type { ApiDocs } from '../platform/openapi/api-docs';
import { consentRequestResultSchema, consentStatusSchema, recipientsSchema } from './consent.schema';
import type { ConsentService } from './consent.service';

const enrichmentIdParam = z.object({ id: z.string().regex(/^enr_[0-9a-f]{32}$/, 'must be an enr_… id') });

const callbackQuery = z.object({
  admin_consent: z.string().optional(),
  tenant: z.string().max(100).optional(),
  state: z.string().max(2048).optional(),
  error: z.string().max(200).optional(),
  // Entra's descriptions carry trace ids and timestamps; the stored reason is capped, not the input.
  error_description: z.string().max(8000).optional(),
  scope: z.string().max(4000).optional(),
});

/** The public consent redirect target: a browser navigation, answered with a redirect to the tab. */
export function consentCallbackRoutes(docs: ApiDocs, service: ConsentService, publicUrl: string): Router {
  const router = Router();
  defineRoute(router, docs, {
    method: 'get', path: '/api/consent/callback', summary: 'Admin consent redirect target (browser); redirects to the Enrichments page', tags: ['consent'], access: 'public',
    responses: { 302: { description: 'Redirect to /?page=enrichments&consent=granted|unconfirmed|refused|invalid (granted only once an app-only token and a Graph read confirm it)' } },
  }, async ({ req, res }) => {
    // Parsed leniently: a malformed query is an invalid callback, shown on the tab, not a JSON error.
    const parsed = callbackQuery.safeParse(req.query);
    const outcome = parsed.success ? await service.callback(parsed.data) : { result: 'invalid' as const, enrichmentId: undefined };
    const target = new URL(`${publicUrl}/`);
    target.searchParams.set('page', 'enrichments');
    target.searchParams.set('consent', outcome.result);
    if (outcome.enrichmentId) target.searchParams.set('enrichmentId', outcome.enrichmentId);
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(302, target.toString());
    return undefined;
  });
  return router;
}

export function consentRoutes(docs: ApiDocs, service: ConsentService): Router {
  const router = Router();
  defineRoute(router, docs, {
    method: 'get', path: '/api/enrichments/:id/consent', summary: "An enrichment's consent state and history", tags: ['consent'], access: 'admin',
    params: enrichmentIdParam,
    responses: { 200: { description: 'Consent state', schema: consentStatusSchema } },
  }, ({ req, params }) => service.status(principalOf(req).tenantId, params.id));

  defineRoute(router, docs, {
    method: 'post', path: '/api/enrichments/:id/consent/request', summary: 'Send (again) the admin consent request mail; returns the link', tags: ['consent'], access: 'admin',
    params: enrichmentIdParam, body: z.object({ recipients: recipientsSchema.optional() }).optional(),
    responses: { 200: { description: 'The link, whether the mail went and to whom', schema: consentRequestResultSchema.extend({ consent: consentStatusSchema }) } },
  }, ({ req, params, body }) => service.request(principalOf(req), params.id, body?.recipients ?? []));

  defineRoute(router, docs, {
    method: 'post', path: '/api/enrichments/:id/consent/check', summary: 'Detect consent granted in the admin centre (client-credentials token with the needed roles)', tags: ['consent'], access: 'admin',
    params: enrichmentIdParam,
    responses: { 200: { description: 'Consent state after the check', schema: consentStatusSchema } },
  }, ({ req, params }) => service.check(principalOf(req), params.id));
  return router;
}
