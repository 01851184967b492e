import { Router } from 'express';
import { z } from 'zod';
import { principalOf } from '../platform/auth/auth.middleware';
import { defineRoute } from '../platform/http/define-route';
import type { ApiDocs } from '../platform/openapi/api-docs';
import type { EnrichmentsStore } from './enrichments.store';

const enrichmentSummary = z.object({
  id: z.string(),
  name: z.string(),
  state: z.enum(['draft', 'awaiting-consent', 'consented', 'consent-refused', 'paused']),
  updatedAt: z.string(),
});

export function enrichmentsRoutes(docs: ApiDocs, store: EnrichmentsStore): Router {
  const router = Router();
  defineRoute(router, docs, {
    method: 'get', path: '/api/enrichments', summary: "The tenant's enrichments", tags: ['enrichments'], access: 'user',
    responses: { 200: { description: 'Enrichments, most recently changed first', schema: z.object({ items: z.array(enrichmentSummary) }) } },
  }, async ({ req }) => ({ items: await store.list(principalOf(req).tenantId) }));
  return router;
}
