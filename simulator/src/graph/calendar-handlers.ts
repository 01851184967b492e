import { createHash } from 'node:crypto';
import type { SimContext } from '../sim-context';
import type { SimEvent, SimUser } from '../tenant/tenant.types';
import { mailboxEventsAt } from './activity-cache';
import { contextUrl, nextLinkFor, readPageCursor } from './collection-paging';
import { GraphError, accessDeniedOutlook, badRequest } from './graph-errors';
import { outwardId } from './graph-ids';
import { holdsAny, type GraphCall, type GraphPrincipal, type GraphResponse } from './graph-types';
import { parseInstant, parsePrefer, parseSelect, parseTop, preferenceApplied } from './odata-query';
import { decodeStateToken, encodeStateToken } from './paging-token';

const MAX_WINDOW_DAYS = 1825;
const RESTRICTED_EVENT_PROPS = new Set(['body', 'bodypreview', 'uniquebody', 'attachments', 'extensions', 'singlevalueextendedproperties', 'multivalueextendedproperties']);

type CalendarView = 'full' | 'basic';

function calendarView(p: GraphPrincipal, mailbox: SimUser): CalendarView {
  if (p.kind === 'app') {
    if (holdsAny(p, ['Calendars.Read', 'Calendars.ReadWrite'])) return 'full';
    if (holdsAny(p, ['Calendars.ReadBasic.All', 'Calendars.ReadBasic'])) return 'basic';
    throw accessDeniedOutlook();
  }
  const own = p.userId === mailbox.id;
  if (holdsAny(p, own ? ['Calendars.Read', 'Calendars.ReadWrite'] : ['Calendars.Read.Shared', 'Calendars.ReadWrite.Shared'])) return 'full';
  if (own && holdsAny(p, ['Calendars.ReadBasic'])) return 'basic';
  throw accessDeniedOutlook();
}

function eventResource(e: SimEvent, immutable: boolean, view: CalendarView): Record<string, unknown> {
  const stamp = createHash('sha1').update(e.id + e.lastModifiedDateTime + String(e.isCancelled)).digest('base64').slice(0, 24);
  const out: Record<string, unknown> = {
    '@odata.etag': `W/"${stamp}"`,
    id: outwardId(e.id, immutable),
    createdDateTime: e.createdDateTime,
    lastModifiedDateTime: e.lastModifiedDateTime,
    changeKey: stamp,
    categories: [],
    iCalUId: e.iCalUId,
    subject: e.subject,
    bodyPreview: e.bodyPreview,
    importance: 'normal',
    sensitivity: e.sensitivity,
    isAllDay: e.isAllDay,
    isCancelled: e.isCancelled,
    isOrganizer: e.isOrganizer,
    responseRequested: true,
    seriesMasterId: e.seriesMasterId === null ? null : outwardId(e.seriesMasterId, immutable),
    showAs: e.showAs,
    type: e.type,
    isOnlineMeeting: e.isOnlineMeeting,
    onlineMeetingProvider: e.onlineMeetingProvider,
    body: e.body,
    start: e.start,
    end: e.end,
    attendees: e.attendees,
    organizer: e.organizer,
  };
  if (view === 'basic') {
    delete out.body;
    delete out.bodyPreview;
  }
  return out;
}

const EVENT_PROP_LOOKUP = new Map(
  [
    'id', 'createdDateTime', 'lastModifiedDateTime', 'changeKey', 'categories', 'iCalUId', 'subject', 'bodyPreview', 'importance', 'sensitivity', 'isAllDay',
    'isCancelled', 'isOrganizer', 'responseRequested', 'seriesMasterId', 'showAs', 'type', 'isOnlineMeeting', 'onlineMeetingProvider', 'body', 'start', 'end',
    'attendees', 'organizer', 'uniqueBody', 'location', 'locations', 'recurrence', 'webLink', 'onlineMeeting',
  ].map((k) => [k.toLowerCase(), k]),
);

function checkEventSelect(select: string[] | undefined, view: CalendarView, expand: string | null): string[] | undefined {
  if (expand && view === 'basic' && /attachments|extensions/i.test(expand)) throw accessDeniedOutlook();
  if (!select) return undefined;
  return select.map((name) => {
    if (view === 'basic' && RESTRICTED_EVENT_PROPS.has(name.toLowerCase())) throw accessDeniedOutlook();
    const canonical = EVENT_PROP_LOOKUP.get(name.toLowerCase());
    if (!canonical) throw badRequest(`Could not find a property named '${name}' on type 'Microsoft.OutlookServices.Event'.`, 'RequestBroker--ParseUri');
    return canonical;
  });
}

