import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../platform/errors/app-error';
import { defineRoute } from '../platform/http/define-route';
import type { ApiDocs } from '../platform/openapi/api-docs';
import type { SimulatorClient } from './simulator.client';

const personaSchema = z.object({
  userId: z.string(),
  displayName: z.string(),
  persona: z.enum(['tenantAdmin', 'enrichmentAdmin', 'seller']),
  roles: z.array(z.string()),
});

/** The simulated tenants and their personas. */
export const devPersonasSchema = z.object({ tenants: z.array(z.object({ tenantId: z.string(), displayName: z.string(), personas: z.array(personaSchema) })) });
export const devSignInResultSchema = z.object({ accessToken: z.string(), expiresOn: z.string() });

const signInBody = z.object({
  tenantId: z.string().uuid('tenantId must be a tenant GUID'),
  userId: z.string().uuid('userId must be a user object id'),
});

/**
 * Development only (never mounted in production): lets the tab sign in outside Teams as one of
 * the simulated tenant's personas. The token comes from the simulator's identity endpoints and
 * is validated by the same middleware as a Teams SSO token.
 */
export function devSignInRoutes(docs: ApiDocs, simulator: SimulatorClient): Router {
  const router = Router();
  defineRoute(router, docs, {
    method: 'get', path: '/api/dev/personas', summary: 'Development: simulated users the tab can sign in as', tags: ['development'], access: 'public',
    responses: {
      200: {
        description: 'Simulated tenants and their personas',
        schema: devPersonasSchema,
      },
    },
  }, async () => ({ tenants: await simulator.personas() }));

  defineRoute(router, docs, {
    method: 'post', path: '/api/dev/sign-in', summary: 'Development: mint a tab SSO token for a simulated user', tags: ['development'], access: 'public',
    body: signInBody,
    responses: { 200: { description: 'A token to send as Bearer', schema: devSignInResultSchema } },
  }, async ({ body }) => {
    const tenants = await simulator.personas();
    const tenant = tenants.find((t) => t.tenantId === body.tenantId.toLowerCase());
    if (!tenant) throw new AppError('not-found', 'That tenant does not exist in the simulator.');
    return simulator.ssoToken(tenant.tenantId, body.userId.toLowerCase());
  });
  return router;
}
