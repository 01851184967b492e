import { Router } from 'express';
import { z } from 'zod';
import { principalOf } from '../platform/auth/auth.middleware';
import { defineRoute } from '../platform/http/define-route';
import type { ApiDocs } from '../platform/openapi/api-docs';
import { directoryEntrySchema, prerequisitesSchema, resolutionSchema, resolveBody, searchQuery } from './directory.schema';
import type { DirectoryService } from './directory.service';

export function directoryRoutes(docs: ApiDocs, service: DirectoryService): Router {
  const router = Router();
  defineRoute(router, docs, {
    method: 'get', path: '/api/directory/search', summary: 'People picker: users and mail-enabled groups by name or address prefix', tags: ['directory'], access: 'admin',
    query: searchQuery,
    responses: { 200: { description: 'Matches; groupsSearched is false before admin consent', schema: z.object({ items: z.array(directoryEntrySchema), groupsSearched: z.boolean() }) } },
  }, ({ req, query }) => service.search(principalOf(req), query.q, query.limit));

  defineRoute(router, docs, {
    method: 'post', path: '/api/directory/resolve', summary: 'Resolve selected users and groups (transitively) to unique mailboxes', tags: ['directory'], access: 'admin',
    body: resolveBody,
    responses: { 200: { description: 'Unique mailboxes, the unresolved entries and whether the count is within 2..2,500', schema: resolutionSchema } },
  }, ({ req, body }) => service.resolve(principalOf(req), body.selections));

  defineRoute(router, docs, {
    method: 'get', path: '/api/prerequisites', summary: 'Whether an enrichment can be created: region, licence, dataset, role', tags: ['directory'], access: 'admin',
    responses: { 200: { description: 'Each prerequisite as met, not met or unknown, with a reason', schema: prerequisitesSchema } },
  }, ({ req }) => service.prerequisites(principalOf(req)));
  return router;
}
