import type { SimContext } from '../sim-context';
import { badRequest } from './graph-errors';
import type { GraphRequest } from './graph-types';
import { decodeStateToken, encodeStateToken, queryFingerprint } from './paging-token';

interface PageState {
  k: string;
  o: number;
  /** Snapshot instant (tenant clock) the listing was taken at, when it depends on it. */
  v?: number;
  q: string;
}

/** The request's query without the continuation token: what a token is bound to. */
function fingerprintOf(req: GraphRequest, extra: string[]): string {
  const params = [...req.query.entries()].filter(([k]) => k !== '$skiptoken' && k !== '$skip').map(([k, v]) => `${k}=${v}`).sort();
  return queryFingerprint([req.path.toLowerCase(), ...params, ...extra]);
}

export interface PageCursor {
  offset: number;
  /** Snapshot instant from the token, or undefined on a first page. */
  snapshot?: number;
}

/** Reads `$skiptoken` of a plain (non-delta) collection; invalid → 400. */
export function readPageCursor(ctx: SimContext, req: GraphRequest, kind: string, extra: string[] = []): PageCursor {
  const raw = req.query.get('$skiptoken');
  if (raw === null) {
    const skip = req.query.get('$skip');
    const offset = skip === null ? 0 : Number(skip);
    if (!Number.isInteger(offset) || offset < 0) throw badRequest(`Invalid $skip value '${skip}'.`);
    return { offset };
  }
  const state = decodeStateToken<PageState>(ctx.keys.pagingSecret, raw);
  if (!state || state.k !== kind || state.q !== fingerprintOf(req, extra)) throw badRequest('The $skiptoken is invalid or does not belong to this query.', 'Request_BadRequest');
  return { offset: state.o, ...(state.v !== undefined ? { snapshot: state.v } : {}) };
}

/** An absolute `@odata.nextLink` on the simulator's origin carrying the same query plus a new token. */
export function nextLinkFor(ctx: SimContext, req: GraphRequest, kind: string, offset: number, snapshot?: number, extra: string[] = []): string {
  const state: PageState = { k: kind, o: offset, q: fingerprintOf(req, extra), ...(snapshot !== undefined ? { v: snapshot } : {}) };
  const params = new URLSearchParams([...req.query.entries()].filter(([k]) => k !== '$skiptoken' && k !== '$skip'));
  params.set('$skiptoken', encodeStateToken(ctx.keys.pagingSecret, state));
  return `${ctx.url}/v1.0${req.path}?${params.toString()}`;
}

export function contextUrl(ctx: SimContext, fragment: string): string {
  return `${ctx.url}/v1.0/$metadata#${fragment}`;
}
