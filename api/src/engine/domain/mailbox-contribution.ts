import { createHash } from 'node:crypto';
import { normalizeAddress, type AddressBook } from './address-book';
import { addUnique, bucketFor, countItem, slotKey, type AccountBuckets } from './engagement-buckets';

/** A message as the Graph adapter hands it over: addresses and times only, never content. */
export interface MessageMeta {
  internetMessageId: string;
  conversationId: string;
  from: string | null;
  to: string[];
  cc: string[];
  sentDateTime: string;
  receivedDateTime: string;
  isDraft: boolean;
}

/** A calendar item as calendarView returns it (occurrences, exceptions, single instances). */
export interface EventMeta {
  iCalUId: string;
  type: string;
  /** UTC instants (ISO). */
  start: string;
  end: string;
  organizer: string | null;
  attendees: string[];
  isCancelled: boolean;
}

/** The latest message this mailbox saw in a conversation: enough to time a reply to it. */
export interface ConversationTail {
  at: number;
  fromOrganisation: boolean;
}

export interface MailboxScope {
  /** This mailbox's index in S. */
  self: number;
  book: AddressBook;
  asOf: number;
  windowStart: number;
  /** The run's half-life H in days: buckets carry each item's decay within its slot. */
  halfLifeDays: number;
}

/** Short, stable key for a conversation id (they are long and only compared for equality). */
export function conversationKey(conversationId: string): string {
  return createHash('sha1').update(conversationId).digest('base64url').slice(0, 16);
}

interface ParsedMessage {
  id: string;
  conversation: string;
  sent: number;
  sender: string;
  /** from, to and cc, normalised, noise removed, de-duplicated. */
  participants: string[];
  /** to and cc only (ownership looks at recipients when the sender is not selected). */
  recipients: string[];
}

function parseMessage(m: MessageMeta, scope: MailboxScope): ParsedMessage | null {
  if (m.isDraft) return null;
  const sent = Date.parse(m.sentDateTime);
  const received = Date.parse(m.receivedDateTime);
  if (!(sent > scope.windowStart && sent <= scope.asOf) || received > scope.asOf) return null;
  const sender = normalizeAddress(m.from);
  // A message sent by noise (excluded, automatic) is not counted and not part of the thread.
  if (scope.book.isIgnored(sender)) return null;
  const recipients: string[] = [];
  for (const r of [...m.to, ...m.cc]) {
    const a = normalizeAddress(r);
    if (!scope.book.isIgnored(a) && !recipients.includes(a)) recipients.push(a);
  }
  const participants = recipients.includes(sender) ? recipients : [sender, ...recipients];
  return { id: m.internetMessageId, conversation: conversationKey(m.conversationId), sent, sender, participants, recipients };
}

/**
 * Which selected mailbox counts a message: its sender when selected, else the first selected
 * recipient in S's fixed order. Every mailbox job decides this alone, so a message held by
 * several selected mailboxes is counted exactly once without a shared per-message table.
 */
export function messageOwner(sender: string, recipients: readonly string[], book: AddressBook): number {
  const s = book.selectedIndex(sender);
  if (s >= 0) return s;
  let owner = -1;
  for (const r of recipients) {
    const i = book.selectedIndex(r);
    if (i >= 0 && (owner < 0 || i < owner)) owner = i;
  }
  return owner;
}

/** The accounts among an item's participants, each with its own addresses there. */
function accountsInvolved(participants: readonly string[], book: AddressBook): Map<string, string[]> {
  const involved = new Map<string, string[]>();
  for (const a of participants) {
    for (const account of book.accountsOf(a)) {
      const list = involved.get(account);
      if (list) addUnique(list, a);
      else involved.set(account, [a]);
    }
  }
  return involved;
}

export interface MessageStepResult {
  buckets: AccountBuckets;
  tails: Map<string, ConversationTail>;
  messagesRead: number;
  emailsCounted: number;
}

/**
 * Adds a mailbox's (new) messages to its email buckets and conversation tails. Messages are
 * taken in sent order, so a reply from an account is timed against the message directly
 * before it in the conversation. `buckets` and `tails` may come from the previous run
 * (a refresh): only messages received since then need reading.
 */
