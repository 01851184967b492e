import { Router } from 'express';
import { z } from 'zod';
import { principalOf } from '../platform/auth/auth.middleware';
import { defineRoute } from '../platform/http/define-route';
import type { ApiDocs } from '../platform/openapi/api-docs';
import { idParam } from '../platform/http/id-param';
import type { EstimateDocument } from './estimate.store';
import type { EstimateService } from './estimate.service';
import { draftEstimateBody, draftEstimateView, draftKeyParam, estimateView, type DraftEstimateViewDto, type EstimateViewDto } from './estimate.schema';

const params = z.object({ id: idParam });

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

/** A draft's estimate is of its own selection: it cannot go stale, a different selection has another key. */
const toDraftView = (doc: EstimateDocument): DraftEstimateViewDto => ({ ...toView(doc, false), key: doc.draft!.key });

export function estimateRoutes(docs: ApiDocs, service: EstimateService): Router {
  const router = Router();
  defineRoute(router, docs, {
    method: 'get', path: '/api/enrichments/:id/estimate', summary: 'The dry-run estimate of a full run and a weekly refresh (cached; with progress while it is computed)', tags: ['runs'], access: 'admin',
    params,
    responses: { 200: { description: 'The estimate (before the enrichment has one of its own: the draft estimate of the same mailboxes, if any)', schema: estimateView } },
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
  defineRoute(router, docs, {
    method: 'post', path: '/api/estimates/drafts', summary: 'The dry-run estimate of a selection that is not an enrichment yet (the wizard\'s review step): the cached one, or counted in the background', tags: ['runs'], access: 'admin',
    body: draftEstimateBody,
    responses: { 202: { description: 'The selection\'s estimate: cached (any state) unless a refresh is asked, else queued. Needs the organisation\'s admin consent (403 consent-required otherwise)', schema: draftEstimateView } },
  }, async ({ body, req }) => {
    const principal = principalOf(req);
    return toDraftView(await service.requestDraft(principal.tenantId, body.userIds, principal.userId, body.refresh));
  });
  defineRoute(router, docs, {
    method: 'get', path: '/api/estimates/drafts/:key', summary: 'A draft selection\'s estimate and its progress, by the key its request answered with', tags: ['runs'], access: 'admin',
    params: draftKeyParam,
    responses: { 200: { description: 'The estimate', schema: draftEstimateView } },
  }, async ({ params: p, req }) => toDraftView(await service.getDraft(principalOf(req).tenantId, p.key)));
  return router;
}
