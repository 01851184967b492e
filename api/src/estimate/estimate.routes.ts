import { Router } from 'express';
import { z } from 'zod';
import { principalOf } from '../platform/auth/auth.middleware';
import { defineRoute } from '../platform/http/define-route';
import type { ApiDocs } from '../platform/openapi/api-docs';
import { idParam } from '../platform/http/id-param';
import type { EstimateDocument } from './estimate.store';
import type { EstimateService } from './estimate.service';

const params = z.object({ id: idParam });

export const estimateView = z.object({
  state: z.enum(['none', 'queued', 'running', 'done', 'failed']),
  stale: z.boolean().describe('The enrichment changed since the estimate was made: refresh it'),
  asOf: z.string().nullable(),
  mailboxesTotal: z.number(),
  mailboxesDone: z.number(),
  mailboxesFailed: z.number(),
  model: z.object({ requestSeconds: z.number(), itemSeconds: z.number(), concurrency: z.number() }).nullable().describe('The time model the durations come from'),
  result: z
    .object({
      mailboxes: z.number(),
      messages: z.number(),
      events: z.number(),
      weekMessages: z.number(),
      requestsFull: z.number(),
      requestsRefresh: z.number(),
      firstRunSeconds: z.number(),
      refreshSeconds: z.number(),
    })
    .nullable(),
  failureReason: z.string().nullable(),
  requestedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
});
export type EstimateViewDto = z.infer<typeof estimateView>;

function toView(doc: EstimateDocument | null, stale: boolean): EstimateViewDto {
  if (!doc) return { state: 'none', stale: false, asOf: null, mailboxesTotal: 0, mailboxesDone: 0, mailboxesFailed: 0, model: null, result: null, failureReason: null, requestedAt: null, endedAt: null };
  return {
    state: doc.state,
    stale,
    asOf: doc.asOf.toISOString(),
    mailboxesTotal: doc.mailboxesTotal,
    mailboxesDone: doc.mailboxesDone,
    mailboxesFailed: doc.mailboxesFailed,
    model: doc.model,
    result: doc.result,
    failureReason: doc.failureReason,
    requestedAt: doc.requestedAt.toISOString(),
    endedAt: doc.endedAt?.toISOString() ?? null,
  };
}

export function estimateRoutes(docs: ApiDocs, service: EstimateService): Router {
  const router = Router();
  defineRoute(router, docs, {
    method: 'get', path: '/api/enrichments/:id/estimate', summary: 'The dry-run estimate of a full run and a weekly refresh (cached; with progress while it is computed)', tags: ['runs'], access: 'admin',
    params,
    responses: { 200: { description: 'The estimate', schema: estimateView } },
  }, async ({ params: p, req }) => {
    const { estimate, stale } = await service.get(principalOf(req).tenantId, p.id);
    return toView(estimate, stale);
  });
  defineRoute(router, docs, {
    method: 'post', path: '/api/enrichments/:id/estimate', summary: 'Compute the estimate again in the background (counts every selected mailbox through Graph; reads no message)', tags: ['runs'], access: 'admin',
    params,
    responses: { 202: { description: 'The estimate, queued', schema: estimateView } },
  }, async ({ params: p, req }) => {
    const principal = principalOf(req);
    return toView(await service.request(principal.tenantId, p.id, principal.userId), false);
  });
  return router;
}
