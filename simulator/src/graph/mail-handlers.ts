import { createHash, randomUUID } from 'node:crypto';
import type { SimContext } from '../sim-context';
import type { MailFolderName, SimMessage, SimUser } from '../tenant/tenant.types';
import { mailboxMessagesAt, visibleSince } from './activity-cache';
import { contextUrl, nextLinkFor, readPageCursor } from './collection-paging';
import { GraphError, accessDeniedOutlook, badRequest } from './graph-errors';
import { WELL_KNOWN_FOLDERS, folderId, outwardId, resolveFolder } from './graph-ids';
import { holdsAny, type GraphCall, type GraphPrincipal, type GraphResponse } from './graph-types';
import { compare, parseComparison, parsePrefer, parseSelect, parseTop, preferenceApplied, splitAnd, type Comparison } from './odata-query';
import { decodeStateToken, encodeStateToken } from './paging-token';

/** Properties Mail.ReadBasic(.All) may not read. */
const RESTRICTED_MAIL_PROPS = new Set(['body', 'bodypreview', 'uniquebody', 'attachments', 'extensions', 'singlevalueextendedproperties', 'multivalueextendedproperties']);
const DATE_PROPS = ['receivedDateTime', 'sentDateTime', 'createdDateTime', 'lastModifiedDateTime'];
/**
 * Parsed instants per message copy: listing a page filters and sorts the whole mailbox, and
 * parsing the same ISO strings again for every comparison was most of the simulator's CPU.
 * Copies never change after they are built, and the map lets them go with their cache.
 */
const instants = new WeakMap<SimMessage, Partial<Record<string, number>>>();
function instantOf(m: SimMessage, prop: 'receivedDateTime' | 'sentDateTime' | 'createdDateTime' | 'lastModifiedDateTime'): number {
  let parsed = instants.get(m);
  if (!parsed) instants.set(m, (parsed = {}));
  return (parsed[prop] ??= Date.parse(m[prop]));
}

const FILTERABLE: Record<string, (m: SimMessage) => string | boolean | number> = {
  receivedDateTime: (m) => instantOf(m, 'receivedDateTime'),
  sentDateTime: (m) => instantOf(m, 'sentDateTime'),
  createdDateTime: (m) => instantOf(m, 'createdDateTime'),
  lastModifiedDateTime: (m) => instantOf(m, 'lastModifiedDateTime'),
  isDraft: (m) => m.isDraft,
  isRead: (m) => m.isRead,
  hasAttachments: (m) => m.hasAttachments,
  importance: (m) => m.importance,
  inferenceClassification: (m) => m.inferenceClassification,
  conversationId: (m) => m.conversationId,
  internetMessageId: (m) => m.internetMessageId,
};
const DELTA_MAX_FILTERED = 5000;

type MailView = 'full' | 'basic';

function mailView(p: GraphPrincipal, mailbox: SimUser): MailView {
  if (p.kind === 'app') {
    if (holdsAny(p, ['Mail.Read', 'Mail.ReadWrite'])) return 'full';
    if (holdsAny(p, ['Mail.ReadBasic.All', 'Mail.ReadBasic'])) return 'basic';
    throw accessDeniedOutlook();
  }
  const own = p.userId === mailbox.id;
  if (holdsAny(p, own ? ['Mail.Read', 'Mail.ReadWrite'] : ['Mail.Read.Shared', 'Mail.ReadWrite.Shared'])) return 'full';
  if (own && holdsAny(p, ['Mail.ReadBasic'])) return 'basic';
  throw accessDeniedOutlook();
}

function etag(id: string, stamp: string): string {
  return `W/"${createHash('sha1').update(id + stamp).digest('base64').slice(0, 24)}"`;
}

