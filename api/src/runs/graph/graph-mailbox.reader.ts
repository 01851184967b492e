import { ResponseType, type Client } from '@microsoft/microsoft-graph-client';
// The client's own body reading and error building, so that a page taken raw fails as it would have.
import { GraphErrorHandler } from '@microsoft/microsoft-graph-client/lib/src/GraphErrorHandler';
import { GraphResponseHandler } from '@microsoft/microsoft-graph-client/lib/src/GraphResponseHandler';
import { classifyGraphError, graphErrorFacts } from '../../platform/graph/classify-graph-error';
import { responseBytes } from '../../platform/graph/https-message-handler';
import type { CalendarChange, EventMeta, MessageMeta } from '../domain/mailbox-contribution';
import { CLOSE_OBJECT, nameBytes, OPEN_OBJECT, readRecipient, readRecipients, scanBatch, scanPage, StringInterner, UnexpectedShape, type JsonCursor, type ScannedPage } from './graph-page.scanner';

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
  return messageMeta(m.internetMessageId, m.conversationId, address(m.from), addresses(m.toRecipients), addresses(m.ccRecipients), m.sentDateTime, m.receivedDateTime, m.isDraft === true);
}

/** A message's metadata from its fields, whichever way they were read (`toMessageMeta`, `scanMessage`). */
function messageMeta(
  id: string | null | undefined,
  conversationId: string | null | undefined,
  from: string | null,
  to: string[],
  cc: string[],
  sent: string | null | undefined,
  received: string | null | undefined,
  isDraft: boolean,
): MessageMeta | null {
  if (!id || !received) return null;
  return { internetMessageId: id, conversationId: conversationId ?? id, from, to, cc, sentDateTime: sent ?? received, receivedDateTime: received, isDraft };
}

/** Graph's `dateTimeTimeZone` in UTC (we ask for UTC) to an ISO instant. */
function utcInstant(dateTime: string | null | undefined): string | null {
  if (!dateTime) return null;
  return /[zZ]|[+-]\d\d:\d\d$/.test(dateTime) ? dateTime : `${dateTime}Z`;
}

export function toEventMeta(e: GraphEvent): EventMeta | null {
  return eventMeta(e.id, e.iCalUId, e.type, e.start?.dateTime, e.end?.dateTime, address(e.organizer), addresses(e.attendees), e.isCancelled === true);
}

function eventMeta(
  id: string | null | undefined,
  iCalUId: string | null | undefined,
  type: string | null | undefined,
  startDateTime: string | null | undefined,
  endDateTime: string | null | undefined,
  organizer: string | null,
  attendees: string[],
  isCancelled: boolean,
): EventMeta | null {
  const start = utcInstant(startDateTime);
  const end = utcInstant(endDateTime);
  if (!id || !iCalUId || !start || !end) return null;
  return { id, iCalUId, type: type ?? 'singleInstance', start, end, organizer, attendees, isCancelled };
}

/** A calendarView/delta item: a removal (`@removed`, only the id) or an added or updated item. */
export function toCalendarChange(e: GraphEvent): CalendarChange | null {
  return calendarChange(Boolean(e['@removed']), e.id, () => toEventMeta(e));
}

function calendarChange(removed: boolean, id: string | null | undefined, event: () => EventMeta | null): CalendarChange | null {
  if (removed) return id ? { removed: true, id } : null;
  const e = event();
  return e && { removed: false, event: e };
}

// ---- the same, read from the page's bytes (graph-page.scanner.ts) ------------------------------

const MESSAGE_KEY = {
  internetMessageId: nameBytes('internetMessageId'),
  conversationId: nameBytes('conversationId'),
  from: nameBytes('from'),
  toRecipients: nameBytes('toRecipients'),
  ccRecipients: nameBytes('ccRecipients'),
  sentDateTime: nameBytes('sentDateTime'),
  receivedDateTime: nameBytes('receivedDateTime'),
  isDraft: nameBytes('isDraft'),
} as const;

