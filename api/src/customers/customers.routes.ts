import { Router } from 'express';
import { principalOf } from '../platform/auth/auth.middleware';
import { defineRoute } from '../platform/http/define-route';
import type { ApiDocs } from '../platform/openapi/api-docs';
import { pagedResponses, servePage } from '../results/run-paging';
import { accountSearchQuery, accountSearchResult, carriedAccountQuery, cardParams, customerCardSchema } from './customers.schema';
import type { CustomersService } from './customers.service';

export function customersRoutes(docs: ApiDocs, service: CustomersService, publicUrl: string): Router {
  const router = Router();
  defineRoute(router, docs, {
    method: 'get', path: '/api/accounts', summary: 'List and search the accounts of an enrichment\'s current result (any part of the name, id or a domain), by score band and change in score, in pages', tags: ['customers'], access: 'user', apps: true,
    query: accountSearchQuery,
    responses: { ...pagedResponses('its run'), 200: { description: 'One page of the matching accounts, with how many match (ETag names its run; nextLink pages on through the same run)', schema: accountSearchResult } },
  }, async ({ req, res, query }) => {
    const tenantId = principalOf(req).tenantId;
    return servePage(req, res, publicUrl, { enrichmentId: query.enrichmentId, kind: 'accounts' }, query, {
      carried: carriedAccountQuery,
      currentRunId: async () => (await service.listEnrichment(tenantId, query.enrichmentId))?.pointer?.runId ?? null,
      // A cursor names the enrichment its first page read (the latest one when the query named none).
      read: (q, runId, enrichmentId) => service.search(tenantId, { ...q, enrichmentId }, runId),
    });
  });

  defineRoute(router, docs, {
    method: 'get', path: '/api/enrichments/:enrichmentId/customers/:accountId', summary: 'The customer card: score with explanation, year totals, week and month history', tags: ['customers'], access: 'user', apps: true,
    params: cardParams,
    responses: { 200: { description: 'The card', schema: customerCardSchema } },
  }, ({ req, params }) => service.card(principalOf(req).tenantId, params.enrichmentId, params.accountId));
  return router;
}
