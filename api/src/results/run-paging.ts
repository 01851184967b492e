import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { AppError } from '../platform/errors/app-error';
import { validate } from '../platform/http/validate';
import type { ResponseDoc } from '../platform/openapi/api-docs';
import { pageQuerySchema, rowsPageSchema, type PageQuery, type RowsPage } from './results.schema';

/**
 * Paging for machines (an integration reading 100,000 accounts while a new run publishes):
 *
 * - every page that has a next one names it in `nextLink`, as Graph does: a URL whose only
 *   parameter is an opaque `cursor` holding the query, the next offset and the run the first page
 *   read. Following it reads that same run while its snapshot is kept (RESULTS_SNAPSHOTS_KEPT),
 *   so the pages add up to one consistent result; once the run is no longer kept the answer is a
 *   410 `cursor-expired` problem, and the client starts again from the first page.
 * - every page of a published result carries an `ETag` naming its run (and the saved segment's
 *   definition when one decides the rows); `If-None-Match` with it answers 304 with no body and
 *   no query, so a client polling for a new result transfers nothing while nothing changed.
 *
 * The cursor is not signed: everything in it is validated again like the query it replaces, and
 * a run is read only if the tenant's pointer keeps it for that enrichment.
 */

/**
 * Which list a cursor pages through: a cursor is refused on any other. The customer list
 * (`kind: 'accounts'`) may be asked for without an enrichment (the latest one): its cursor then
 * names the enrichment its first page read.
 */
export interface PagedList {
  enrichmentId: string | undefined;
  segmentId?: string;
  kind?: 'accounts';
}

/** What every paged query has: a position, or a cursor that holds the position and the rest. */
interface PagedQuery {
  offset: number;
  cursor?: string | undefined;
}
/** What every paged answer has. */
interface PagedAnswer {
  runId: string | null;
  offset: number;
  total: number;
  items: unknown[];
}

const cursorSchema = z
  .object({
    v: z.literal(1),
    e: z.string().min(1).max(100),
    g: z.string().min(1).max(100).optional(),
    k: z.literal('accounts').optional(),
    r: z.string().min(1).max(200),
    o: z.number().int().min(0).max(100_000_000),
    q: z.record(z.string(), z.string().max(20_000)),
  })
  .strict();
type CursorState = z.output<typeof cursorSchema>;

/** The query without paging position: what a cursor carries forward. */
const carriedQuerySchema = pageQuerySchema.omit({ offset: true, cursor: true });

function encodeCursor(state: CursorState): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

function refuseCursor(detail: string): AppError {
  return new AppError('validation', detail, { fields: [{ path: 'query.cursor', message: detail }] });
}

function decodeCursor(raw: string): CursorState {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw refuseCursor('The cursor is not one this API issued: follow nextLink exactly as it was returned.');
  }
  const parsed = cursorSchema.safeParse(json);
  if (!parsed.success) throw refuseCursor('The cursor is not one this API issued: follow nextLink exactly as it was returned.');
  return parsed.data;
}

/**
 * The query, pinned run and enrichment of a page request: from the cursor when there is one, else
 * as sent. `carried` is the schema the cursor's query is validated with again (the list's own
 * query without its position; the results rows' by default).
 */
export function pageRequest<Q extends PagedQuery>(
  req: Request,
  query: Q,
  list: PagedList,
  carried: z.ZodType<Omit<Q, 'offset' | 'cursor'>> = carriedQuerySchema as unknown as z.ZodType<Omit<Q, 'offset' | 'cursor'>>,
): { query: Q; runId: string | undefined; enrichmentId: string | undefined } {
  if (query.cursor === undefined) return { query, runId: undefined, enrichmentId: list.enrichmentId };
  const others = Object.keys(req.query).filter((k) => k !== 'cursor');
  if (others.length) throw refuseCursor(`A cursor already holds the query; send it alone (got also ${others.slice(0, 5).join(', ')}). To change the query, start again from the first page.`);
  const state = decodeCursor(query.cursor);
  const sameEnrichment = list.enrichmentId === undefined || state.e === list.enrichmentId;
  if (!sameEnrichment || state.g !== list.segmentId || state.k !== list.kind) throw refuseCursor('This cursor pages through another list; use it on the URL its nextLink named.');
  const rest = validate(carried, state.q, 'query');
  return { query: { ...rest, offset: state.o, cursor: undefined } as unknown as Q, runId: state.r, enrichmentId: state.e };
}