/** `toMessageMeta` of the message at the cursor, read from its bytes. */
export function scanMessage(c: JsonCursor): MessageMeta | null {
  c.take(OPEN_OBJECT, 'a message object');
  let id: string | null | undefined;
  let conversationId: string | null | undefined;
  let from: string | null = null;
  let to = NO_ADDRESSES;
  let cc = NO_ADDRESSES;
  let sent: string | null | undefined;
  let received: string | null | undefined;
  let isDraft = false;
  for (let first = true; c.next(CLOSE_OBJECT, first); first = false) {
    // Names are told apart by length first: most members are ones the adapter drops.
    switch (c.name()) {
      case 17:
        if (c.named(MESSAGE_KEY.internetMessageId)) id = c.stringOrNull();
        else c.skip();
        break;
      case 14:
        if (c.named(MESSAGE_KEY.conversationId)) conversationId = c.stringOrNull();
        else c.skip();
        break;
      case 4:
        if (c.named(MESSAGE_KEY.from)) from = readRecipient(c);
        else c.skip();
        break;
      case 12:
        if (c.named(MESSAGE_KEY.toRecipients)) to = readRecipients(c, NO_ADDRESSES);
        else if (c.named(MESSAGE_KEY.ccRecipients)) cc = readRecipients(c, NO_ADDRESSES);
        else if (c.named(MESSAGE_KEY.sentDateTime)) sent = c.stringOrNull();
        else c.skip();
        break;
      case 16:
        if (c.named(MESSAGE_KEY.receivedDateTime)) received = c.stringOrNull();
        else c.skip();
        break;
      case 7:
        if (c.named(MESSAGE_KEY.isDraft)) isDraft = c.flag() === true;
        else c.skip();
        break;
      default:
        c.skip();
    }
  }
  return messageMeta(id, conversationId, from, to, cc, sent, received, isDraft);
}

const EVENT_KEY = {
  id: nameBytes('id'),
  removed: nameBytes('@removed'),
  iCalUId: nameBytes('iCalUId'),
  type: nameBytes('type'),
  start: nameBytes('start'),
  end: nameBytes('end'),
  organizer: nameBytes('organizer'),
  attendees: nameBytes('attendees'),
  isCancelled: nameBytes('isCancelled'),
  dateTime: nameBytes('dateTime'),
} as const;

/** `dateTimeTimeZone` (or null) at the cursor: its dateTime, as `v?.dateTime` reads it. */
function scanDateTime(c: JsonCursor): string | null | undefined {
  if (c.isNull()) return undefined;
  c.take(OPEN_OBJECT, 'a dateTimeTimeZone object');
  let dateTime: string | null | undefined;
  for (let first = true; c.next(CLOSE_OBJECT, first); first = false) {
    if (c.name() === 8 && c.named(EVENT_KEY.dateTime)) dateTime = c.stringOrNull();
    else c.skip();
  }
  return dateTime;
}

/** `toCalendarChange` of the item at the cursor, read from its bytes. */
export function scanCalendarChange(c: JsonCursor): CalendarChange | null {
  c.take(OPEN_OBJECT, 'a calendar item object');
  let removed = false;
  let id: string | null | undefined;
  let iCalUId: string | null | undefined;
  let type: string | null | undefined;
  let start: string | null | undefined;
  let end: string | null | undefined;
  let organizer: string | null = null;
  let attendees = NO_ADDRESSES;
  let isCancelled = false;
  for (let first = true; c.next(CLOSE_OBJECT, first); first = false) {
    const length = c.name();
    if (length === 2 && c.named(EVENT_KEY.id)) id = c.stringOrNull();
    else if (length === 8 && c.named(EVENT_KEY.removed)) {
      // Graph gives an object ({ reason }); JSON.parse would make any object truthy, null falsy.
      if (c.isNull()) removed = false;
      else if (c.peek() === OPEN_OBJECT) {
        c.skip();
        removed = true;
      } else throw new UnexpectedShape(c.at, 'an @removed value other than an object');
    } else if (length === 7 && c.named(EVENT_KEY.iCalUId)) iCalUId = c.stringOrNull();
    else if (length === 4 && c.named(EVENT_KEY.type)) type = c.stringOrNull();
    else if (length === 5 && c.named(EVENT_KEY.start)) start = scanDateTime(c);
    else if (length === 3 && c.named(EVENT_KEY.end)) end = scanDateTime(c);
    else if (length === 9 && c.named(EVENT_KEY.organizer)) organizer = readRecipient(c);
    else if (length === 9 && c.named(EVENT_KEY.attendees)) attendees = readRecipients(c, NO_ADDRESSES);
    else if (length === 11 && c.named(EVENT_KEY.isCancelled)) isCancelled = c.flag() === true;
    else c.skip();
  }
  return calendarChange(removed, id, () => eventMeta(id, iCalUId, type, start, end, organizer, attendees, isCancelled));
}