function messageResource(m: SimMessage, immutable: boolean): Record<string, unknown> {
  const id = outwardId(m.id, immutable);
  const tag = etag(m.id, m.lastModifiedDateTime);
  return {
    '@odata.etag': tag,
    id,
    createdDateTime: m.createdDateTime,
    lastModifiedDateTime: m.lastModifiedDateTime,
    changeKey: tag.slice(3, -1),
    categories: [],
    receivedDateTime: m.receivedDateTime,
    sentDateTime: m.sentDateTime,
    hasAttachments: m.hasAttachments,
    internetMessageId: m.internetMessageId,
    subject: m.subject,
    bodyPreview: m.bodyPreview,
    importance: m.importance,
    parentFolderId: folderId(m.mailboxUserId, m.folder),
    conversationId: m.conversationId,
    isDeliveryReceiptRequested: false,
    isReadReceiptRequested: false,
    isRead: m.isRead,
    isDraft: m.isDraft,
    webLink: `https://outlook.office365.com/owa/?ItemID=${encodeURIComponent(id)}&exvsurl=1&viewmodel=ReadMessageItem`,
    inferenceClassification: m.inferenceClassification,
    body: m.body,
    sender: m.sender,
    from: m.from,
    toRecipients: m.toRecipients,
    ccRecipients: m.ccRecipients,
    bccRecipients: m.bccRecipients,
    replyTo: m.replyTo,
    flag: { flagStatus: 'notFlagged' },
  };
}

const MESSAGE_PROP_NAMES = Object.keys(messageResource(sampleMessage(), true)).filter((k) => !k.startsWith('@'));
const MESSAGE_PROP_LOOKUP = new Map([...MESSAGE_PROP_NAMES, 'uniqueBody'].map((k) => [k.toLowerCase(), k]));

function sampleMessage(): SimMessage {
  const r = { emailAddress: { name: '', address: '' } };
  return {
    id: '', mailboxUserId: '', folder: 'inbox', internetMessageId: '', conversationId: '', subject: '', bodyPreview: '', body: { contentType: 'text', content: '' },
    from: r, sender: r, toRecipients: [], ccRecipients: [], bccRecipients: [], replyTo: [], sentDateTime: '', receivedDateTime: '', createdDateTime: '',
    lastModifiedDateTime: '', isDraft: false, isRead: false, hasAttachments: false, importance: 'normal', inferenceClassification: 'focused',
  };
}

/** Validates `$select` against the message type and the caller's view; returns canonical names. */
export function checkMessageSelect(select: string[] | undefined, view: MailView, expand: string | null): string[] | undefined {
  if (expand && view === 'basic' && /attachments|extensions/i.test(expand)) throw accessDeniedOutlook();
  if (!select) return undefined;
  return select.map((name) => {
    if (view === 'basic' && RESTRICTED_MAIL_PROPS.has(name.toLowerCase())) throw accessDeniedOutlook();
    const canonical = MESSAGE_PROP_LOOKUP.get(name.toLowerCase());
    if (!canonical) throw badRequest(`Could not find a property named '${name}' on type 'Microsoft.OutlookServices.Message'.`, 'RequestBroker--ParseUri');
    return canonical;
  });
}

/** What a `$select` of plain fields needs, without building (and hashing) the whole resource. */
const PLAIN_FIELDS = new Set<string>(['receivedDateTime', 'sentDateTime', 'createdDateTime', 'lastModifiedDateTime', 'hasAttachments', 'internetMessageId', 'importance', 'conversationId', 'isRead', 'isDraft', 'inferenceClassification', 'from', 'sender', 'toRecipients', 'ccRecipients', 'bccRecipients', 'replyTo']);

export function renderMessage(m: SimMessage, select: string[] | undefined, view: MailView, immutable: boolean): Record<string, unknown> {
  if (select?.every((name) => PLAIN_FIELDS.has(name))) {
    const out: Record<string, unknown> = { '@odata.etag': etag(m.id, m.lastModifiedDateTime), id: outwardId(m.id, immutable) };
    for (const name of select) out[name] = m[name as keyof SimMessage];
    return out;
  }
  const full = messageResource(m, immutable);
  if (view === 'basic') {
    delete full.body;
    delete full.bodyPreview;
  }
  if (!select) return full;
  const out: Record<string, unknown> = { '@odata.etag': full['@odata.etag'], id: full.id };
  for (const name of select) if (name in full) out[name] = full[name];
  return out;
}

