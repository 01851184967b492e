import type { Client } from '@microsoft/microsoft-graph-client';
import { classifyGraphError, graphErrorFacts } from '../../platform/graph/classify-graph-error';
import type { CalendarChange, EventMeta, MessageMeta } from '../domain/mailbox-contribution';

/** Only metadata: never subject, body, preview or attachments. */
export const MESSAGE_FIELDS = ['internetMessageId', 'conversationId', 'from', 'toRecipients', 'ccRecipients', 'sentDateTime', 'receivedDateTime', 'isDraft'];
const PAGE_SIZE = 1000;

interface GraphRecipient {
  emailAddress?: { address?: string | null } | null;
}

export interface GraphMessage {
  internetMessageId?: string;
  conversationId?: string;
  from?: GraphRecipient | null;
  toRecipients?: GraphRecipient[];
  ccRecipients?: GraphRecipient[];
  sentDateTime?: string | null;
  receivedDateTime?: string;
  isDraft?: boolean;
}

interface GraphEvent {
  id?: string;
  '@removed'?: { reason?: string };
  iCalUId?: string;
  type?: string;
  start?: { dateTime: string; timeZone?: string };
  end?: { dateTime: string; timeZone?: string };
  organizer?: GraphRecipient | null;
  attendees?: GraphRecipient[];
  isCancelled?: boolean;
}

export interface Page<T> {
  value: T[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

const address = (r: GraphRecipient | null | undefined) => r?.emailAddress?.address ?? null;
/** Shared by every message without such recipients (most have no cc): never written to. */
const NO_ADDRESSES: string[] = Object.freeze([]) as unknown as string[];

function addresses(rs: GraphRecipient[] | undefined): string[] {
  if (!rs || rs.length === 0) return NO_ADDRESSES;
  const out: string[] = [];
  for (const r of rs) {
    const a = r?.emailAddress?.address;
    if (a) out.push(a);
  }
  return out;
}

/**
 * Maps a Graph message to what the engine may see. Whatever Graph returned beyond the
 * selected fields is dropped here, at the adapter, and never travels further.
 */
export function toMessageMeta(m: GraphMessage): MessageMeta | null {
  if (!m.internetMessageId || !m.receivedDateTime) return null;
  return {
    internetMessageId: m.internetMessageId,
    conversationId: m.conversationId ?? m.internetMessageId,
    from: address(m.from),
    to: addresses(m.toRecipients),
    cc: addresses(m.ccRecipients),
    sentDateTime: m.sentDateTime ?? m.receivedDateTime,
    receivedDateTime: m.receivedDateTime,
    isDraft: m.isDraft === true,
  };
}

/** Graph's `dateTimeTimeZone` in UTC (we ask for UTC) to an ISO instant. */
function utcInstant(v: { dateTime: string; timeZone?: string } | undefined): string | null {
  if (!v?.dateTime) return null;
  const s = v.dateTime;
  return /[zZ]|[+-]\d\d:\d\d$/.test(s) ? s : `${s}Z`;
}

export function toEventMeta(e: GraphEvent): EventMeta | null {
  const start = utcInstant(e.start);
  const end = utcInstant(e.end);
  if (!e.id || !e.iCalUId || !start || !end) return null;
  return {
    id: e.id,
    iCalUId: e.iCalUId,
    type: e.type ?? 'singleInstance',
    start,
    end,
    organizer: address(e.organizer),
    attendees: addresses(e.attendees),
    isCancelled: e.isCancelled === true,
  };
}

/** A calendarView/delta item: a removal (`@removed`, only the id) or an added or updated item. */
export function toCalendarChange(e: GraphEvent): CalendarChange | null {
  if (e['@removed']) return e.id ? { removed: true, id: e.id } : null;
  const event = toEventMeta(e);
  return event && { removed: false, event };
}

export interface PageQuery {
  /** Relative to the Graph version root, query string included (what `$batch` takes). */
  url: string;
  prefer: string;
}

/** Query string as Graph documents it: `$` options unencoded, values percent-encoded (spaces as %20). */
const queryString = (params: Array<[string, string]>) => params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');

export function messagesQuery(userId: string, after: Date, until: Date): PageQuery {
  const q = queryString([
    ['$select', MESSAGE_FIELDS.join(',')],
    ['$filter', `receivedDateTime gt ${after.toISOString()} and receivedDateTime le ${until.toISOString()}`],
    ['$top', String(PAGE_SIZE)],
  ]);
  return { url: `/users/${encodeURIComponent(userId)}/messages?${q}`, prefer: 'IdType="ImmutableId"' };
}

const CALENDAR_PREFER = 'IdType="ImmutableId", outlook.timezone="UTC", odata.maxpagesize=1000';

/**
 * The first round of a calendar sync: every occurrence, exception and single meeting
 * overlapping [start, end), series expanded. calendarView/delta takes no `$select` (it returns
 * whole events, without bodies under Calendars.ReadBasic.All); the adapter keeps metadata only.
 */
export function calendarSyncQuery(userId: string, start: Date, end: Date): PageQuery {
  const q = queryString([
    ['startDateTime', start.toISOString()],
    ['endDateTime', end.toISOString()],
  ]);
  return { url: `/users/${encodeURIComponent(userId)}/calendarView/delta?${q}`, prefer: CALENDAR_PREFER };
}

/**
 * The next round of a calendar sync, from the delta link the previous round ended with. The
 * link is absolute; Graph's `$batch` wants it relative to the version root.
 */
export function calendarDeltaQuery(deltaLink: string): PageQuery {
  const u = new URL(deltaLink);
  const path = u.pathname.replace(/^\/v1\.0(?=\/)/i, '');
  return { url: `${path}${u.search}`, prefer: CALENDAR_PREFER };
}

interface BatchSubResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** What a failed `$batch` sub-request becomes: the shape the Graph error classifier reads. */
export class BatchSubRequestError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'BatchSubRequestError';
  }
}