/** How one kind of page is read: from its bytes, or (the standard path) item by parsed item. */
export interface PageKind<M> {
  scan: (c: JsonCursor) => M | null;
  project: (item: never) => M | null;
}

export const MESSAGE_PAGE: PageKind<MessageMeta> = { scan: scanMessage, project: toMessageMeta };
export const CALENDAR_PAGE: PageKind<CalendarChange> = { scan: scanCalendarChange, project: toCalendarChange };

/** A page's items as the engine takes them, and its links. */
export type ReadPage<M> = ScannedPage<M>;

/** A parsed page (the standard path) projected item by item. */
function projectedPage<M>(page: Page<unknown>, kind: PageKind<M>): ReadPage<M> {
  const out: ReadPage<M> = { items: projectAll(page.value as never[], kind.project) };
  if (page['@odata.nextLink'] !== undefined) out.nextLink = page['@odata.nextLink'];
  if (page['@odata.deltaLink'] !== undefined) out.deltaLink = page['@odata.deltaLink'];
  return out;
}

/**
 * The page in `bytes` (or in [from, end) of them), read by the scanner; one in a shape it does
 * not expect is parsed and projected the standard way instead (and fails as that fails).
 */
export function readPage<M>(bytes: Buffer, kind: PageKind<M>, stats: ReadStats, from = 0, end = bytes.length, strings?: StringInterner): ReadPage<M> {
  const started = performance.now();
  try {
    return scanPage(bytes, kind.scan, from, end, strings);
  } catch (e) {
    if (!(e instanceof UnexpectedShape) && !(e instanceof SyntaxError)) throw e;
    return projectedPage(JSON.parse(UTF8.decode(bytes.subarray(from, end))) as Page<unknown>, kind);
  } finally {
    if (stats.parseMs !== undefined) stats.parseMs += performance.now() - started;
  }
}

/** Decodes as a Fetch body is decoded (a leading byte order mark dropped). */
const UTF8 = new TextDecoder();

/**
 * The body of a Graph response taken raw. A failed one becomes the error the Graph client
 * throws for it when it reads the body itself (same body parsing, same error handler), so
 * classifying failures does not change.
 */
