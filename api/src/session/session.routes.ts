import { Router } from 'express';
import { z } from 'zod';
import { principalOf } from '../platform/auth/auth.middleware';
import { defineRoute } from '../platform/http/define-route';
import type { ApiDocs } from '../platform/openapi/api-docs';

export const meSchema = z.object({
  tenantId: z.string(),
  userId: z.string(),
  displayName: z.string(),
  roles: z.array(z.string()),
  isAdmin: z.boolean(),
});

export const publicConfigSchema = z.object({
  clientId: z.string(),
  appIdUri: z.string(),
  devSignIn: z.boolean(),
  /** Extra origins the tab accepts teams-js host messages from (test harness); empty in production. */
  teamsHostOrigins: z.array(z.string()),
});

export function publicConfigRoutes(docs: ApiDocs, config: z.infer<typeof publicConfigSchema>): Router {
  const router = Router();
  defineRoute(router, docs, {
    method: 'get', path: '/api/public-config', summary: 'What the tab needs before sign-in', tags: ['session'], access: 'public',
    responses: { 200: { description: 'Public settings', schema: publicConfigSchema } },
  }, () => config);
  return router;
}

/** Who the caller is, as the API sees it (roles decide admin vs seller). */
export function sessionRoutes(docs: ApiDocs): Router {
  const router = Router();
  defineRoute(router, docs, {
    method: 'get', path: '/api/me', summary: 'The signed-in user', tags: ['session'], access: 'user',
    responses: { 200: { description: 'The caller', schema: meSchema } },
  }, ({ req }) => {
    const p = principalOf(req);
    return { tenantId: p.tenantId, userId: p.userId, displayName: p.displayName, roles: p.roles, isAdmin: p.isAdmin };
  });
  return router;
}
