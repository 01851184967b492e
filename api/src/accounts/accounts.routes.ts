import { Router } from 'express';
import { z } from 'zod';
import { principalOf } from '../platform/auth/auth.middleware';
import { defineRoute } from '../platform/http/define-route';
import type { ApiDocs } from '../platform/openapi/api-docs';
import type { AccountsStore } from './accounts.store';

const searchQuery = z.object({
  search: z.string().max(200, 'search terms are at most 200 characters').default(''),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

export function accountsRoutes(docs: ApiDocs, store: AccountsStore): Router {
  const router = Router();
  defineRoute(router, docs, {
    method: 'get', path: '/api/accounts', summary: 'Search business accounts by name prefix or id', tags: ['accounts'], access: 'user',
    query: searchQuery,
    responses: {
      200: {
        description: 'Matching accounts',
        schema: z.object({ items: z.array(z.object({ id: z.string(), name: z.string() })), total: z.number().int() }),
      },
    },
  }, ({ req, query }) => store.search(principalOf(req).tenantId, query.search, query.limit));
  return router;
}
