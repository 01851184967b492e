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

interface Page<T> {
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
async function getPage<T>(fetchPage: () => Promise<Page<T>>, policy: RetryPolicy, stats: ReadStats): Promise<Page<T>> {
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

async function* pages<T>(client: Client, first: () => Promise<Page<T>>, policy: RetryPolicy, stats: ReadStats): AsyncGenerator<T[]> {
  let page = await getPage(first, policy, stats);
  yield page.value;
  while (page['@odata.nextLink']) {
    const next = page['@odata.nextLink'];
    page = await getPage(() => client.api(next).header('Prefer', 'IdType="ImmutableId"').get() as Promise<Page<T>>, policy, stats);
    yield page.value;
  }
}

/**
 * Messages of one mailbox received in (after, until], every folder, page by page at the
 * largest page size Graph allows, with immutable ids.
 */
export async function* readMessages(
  client: Client,
  userId: string,
  after: Date,
  until: Date,
  stats: ReadStats,
  policy: RetryPolicy = DEFAULT_RETRY,
): AsyncGenerator<MessageMeta[]> {
  const first = () =>
    client
      .api(`/users/${encodeURIComponent(userId)}/messages`)
      .header('Prefer', 'IdType="ImmutableId"')
      .select(MESSAGE_FIELDS)
      .filter(`receivedDateTime gt ${after.toISOString()} and receivedDateTime le ${until.toISOString()}`)
      .top(PAGE_SIZE)
      .get() as Promise<Page<GraphMessage>>;
  for await (const batch of pages(client, first, policy, stats)) {
    const from = performance.now();
    const metas = batch.map(toMessageMeta).filter((m): m is MessageMeta => m !== null);
    if (stats.parseMs !== undefined) stats.parseMs += performance.now() - from;
    yield metas;
  }
}

/** Calendar occurrences, exceptions and single meetings of one mailbox overlapping [start, end). */
export async function* readEvents(
  client: Client,
  userId: string,
  start: Date,
  end: Date,
  stats: ReadStats,
  policy: RetryPolicy = DEFAULT_RETRY,
): AsyncGenerator<EventMeta[]> {
  const first = () =>
    client
      .api(`/users/${encodeURIComponent(userId)}/calendarView`)
      .header('Prefer', 'IdType="ImmutableId", outlook.timezone="UTC"')
      .query({ startDateTime: start.toISOString(), endDateTime: end.toISOString() })
      .select(EVENT_FIELDS)
      .top(PAGE_SIZE)
      .get() as Promise<Page<GraphEvent>>;
  for await (const batch of pages(client, first, policy, stats)) {
    const from = performance.now();
    const metas = batch.map(toEventMeta).filter((e): e is EventMeta => e !== null);
    if (stats.parseMs !== undefined) stats.parseMs += performance.now() - from;
    yield metas;
  }
}