export function addMessages(
  messages: Iterable<MessageMeta>,
  scope: MailboxScope,
  buckets: AccountBuckets = new Map(),
  tails: Map<string, ConversationTail> = new Map(),
): MessageStepResult {
  const seen = new Set<string>();
  const parsed: ParsedMessage[] = [];
  let messagesRead = 0;
  for (const m of messages) {
    messagesRead++;
    if (seen.has(m.internetMessageId)) continue; // the same message in two folders of one mailbox
    seen.add(m.internetMessageId);
    const p = parseMessage(m, scope);
    if (p) parsed.push(p);
  }
  parsed.sort((a, b) => a.sent - b.sent || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const { book } = scope;
  let emailsCounted = 0;
  for (const m of parsed) {
    const previous = tails.get(m.conversation);
    const senderIsOrganisation = book.isOrganisation(m.sender);
    tails.set(m.conversation, { at: m.sent, fromOrganisation: senderIsOrganisation });

    if (messageOwner(m.sender, m.recipients, book) !== scope.self) continue;
    const selectedHere: number[] = [];
    for (const a of m.participants) {
      const i = book.selectedIndex(a);
      if (i >= 0 && !selectedHere.includes(i)) selectedHere.push(i);
    }
    if (selectedHere.length === 0) continue;

    const senderAccounts = book.accountsOf(m.sender);
    let counted = false;
    for (const [account, addresses] of accountsInvolved(m.participants, book)) {
      const fromAccount = senderAccounts.includes(account);
      if (!fromAccount && !senderIsOrganisation) continue; // a third party's message
      const b = bucketFor(buckets, account, slotKey(m.sent));
      countItem(b, fromAccount ? 'emailsFrom' : 'emailsTo', m.sent, scope.halfLifeDays);
      for (const i of selectedHere) addUnique(b.selectedOnEmails, i);
      for (const a of addresses) addUnique(b.accountOnEmails, a);
      b.latestEmail = b.latestEmail === null ? m.sent : Math.max(b.latestEmail, m.sent);
      if (fromAccount && previous && previous.fromOrganisation && previous.at > scope.windowStart && previous.at <= m.sent) {
        b.replyMs += m.sent - previous.at;
        b.replies++;
      }
      counted = true;
    }
    if (counted) emailsCounted++;
  }
  return { buckets, tails, messagesRead, emailsCounted };
}

export interface MeetingStepResult {
  buckets: AccountBuckets;
  eventsRead: number;
  meetingsCounted: number;
}

/** A meeting occurrence as the engine counts it: times, and its participants normalised with noise removed. */
export interface ParsedMeeting {
  /** `iCalUId|start`: one occurrence, however many calendars hold it. */
  identity: string;
  start: number;
  end: number;
  organizer: string;
  /** Attendees other than the organizer, de-duplicated. */
  attendees: string[];
}

/**
 * A calendar item as a countable occurrence, or null when it cannot count: cancelled, a series
 * master, starting outside the window, or organised by noise (excluded, automatic).
 */
export function parseMeeting(e: EventMeta, scope: MailboxScope): ParsedMeeting | null {
  if (e.isCancelled || e.type === 'seriesMaster') return null;
  const start = Date.parse(e.start);
  if (!(start > scope.windowStart && start <= scope.asOf)) return null;
  const organizer = normalizeAddress(e.organizer);
  if (scope.book.isIgnored(organizer)) return null;
  const attendees: string[] = [];
  for (const raw of e.attendees) {
    const a = normalizeAddress(raw);
    if (!scope.book.isIgnored(a) && a !== organizer && !attendees.includes(a)) attendees.push(a);
  }
  return { identity: `${e.iCalUId}|${start}`, start, end: Date.parse(e.end), organizer, attendees };
}

/**
 * Adds one meeting occurrence to the buckets of every account it counts for, when this mailbox
 * is the one that counts it (see `messageOwner`). The one place a meeting becomes bucket figures.
 * Returns whether it counted for any account.
 */
export function countMeeting(m: ParsedMeeting, scope: MailboxScope, buckets: AccountBuckets): boolean {
  const { book } = scope;
  if (messageOwner(m.organizer, m.attendees, book) !== scope.self) return false;
  const participants = [m.organizer, ...m.attendees];
  const selectedHere: number[] = [];
  for (const a of participants) {
    const i = book.selectedIndex(a);
    if (i >= 0 && !selectedHere.includes(i)) selectedHere.push(i);
  }
  if (selectedHere.length === 0) return false;

  const organizerAccounts = book.accountsOf(m.organizer);
  const organizerIsOrganisation = book.isOrganisation(m.organizer);
  let counted = false;
  for (const [account, addresses] of accountsInvolved(participants, book)) {
    const fromAccount = organizerAccounts.includes(account);
    if (!fromAccount && !organizerIsOrganisation) continue;
    const b = bucketFor(buckets, account, slotKey(m.start));
    countItem(b, fromAccount ? 'meetingsFrom' : 'meetingsTo', m.start, scope.halfLifeDays);
    for (const i of selectedHere) addUnique(b.selectedOnMeetings, i);
    for (const a of addresses) addUnique(b.accountOnMeetings, a);
    if (m.end <= scope.asOf) b.latestEndedMeeting = b.latestEndedMeeting === null ? m.start : Math.max(b.latestEndedMeeting, m.start);
    b.meetingMs += m.end - m.start;
    counted = true;
  }
  return counted;
}

/**
 * Meeting buckets of one mailbox, from its whole calendar view of the window. Meetings are
 * re-read on every run (calendars change: cancellations, moves), so there is no carry-over.
 */
export function meetingBuckets(events: Iterable<EventMeta>, scope: MailboxScope): MeetingStepResult {
  const buckets: AccountBuckets = new Map();
  const seen = new Set<string>();
  let eventsRead = 0;
  let meetingsCounted = 0;
  for (const e of events) {
    eventsRead++;
    const m = parseMeeting(e, scope);
    if (!m || seen.has(m.identity)) continue;
    seen.add(m.identity);
    if (countMeeting(m, scope, buckets)) meetingsCounted++;
  }
  return { buckets, eventsRead, meetingsCounted };
}

/** Drops what fell out of the window since the buckets and tails were made. */
export function pruneToWindow(buckets: AccountBuckets, tails: Map<string, ConversationTail>, windowStart: number): void {
  for (const [account, bySlot] of buckets) {
    // A slot is in the window when its key is after the window's start (see `slotKey`).
    for (const h of bySlot.keys()) if (h <= windowStart) bySlot.delete(h);
    if (bySlot.size === 0) buckets.delete(account);
  }
  for (const [k, t] of tails) if (t.at <= windowStart) tails.delete(k);
}