/** A weak ETag for the rows of one run (under one saved segment definition, when one applies). */
export function runEtag(runId: string, definition?: unknown): string {
  const h = createHash('sha256').update(runId).update('\u0000').update(definition === undefined ? '' : JSON.stringify(definition)).digest('base64url');
  return `W/"${h.slice(0, 27)}"`;
}

/**
 * The ETag of a CSV download of one run: the run, the rows' definition (a saved segment's) and
 * the header row's language (Accept-Language, unless the URL names a locale; the response says
 * Vary: Accept-Language). The filter, sort and columns are in the URL, which the ETag is for.
 */
export function csvEtagOf(req: Request, definition?: unknown): (runId: string) => string {
  const language = String(req.headers['accept-language'] ?? '');
  return (runId) => runEtag(runId, { csv: language, definition: definition ?? null });
}

/** Whether an If-None-Match header names this ETag (or `*`); weak comparison, as RFC 9110 asks for GET. */
export function matchesIfNoneMatch(req: Request, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (!header) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((t) => t.trim() === '*' || opaque(t) === opaque(etag));
}

/** Answers 304 when the client already holds this run's answer; true when it did. */
export function answeredNotModified(req: Request, res: Response, etag: string | null): boolean {
  if (!etag || !matchesIfNoneMatch(req, etag)) return false;
  res.setHeader('ETag', etag);
  res.status(304).end();
  return true;
}

/** The documented answers of a run-pinned list (`what` says what besides the run decides its ETag). */
export function pagedResponses(what: string) {
  return {
    200: { description: `One page (ETag names ${what}; nextLink pages on through the same run)`, schema: rowsPageSchema },
    304: { description: 'If-None-Match named this ETag: nothing it covers has changed' },
    410: { description: 'cursor-expired: the cursor\'s run is no longer kept; start again from the first page' },
  } satisfies Record<number, ResponseDoc>;
}

export interface PageSource<Q extends PagedQuery = PageQuery, P extends PagedAnswer = RowsPage> {
  /** The run a request without a cursor reads now (null before the first result). */
  currentRunId: () => Promise<string | null> | string | null;
  /** What besides the run and the query decides the rows (a saved segment's definition), for the ETag. */
  definitionOf?: (query: Q) => Promise<unknown> | unknown;
  /** Reads one page of the given run (the current one when undefined) of the enrichment (the list's, or the cursor's). */
  read: (query: Q, runId: string | undefined, enrichmentId: string | undefined) => Promise<P & { enrichmentId?: string | null }>;
  /** The schema a cursor's query is validated with again (default: the results rows' query). */
  carried?: z.ZodType<Omit<Q, 'offset' | 'cursor'>>;
}

/**
 * Serves one page of a run-pinned list: the cursor resolved, 304 when the client's ETag names the
 * run it would read, else the page with its ETag and `nextLink`. Undefined when it answered 304.
 */
export async function servePage<Q extends PagedQuery = PageQuery, P extends PagedAnswer = RowsPage>(
  req: Request,
  res: Response,
  publicUrl: string,
  list: PagedList,
  sent: Q,
  source: PageSource<Q, P>,
): Promise<(P & { nextLink: string | null }) | undefined> {
  const { query, runId, enrichmentId } = pageRequest(req, sent, list, source.carried);
  const target = runId ?? (await source.currentRunId());
  const definition = await source.definitionOf?.(query);
  if (answeredNotModified(req, res, target ? runEtag(target, definition) : null)) return undefined;
  const page = await source.read(query, runId, enrichmentId);
  if (page.runId) res.setHeader('ETag', runEtag(page.runId, definition));
  const next = page.offset + page.items.length;
  const more = page.runId !== null && page.items.length > 0 && next < page.total;
  const pinnedEnrichment = enrichmentId ?? page.enrichmentId ?? undefined;
  let nextLink: string | null = null;
  if (more && pinnedEnrichment) {
    const carried = runId === undefined ? carriedParams(req) : decodeCursor(sent.cursor!).q;
    const cursor = encodeCursor({ v: 1, e: pinnedEnrichment, ...(list.segmentId ? { g: list.segmentId } : {}), ...(list.kind ? { k: list.kind } : {}), r: page.runId!, o: next, q: carried });
    const path = new URL(req.originalUrl, 'http://x').pathname;
    nextLink = `${publicUrl.replace(/\/+$/, '')}${path}?cursor=${cursor}`;
  }
  return { ...page, nextLink };
}

/** The request's own query parameters (already validated as strings), without its position. */
function carriedParams(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.query)) if (k !== 'offset' && k !== 'cursor' && typeof v === 'string') out[k] = v;
  return out;
}