const RETRYABLE_SUB_STATUS = new Set([429, 500, 502, 503, 504]);

/** Graph says the calendar's sync state is gone (410, `syncStateNotFound`): start the sync again. */
export function isSyncStateLost(e: unknown): boolean {
  return classifyGraphError(graphErrorFacts(e)) === 'cursor-expired';
}

/**
 * The first page of a mailbox's messages and of its calendar sync in one `$batch` round trip
 * (two parallel sub-requests, within Outlook's 4 per mailbox). The outer response is 200
 * however the sub-requests fare, so the Graph client's RetryHandler never sees a throttled
 * sub-request: a 429 (or 5xx) sub-response is re-queued here, after its own Retry-After or an
 * exponential backoff with jitter, and only the sub-requests that failed go again. A calendar
 * delta whose sync state is gone comes back as `calendar: null` (the caller starts a new sync).
 */
export async function readFirstPages(
  client: Client,
  queries: { messages: PageQuery; calendar: PageQuery },
  stats: ReadStats,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<{ messages: Page<GraphMessage>; calendar: Page<GraphEvent> | null }> {
  const done = new Map<string, unknown>();
  const all = Object.keys(queries) as Array<keyof typeof queries>;
  for (let attempt = 1; ; attempt++) {
    const pending = all.filter((id) => !done.has(id));
    const requests = pending.map((id) => ({ id, method: 'GET', url: queries[id].url, headers: { Prefer: queries[id].prefer } }));
    // The outer request itself (a dropped connection, a 5xx for the whole batch) retries like a page.
    const answer = await getPage(() => client.api('/$batch').post({ requests }) as Promise<{ responses?: BatchSubResponse[] }>, policy, stats);
    // Graph counts each sub-request against the mailbox's limits: so do the stats.
    stats.requests += requests.length - 1;
    let waitMs = 0;
    let lastFailure: BatchSubRequestError | null = null;
    for (const r of answer.responses ?? []) {
      if (r.status >= 200 && r.status < 300) {
        done.set(r.id, r.body);
        continue;
      }
      const error = (r.body as { error?: { code?: string; message?: string } } | undefined)?.error;
      const failure = new BatchSubRequestError(r.status, error?.code, `Batched ${r.id} request failed with ${r.status}: ${error?.message ?? 'no detail'}`);
      if (r.id === 'calendar' && isSyncStateLost(failure)) {
        done.set(r.id, null);
        continue;
      }
      if (!RETRYABLE_SUB_STATUS.has(r.status)) throw failure;
      lastFailure = failure;
      stats.retries++;
      if (r.status === 429) stats.throttled = (stats.throttled ?? 0) + 1;
      const retryAfter = Number(Object.entries(r.headers ?? {}).find(([k]) => k.toLowerCase() === 'retry-after')?.[1]);
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      waitMs = Math.max(waitMs, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : backoff / 2 + Math.random() * (backoff / 2));
    }
    if (done.size === all.length) return { messages: done.get('messages') as Page<GraphMessage>, calendar: done.get('calendar') as Page<GraphEvent> | null };
    if (attempt >= policy.attempts) throw lastFailure ?? new BatchSubRequestError(502, undefined, 'The $batch response left requests unanswered.');
    await sleep(waitMs);
  }
}

export interface ReadStats {
  requests: number;
  retries: number;
  /** Retries that answered a 429 (throttling Graph reported to the engine; the Graph client's own retries are not seen). */
  throttled?: number;
  /** Milliseconds spent projecting Graph items to metadata (for the bench's time split). */
  parseMs?: number;
}

export interface RetryPolicy {
  /** Attempts for one page after the Graph client's own 429/503 retries gave up. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 500, maxDelayMs: 30_000 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One page with the engine's own retry on top of the Graph client's RetryHandler: dropped
 * connections and repeated 5xx/429 back off exponentially with jitter, honouring Retry-After.
 */
async function getPage<R>(fetchPage: () => Promise<R>, policy: RetryPolicy, stats: ReadStats): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    try {
      stats.requests++;
      return await fetchPage();
    } catch (e) {
      const kind = classifyGraphError(graphErrorFacts(e));
      if ((kind !== 'transient' && kind !== 'throttled' && kind !== 'unknown') || attempt >= policy.attempts) throw e;
      stats.retries++;
      if (kind === 'throttled') stats.throttled = (stats.throttled ?? 0) + 1;
      const retryAfter = Number((e as { headers?: Headers }).headers?.get?.('Retry-After'));
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : backoff / 2 + Math.random() * (backoff / 2));
    }
  }
}

