import { randomUUID } from 'node:crypto';
import type { SimContext } from '../sim-context';
import type { SimTenantHandle } from '../state/sim-tenant-handle';
import { forgetActivity } from './activity-cache';
import { renderForStore } from './graph-dispatch';
import { forgetListings } from './mail-handlers';
import { PageStore } from './page-store';
import type { GraphPrincipal, GraphRequest } from './graph-types';

/** A request as a client will send it: a path below `/v1.0` with its query, and its Prefer header. */
export interface PrimeRequest {
  url: string;
  prefer?: string;
}

/** The path and query of a URL below the version root (`/users/…?…`), absolute or not. */
function belowVersionRoot(url: string): string {
  const relative = /^https:\/\//i.test(url) ? url.slice(url.indexOf('/', 'https://'.length)) : url;
  return relative.replace(/^\/v1\.0(?=\/)/i, '');
}

function requestOf(url: string, prefer: string | undefined): GraphRequest {
  const raw = belowVersionRoot(url);
  const q = raw.indexOf('?');
  return {
    method: 'GET',
    path: q < 0 ? raw : raw.slice(0, q),
    query: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)),
    headers: prefer ? { prefer } : {},
    body: undefined,
    requestId: randomUUID(),
    clientRequestId: randomUUID(),
  };
}

/**
 * Renders the pages `requests` will read (each request and every nextLink after it, as the
 * tenant's app principal sees them) into the page store. Rendering is the simulator's usual
 * path; what is stored is exactly what that path answers.
 */
export async function primePages(ctx: SimContext, handle: SimTenantHandle, requests: PrimeRequest[]): Promise<{ pages: number; items: number }> {
  const principal: GraphPrincipal = { kind: 'app', tenant: handle, appId: ctx.clientApp.clientId, roles: new Set(handle.consent.roles), scopes: new Set() };
  let pages = 0;
  let items = 0;
  for (const r of requests) {
    let url: string | undefined = r.url;
    while (url) {
      const req = requestOf(url, r.prefer);
      const res = await renderForStore(ctx, req, principal);
      const body = res.body as { value?: unknown[]; '@odata.nextLink'?: string } | undefined;
      if (res.status !== 200 || !body) throw new Error(`priming ${req.path} answered ${res.status}`);
      const count = Array.isArray(body.value) ? body.value.length : 0;
      const relative = belowVersionRoot(url);
      ctx.pages.put(PageStore.key(principal, req), { url: relative, ...(r.prefer ? { prefer: r.prefer } : {}) }, res.status, res.headers, JSON.stringify(body), count, ctx.url);
      pages++;
      items += count;
      url = body['@odata.nextLink'];
    }
  }
  // What rendering built is not needed to serve stored pages: drop the caches, and when the
  // process allows it (the bench's simulator runs with --expose-gc) collect the garbage now
  // rather than while the pages are served (a large heap makes every later collection slow).
  forgetActivity(handle);
  forgetListings();
  handle.tenant.releaseCaches?.();
  (globalThis as { gc?: () => void }).gc?.();
  return { pages, items };
}
