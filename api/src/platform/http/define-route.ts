import type { Request, RequestHandler, Response, Router } from 'express';
import type { z } from 'zod';
import { refuseApps, requireAdmin } from '../auth/auth.middleware';
import type { Access, ApiDocs, OperationDoc } from '../openapi/api-docs';
import { AppError } from '../errors/app-error';
import { validate } from './validate';

/** Whether the request has a body at all (as HTTP/1.1 frames one), whatever its content. */
function carriesBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

type Infer<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteSpec<P extends z.ZodObject | undefined, Q extends z.ZodObject | undefined, B extends z.ZodType | undefined>
  extends Omit<OperationDoc, 'params' | 'query' | 'body' | 'access'> {
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
}

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  req: Request;
  res: Response;
}

/**
 * Declares a route once: it is documented in OpenAPI, its inputs are validated with the same
 * zod schemas, admin-only routes are role-checked, and the handler's return value is sent as
 * JSON (or the handler writes the response itself and returns undefined).
 * Authentication itself is applied by the router the route is mounted on.
 */
export function defineRoute<
  P extends z.ZodObject | undefined = undefined,
  Q extends z.ZodObject | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(
  router: Router,
  docs: ApiDocs,
  spec: RouteSpec<P, Q, B>,
  handler: (input: RouteInput<Infer<P>, Infer<Q>, Infer<B>>) => Promise<unknown> | unknown,
): void {
  docs.add({ ...spec, params: spec.params, query: spec.query, body: spec.body } as OperationDoc);
  const relative = spec.path.replace(/^\/api/, '') || '/';
  const successStatus = Number(Object.keys(spec.responses).find((s) => Number(s) < 300) ?? 200);

  const run: RequestHandler = async (req, res, next) => {
    // Logs name the route pattern, never the raw path (paths carry ids and search terms).
    res.locals.route = spec.path;
    try {
      // A JSON operation sent a body of another type would otherwise run as if sent none.
      if (spec.body && carriesBody(req) && !/json/i.test(String(req.headers['content-type'] ?? ''))) {
        throw new AppError('unsupported-media-type', `Send the body as application/json; got ${String(req.headers['content-type'] ?? 'no Content-Type').slice(0, 80)}.`);
      }
      const input = {
        params: (spec.params ? validate(spec.params, req.params, 'path') : undefined) as Infer<P>,
        query: (spec.query ? validate(spec.query, req.query, 'query') : undefined) as Infer<Q>,
        body: (spec.body ? validate(spec.body, req.body, 'body') : undefined) as Infer<B>,
        req,
        res,
      };
      const result = await handler(input);
      if (result !== undefined && !res.headersSent) res.status(successStatus).json(result);
      else if (!res.headersSent) res.status(successStatus === 200 ? 204 : successStatus).end();
    } catch (e) {
      next(e);
    }
  };
  const named: RequestHandler = (_req, res, next) => {
    res.locals.route = spec.path;
    next();
  };
  if (spec.apps && spec.access !== 'user') throw new Error(`${spec.method} ${spec.path}: only seller reads may accept app-only tokens`);
  // App-only tokens are refused unless the route says it is a seller read of results (default deny:
  // a new route is closed to apps until it opts in).
  const chain: RequestHandler[] =
    spec.access === 'admin' ? [named, requireAdmin, run] : spec.access === 'user' && !spec.apps ? [named, refuseApps, run] : [run];
  router[spec.method](relative, ...chain);
}
