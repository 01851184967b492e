import { createHash } from 'node:crypto';
import { normalizeAddress, type AddressBook } from './address-book';
import { addUnique, bucketFor, hourKey, type AccountBuckets } from './engagement-buckets';

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
    const involved = new Map<string, string[]>();
    for (const a of m.participants) {
      for (const account of book.accountsOf(a)) {
        const list = involved.get(account);
        if (list) addUnique(list, a);
        else involved.set(account, [a]);
      }
    }
    let counted = false;
    for (const [account, addresses] of involved) {
      const fromAccount = senderAccounts.includes(account);
      if (!fromAccount && !senderIsOrganisation) continue; // a third party's message
      const b = bucketFor(buckets, account, hourKey(m.sent));
      if (fromAccount) b.emailsFrom++;
      else b.emailsTo++;
      for (const i of selectedHere) addUnique(b.selectedOnEmails, i);
      for (const a of addresses) addUnique(b.accountOnEmails, a);
      b.first = b.first === null ? m.sent : Math.min(b.first, m.sent);
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

/**
 * Meeting buckets of one mailbox, from its whole calendar view of the window. Meetings are
 * re-read on every run (calendars change: cancellations, moves), so there is no carry-over.
 */
export function meetingBuckets(events: Iterable<EventMeta>, scope: MailboxScope): MeetingStepResult {
  const { book } = scope;
  const buckets: AccountBuckets = new Map();
  const seen = new Set<string>();
  let eventsRead = 0;
  let meetingsCounted = 0;
  for (const e of events) {
    eventsRead++;
    if (e.isCancelled || e.type === 'seriesMaster') continue;
    const start = Date.parse(e.start);
    const end = Date.parse(e.end);
    if (!(start > scope.windowStart && start <= scope.asOf)) continue;
    const identity = `${e.iCalUId}|${start}`;
    if (seen.has(identity)) continue;
    seen.add(identity);

    const organizer = normalizeAddress(e.organizer);
    if (book.isIgnored(organizer)) continue;
    const attendees: string[] = [];
    for (const raw of e.attendees) {
      const a = normalizeAddress(raw);
      if (!book.isIgnored(a) && a !== organizer && !attendees.includes(a)) attendees.push(a);
    }
    if (messageOwner(organizer, attendees, book) !== scope.self) continue;
    const participants = [organizer, ...attendees];
    const selectedHere: number[] = [];
    for (const a of participants) {
      const i = book.selectedIndex(a);
      if (i >= 0 && !selectedHere.includes(i)) selectedHere.push(i);
    }
    if (selectedHere.length === 0) continue;

    const organizerAccounts = book.accountsOf(organizer);
    const organizerIsOrganisation = book.isOrganisation(organizer);
    const involved = new Map<string, string[]>();
    for (const a of participants) {
      for (const account of book.accountsOf(a)) {
        const list = involved.get(account);
        if (list) addUnique(list, a);
        else involved.set(account, [a]);
      }
    }
    let counted = false;
    for (const [account, addresses] of involved) {
      const fromAccount = organizerAccounts.includes(account);
      if (!fromAccount && !organizerIsOrganisation) continue;
      const b = bucketFor(buckets, account, hourKey(start));
      if (fromAccount) b.meetingsFrom++;
      else b.meetingsTo++;
      for (const i of selectedHere) addUnique(b.selectedOnMeetings, i);
      for (const a of addresses) addUnique(b.accountOnMeetings, a);
      b.first = b.first === null ? start : Math.min(b.first, start);
      if (end <= scope.asOf) b.latestEndedMeeting = b.latestEndedMeeting === null ? start : Math.max(b.latestEndedMeeting, start);
      b.meetingMs += end - start;
      counted = true;
    }
    if (counted) meetingsCounted++;
  }
  return { buckets, eventsRead, meetingsCounted };
}

/** Drops what fell out of the window since the buckets and tails were made. */
export function pruneToWindow(buckets: AccountBuckets, tails: Map<string, ConversationTail>, windowStart: number): void {
  for (const [account, byHour] of buckets) {
    for (const h of byHour.keys()) if (h <= windowStart) byHour.delete(h);
    if (byHour.size === 0) buckets.delete(account);
  }
  for (const [k, t] of tails) if (t.at <= windowStart) tails.delete(k);
}