interface ParsedMessageFilter {
  test: (m: SimMessage) => boolean;
  /** Filtered properties in order of first appearance (for the InefficientFilter rule). */
  order: string[];
  comparisons: Comparison[];
}

function parseMessageFilter(filter: string): ParsedMessageFilter {
  const comparisons: Comparison[] = [];
  const order: string[] = [];
  for (const clause of splitAnd(filter)) {
    const cmp = parseComparison(clause);
    const key = cmp && Object.keys(FILTERABLE).find((k) => k.toLowerCase() === cmp.prop.toLowerCase());
    if (!cmp || !key) throw badRequest(`Invalid filter clause: the query filter contains one or more invalid nodes (${clause}).`, 'ErrorInvalidUrlQueryFilter');
    const isDate = DATE_PROPS.includes(key);
    if (isDate && cmp.instant === undefined) throw badRequest(`Invalid filter clause: '${clause}' needs a DateTimeOffset value.`, 'ErrorInvalidUrlQueryFilter');
    comparisons.push({ ...cmp, prop: key, value: isDate ? cmp.instant! : cmp.value });
    if (!order.includes(key)) order.push(key);
  }
  return {
    comparisons,
    order,
    test: (m) => comparisons.every((c) => compare(FILTERABLE[c.prop]!(m), c.op, c.value)),
  };
}

interface SortKey {
  prop: string;
  desc: boolean;
}

function parseOrderBy(raw: string | null): SortKey[] | undefined {
  if (!raw) return undefined;
  return raw.split(',').map((part) => {
    const [prop, dir, extra] = part.trim().split(/\s+/);
    const key = DATE_PROPS.find((k) => k.toLowerCase() === (prop ?? '').toLowerCase());
    if (!key || extra || (dir && !/^(asc|desc)$/i.test(dir))) throw badRequest(`The $orderby expression '${part.trim()}' is not supported.`, 'ErrorInvalidUrlQuery');
    return { prop: key, desc: dir?.toLowerCase() === 'desc' };
  });
}

/** Graph's rule: each ordered property must be filtered on, in the same order, before any other. */
function checkInefficientFilter(order: SortKey[] | undefined, filter: ParsedMessageFilter | undefined): void {
  if (!order || !filter) return;
  order.forEach((key, i) => {
    if (filter.order[i] !== key.prop) throw badRequest('The restriction or sort order is too complex for this operation.', 'InefficientFilter');
  });
}

function sortMessages(items: SimMessage[], order: SortKey[]): SimMessage[] {
  // Keys computed once per item, not once per comparison.
  const keyed = items.map((m) => ({ m, keys: order.map((k) => FILTERABLE[k.prop]!(m) as number) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < order.length; i++) {
      const d = a.keys[i]! - b.keys[i]!;
      if (d !== 0) return order[i]!.desc ? -d : d;
    }
    return a.m.id < b.m.id ? -1 : a.m.id > b.m.id ? 1 : 0;
  });
  return keyed.map((k) => k.m);
}

/**
 * The filtered, sorted listing behind a paged query, kept for its next pages (a nextLink pages
 * through the listing its first page saw). A first page always builds it afresh, so mail
 * delivered since (sendMail) shows in the next query. A few recent listings only: each
 * mailbox's pages are read one after another.
 */
const listings = new Map<string, SimMessage[]>();
const LISTINGS_KEPT = 16;
function listing(key: string, nextPage: boolean, build: () => SimMessage[]): SimMessage[] {
  const hit = nextPage ? listings.get(key) : undefined;
  listings.delete(key);
  const items = hit ?? build();
  listings.set(key, items);
  while (listings.size > LISTINGS_KEPT) listings.delete(listings.keys().next().value as string);
  return items;
}

/** Drops the kept listings (after pages were rendered into the page store). */
export function forgetListings(): void {
  listings.clear();
}

function folderOf(call: GraphCall, mailbox: SimUser, segmentIndex: number): MailFolderName | undefined {
  const segment = call.params[segmentIndex];
  if (segment === undefined) return undefined;
  const folder = resolveFolder(mailbox.id, decodeURIComponent(segment));
  if (!folder) throw new GraphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
  return folder;
}

