import type { Client } from '@microsoft/microsoft-graph-client';
import { classifyGraphError, graphErrorFacts } from '../../platform/graph/classify-graph-error';
import type { EventMeta, MessageMeta } from '../domain/mailbox-contribution';

/** Only metadata: never subject, body, preview or attachments. */
export const MESSAGE_FIELDS = ['internetMessageId', 'conversationId', 'from', 'toRecipients', 'ccRecipients', 'sentDateTime', 'receivedDateTime', 'isDraft'];
export const EVENT_FIELDS = ['iCalUId', 'type', 'start', 'end', 'organizer', 'attendees', 'isCancelled'];
const PAGE_SIZE = 1000;

interface GraphRecipient {
  emailAddress?: { address?: string | null } | null;
}

interface GraphMessage {
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
}

const address = (r: GraphRecipient | null | undefined) => r?.emailAddress?.address ?? null;
const addresses = (rs: GraphRecipient[] | undefined) => (rs ?? []).map(address).filter((a): a is string => !!a);

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
  if (!e.iCalUId || !start || !end) return null;
  return {
    iCalUId: e.iCalUId,
    type: e.type ?? 'singleInstance',
    start,
    end,
    organizer: address(e.organizer),
    attendees: addresses(e.attendees),
    isCancelled: e.isCancelled === true,
  };
}

interface PageQuery {
  /** Relative to the Graph version root, query string included (what `$batch` takes). */
  url: string;
  prefer: string;
}

/** Query string as Graph documents it: `$` options unencoded, values percent-encoded (spaces as %20). */
const queryString = (params: Array<[string, string]>) => params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');

function messagesQuery(userId: string, after: Date, until: Date): PageQuery {
  const q = queryString([
    ['$select', MESSAGE_FIELDS.join(',')],
    ['$filter', `receivedDateTime gt ${after.toISOString()} and receivedDateTime le ${until.toISOString()}`],
    ['$top', String(PAGE_SIZE)],
  ]);
  return { url: `/users/${encodeURIComponent(userId)}/messages?${q}`, prefer: 'IdType="ImmutableId"' };
}

function eventsQuery(userId: string, start: Date, end: Date): PageQuery {
  const q = queryString([
    ['startDateTime', start.toISOString()],
    ['endDateTime', end.toISOString()],
    ['$select', EVENT_FIELDS.join(',')],
    ['$top', String(PAGE_SIZE)],
  ]);
  return { url: `/users/${encodeURIComponent(userId)}/calendarView?${q}`, prefer: 'IdType="ImmutableId", outlook.timezone="UTC"' };
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

/**
 * The first page of a mailbox's messages and of its calendar in one `$batch` round trip (two
 * parallel sub-requests, within Outlook's 4 per mailbox). The outer response is 200 however the
 * sub-requests fare, so the Graph client's RetryHandler never sees a throttled sub-request:
 * a 429 (or 5xx) sub-response is re-queued here, after its own Retry-After or an exponential
 * backoff with jitter, and only the sub-requests that failed go again.
 */
export async function readFirstPages(
  client: Client,
  userId: string,
  messages: { after: Date; until: Date },
  events: { start: Date; end: Date },
  stats: ReadStats,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<{ messages: Page<GraphMessage>; events: Page<GraphEvent> }> {
  const queries: Record<string, PageQuery> = { messages: messagesQuery(userId, messages.after, messages.until), events: eventsQuery(userId, events.start, events.end) };
  const done = new Map<string, unknown>();
  for (let attempt = 1; ; attempt++) {
    const pending = Object.keys(queries).filter((id) => !done.has(id));
    const requests = pending.map((id) => ({ id, method: 'GET', url: queries[id]!.url, headers: { Prefer: queries[id]!.prefer } }));
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
      if (!RETRYABLE_SUB_STATUS.has(r.status)) throw failure;
      lastFailure = failure;
      stats.retries++;
      const retryAfter = Number(Object.entries(r.headers ?? {}).find(([k]) => k.toLowerCase() === 'retry-after')?.[1]);
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      waitMs = Math.max(waitMs, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : backoff / 2 + Math.random() * (backoff / 2));
    }
    if (done.size === Object.keys(queries).length) return { messages: done.get('messages') as Page<GraphMessage>, events: done.get('events') as Page<GraphEvent> };
    if (attempt >= policy.attempts) throw lastFailure ?? new BatchSubRequestError(502, undefined, 'The $batch response left requests unanswered.');
    await sleep(waitMs);
  }
}

export interface ReadStats {
  requests: number;
  retries: number;
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
async function* pages<T, M>(client: Client, query: PageQuery, project: (item: T) => M | null, policy: RetryPolicy, stats: ReadStats, firstPage?: Page<T>): AsyncGenerator<M[]> {
  let page = firstPage ?? (await getPage(() => client.api(query.url).header('Prefer', query.prefer).get() as Promise<Page<T>>, policy, stats));
  for (;;) {
    const from = performance.now();
    const metas = page.value.map(project).filter((m): m is M => m !== null);
    if (stats.parseMs !== undefined) stats.parseMs += performance.now() - from;
    yield metas;
    const next = page['@odata.nextLink'];
    if (!next) return;
    page = await getPage(() => client.api(next).header('Prefer', query.prefer).get() as Promise<Page<T>>, policy, stats);
  }
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

/** Calendar occurrences, exceptions and single meetings of one mailbox overlapping [start, end). */
export function readEvents(
  client: Client,
  userId: string,
  start: Date,
  end: Date,
  stats: ReadStats,
  policy: RetryPolicy = DEFAULT_RETRY,
  firstPage?: Page<GraphEvent>,
): AsyncGenerator<EventMeta[]> {
  return pages(client, eventsQuery(userId, start, end), toEventMeta, policy, stats, firstPage);
}
