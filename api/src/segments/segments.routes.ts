import { Router } from 'express';
import { z } from 'zod';
import { principalOf } from '../platform/auth/auth.middleware';
import { defineRoute } from '../platform/http/define-route';
import type { ApiDocs } from '../platform/openapi/api-docs';
import type { SegmentsStore } from './segments.store';

export function segmentsRoutes(docs: ApiDocs, store: SegmentsStore): Router {
  const router = Router();
  defineRoute(router, docs, {
    method: 'get', path: '/api/segments', summary: 'Saved segments with their member counts', tags: ['segments'], access: 'user',
    responses: {
      200: {
        description: 'Segments by name',
        schema: z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), count: z.number().int() })) }),
      },
    },
  }, async ({ req }) => ({ items: await store.list(principalOf(req).tenantId) }));
  return router;
}