async function okBytes(raw: Response): Promise<Buffer> {
  if (!raw.ok) {
    // The client reads a failed body and throws it (or what reading it threw); its error handler
    // turns that into the GraphError the client's callers see.
    let body: unknown;
    try {
      body = await GraphResponseHandler.getResponse(raw);
    } catch (e) {
      body = e;
    }
    throw await GraphErrorHandler.getError(body, raw.status, undefined, raw);
  }
  return responseBytes(raw);
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
): Promise<{ messages: ReadPage<MessageMeta> | undefined; calendar: ReadPage<CalendarChange> | null | undefined }> {
  const done = new Map<string, ReadPage<unknown> | null | undefined>();
  const all = Object.keys(queries) as Array<keyof typeof queries>;
  const kinds: Record<string, PageKind<unknown>> = { messages: MESSAGE_PAGE, calendar: CALENDAR_PAGE };
  for (let attempt = 1; ; attempt++) {
    const pending = all.filter((id) => !done.has(id));
    const requests = pending.map((id) => ({ id, method: 'GET', url: queries[id].url, headers: { Prefer: queries[id].prefer } }));
    // The outer request itself (a dropped connection, a 5xx for the whole batch) retries like a page.
    const answers = await getPage(async () => batchAnswers(await okBytes((await client.api('/$batch').responseType(ResponseType.RAW).post({ requests })) as Response), kinds, stats), policy, stats);
    // Graph counts each sub-request against the mailbox's limits: so do the stats.
    stats.requests += requests.length - 1;
    let waitMs = 0;
    let lastFailure: BatchSubRequestError | null = null;
    for (const r of answers) {
      if (r.status >= 200 && r.status < 300) {
        done.set(r.id, r.page);
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
    if (done.size === all.length) return { messages: done.get('messages') as ReadPage<MessageMeta> | undefined, calendar: done.get('calendar') as ReadPage<CalendarChange> | null | undefined };
    if (attempt >= policy.attempts) throw lastFailure ?? new BatchSubRequestError(502, undefined, 'The $batch response left requests unanswered.');
    await sleep(waitMs);
  }
}

/** One answer of a `$batch`: a successful page already read, a failure's body parsed. */
export interface BatchAnswer {
  id: string;
  status: number;
  headers?: Record<string, string>;
  /** A failure's body (Graph's error object). */
  body?: unknown;
  /** A successful answer's page, read as its kind of page. */
  page?: ReadPage<unknown>;
}

/**
 * The answers of a `$batch`, each successful page read from the batch's bytes in place (the
 * scanner locates the bodies without reading them); a batch in a shape the scanner does not
 * expect is parsed whole and its pages projected, as before.
 */
export function batchAnswers(bytes: Buffer, kinds: Record<string, PageKind<unknown>>, stats: ReadStats): BatchAnswer[] {
  const ok = (status: number) => status >= 200 && status < 300;
  let scanned;
  try {
    scanned = scanBatch(bytes);
  } catch (e) {
    if (!(e instanceof UnexpectedShape) && !(e instanceof SyntaxError)) throw e;
    const parsed = JSON.parse(UTF8.decode(bytes)) as { responses?: BatchSubResponse[] };
    return (parsed.responses ?? []).map((r) => {
      const kind = kinds[r.id];
      return ok(r.status) && kind ? { ...r, body: undefined, page: r.body ? projectedPage(r.body as Page<unknown>, kind) : undefined } : r;
    });
  }
  return scanned.map(({ id, status, headers, body }) => {
    const kind = kinds[id];
    // A success without a body leaves its first page to be fetched on its own, as before.
    if (ok(status) && kind) return { id, status, headers, page: body ? readPage(bytes, kind, stats, body[0], body[1]) : undefined };
    return { id, status, headers, body: body && JSON.parse(bytes.toString('utf8', body[0], body[1])) };
  });
}

export interface ReadStats {
  requests: number;
  retries: number;
  /** Retries that answered a 429 (throttling Graph reported to the engine; the Graph client's own retries are not seen). */
  throttled?: number;
  /** Milliseconds spent reading pages' bytes into metadata (for the bench's time split). */
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
 * `$batch`), then every `@odata.nextLink`, each read from its bytes to metadata (`readPage`).
 */
async function* pages<M>(client: Client, query: PageQuery, kind: PageKind<M>, policy: RetryPolicy, stats: ReadStats, firstPage?: ReadPage<M>, end?: (last: ReadPage<M>) => void): AsyncGenerator<M[]> {
  // One mailbox's pages name the same people over and over: their addresses are read once.
  const strings = new StringInterner();
  const fetchPage = (url: string) =>
    getPage(async () => {
      const bytes = await okBytes((await client.api(url).header('Prefer', query.prefer).responseType(ResponseType.RAW).get()) as Response);
      return readPage(bytes, kind, stats, 0, bytes.length, strings);
    }, policy, stats);
  let next: string | undefined = query.url;
  while (next !== undefined) {
    const page: ReadPage<M> = firstPage ?? (await fetchPage(next));
    firstPage = undefined;
    next = page.nextLink;
    if (next === undefined) end?.(page);
    yield page.items;
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
  firstPage?: ReadPage<MessageMeta>,
): AsyncGenerator<MessageMeta[]> {
  return pages(client, messagesQuery(userId, after, until), MESSAGE_PAGE, policy, stats, firstPage);
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
  firstPage?: ReadPage<CalendarChange>,
): AsyncGenerator<CalendarChange[]> {
  return pages(client, query, CALENDAR_PAGE, policy, stats, firstPage, (last) => {
    round.deltaLink = last.deltaLink ?? null;
  });
}
