import { Router } from 'express';
import { z } from 'zod';
import { principalOf } from '../platform/auth/auth.middleware';
import { defineRoute } from '../platform/http/define-route';
import type { ApiDocs } from '../platform/openapi/api-docs';
import { enrichmentParams } from '../results/results.schema';
import { measureRequestSchema, measureResultSchema } from './measures.schema';
import type { MeasuresService } from './measures.service';

export function measuresRoutes(docs: ApiDocs, service: MeasuresService): Router {
  const router = Router();
  defineRoute(router, docs, {
    method: 'get', path: '/api/enrichments/:enrichmentId/measures/attributes', summary: 'Account attributes a measure can be grouped by', tags: ['measures'], access: 'user', apps: true,
    params: enrichmentParams,
    query: z.object({}).strict(),
    responses: { 200: { description: 'The dataset\'s account attributes', schema: z.object({ attributes: z.array(z.string()) }) } },
  }, ({ req, params }) => service.attributes(principalOf(req).tenantId, params.enrichmentId));

  defineRoute(router, docs, {
    method: 'post', path: '/api/enrichments/:enrichmentId/measures', summary: 'An aggregate of a column over all accounts or a segment, optionally grouped by an account attribute', tags: ['measures'], access: 'user', apps: true,
    params: enrichmentParams, body: measureRequestSchema,
    responses: { 200: { description: 'The measure', schema: measureResultSchema } },
  }, ({ req, params, body }) => service.measure(principalOf(req).tenantId, params.enrichmentId, body));
  return router;
}
