import { Router } from 'express';
import type { Db } from 'mongodb';
import { z } from 'zod';
import { AppError } from '../platform/errors/app-error';
import { defineRoute } from '../platform/http/define-route';
import type { ApiDocs } from '../platform/openapi/api-docs';

const health = z.object({ status: z.literal('ok') });
const readiness = z.object({ status: z.literal('ready'), checks: z.object({ mongodb: z.literal('ok') }) });

/** Liveness says the process answers; readiness also proves MongoDB answers a ping. */
export function healthRoutes(docs: ApiDocs, db: Db): Router {
  const router = Router();
  defineRoute(router, docs, {
    method: 'get', path: '/healthz', summary: 'Liveness', tags: ['health'], access: 'public',
    responses: { 200: { description: 'The process is up', schema: health } },
  }, () => ({ status: 'ok' as const }));

  defineRoute(router, docs, {
    method: 'get', path: '/readyz', summary: 'Readiness, including MongoDB', tags: ['health'], access: 'public',
    responses: { 200: { description: 'Ready to serve', schema: readiness } },
  }, async () => {
    try {
      await db.command({ ping: 1 }, { timeoutMS: 2_000 });
    } catch (e) {
      throw new AppError('not-ready', 'MongoDB does not answer; the API cannot serve requests yet.', { cause: e, retryAfterSeconds: 5 });
    }
    return { status: 'ready' as const, checks: { mongodb: 'ok' as const } };
  });
  return router;
}
