import { Router } from 'express';
import { z } from 'zod';
import { principalOf } from '../platform/auth/auth.middleware';
import type { GraphClientFactory } from '../platform/graph/graph-client.factory';
import { defineRoute } from '../platform/http/define-route';
import type { ApiDocs } from '../platform/openapi/api-docs';
import { readTenantOverview } from './tenant.service';

export const tenantSchema = z.object({
  tenantId: z.string(),
  displayName: z.string(),
  countryLetterCode: z.string(),
  verifiedDomains: z.array(z.string()),
});

export function tenantRoutes(docs: ApiDocs, graph: GraphClientFactory): Router {
  const router = Router();
  defineRoute(router, docs, {
    method: 'get', path: '/api/tenant', summary: "The caller's organisation, read through Microsoft Graph", tags: ['tenant'], access: 'admin',
    responses: { 200: { description: 'Organisation profile', schema: tenantSchema } },
  }, ({ req }) => readTenantOverview(graph, principalOf(req).tenantId));
  return router;
}
