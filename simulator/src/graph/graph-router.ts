import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { randomUUID } from 'node:crypto';
import zlib from 'node:zlib';
import { decodeJwt } from 'jose';
import type { SimContext } from '../sim-context';
import { graphErrorBody } from './graph-errors';
import { dispatchGraph } from './graph-dispatch';
import type { GraphRequest } from './graph-types';

/** Removes user principal names / addresses from a path before it is logged. */
export function redactPath(path: string): string {
  return path
    .split('/')
    .map((s) => (decodeURIComponent(s).includes('@') ? '<upn>' : s))
    .join('/');
}

function tenantOfUnverified(ctx: SimContext, authorization: string | undefined) {
  try {
    const token = authorization?.replace(/^Bearer\s+/i, '');
    const tid = token ? decodeJwt(token).tid : undefined;
    return typeof tid === 'string' ? ctx.tenants.get(tid.toLowerCase()) : undefined;
  } catch {
    return undefined;
  }
}

function headersOf(req: Request): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** A stored (gzip) body: its members as they are to a client that accepts gzip, as Graph does; inflated otherwise. */
function sendStored(req: Request, res: Response, members: Buffer[]): void {
  res.type('application/json; charset=utf-8');
  if (!/\bgzip\b/i.test(req.get('accept-encoding') ?? '')) return void res.end(zlib.gunzipSync(Buffer.concat(members)));
  res.set('Content-Encoding', 'gzip');
  res.set('Content-Length', String(members.reduce((n, m) => n + m.length, 0)));
  for (const m of members) res.write(m);
  res.end();
}

export function createGraphRouter(ctx: SimContext, options: { logRequests: boolean }): Router {
  const router = express.Router();

  // Dropped connections happen before anything is read, like a network failure would.
  router.use((req, _res, next) => {
    if (ctx.faults.shouldDrop()) {
      const handle = tenantOfUnverified(ctx, req.get('authorization'));
      if (handle) handle.stats.droppedConnections += 1;
      req.socket.destroy();
      return;
    }
    next();
  });

  router.use(express.json({ limit: '4mb', type: ['application/json', 'application/*+json'] }));

  router.all('/{*rest}', async (req, res) => {
    const started = Date.now();
    const raw = req.originalUrl.replace(/^\/v1\.0/i, '');
    const q = raw.indexOf('?');
    const clientRequestId = req.get('client-request-id') ?? randomUUID();
    const graphReq: GraphRequest = {
      method: req.method.toUpperCase(),
      path: (q < 0 ? raw : raw.slice(0, q)) || '/',
      query: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)),
      headers: headersOf(req),
      body: req.body,
      requestId: randomUUID(),
      clientRequestId,
    };
    const result = await dispatchGraph(ctx, graphReq);
    res.status(result.status);
    res.set({
      'request-id': graphReq.requestId,
      'client-request-id': clientRequestId,
      'x-ms-ags-diagnostic': JSON.stringify({ ServerInfo: { DataCenter: 'Simulator', Slice: 'E', Ring: '0', ScaleUnit: '000', RoleInstance: 'SIM' } }),
      'OData-Version': '4.0',
      'Cache-Control': 'no-cache',
      ...result.headers,
    });
    if (result.gzip) sendStored(req, res, result.gzip);
    else if (result.body === undefined) res.end();
    else res.json(result.body);
    if (options.logRequests || result.status >= 500) {
      ctx.log(`graph ${graphReq.method} ${redactPath(graphReq.path)} ${result.status} ${Date.now() - started}ms`);
    }
  });

  // Malformed JSON bodies: answer like Graph instead of express's HTML error page.
  router.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const status = (err as { status?: number }).status ?? 500;
    const requestId = randomUUID();
    res
      .status(status === 413 ? 413 : 400)
      .json(graphErrorBody(status === 413 ? 'RequestEntityTooLarge' : 'UnableToDeserializePostBody', status === 413 ? 'The request body is too large.' : 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.', requestId, req.get('client-request-id') ?? requestId));
  });
  return router;
}
