import { Router } from 'express';
import { z } from 'zod';
import { idParam } from '../platform/http/id-param';
import { principalOf } from '../platform/auth/auth.middleware';
import { defineRoute } from '../platform/http/define-route';
import type { ApiDocs } from '../platform/openapi/api-docs';
import type { RunDocument } from './lifecycle/runs.store';
import type { RunsService } from './runs.service';
import { runView, scheduleView, type RunView } from './runs.schema';



export function toRunView(r: RunDocument): RunView {
  return {
    id: r._id,
    enrichmentId: r.enrichmentId,
    trigger: r.trigger,
    asOf: r.asOf.toISOString(),
    mode: r.mode,
    baseRunId: r.baseRunId,
    retryOf: r.retryOf ?? null,
    state: r.state,
    phase: r.phase,
    // Runs recorded before calendars were synced by delta have no calendar counter.
    counters: { ...r.counters, mailboxesCalendarFullRead: r.counters.mailboxesCalendarFullRead ?? 0 },
    errors: (r.errors ?? []).map((e) => ({ userId: e.userId, reason: e.reason, at: e.at.toISOString() })),
    summary: r.summary,
    estimate: r.estimate ? { ...r.estimate, asOf: r.estimate.asOf.toISOString(), countedAt: r.estimate.countedAt.toISOString() } : null,
    failureReason: r.failureReason,
    createdAt: r.createdAt.toISOString(),
    startedAt: r.startedAt?.toISOString() ?? null,
    endedAt: r.endedAt?.toISOString() ?? null,
  };
}


const enrichmentParams = z.object({ id: idParam });
const runParams = z.object({ id: idParam, runId: idParam });

export function runsRoutes(docs: ApiDocs, service: RunsService): Router {
  const router = Router();

  defineRoute(router, docs, {
    method: 'get', path: '/api/enrichments/:id/runs', summary: "An enrichment's run history, newest first (50)", tags: ['runs'], access: 'admin',
    params: enrichmentParams,
    responses: { 200: { description: 'Runs', schema: z.object({ items: z.array(runView) }) } },
  }, async ({ params, req }) => ({ items: (await service.list(principalOf(req).tenantId, params.id)).map(toRunView) }));

  defineRoute(router, docs, {
    method: 'post', path: '/api/enrichments/:id/runs', summary: 'Run now', tags: ['runs'], access: 'admin',
    params: enrichmentParams,
    body: z
      .object({
        mode: z.enum(['auto', 'full']).default('auto').describe('auto = refresh when the last completed run has the same configuration, else full'),
        asOf: z.iso.datetime().optional().describe('development and test only: the run\'s as-of, a whole UTC hour not in the future'),
      })
      .strict()
      .default({ mode: 'auto' }),
    responses: { 202: { description: 'The run, queued', schema: runView } },
  }, async ({ params, body, req }) => {
    const p = principalOf(req);
    const run = await service.start({
      tenantId: p.tenantId,
      enrichmentId: params.id,
      trigger: 'manual',
      requestedBy: p.userId,
      mode: body.mode,
      asOf: body.asOf ? new Date(body.asOf) : undefined,
    });
    return toRunView(run);
  });

  defineRoute(router, docs, {
    method: 'get', path: '/api/enrichments/:id/runs/:runId', summary: 'One run with its progress and per-mailbox errors', tags: ['runs'], access: 'admin',
    params: runParams,
    responses: { 200: { description: 'The run', schema: runView } },
  }, async ({ params, req }) => toRunView(await service.get(principalOf(req).tenantId, params.id, params.runId)));

  defineRoute(router, docs, {
    method: 'post', path: '/api/enrichments/:id/runs/:runId/cancel', summary: 'Cancel a queued or running run; the previous result stays', tags: ['runs'], access: 'admin',
    params: runParams,
    responses: { 200: { description: 'The cancelled run', schema: runView } },
  }, async ({ params, req }) => {
    const p = principalOf(req);
    return toRunView(await service.cancel(p.tenantId, params.id, params.runId, p.userId));
  });

  defineRoute(router, docs, {
    method: 'get', path: '/api/enrichments/:id/schedule', summary: 'The enrichment\'s run schedule', tags: ['runs'], access: 'admin',
    params: enrichmentParams,
    responses: { 200: { description: 'Schedule', schema: scheduleView } },
  }, async ({ params, req }) => service.schedule(principalOf(req).tenantId, params.id));

  defineRoute(router, docs, {
    method: 'put', path: '/api/enrichments/:id/schedule', summary: 'Change the schedule or turn it off', tags: ['runs'], access: 'admin',
    params: enrichmentParams,
    body: z.object({ enabled: z.boolean(), intervalHours: z.number().int().min(1).max(24 * 31).optional() }).strict(),
    responses: { 200: { description: 'Schedule', schema: scheduleView } },
  }, async ({ params, body, req }) => {
    const p = principalOf(req);
    return service.setSchedule(p.tenantId, params.id, body, p.userId);
  });

  return router;
}
