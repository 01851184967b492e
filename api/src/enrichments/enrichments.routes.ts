import { Router } from 'express';
import { z } from 'zod';
import { principalOf } from '../platform/auth/auth.middleware';
import { AppError } from '../platform/errors/app-error';
import { defineRoute } from '../platform/http/define-route';
import type { ApiDocs } from '../platform/openapi/api-docs';
import { FREE_MAIL_DOMAINS } from './enrichment-rules';
import {
  nameAvailabilitySchema,
  createdEnrichmentSchema,
  enrichmentIdParam,
  enrichmentInputSchema,
  enrichmentSchema,
  enrichmentSummarySchema,
  enrichmentUpdateSchema,
  addExclusionsBody,
  halfLifeBody,
  privacyThresholdBody,
  nameAvailabilityQuery,
  versionBody,
} from './enrichments.schema';
import { expectedVersionOf, requiredVersionOf, type EnrichmentsService } from './enrichments.service';

export function enrichmentsRoutes(docs: ApiDocs, service: EnrichmentsService): Router {
  const router = Router();
  defineRoute(router, docs, {
    method: 'get', path: '/api/enrichments', summary: "The tenant's enrichments", tags: ['enrichments'], access: 'admin',
    responses: { 200: { description: 'Enrichments, most recently changed first', schema: z.object({ items: z.array(enrichmentSummarySchema) }) } },
  }, async ({ req }) => ({ items: await service.list(principalOf(req).tenantId) }));

  defineRoute(router, docs, {
    method: 'get', path: '/api/enrichments/free-mail-domains', summary: 'Common free-mail domains, for the one-click exclusion', tags: ['enrichments'], access: 'admin',
    responses: { 200: { description: 'Domains', schema: z.object({ domains: z.array(z.string()) }) } },
  }, () => ({ domains: [...FREE_MAIL_DOMAINS] }));

  defineRoute(router, docs, {
    method: 'get', path: '/api/enrichments/name-availability', summary: 'Whether a name is allowed and free', tags: ['enrichments'], access: 'admin',
    query: nameAvailabilityQuery,
    responses: { 200: { description: 'Availability', schema: nameAvailabilitySchema } },
  }, ({ req, query }) => service.nameAvailability(principalOf(req).tenantId, query.name, query.excludeId));

  defineRoute(router, docs, {
    method: 'get', path: '/api/enrichments/:id', summary: 'One enrichment', tags: ['enrichments'], access: 'admin',
    params: enrichmentIdParam,
    responses: { 200: { description: 'The enrichment', schema: enrichmentSchema } },
  }, ({ req, params }) => service.get(principalOf(req).tenantId, params.id));

  defineRoute(router, docs, {
    method: 'post', path: '/api/enrichments', summary: 'Create an enrichment and send the admin consent request', tags: ['enrichments'], access: 'admin',
    body: enrichmentInputSchema,
    responses: { 201: { description: 'The enrichment and what happened to the consent request', schema: createdEnrichmentSchema } },
  }, ({ req, body }) => service.create(principalOf(req), body));

  defineRoute(router, docs, {
    method: 'put', path: '/api/enrichments/:id', summary: 'Update an enrichment (If-Match or body version required)', tags: ['enrichments'], access: 'admin',
    params: enrichmentIdParam, body: enrichmentUpdateSchema,
    responses: { 200: { description: 'The enrichment', schema: enrichmentSchema } },
  }, ({ req, params, body }) => service.update(principalOf(req), params.id, body, requiredVersionOf(req, body.version)));

  for (const action of ['pause', 'resume'] as const) {
    defineRoute(router, docs, {
      method: 'post', path: `/api/enrichments/:id/${action}`, summary: `${action === 'pause' ? 'Pause' : 'Resume'} an enrichment`, tags: ['enrichments'], access: 'admin',
      params: enrichmentIdParam, body: versionBody,
      responses: { 200: { description: 'The enrichment', schema: enrichmentSchema } },
    }, ({ req, params, body }) => service.setPaused(principalOf(req), params.id, action === 'pause', expectedVersionOf(req, body?.version)));
  }

  defineRoute(router, docs, {
    method: 'post', path: '/api/enrichments/:id/exclusions', summary: 'Add addresses or domains to the exclusions (If-Match or body version optional); the next run is a full run', tags: ['enrichments'], access: 'admin',
    params: enrichmentIdParam, body: addExclusionsBody,
    responses: { 200: { description: 'The enrichment', schema: enrichmentSchema } },
  }, ({ req, params, body }) => service.addExclusions(principalOf(req), params.id, body, expectedVersionOf(req, body.version)));

  defineRoute(router, docs, {
    method: 'put', path: '/api/enrichments/:id/half-life', summary: "Set the engagement score's half-life (If-Match or body version); the next run is a full run", tags: ['enrichments'], access: 'admin',
    params: enrichmentIdParam, body: halfLifeBody,
    responses: { 200: { description: 'The enrichment', schema: enrichmentSchema } },
  }, ({ req, params, body }) => service.setHalfLife(principalOf(req), params.id, body.halfLifeDays, requiredVersionOf(req, body.version)));

  defineRoute(router, docs, {
    method: 'put', path: '/api/enrichments/:id/privacy-threshold', summary: 'Set the small-count privacy threshold k, or null for off (If-Match or body version); the next run publishes with it', tags: ['enrichments'], access: 'admin',
    params: enrichmentIdParam, body: privacyThresholdBody,
    responses: { 200: { description: 'The enrichment', schema: enrichmentSchema } },
  }, ({ req, params, body }) => service.setPrivacyThreshold(principalOf(req), params.id, body.privacyThreshold, requiredVersionOf(req, body.version)));

  defineRoute(router, docs, {
    method: 'delete', path: '/api/enrichments/:id', summary: 'Delete an enrichment and its results', tags: ['enrichments'], access: 'admin',
    params: enrichmentIdParam,
    responses: { 204: { description: 'Deleted' } },
  }, async ({ req, params }) => {
    await service.delete(principalOf(req), params.id, expectedVersionOf(req, undefined));
    return undefined;
  });
  return router;
}
