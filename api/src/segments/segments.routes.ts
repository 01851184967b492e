import { Router } from 'express';
import { z } from 'zod';
import { principalOf } from '../platform/auth/auth.middleware';
import { defineRoute } from '../platform/http/define-route';
import type { ApiDocs } from '../platform/openapi/api-docs';
import { csvNotModified, csvResponse } from '../results/results.routes';
import { csvQuerySchema, enrichmentParams, pageQuerySchema } from '../results/results.schema';
import { countResultSchema, segmentDefinitionSchema, segmentInputSchema, segmentParams, segmentSchema } from './segments.schema';
import type { SegmentsService } from './segments.service';
import { answeredNotModified, csvEtagOf, pagedResponses, servePage } from '../results/run-paging';

const list = z.object({ items: z.array(segmentSchema) });

export function segmentsRoutes(docs: ApiDocs, service: SegmentsService, publicUrl: string): Router {
  const router = Router();
  const tenant = (req: Parameters<typeof principalOf>[0]) => principalOf(req).tenantId;
  const base = '/api/enrichments/:enrichmentId/segments';

  defineRoute(router, docs, {
    method: 'get', path: '/api/segments', summary: 'Saved segments of every enrichment (or one) with their member counts', tags: ['segments'], access: 'user', apps: true,
    query: z.object({ enrichmentId: z.string().min(1).max(100).optional() }).strict(),
    responses: { 200: { description: 'Segments', schema: list } },
  }, ({ req, query }) => service.listAll(tenant(req), query.enrichmentId));

  defineRoute(router, docs, {
    method: 'post', path: `${base}/count`, summary: 'Live member count of a segment definition (the builder)', tags: ['segments'], access: 'user', apps: true,
    params: enrichmentParams, body: segmentDefinitionSchema,
    responses: { 200: { description: 'Members and rows of the level/period in the current result', schema: countResultSchema } },
  }, ({ req, params, body }) => service.count(tenant(req), params.enrichmentId, body));

  defineRoute(router, docs, {
    method: 'get', path: base, summary: 'Saved segments of an enrichment with counts (the built-in "Stale accounts" example included until an admin changes or deletes it)', tags: ['segments'], access: 'user', apps: true,
    params: enrichmentParams,
    responses: { 200: { description: 'Segments by name', schema: list } },
  }, ({ req, params }) => service.list(tenant(req), params.enrichmentId));

  defineRoute(router, docs, {
    method: 'post', path: base, summary: 'Save a segment', tags: ['segments'], access: 'admin',
    params: enrichmentParams, body: segmentInputSchema,
    responses: { 201: { description: 'The saved segment', schema: segmentSchema } },
  }, ({ req, params, body }) => service.create(principalOf(req), params.enrichmentId, body));

  defineRoute(router, docs, {
    method: 'get', path: `${base}/:segmentId`, summary: 'A saved segment with its count', tags: ['segments'], access: 'user', apps: true,
    params: segmentParams,
    responses: { 200: { description: 'The segment', schema: segmentSchema } },
  }, ({ req, params }) => service.get(tenant(req), params.enrichmentId, params.segmentId));

  defineRoute(router, docs, {
    method: 'put', path: `${base}/:segmentId`, summary: 'Change a saved segment', tags: ['segments'], access: 'admin',
    params: segmentParams, body: segmentInputSchema,
    responses: { 200: { description: 'The segment', schema: segmentSchema } },
  }, ({ req, params, body }) => service.update(principalOf(req), params.enrichmentId, params.segmentId, body));

  defineRoute(router, docs, {
    method: 'delete', path: `${base}/:segmentId`, summary: 'Delete a saved segment (the built-in example is not re-seeded)', tags: ['segments'], access: 'admin',
    params: segmentParams,
    responses: { 204: { description: 'Deleted' } },
  }, async ({ req, params }) => {
    await service.delete(tenant(req), params.enrichmentId, params.segmentId);
    return undefined;
  });

  defineRoute(router, docs, {
    method: 'get', path: `${base}/:segmentId/members`, summary: 'A page of a segment\'s members', tags: ['segments'], access: 'user', apps: true,
    params: segmentParams, query: pageQuerySchema,
    responses: pagedResponses('its run and the segment\'s definition'),
  }, async ({ req, res, params, query }) => {
    const t = tenant(req);
    const { view, current } = await service.membersSource(t, params.enrichmentId, params.segmentId);
    return servePage(req, res, publicUrl, { enrichmentId: params.enrichmentId, segmentId: params.segmentId }, query, {
      currentRunId: () => current,
      definitionOf: () => view,
      read: (q, runId) => service.members(t, params.enrichmentId, view, q, runId),
    });
  });

  defineRoute(router, docs, {
    method: 'get', path: `${base}/:segmentId/members.csv`, summary: 'A segment\'s members as CSV', tags: ['segments'], access: 'user', apps: true,
    params: segmentParams, query: csvQuerySchema,
    responses: { 200: csvResponse, 304: csvNotModified },
  }, async ({ req, res, params, query }) => {
    const t = tenant(req);
    const { view, current } = await service.membersSource(t, params.enrichmentId, params.segmentId);
    const etagOf = csvEtagOf(req, view);
    if (answeredNotModified(req, res, current ? etagOf(current) : null)) return undefined;
    await service.exportMembers(t, params.enrichmentId, params.segmentId, query, req.headers['accept-language'], res, etagOf);
    return undefined;
  });
  return router;
}
