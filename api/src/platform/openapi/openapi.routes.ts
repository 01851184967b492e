import { Router } from 'express';
import { z } from 'zod';
import { defineRoute } from '../http/define-route';
import type { ApiDocs } from './api-docs';

/**
 * `GET /api/openapi.json`, itself an operation of the document. Rendered on first request, when
 * every route has been declared, then kept.
 */
export function openApiRoutes(docs: ApiDocs, info: { title: string; version: string; serverUrl: string; appOnly: { authorityHost: string; scope: string } }): Router {
  const router = Router();
  let rendered: Record<string, unknown> | null = null;
  defineRoute(router, docs, {
    method: 'get', path: '/api/openapi.json', summary: 'This OpenAPI 3.1 document (each operation names its access level in x-access)', tags: ['documentation'], access: 'public',
    responses: { 200: { description: 'The document', schema: z.record(z.string(), z.unknown()) } },
  }, () => (rendered ??= docs.document(info)));
  return router;
}
