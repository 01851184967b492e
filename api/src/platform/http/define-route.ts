import type { Request, RequestHandler, Response, Router } from 'express';
import type { z } from 'zod';
import { refuseApps, requireAdmin } from '../auth/auth.middleware';
import type { Access, ApiDocs, OperationDoc, ResponseDoc } from '../openapi/api-docs';
import { AppError } from '../errors/app-error';
import { validate } from './validate';

/**
 * The answer as the client will read it (JSON, so dates become strings) must match the schema
 * the route documents for its success status; otherwise the OpenAPI document says something the
 * API does not send.
 */
function checkResponse(spec: Pick<OperationDoc, 'method' | 'path' | 'responses'>, status: number, result: unknown): void {
  const schema = spec.responses[status]?.schema;
  if (!schema) throw new Error(`${spec.method.toUpperCase()} ${spec.path} returned JSON but documents no schema for ${status}`);
  const sent = JSON.parse(JSON.stringify(result)) as unknown;
  const checked = schema.safeParse(sent);
  if (checked.success) {
    // zod drops keys a schema does not name: any dropped key is one the document does not describe.
    const extra = undocumentedKeys(sent, checked.data);
    if (extra.length) {
      throw new Error(`${spec.method.toUpperCase()} ${spec.path} answered ${status} with fields its OpenAPI schema does not describe: ${extra.slice(0, 5).join(', ')}`);
    }
  } else {
    const where = checked.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`${spec.method.toUpperCase()} ${spec.path} answered ${status} with a body its OpenAPI schema refuses: ${where}`);
  }
}

/** Paths of keys present in what was sent but absent from what the schema kept. */
function undocumentedKeys(sent: unknown, kept: unknown, at = ''): string[] {
  if (Array.isArray(sent) && Array.isArray(kept)) return sent.flatMap((v, i) => undocumentedKeys(v, kept[i], `${at}[${i}]`)).slice(0, 5);
  if (!sent || !kept || typeof sent !== 'object' || typeof kept !== 'object') return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(sent)) {
    const path = at ? `${at}.${k}` : k;
    if (!(k in kept)) out.push(path);
    else out.push(...undocumentedKeys(v, (kept as Record<string, unknown>)[k], path));
  }
  return out;
}

/** Whether the request has a body at all (as HTTP/1.1 frames one), whatever its content. */
function carriesBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

type Infer<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteSpec<
  P extends z.ZodObject | undefined,
  Q extends z.ZodObject | undefined,
  B extends z.ZodType | undefined,
  R extends Record<number, ResponseDoc> = Record<number, ResponseDoc>,
> extends Omit<OperationDoc, 'params' | 'query' | 'body' | 'access' | 'responses'> {
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  responses: R;
}

/**
 * What a handler may return: the JSON body its success response documents (as the client will
 * read it), or nothing when it writes the response itself. A handler returning another shape
 * does not compile, so the document and the code cannot drift apart.
 */
type SuccessBody<R> = {
  [S in keyof R]: S extends 200 | 201 | 202 ? (R[S] extends { schema: infer Z extends z.ZodType } ? z.input<Z> : never) : never;
}[keyof R];
type HandlerResult<R> = number extends keyof R
  ? unknown // responses built without their literal statuses: nothing to check against
  : [SuccessBody<R>] extends [never]
    ? void | undefined
    : SuccessBody<R> | void | undefined;

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
  R extends Record<number, ResponseDoc> = Record<number, ResponseDoc>,
>(
  router: Router,
  docs: ApiDocs,
  spec: RouteSpec<P, Q, B, R>,
  handler: (input: RouteInput<Infer<P>, Infer<Q>, Infer<B>>) => Promise<HandlerResult<R>> | HandlerResult<R>,
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
      if (result !== undefined && !res.headersSent) {
        if (docs.options.checkResponses) checkResponse(spec, successStatus, result);
        res.status(successStatus).json(result);
      }
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