function renderEvent(e: SimEvent, select: string[] | undefined, view: CalendarView, immutable: boolean): Record<string, unknown> {
  const full = eventResource(e, immutable, view);
  if (!select) return full;
  const out: Record<string, unknown> = { '@odata.etag': full['@odata.etag'], id: full.id };
  for (const name of select) if (name in full) out[name] = full[name];
  return out;
}

function windowOf(start: string | null, end: string | null): { start: number; end: number } {
  if (!start || !end) {
    throw badRequest('This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.', 'ErrorInvalidParameter');
  }
  const s = parseInstant(start);
  const e = parseInstant(end);
  if (Number.isNaN(s) || Number.isNaN(e)) throw badRequest('The value of the StartDateTime or EndDateTime parameter is not a valid date-time.', 'ErrorInvalidParameter');
  if (e - s > MAX_WINDOW_DAYS * 86_400_000) throw badRequest(`The time window is too large. Maximum number of days: ${MAX_WINDOW_DAYS}`, 'ErrorInvalidParameter');
  return { start: s, end: e };
}

function queryParam(call: GraphCall, name: string): string | null {
  // Outlook treats these parameter names case-insensitively (startdatetime, StartDateTime, …).
  for (const [k, v] of call.req.query.entries()) if (k.toLowerCase() === name.toLowerCase()) return v;
  return null;
}

/** GET /users/{id}/calendarView?startDateTime&endDateTime: occurrences, exceptions, singles. */
export function listCalendarView(ctx: SimContext, call: GraphCall): GraphResponse {
  const mailbox = call.mailbox!;
  const view = calendarView(call.principal, mailbox);
  const { req } = call;
  const win = windowOf(queryParam(call, 'startDateTime'), queryParam(call, 'endDateTime'));
  const select = checkEventSelect(parseSelect(req), view, req.query.get('$expand'));
  if (req.query.get('$filter')) throw badRequest('The simulator does not support $filter on calendarView.', 'ErrorInvalidUrlQueryFilter');
  const prefs = parsePrefer(req);
  const top = Math.min(parseTop(req, 1000, 'ErrorInvalidArgument') ?? prefs.maxPageSize ?? 10, 1000);
  const cursor = readPageCursor(ctx, req, 'calendarView');
  const snapshot = cursor.snapshot ?? call.principal.tenant.now().getTime();
  // Masters are never part of a view; filtered here too in case a generator slips one in.
  const items = mailboxEventsAt(call.principal.tenant, mailbox.id, win.start, win.end, snapshot).filter((e) => e.type !== 'seriesMaster');
  const page = items.slice(cursor.offset, cursor.offset + top);
  const body: Record<string, unknown> = {
    '@odata.context': contextUrl(ctx, `users('${mailbox.id}')/calendarView`),
    value: page.map((e) => renderEvent(e, select, view, prefs.immutableId)),
  };
  // As Graph does: `$count=true` adds the number of items in the whole view.
  if (req.query.get('$count') === 'true') body['@odata.count'] = items.length;
  if (cursor.offset + top < items.length) body['@odata.nextLink'] = nextLinkFor(ctx, req, 'calendarView', cursor.offset + top, snapshot);
  return { status: 200, headers: preferenceApplied(prefs, req.query.get('$top') === null && prefs.maxPageSize !== undefined), body };
}

interface CalendarDeltaState {
  k: 'cd';
  t: string;
  u: string;
  /** Token generations: the tenant's and the mailbox's (expiring tokens bumps them). */
  e: number;
  ue: number;
  ws: number;
  we: number;
  /** The previous round's end (tenant clock) and calendar-edit sequence; null in the first round. */
  lo: number | null;
  ls: number | null;
  /** The round in progress (absent in a delta token). */
  hi?: number;
  hs?: number;
  o: number;
  ps?: number;
}

function cancelledAt(e: SimEvent): number | undefined {
  return e.cancelledDateTime ? Date.parse(e.cancelledDateTime) : undefined;
}

type DeltaEntry = { removed: false; event: SimEvent } | { removed: true; id: string };

/**
 * What a round returns. The first round is the view itself; later rounds return events created,
 * modified or cancelled in (lo, hi], and those calendar edits (moves, cancellations, added
 * meetings) touched since the previous round (`edited`). When the organiser cancels, Exchange
 * deletes the organiser's own copy, so that copy comes back as `@removed`; attendees keep theirs
 * with `isCancelled: true`. An edited item no longer in the window (moved out) is `@removed` too:
 * Graph's removals may name items outside the window, and clients ignore the unknown ones.
 */
