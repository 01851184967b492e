import { Router } from 'express';
import { z } from 'zod';
import { principalOf } from '../platform/auth/auth.middleware';
import { defineRoute } from '../platform/http/define-route';
import type { ApiDocs } from '../platform/openapi/api-docs';
import { idParam } from '../platform/http/id-param';
import { toRunView } from '../runs/runs.routes';
import { runView } from '../runs/runs.schema';
import type { MailboxHealthService } from './mailbox-health.service';

const params = z.object({ id: idParam });

const failureKind = z.enum(['no-licence', 'not-found', 'access-denied', 'throttled', 'consent', 'transient', 'other']);
const healthState = z.enum(['read', 'read-with-retries', 'throttled-resumed', 'calendar-reset', 'failed', 'unavailable']);

export const mailboxHealthView = z.object({
  runId: z.string().nullable().describe('The run the health describes (the last run that finished reading); null before any'),
  runAsOf: z.string().nullable(),
  evaluatedAt: z.string().nullable(),
  summary: z.object({
    total: z.number(),
    read: z.number(),
    failed: z.number(),
    failedByKind: z.partialRecord(failureKind, z.number()),
    readByState: z.partialRecord(healthState, z.number()),
  }),
  mailboxes: z
    .array(
      z.object({
        userId: z.string(),
        mail: z.string(),
        state: healthState,
        failureKind: failureKind.nullable(),
        reason: z.string().nullable(),
        lastSuccessAt: z.string().nullable(),
        failingSince: z.string().nullable(),
      }),
    )
    .describe('Every selected mailbox, failing ones first; states only, never message or meeting counts'),
  canRetry: z.boolean(),
});
export type MailboxHealthViewDto = z.infer<typeof mailboxHealthView>;

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function mailboxHealthRoutes(docs: ApiDocs, service: MailboxHealthService): Router {
  const router = Router();
  defineRoute(router, docs, {
    method: 'get', path: '/api/enrichments/:id/mailbox-health', summary: 'How each selected mailbox fared in the last run (states, never counts)', tags: ['runs'], access: 'admin',
    params,
    responses: { 200: { description: 'Mailbox health', schema: mailboxHealthView } },
  }, async ({ params: p, req }): Promise<MailboxHealthViewDto> => {
    const v = await service.view(principalOf(req).tenantId, p.id);
    return {
      runId: v.runId,
      runAsOf: iso(v.runAsOf),
      evaluatedAt: iso(v.evaluatedAt),
      summary: v.summary,
      mailboxes: v.mailboxes.map((m) => ({ ...m, lastSuccessAt: iso(m.lastSuccessAt), failingSince: iso(m.failingSince) })),
      canRetry: v.canRetry,
    };
  });
  defineRoute(router, docs, {
    method: 'post', path: '/api/enrichments/:id/mailbox-health/retry', summary: 'Retry the failed mailboxes of the published run, into its result', tags: ['runs'], access: 'admin',
    params,
    responses: { 202: { description: 'The retry run, queued', schema: runView } },
  }, async ({ params: p, req }) => {
    const principal = principalOf(req);
    return toRunView(await service.retryFailed(principal.tenantId, p.id, principal.userId));
  });
  return router;
}
