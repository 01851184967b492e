import { Router } from 'express';
import { z } from 'zod';
import { principalOf } from '../platform/auth/auth.middleware';
import { defineRoute } from '../platform/http/define-route';
import type { ApiDocs } from '../platform/openapi/api-docs';
import { LEVELS } from './results-columns';
import { csvQuerySchema, enrichmentParams, overviewSchema, pageQuerySchema, userEntityPageSchema } from './results.schema';
import { resultSourceSchema, type ResultsCatalog } from './results-catalog';
import type { ResultsService } from './results.service';
import { answeredNotModified, csvEtagOf, pagedResponses, runEtag, servePage } from './run-paging';

const csvResponse = {
  description: 'The whole view as CSV (UTF-8 with a byte order mark, streamed); the header row names the chosen columns in the reader\'s language (`locale`, else Accept-Language), or by their technical names with `header=names`; the file name says enrichment, level, period, rows and as-of date',
  schema: z.string(),
  contentType: 'text/csv',
};

const csvNotModified = { description: 'If-None-Match named this ETag (the run, and the header row\'s language): the file has not changed' };

export function resultsRoutes(docs: ApiDocs, service: ResultsService, catalog: ResultsCatalog, publicUrl: string): Router {
  const router = Router();
  const tenant = (req: Parameters<typeof principalOf>[0]) => principalOf(req).tenantId;

  defineRoute(router, docs, {
    method: 'get', path: '/api/results', summary: 'The enrichments whose results you can read: name and last refresh only (sellers\' view of enrichments)', tags: ['results'], access: 'user', apps: true,
    responses: { 200: { description: 'By name', schema: z.object({ items: z.array(resultSourceSchema) }) } },
  }, async ({ req }) => ({ items: await catalog.list(tenant(req)) }));

  defineRoute(router, docs, {
    method: 'get', path: '/api/enrichments/:enrichmentId/results', summary: 'Results overview: run figures, history, preview, columns', tags: ['results'], access: 'user', apps: true,
    params: enrichmentParams,
    responses: { 200: { description: 'The overview', schema: overviewSchema } },
  }, ({ req, params }) => service.overview(tenant(req), params.enrichmentId));

  defineRoute(router, docs, {
    method: 'get', path: '/api/enrichments/:enrichmentId/results/periods', summary: 'The periods (AggregationStartDate) of a level in the current result', tags: ['results'], access: 'user', apps: true,
    params: enrichmentParams,
    query: z.object({ level: z.enum(LEVELS).default('Week') }).strict(),
    responses: { 200: { description: 'Periods, newest first', schema: z.object({ runId: z.string().nullable(), level: z.enum(LEVELS), periods: z.array(z.string()) }) } },
  }, ({ req, params, query }) => service.periods(tenant(req), params.enrichmentId, query.level));

  defineRoute(router, docs, {
    method: 'get', path: '/api/enrichments/:enrichmentId/results/rows', summary: 'A page of the output entity: filter, sort, columns, server-side paging', tags: ['results'], access: 'user', apps: true,
    params: enrichmentParams,
    query: pageQuerySchema,
    responses: pagedResponses('its run, and the saved segment\'s definition when segmentId is given'),
  }, async ({ req, res, params, query }) => {
    const t = tenant(req);
    const e = await service.requireEnrichment(t, params.enrichmentId);
    return servePage(req, res, publicUrl, { enrichmentId: params.enrichmentId }, query, {
      currentRunId: () => e.pointer?.runId ?? null,
      // A saved segment decides the rows too: its definition is part of the ETag.
      definitionOf: (q) => (q.segmentId ? service.lookupSegment(t, params.enrichmentId, q.segmentId) : undefined),
      read: (q, runId) => service.page(t, params.enrichmentId, q, undefined, runId),
    });
  });

  defineRoute(router, docs, {
    method: 'get', path: '/api/enrichments/:enrichmentId/results/rows.csv', summary: 'The current grid view as CSV (same filter and sort)', tags: ['results'], access: 'user', apps: true,
    params: enrichmentParams,
    query: csvQuerySchema,
    responses: { 200: csvResponse, 304: csvNotModified },
  }, async ({ req, res, params, query }) => {
    const t = tenant(req);
    const e = await service.requireEnrichment(t, params.enrichmentId);
    // A saved segment decides the rows too: its definition is part of the ETag.
    const etagOf = csvEtagOf(req, query.segmentId ? await service.lookupSegment(t, params.enrichmentId, query.segmentId) : undefined);
    if (answeredNotModified(req, res, e.pointer ? etagOf(e.pointer.runId) : null)) return undefined;
    await service.exportCsv(t, params.enrichmentId, query, req.headers['accept-language'], res, undefined, etagOf);
    return undefined;
  });

  defineRoute(router, docs, {
    method: 'get', path: '/api/enrichments/:enrichmentId/results/rows.parquet', summary: 'The whole output entity as one Parquet file (every level and period, with the score parts, account domains and dataset attributes), for Power BI, Fabric or pandas', tags: ['results'], access: 'user', apps: true,
    params: enrichmentParams,
    query: z.object({}).strict(),
    responses: {
      200: { description: 'Parquet (zstd), one row per account, level and period; 404 before the first result. ETag names the run', schema: z.string(), contentType: 'application/vnd.apache.parquet' },
      304: { description: 'If-None-Match named this ETag: the result has not changed' },
    },
  }, async ({ req, res, params }) => {
    const e = await service.requireEnrichment(tenant(req), params.enrichmentId);
    // A pipeline polling for a new result downloads nothing while the run is the same.
    if (answeredNotModified(req, res, e.pointer ? runEtag(e.pointer.runId) : null)) return undefined;
    await service.exportParquet(tenant(req), params.enrichmentId, res);
    return undefined;
  });

  defineRoute(router, docs, {
    method: 'get', path: '/api/enrichments/:enrichmentId/results/users', summary: 'The user entity of the current result (the mailboxes enriched)', tags: ['results'], access: 'admin',
    params: enrichmentParams,
    query: z.object({ offset: z.coerce.number().int().min(0).max(1_000_000).default(0), limit: z.coerce.number().int().min(1).max(500).default(50) }).strict(),
    responses: {
      200: {
        description: 'One page of the user entity',
        schema: userEntityPageSchema,
      },
    },
  }, ({ req, params, query }) => service.users(tenant(req), params.enrichmentId, query.offset, query.limit));

  return router;
}
export { csvNotModified, csvResponse };