function deltaEntries(events: SimEvent[], lo: number | null, hi: number, edited: ReadonlySet<string>): DeltaEntry[] {
  const out: DeltaEntry[] = [];
  const listed = new Set<string>();
  for (const e of events) {
    if (e.type === 'seriesMaster') continue;
    listed.add(e.id);
    const cancelled = cancelledAt(e);
    const organiserCancelled = e.isOrganizer && e.isCancelled && cancelled !== undefined && cancelled <= hi;
    if (lo === null) {
      if (!organiserCancelled) out.push({ removed: false, event: e });
      continue;
    }
    const created = Date.parse(e.createdDateTime);
    const modified = Date.parse(e.lastModifiedDateTime);
    const changed = edited.has(e.id) || created > lo || (modified > lo && modified <= hi) || (cancelled !== undefined && cancelled > lo && cancelled <= hi);
    if (!changed) continue;
    if (organiserCancelled) {
      if (created <= lo) out.push({ removed: true, id: e.id });
    } else out.push({ removed: false, event: e });
  }
  if (lo !== null) for (const id of edited) if (!listed.has(id)) out.push({ removed: true, id });
  return out;
}

function syncStateNotFound(): GraphError {
  return new GraphError(410, 'SyncStateNotFound', 'The sync state generation is not found, or the delta token has expired. Start a full synchronization.');
}

/** GET /users/{id}/calendarView/delta: ignores $select (full events), pages by odata.maxpagesize. */
export function calendarViewDelta(ctx: SimContext, call: GraphCall): GraphResponse {
  const mailbox = call.mailbox!;
  const handle = call.principal.tenant;
  const view = calendarView(call.principal, mailbox);
  const { req } = call;
  const prefs = parsePrefer(req);
  const skip = req.query.get('$skiptoken');
  const delta = req.query.get('$deltatoken');
  const edits = handle.tenant.calendarEdits;
  let state: CalendarDeltaState;
  if (skip !== null || delta !== null) {
    const decoded = decodeStateToken<CalendarDeltaState>(ctx.keys.pagingSecret, (skip ?? delta)!);
    if (!decoded || decoded.k !== 'cd' || decoded.t !== handle.tenantId || decoded.u !== mailbox.id) throw syncStateNotFound();
    if (decoded.e !== handle.deltaEpoch || decoded.ue !== handle.mailboxDeltaEpoch(mailbox.id)) throw syncStateNotFound();
    const ttl = handle.deltaTokenTtlMs;
    if (delta !== null && ttl !== null && decoded.lo !== null && handle.now().getTime() - decoded.lo > ttl) throw syncStateNotFound();
    state = skip !== null ? decoded : { ...decoded, hi: handle.now().getTime(), hs: edits?.seq ?? 0, o: 0 };
    if (state.hi === undefined) throw syncStateNotFound();
  } else {
    const win = windowOf(queryParam(call, 'startDateTime'), queryParam(call, 'endDateTime'));
    state = { k: 'cd', t: handle.tenantId, u: mailbox.id, e: handle.deltaEpoch, ue: handle.mailboxDeltaEpoch(mailbox.id), ws: win.start, we: win.end, lo: null, ls: null, hi: handle.now().getTime(), hs: edits?.seq ?? 0, o: 0 };
    if (prefs.maxPageSize) state.ps = prefs.maxPageSize;
  }
  const hi = state.hi!;
  // Edits made since the previous round that touched this mailbox's items (a page of a round
  // sees the edits up to the round's own sequence number, so its pages agree).
  const edited = new Set(state.ls === null || !edits ? [] : edits.changedSince(mailbox.id, state.ls, state.hs ?? 0));
  const entries = deltaEntries(mailboxEventsAt(handle, mailbox.id, state.ws, state.we, hi), state.lo, hi, edited);
  const pageSize = Math.min(prefs.maxPageSize ?? state.ps ?? 10, 1000);
  const page = entries.slice(state.o, state.o + pageSize);
  const base = `${ctx.url}/v1.0${req.path}`;
  const body: Record<string, unknown> = {
    '@odata.context': contextUrl(ctx, 'Collection(event)'),
    value: page.map((x) => (x.removed ? { '@odata.type': '#microsoft.graph.event', id: outwardId(x.id, prefs.immutableId), '@removed': { reason: 'deleted' } } : renderEvent(x.event, undefined, view, prefs.immutableId))),
  };
  if (state.o + pageSize < entries.length) {
    body['@odata.nextLink'] = `${base}?%24skiptoken=${encodeStateToken(ctx.keys.pagingSecret, { ...state, o: state.o + pageSize })}`;
  } else {
    const next: CalendarDeltaState = { ...state, lo: hi, ls: state.hs ?? 0, o: 0 };
    delete next.hi;
    delete next.hs;
    body['@odata.deltaLink'] = `${base}?%24deltatoken=${encodeStateToken(ctx.keys.pagingSecret, next)}`;
  }
  return { status: 200, headers: preferenceApplied(prefs, prefs.maxPageSize !== undefined), body };
}