/**
 * The pages of one query: its first page (fetched here, or handed over when it came in a
 * `$batch`), then every `@odata.nextLink`, each projected to metadata by `project`.
 */
async function* pages<T, M>(client: Client, query: PageQuery, project: (item: T) => M | null, policy: RetryPolicy, stats: ReadStats, firstPage?: Page<T>, end?: (last: Page<T>) => void): AsyncGenerator<M[]> {
  const fetchPage = (url: string) => getPage(() => client.api(url).header('Prefer', query.prefer).get() as Promise<Page<T>>, policy, stats);
  let next: string | undefined = query.url;
  while (next !== undefined) {
    const metas = await (async () => {
      // The page's Graph objects are referenced only in here: the consumer runs, and the next
      // page is awaited, after they are garbage. Held on to, each page of every mailbox in flight
      // outlived young-generation collections and was copied on into the old generation.
      const page: Page<T> = firstPage ?? (await fetchPage(next!));
      firstPage = undefined;
      const from = performance.now();
      const projected = projectAll(page.value, project);
      next = page['@odata.nextLink'];
      if (next === undefined) end?.(page);
      if (stats.parseMs !== undefined) stats.parseMs += performance.now() - from;
      return projected;
    })();
    yield metas;
  }
}

/** `items.map(project)` without the nulls, in one array. */
function projectAll<T, M>(items: readonly T[], project: (item: T) => M | null): M[] {
  const out: M[] = [];
  for (const item of items) {
    const m = project(item);
    if (m !== null) out.push(m);
  }
  return out;
}

/**
 * Messages of one mailbox received in (after, until], every folder, page by page at the
 * largest page size Graph allows, with immutable ids.
 */
export function readMessages(
  client: Client,
  userId: string,
  after: Date,
  until: Date,
  stats: ReadStats,
  policy: RetryPolicy = DEFAULT_RETRY,
  firstPage?: Page<GraphMessage>,
): AsyncGenerator<MessageMeta[]> {
  return pages(client, messagesQuery(userId, after, until), toMessageMeta, policy, stats, firstPage);
}

/** Where a calendar sync round ended: the link the next round starts from. */
export interface CalendarRound {
  deltaLink: string | null;
}

/**
 * One round of a mailbox's calendar sync (the first: every item in the window; a later one:
 * what changed since the delta link), page by page, as changes. `round.deltaLink` is set when
 * the last page arrived. A lost sync state throws (see `isSyncStateLost`).
 */
export function readCalendarChanges(
  client: Client,
  query: PageQuery,
  round: CalendarRound,
  stats: ReadStats,
  policy: RetryPolicy = DEFAULT_RETRY,
  firstPage?: Page<GraphEvent>,
): AsyncGenerator<CalendarChange[]> {
  return pages(client, query, toCalendarChange, policy, stats, firstPage, (last) => {
    round.deltaLink = last['@odata.deltaLink'] ?? null;
  });
}
