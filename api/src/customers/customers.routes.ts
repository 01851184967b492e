import { Router } from 'express';
import { principalOf } from '../platform/auth/auth.middleware';
import { defineRoute } from '../platform/http/define-route';
import type { ApiDocs } from '../platform/openapi/api-docs';
import { accountSearchQuery, accountSearchResult, cardParams, customerCardSchema } from './customers.schema';
import type { CustomersService } from './customers.service';

export function customersRoutes(docs: ApiDocs, service: CustomersService): Router {
  const router = Router();
  defineRoute(router, docs, {
    method: 'get', path: '/api/accounts', summary: 'List and search the accounts of an enrichment\'s current result (any part of the name, id or a domain), by score band and change in score, in pages', tags: ['customers'], access: 'user', apps: true,
    query: accountSearchQuery,
    responses: { 200: { description: 'One page of the matching accounts, with how many match', schema: accountSearchResult } },
  }, ({ req, query }) => service.search(principalOf(req).tenantId, query));

  defineRoute(router, docs, {
    method: 'get', path: '/api/enrichments/:enrichmentId/customers/:accountId', summary: 'The customer card: score with explanation, year totals, week and month history', tags: ['customers'], access: 'user', apps: true,
    params: cardParams,
    responses: { 200: { description: 'The card', schema: customerCardSchema } },
  }, ({ req, params }) => service.card(principalOf(req).tenantId, params.enrichmentId, params.accountId));
  return router;
}
