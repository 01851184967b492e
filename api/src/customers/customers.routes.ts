import { Router } from 'express';
import { principalOf } from '../platform/auth/auth.middleware';
import { defineRoute } from '../platform/http/define-route';
import type { ApiDocs } from '../platform/openapi/api-docs';
import { accountSearchQuery, accountSearchResult, cardParams, customerCardSchema } from './customers.schema';
import type { CustomersService } from './customers.service';

export function customersRoutes(docs: ApiDocs, service: CustomersService): Router {
  const router = Router();
  defineRoute(router, docs, {
    method: 'get', path: '/api/accounts', summary: 'Search the accounts of an enrichment\'s current result by name prefix or id', tags: ['customers'], access: 'user', apps: true,
    query: accountSearchQuery,
    responses: { 200: { description: 'Matching accounts by name (total capped at 1,000)', schema: accountSearchResult } },
  }, ({ req, query }) => service.search(principalOf(req).tenantId, query.search, query.limit, query.enrichmentId));

  defineRoute(router, docs, {
    method: 'get', path: '/api/enrichments/:enrichmentId/customers/:accountId', summary: 'The customer card: score with explanation, year totals, week and month history', tags: ['customers'], access: 'user', apps: true,
    params: cardParams,
    responses: { 200: { description: 'The card', schema: customerCardSchema } },
  }, ({ req, params }) => service.card(principalOf(req).tenantId, params.enrichmentId, params.accountId));
  return router;
}