/** GET /users/{id}/messages and /users/{id}/mailFolders/{folder}/messages. */
export function listMessages(ctx: SimContext, call: GraphCall): GraphResponse {
  const mailbox = call.mailbox!;
  const view = mailView(call.principal, mailbox);
  const folder = folderOf(call, mailbox, 1);
  const { req } = call;
  const select = checkMessageSelect(parseSelect(req), view, req.query.get('$expand'));
  const prefs = parsePrefer(req);
  const top = parseTop(req, 1000, 'ErrorInvalidArgument') ?? 10;
  const rawFilter = req.query.get('$filter');
  const filter = rawFilter ? parseMessageFilter(rawFilter) : undefined;
  const order = parseOrderBy(req.query.get('$orderby'));
  checkInefficientFilter(order, filter);
  if (req.query.get('$search')) throw badRequest('The simulator does not support $search on messages.', 'ErrorInvalidUrlQuery');

  const cursor = readPageCursor(ctx, req, 'messages');
  const snapshot = cursor.snapshot ?? call.principal.tenant.now().getTime();
  const tenant = call.principal.tenant;
  const listingKey = [tenant.tenantId, mailbox.id, snapshot, folder ?? '', rawFilter ?? '', req.query.get('$orderby') ?? ''].join('|');
  const items = listing(listingKey, cursor.snapshot !== undefined, () => {
    let all = mailboxMessagesAt(tenant, mailbox.id, snapshot, folder);
    if (filter) all = all.filter(filter.test);
    return sortMessages(all, order ?? [{ prop: 'receivedDateTime', desc: true }]);
  });
  const page = items.slice(cursor.offset, cursor.offset + top);
  const body: Record<string, unknown> = { '@odata.context': contextUrl(ctx, `users('${mailbox.id}')/messages`) };
  if (req.query.get('$count') === 'true') body['@odata.count'] = items.length;
  body.value = page.map((m) => renderMessage(m, select, view, prefs.immutableId));
  if (cursor.offset + top < items.length) body['@odata.nextLink'] = nextLinkFor(ctx, req, 'messages', cursor.offset + top, snapshot);
  return { status: 200, headers: preferenceApplied(prefs, false), body };
}

interface MailDeltaState {
  k: 'md';
  t: string;
  u: string;
  f: MailFolderName;
  e: number;
  /** Exclusive lower watermark (visibility instant), null in the first round. */
  lo: number | null;
  /** Inclusive upper watermark of the round in progress (absent in a delta token). */
  hi?: number;
  o: number;
  s?: string[];
  fo?: { op: 'ge' | 'gt'; ms: number };
  ps?: number;
  ct?: 'created' | 'updated' | 'deleted';
}

function syncStateNotFound(): GraphError {
  return new GraphError(410, 'SyncStateNotFound', 'The sync state generation is not found, or the delta token has expired. Start a full synchronization.');
}

function parseDeltaFirstRequest(call: GraphCall, view: MailView): Pick<MailDeltaState, 's' | 'fo' | 'ps' | 'ct'> {
  const { req } = call;
  const out: Pick<MailDeltaState, 's' | 'fo' | 'ps' | 'ct'> = {};
  const select = checkMessageSelect(parseSelect(req), view, req.query.get('$expand'));
  if (select) out.s = select;
  const top = parseTop(req, 1000, 'ErrorInvalidArgument');
  if (top) out.ps = top;
  const rawFilter = req.query.get('$filter');
  if (rawFilter) {
    const f = parseMessageFilter(rawFilter);
    const c = f.comparisons[0]!;
    if (f.comparisons.length !== 1 || c.prop !== 'receivedDateTime' || (c.op !== 'ge' && c.op !== 'gt')) {
      throw badRequest('Delta query supports only $filter=receivedDateTime ge|gt {value}.', 'ErrorInvalidUrlQueryFilter');
    }
    out.fo = { op: c.op, ms: c.value as number };
  }
  const orderBy = req.query.get('$orderby');
  if (orderBy && !/^\s*receivedDateTime\s+desc\s*$/i.test(orderBy)) throw badRequest('Delta query supports only $orderby=receivedDateTime desc.', 'ErrorInvalidUrlQuery');
  if (req.query.get('$search')) throw badRequest('$search is not supported with delta queries.', 'ErrorInvalidUrlQuery');
  const changeType = req.query.get('changeType');
  if (changeType) {
    if (!['created', 'updated', 'deleted'].includes(changeType)) throw badRequest(`Invalid changeType '${changeType}'.`, 'ErrorInvalidParameter');
    out.ct = changeType as MailDeltaState['ct'];
  }
  return out;
}

/** GET /users/{id}/mailFolders/{folder}/messages/delta (first request, $skiptoken or $deltatoken). */
export function messageDelta(ctx: SimContext, call: GraphCall): GraphResponse {
  const mailbox = call.mailbox!;
  const handle = call.principal.tenant;
  const view = mailView(call.principal, mailbox);
  const folder = folderOf(call, mailbox, 1)!;
  const { req } = call;
  const prefs = parsePrefer(req);
  const skip = req.query.get('$skiptoken');
  const delta = req.query.get('$deltatoken');

  let state: MailDeltaState;
  if (skip !== null || delta !== null) {
    const decoded = decodeStateToken<MailDeltaState>(ctx.keys.pagingSecret, (skip ?? delta)!);
    if (!decoded || decoded.k !== 'md' || decoded.t !== handle.tenantId || decoded.u !== mailbox.id || decoded.f !== folder || decoded.e !== handle.deltaEpoch) {
      throw syncStateNotFound();
    }
    state = skip !== null ? decoded : { ...decoded, hi: handle.now().getTime(), o: 0 };
    if (state.hi === undefined) throw syncStateNotFound();
  } else {
    state = { k: 'md', t: handle.tenantId, u: mailbox.id, f: folder, e: handle.deltaEpoch, lo: null, hi: handle.now().getTime(), o: 0, ...parseDeltaFirstRequest(call, view) };
  }

  const hi = state.hi!;
  let items: SimMessage[] = [];
  if (!state.ct || state.ct === 'created') {
    items = mailboxMessagesAt(handle, mailbox.id, hi, folder).filter((m) => {
      if (state.lo !== null && visibleSince(m) <= state.lo) return false;
      if (state.fo) return compare(Date.parse(m.receivedDateTime), state.fo.op, state.fo.ms);
      return true;
    });
    items = sortMessages(items, [{ prop: 'receivedDateTime', desc: true }]);
    // A filtered sync returns at most 5,000 messages per round (the newest ones).
    if (state.fo) items = items.slice(0, DELTA_MAX_FILTERED);
  }
  const pageSize = Math.min(prefs.maxPageSize ?? state.ps ?? 10, 1000);
  const page = items.slice(state.o, state.o + pageSize);
  const base = `${ctx.url}/v1.0${req.path}`;
  const body: Record<string, unknown> = {
    '@odata.context': contextUrl(ctx, `Collection(message)`),
    value: page.map((m) => renderMessage(m, state.s, view, prefs.immutableId)),
  };
  if (state.o + pageSize < items.length) {
    body['@odata.nextLink'] = `${base}?%24skiptoken=${encodeStateToken(ctx.keys.pagingSecret, { ...state, o: state.o + pageSize })}`;
  } else {
    const next: MailDeltaState = { ...state, lo: hi, o: 0 };
    delete next.hi;
    body['@odata.deltaLink'] = `${base}?%24deltatoken=${encodeStateToken(ctx.keys.pagingSecret, next)}`;
  }
  return { status: 200, headers: preferenceApplied(prefs, prefs.maxPageSize !== undefined), body };
}

export function listMailFolders(ctx: SimContext, call: GraphCall): GraphResponse {
  const mailbox = call.mailbox!;
  mailView(call.principal, mailbox);
  const now = call.principal.tenant.now().getTime();
  const only = call.params[1] !== undefined ? folderOf(call, mailbox, 1) : undefined;
  const folders = (Object.keys(WELL_KNOWN_FOLDERS) as MailFolderName[]).filter((f) => !only || f === only);
  const value = folders.map((f) => {
    const items = mailboxMessagesAt(call.principal.tenant, mailbox.id, now, f);
    return {
      id: folderId(mailbox.id, f),
      displayName: WELL_KNOWN_FOLDERS[f],
      parentFolderId: folderId(mailbox.id, 'inbox').replace(/.$/, 'R'),
      childFolderCount: 0,
      unreadItemCount: items.filter((m) => !m.isRead).length,
      totalItemCount: items.length,
      isHidden: false,
    };
  });
  if (only) return { status: 200, headers: {}, body: { '@odata.context': contextUrl(ctx, 'mailFolders/$entity'), ...value[0] } };
  return { status: 200, headers: {}, body: { '@odata.context': contextUrl(ctx, `users('${mailbox.id}')/mailFolders`), value } };
}

function isRecipientList(v: unknown): v is Array<{ emailAddress: { address: string; name?: string } }> {
  return (
    Array.isArray(v) &&
    v.every((r) => typeof r === 'object' && r !== null && typeof (r as { emailAddress?: { address?: unknown } }).emailAddress?.address === 'string')
  );
}

const ADDRESS_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** POST /users/{id}/sendMail and /me/sendMail: validated, kept in the tenant outbox, 202. */
export function sendMail(_ctx: SimContext, call: GraphCall): GraphResponse {
  const mailbox = call.mailbox!;
  const p = call.principal;
  const allowed = p.kind === 'app' ? holdsAny(p, ['Mail.Send']) : holdsAny(p, ['Mail.Send']) && p.userId === mailbox.id;
  if (!allowed) throw accessDeniedOutlook();
  const body = call.req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('Empty Payload. JSON content expected.', 'ErrorInvalidRequest');
  const { message, saveToSentItems } = body as { message?: unknown; saveToSentItems?: unknown };
  if (typeof message !== 'object' || message === null) throw badRequest("The 'message' parameter is required.", 'ErrorInvalidParameter');
  const msg = message as Record<string, unknown>;
  if (saveToSentItems !== undefined && typeof saveToSentItems !== 'boolean') throw badRequest("'saveToSentItems' must be a boolean.", 'ErrorInvalidParameter');
  for (const field of ['toRecipients', 'ccRecipients', 'bccRecipients', 'replyTo'] as const) {
    if (msg[field] !== undefined && !isRecipientList(msg[field])) throw badRequest(`Property '${field}' is not a valid recipient collection.`, 'ErrorInvalidRecipients');
  }
  const to = (msg.toRecipients ?? []) as Array<{ emailAddress: { address: string } }>;
  if (to.length === 0) throw badRequest('At least one recipient is required, but none were found.', 'ErrorInvalidRecipients');
  const all = [...to, ...((msg.ccRecipients ?? []) as typeof to), ...((msg.bccRecipients ?? []) as typeof to)];
  const bad = all.find((r) => !ADDRESS_RE.test(r.emailAddress.address));
  if (bad) throw badRequest('At least one recipient is not valid. All recipients must be resolved before a message can be submitted.', 'ErrorInvalidRecipients');
  if (msg.subject !== undefined && typeof msg.subject !== 'string') throw badRequest("Property 'subject' must be a string.", 'ErrorInvalidParameter');
  if (msg.body !== undefined) {
    const b = msg.body as { contentType?: unknown; content?: unknown };
    if (typeof b !== 'object' || b === null || typeof b.content !== 'string' || (b.contentType !== undefined && !/^(text|html)$/i.test(String(b.contentType)))) {
      throw badRequest("Property 'body' must be an itemBody with contentType text or html.", 'ErrorInvalidParameter');
    }
  }
  p.tenant.recordSentMail({
    id: randomUUID(),
    senderUserId: mailbox.id,
    via: p.kind,
    message: msg,
    saveToSentItems: saveToSentItems !== false,
    sentAt: p.tenant.now().toISOString(),
  });
  return { status: 202, headers: {}, body: undefined };
}
