import { hash } from 'node:crypto';
import type { AddressBook, AddressFacts } from './address-book';
import { addUnique, bucketFor, countItem, slotKey, withUnique, type AccountBuckets } from './engagement-buckets';
import { meetingDomains, type LedgerDomain, type UnmatchedDomainRules } from './unmatched-domain-rules';
import { parseIsoInstant } from './iso-instant';
import { ScratchList } from './scratch-list';
import { StringTable } from './string-table';

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

/** A calendar item as calendarView (delta) returns it (occurrences, exceptions, single instances). */
export interface EventMeta {
  /** The item's Graph id in this mailbox (immutable): what a later `@removed` names. */
  id: string;
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
  /** When set, the meeting ledger also keeps meetings with busy domains that match no account (unmatched-domains). */
  domains?: UnmatchedDomainRules;
}

/**
 * A short, stable key for a long id that is only compared for equality: the first 52 bits of its
 * SHA-1, an integer a double holds exactly. Two of n ids share a key with a probability of about
 * n² / 2^53: 3 × 10^-9 for a mailbox with 5,000 conversations in its year. A number, not text:
 * mailbox states carry one per conversation and per calendar item, and as 16 characters of
 * base64 they were almost a third of a compressed state (22 of 77 KB, issue 13).
 */
function shortKey(id: string): number {
  const digest = hash('sha1', id, 'buffer');
  return digest.readUIntBE(0, 6) * 16 + (digest[6]! >> 4);
}

/** A conversation id's key (a shared one: a reply timed against the other thread's last message). */
export function conversationKey(conversationId: string): ConversationKey {
  return shortKey(conversationId);
}

export type ConversationKey = number;

/** A mailbox's conversation tails by conversation key. */
export type ConversationTails = Map<ConversationKey, ConversationTail>;

/**
 * A collected message as `MessageCollector.message` shows it. The collector refills one
 * such object for every message, `participants` included: read it there, keep nothing of it.
 */
export interface CollectedMessage {
  id: string;
  conversation: ConversationKey;
  sent: number;
  sender: AddressFacts;
  /**
   * from, to and cc, noise removed, de-duplicated: the recipients in to/cc order, the sender
   * first when it is not one of them. The owner rule reads the recipients here: the sender is
   * either selected (and owns the message) or adds nothing to the rule.
   */
  participants: readonly AddressFacts[];
}

// Hot loops over people and addresses index their arrays: the shared empty lists are frozen,
// and `for...of` over a frozen array left V8's fast path and allocated a result per step (300 MB
// at 250 mailboxes, sampled heap profile: the builtin \`next\`).

/** Adds the addresses of `list` that are not noise to `into`, once each. */
function takeRecipients(into: ScratchList<AddressFacts>, list: readonly string[], book: AddressBook): void {
  for (let k = 0; k < list.length; k++) {
    const a = book.lookup(list[k]);
    if (!a.ignored && !into.includes(a)) into.push(a);
  }
}

/**
 * Which selected mailbox counts a message: its sender when selected, else the first selected
 * recipient in S's fixed order (`recipients` may hold the sender too: unselected, it adds
 * nothing). Every mailbox job decides this alone, so a message held by several selected
 * mailboxes is counted exactly once without a shared per-message table.
 */
export function messageOwner(sender: AddressFacts, recipients: readonly AddressFacts[]): number {
  if (sender.selected >= 0) return sender.selected;
  let owner = -1;
  for (let k = 0; k < recipients.length; k++) {
    const i = recipients[k]!.selected;
    if (i >= 0 && (owner < 0 || i < owner)) owner = i;
  }
  return owner;
}

/** The accounts among an item's participants, each with its own addresses there. */
function accountsInvolved(participants: readonly AddressFacts[]): Map<string, string[]> {
  const involved = new Map<string, string[]>();
  for (let p = 0; p < participants.length; p++) {
    const a = participants[p]!;
    for (let k = 0; k < a.accounts.length; k++) {
      const account = a.accounts[k]!;
      const list = involved.get(account);
      if (list) addUnique(list, a.address);
      else involved.set(account, [a.address]);
    }
  }
  return involved;
}

/** The accounts among an item's participants, once each, in order of appearance, into `into` (emptied first). */
function involvedAccounts(participants: readonly AddressFacts[], into: ScratchList<string>): ScratchList<string> {
  into.clear();
  for (let p = 0; p < participants.length; p++) {
    const accounts = participants[p]!.accounts;
    for (let k = 0; k < accounts.length; k++) if (!into.includes(accounts[k]!)) into.push(accounts[k]!);
  }
  return into;
}

/** The indexes in S of the selected people among `participants`, once each, into `into` (emptied first). */
export function selectedAmong(participants: readonly AddressFacts[], into: ScratchList<number>): ScratchList<number> {
  into.clear();
  for (let p = 0; p < participants.length; p++) {
    const i = participants[p]!.selected;
    if (i >= 0 && !into.includes(i)) into.push(i);
  }
  return into;
}

export interface MessageStepResult {
  buckets: AccountBuckets;
  tails: ConversationTails;
  messagesRead: number;
  emailsCounted: number;
}

/**
 * A mailbox's messages gathered page by page as they arrive, until they can be taken in sent
 * order: a page's Graph objects are dropped as soon as it is taken in.
 *
 * Kept as columns (times in a typed array, people as one flat list of the address book's shared
 * facts), not as an object and a participant array per message: a mailbox's messages live until
 * the mailbox ends, long enough to be copied by young-generation collections, promoted, and
 * then collected again as old garbage: those objects were an eighth of what the worker promoted
 * (issue 13, `--trace-gc-nvp` at 250 mailboxes: 581 MB promoted before, 514 MB after).
 */
export class MessageCollector {
  /** internetMessageIds seen: the same message in two folders of one mailbox counts once. */
  private readonly seen = new Set<string>();
  /** Conversation id → its key (a thread's messages share one). */
  private readonly conversations = new Map<string, ConversationKey>();
  messagesRead = 0;
  /** Messages kept (not drafts, in the window, not sent by noise). */
  size = 0;
  private readonly ids: string[] = [];
  private readonly conversationKeys: ConversationKey[] = [];
  private readonly senders: AddressFacts[] = [];
  private sent = new Float64Array(256);
  /** Message k's participants are `people[peopleEnd[k - 1] .. peopleEnd[k])`. */
  private readonly people: AddressFacts[] = [];
  private peopleEnd = new Int32Array(256);
  /** Indexes in sent order, made when the first message is read (nothing can be added after that). */
  private order: Int32Array | null = null;
  private readonly participants = new ScratchList<AddressFacts>();
  /** One participant array per length, refilled for each message `message` shows. */
  private readonly byLength: AddressFacts[][] = [];
  private readonly view: CollectedMessage = { id: '', conversation: 0, sent: 0, sender: null as unknown as AddressFacts, participants: [] };

  /** Takes in a page of messages. */
  add(messages: Iterable<MessageMeta>, scope: MailboxScope): void {
    if (this.order) throw new Error('Messages were added after the collector was read in sent order.');
    const { book } = scope;
    const participants = this.participants;
    for (const m of messages) {
      this.messagesRead++;
      if (this.seen.has(m.internetMessageId)) continue;
      this.seen.add(m.internetMessageId);
      if (m.isDraft) continue;
      const sent = parseIsoInstant(m.sentDateTime);
      const received = parseIsoInstant(m.receivedDateTime);
      if (!(sent > scope.windowStart && sent <= scope.asOf) || received > scope.asOf) continue;
      const sender = book.lookup(m.from);
      // A message sent by noise (excluded, automatic) is not counted and not part of the thread.
      if (sender.ignored) continue;
      participants.clear();
      takeRecipients(participants, m.to, book);
      takeRecipients(participants, m.cc, book);
      let conversation = this.conversations.get(m.conversationId);
      if (conversation === undefined) this.conversations.set(m.conversationId, (conversation = conversationKey(m.conversationId)));
      this.keep(m.internetMessageId, conversation, sent, sender, participants);
    }
  }

  private keep(id: string, conversation: ConversationKey, sent: number, sender: AddressFacts, recipients: ScratchList<AddressFacts>): void {
    const k = this.size++;
    if (k === this.sent.length) {
      this.sent = grown(this.sent, new Float64Array(k * 2));
      this.peopleEnd = grown(this.peopleEnd, new Int32Array(k * 2));
    }
    this.ids.push(id);
    this.conversationKeys.push(conversation);
    this.senders.push(sender);
    this.sent[k] = sent;
    const people = this.people;
    if (!recipients.includes(sender)) people.push(sender);
    for (let p = 0; p < recipients.size; p++) people.push(recipients.items[p]!);
    this.peopleEnd[k] = people.length;
  }

  /** The kept messages' indexes by sent time (then id): made once, by the first `message`. */
  private sortInSentOrder(): Int32Array {
    const { sent, ids } = this;
    const order = new Int32Array(this.size);
    for (let k = 0; k < order.length; k++) order[k] = k;
    order.sort((a, b) => sent[a]! - sent[b]! || (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0));
    this.order = order;
    return order;
  }

  /**
   * The `n`th message in sent order, in the one object this collector refills. The first call
   * sorts the messages; nothing can be added after it.
   */
  message(n: number): CollectedMessage {
    const k = (this.order ?? this.sortInSentOrder())[n]!;
    const from = k === 0 ? 0 : this.peopleEnd[k - 1]!;
    const length = this.peopleEnd[k]! - from;
    let list = this.byLength[length];
    if (!list) {
      list = [];
      for (let p = 0; p < length; p++) list.push(this.people[from + p]!);
      this.byLength[length] = list;
    } else for (let p = 0; p < length; p++) list[p] = this.people[from + p]!;
    const v = this.view;
    v.id = this.ids[k]!;
    v.conversation = this.conversationKeys[k]!;
    v.sent = this.sent[k]!;
    v.sender = this.senders[k]!;
    v.participants = list;
    return v;
  }
}

function grown<T extends Float64Array | Int32Array>(from: T, into: T): T {
  into.set(from);
  return into;
}

/** Gathers messages into `collector` (a new one when null), page after page. */
export function collectMessages(collector: MessageCollector | null, messages: Iterable<MessageMeta>, scope: MailboxScope): MessageCollector {
  const c = collector ?? new MessageCollector();
  c.add(messages, scope);
  return c;
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
  tails: ConversationTails = new Map(),
): MessageStepResult {
  return applyMessages(collectMessages(null, messages, scope), scope, buckets, tails);
}

/** `addMessages` for messages already gathered by `collectMessages`. */
export function applyMessages(collected: MessageCollector, scope: MailboxScope, buckets: AccountBuckets = new Map(), tails: ConversationTails = new Map()): MessageStepResult {
  // Scratch lists, emptied for each message: a message's own lists and maps were a fifth of
  // what the worker allocated while reading (issue 13).
  const selectedHere = new ScratchList<number>();
  const accounts = new ScratchList<string>();
  const addressesHere = new ScratchList<string>();
  let emailsCounted = 0;
  for (let n = 0; n < collected.size; n++) {
    const m = collected.message(n);
    const senderIsOrganisation = m.sender.organisation;
    const tail = tails.get(m.conversation);
    const previousAt = tail ? tail.at : 0;
    const previousFromOrganisation = tail !== undefined && tail.fromOrganisation;
    if (tail) {
      tail.at = m.sent;
      tail.fromOrganisation = senderIsOrganisation;
    } else tails.set(m.conversation, { at: m.sent, fromOrganisation: senderIsOrganisation });

    if (messageOwner(m.sender, m.participants) !== scope.self) continue;
    if (selectedAmong(m.participants, selectedHere).size === 0) continue;

    const senderAccounts = m.sender.accounts;
    let counted = false;
    involvedAccounts(m.participants, accounts);
    for (let k = 0; k < accounts.size; k++) {
      const account = accounts.items[k]!;
      const fromAccount = senderAccounts.includes(account);
      if (!fromAccount && !senderIsOrganisation) continue; // a third party's message
      const b = bucketFor(buckets, account, slotKey(m.sent));
      countItem(b, fromAccount ? 'emailsFrom' : 'emailsTo', m.sent, scope.halfLifeDays);
      b.selectedOnEmails = withUnique(b.selectedOnEmails, selectedHere.items, selectedHere.size);
      // Participants are distinct people, so their addresses for the account are distinct too.
      addressesHere.clear();
      for (let p = 0; p < m.participants.length; p++) {
        const a = m.participants[p]!;
        if (a.accounts.includes(account)) addressesHere.push(a.address);
      }
      b.accountOnEmails = withUnique(b.accountOnEmails, addressesHere.items, addressesHere.size);
      b.latestEmail = b.latestEmail === null ? m.sent : Math.max(b.latestEmail, m.sent);
      if (fromAccount && previousFromOrganisation && previousAt > scope.windowStart && previousAt <= m.sent) {
        b.replyMs += m.sent - previousAt;
        b.replies++;
      }
      counted = true;
    }
    if (counted) emailsCounted++;
  }
  return { buckets, tails, messagesRead: collected.messagesRead, emailsCounted };
}

export interface MeetingStepResult {
  buckets: AccountBuckets;
  meetingsCounted: number;
}

/**
 * One meeting occurrence this mailbox counts, as the mailbox's meeting ledger keeps it between
 * runs: what its buckets need and nothing else (no subject, no id, no employee address; the
 * account addresses are dataset data already).
 */
export interface LedgerMeeting {
  /** iCalUId + start, hashed: the same occurrence held twice in one calendar counts once. */
  identity: number;
  start: number;
  end: number;
  /** Indexes in S of the selected people on it. */
  selected: number[];
  /** Per involved account: did the account organise it, and its addresses on it. */
  accounts: Array<{ accountId: string; fromAccount: boolean; addresses: string[] }>;
  /** Per involved domain that matches no account (unmatched-domains): did it organise, its people on it. */
  domains?: LedgerDomain[];
}

/**
 * A mailbox's counted meetings by calendar item (its Graph event id, hashed), whatever their
 * start: future meetings are kept so that a refresh only has to apply the calendar's changes.
 * Built by a full read, updated by `applyCalendarChanges`, pruned to the window, and turned into
 * buckets by `meetingBuckets` for every run alike.
 */
export type MeetingLedger = Map<number, LedgerMeeting>;

/** A calendar change as calendarView/delta reports it: an item (added or updated) or a removal. */
export type CalendarChange = { removed: false; event: EventMeta } | { removed: true; id: string };

/** Short, stable key for a calendar item id (ids are long and only compared for equality). */
export function calendarItemKey(eventId: string): number {
  return shortKey(eventId);
}

/**
 * What the ledger keeps of one calendar item, or null when this mailbox does not count it
 * (cancelled, a series master, before the window, organised by noise, counted by another
 * selected mailbox, or involving no account on a countable side).
 */
export function ledgerMeeting(e: EventMeta, scope: MailboxScope): LedgerMeeting | null {
  const { book } = scope;
  if (e.isCancelled || e.type === 'seriesMaster') return null;
  const start = parseIsoInstant(e.start);
  const end = parseIsoInstant(e.end);
  if (!(start > scope.windowStart)) return null;

  const organizer = book.lookup(e.organizer);
  if (organizer.ignored) return null;
  const attendees: AddressFacts[] = [];
  for (let k = 0; k < e.attendees.length; k++) {
    const a = book.lookup(e.attendees[k]);
    if (!a.ignored && a !== organizer && !attendees.includes(a)) attendees.push(a);
  }
  if (messageOwner(organizer, attendees) !== scope.self) return null;
  const participants = [organizer, ...attendees];
  const selected = selectedAmong(participants, new ScratchList<number>()).copy();
  if (selected.length === 0) return null;

  const organizerAccounts = organizer.accounts;
  const organizerIsOrganisation = organizer.organisation;
  const accounts: LedgerMeeting['accounts'] = [];
  for (const [accountId, addresses] of accountsInvolved(participants)) {
    const fromAccount = organizerAccounts.includes(accountId);
    if (!fromAccount && !organizerIsOrganisation) continue;
    accounts.push({ accountId, fromAccount, addresses });
  }
  const domains = scope.domains ? meetingDomains(organizer, participants, scope.domains) : [];
  if (accounts.length === 0 && domains.length === 0) return null;
  return { identity: calendarItemKey(`${e.iCalUId}|${start}`), start, end, selected, accounts, ...(domains.length > 0 ? { domains } : {}) };
}

/**
 * Applies calendar changes to a ledger, in the order Graph reported them: an item that is
 * (still) counted replaces its entry, one that no longer is (cancelled, moved out of the
 * window, handed to another owner) and a removed one drop it. A full read is every item of the
 * view applied to an empty ledger.
 */
export function applyCalendarChanges(ledger: MeetingLedger, changes: Iterable<CalendarChange>, scope: MailboxScope): number {
  let applied = 0;
  for (const c of changes) {
    applied++;
    const key = calendarItemKey(c.removed ? c.id : c.event.id);
    const entry = c.removed ? null : ledgerMeeting(c.event, scope);
    if (entry) ledger.set(key, entry);
    else ledger.delete(key);
  }
  return applied;
}

/** Drops the meetings that fell out of the window (the ledger keeps future ones). */
export function pruneLedger(ledger: MeetingLedger, windowStart: number): void {
  for (const [k, m] of ledger) if (m.start <= windowStart) ledger.delete(k);
}

/**
 * Meeting buckets of one mailbox for a run, from its ledger: the meetings that started in the
 * window (asOf − 365 d, asOf]. Full reads and refreshes both come through here, so a refresh
 * that applied the calendar's changes gives exactly what a full read gives.
 */
export function meetingBuckets(ledger: MeetingLedger, scope: MailboxScope): MeetingStepResult {
  const buckets: AccountBuckets = new Map();
  const seen = new Set<number>();
  let meetingsCounted = 0;
  for (const m of ledger.values()) {
    // Kept for unmatched domains only.
    if (m.accounts.length === 0) continue;
    const { start, end } = m;
    if (!(start > scope.windowStart && start <= scope.asOf)) continue;
    if (seen.has(m.identity)) continue;
    seen.add(m.identity);
    for (const { accountId, fromAccount, addresses } of m.accounts) {
      const b = bucketFor(buckets, accountId, slotKey(start));
      countItem(b, fromAccount ? 'meetingsFrom' : 'meetingsTo', start, scope.halfLifeDays);
      b.selectedOnMeetings = withUnique(b.selectedOnMeetings, m.selected);
      b.accountOnMeetings = withUnique(b.accountOnMeetings, addresses);
      if (end <= scope.asOf) b.latestEndedMeeting = b.latestEndedMeeting === null ? start : Math.max(b.latestEndedMeeting, start);
      b.meetingMs += end - start;
    }
    meetingsCounted++;
  }
  return { buckets, meetingsCounted };
}

/**
 * The ledger as the mailbox state stores it: parallel columns, the names it holds (account ids,
 * addresses, domains, people) once each in `strings`, and each meeting's accounts and domains as
 * a list of numbers, so that all but the table is number columns (number-columns.ts). Spelled out as
 * nested lists of names, a ledger's accounts were a JSON tree walked, stringified and parsed
 * again for every mailbox a refresh read (issue 13).
 */
export interface PackedLedger {
  keys: number[];
  identity: number[];
  start: number[];
  end: number[];
  selected: number[][];
  /** The names the lists below point at. */
  strings: string[];
  /** Per meeting, per involved account: its name's index, 1 when it organised the meeting else 0, how many addresses, their indexes. */
  accounts: number[][];
  /** Per meeting, per involved unmatched domain: the same, with the domain and its people. */
  domains: number[][];
}

/** `[name, 1 | 0, n, ...n names]` per entry, names as indexes into `table`. */
function packNamed(entries: ReadonlyArray<{ name: string; flag: boolean; names: readonly string[] }>, table: StringTable): number[] {
  const out: number[] = [];
  for (const e of entries) {
    out.push(table.indexOf(e.name), e.flag ? 1 : 0, e.names.length);
    for (const name of e.names) out.push(table.indexOf(name));
  }
  return out;
}

function unpackNamed<T>(list: readonly number[], strings: readonly string[], make: (name: string, flag: boolean, names: string[]) => T): T[] {
  const out: T[] = [];
  for (let k = 0; k < list.length; ) {
    const name = strings[list[k]!]!;
    const flag = list[k + 1] === 1;
    const n = list[k + 2]!;
    const names = new Array<string>(n);
    for (let m = 0; m < n; m++) names[m] = strings[list[k + 3 + m]!]!;
    out.push(make(name, flag, names));
    k += 3 + n;
  }
  return out;
}

export function packLedger(ledger: MeetingLedger): PackedLedger {
  const table = new StringTable();
  const out: PackedLedger = { keys: [], identity: [], start: [], end: [], selected: [], strings: table.strings, accounts: [], domains: [] };
  for (const [k, m] of ledger) {
    out.keys.push(k);
    out.identity.push(m.identity);
    out.start.push(m.start);
    out.end.push(m.end);
    out.selected.push(m.selected);
    out.accounts.push(packNamed(m.accounts.map((a) => ({ name: a.accountId, flag: a.fromAccount, names: a.addresses })), table));
    out.domains.push(packNamed((m.domains ?? []).map((d) => ({ name: d.domain, flag: d.fromDomain, names: d.people })), table));
  }
  return out;
}

export function unpackLedger(p: PackedLedger): MeetingLedger {
  const ledger: MeetingLedger = new Map();
  for (let i = 0; i < p.keys.length; i++) {
    const domains = unpackNamed(p.domains[i]!, p.strings, (domain, fromDomain, people): LedgerDomain => ({ domain, fromDomain, people }));
    ledger.set(p.keys[i]!, {
      identity: p.identity[i]!,
      start: p.start[i]!,
      end: p.end[i]!,
      selected: p.selected[i]!,
      accounts: unpackNamed(p.accounts[i]!, p.strings, (accountId, fromAccount, addresses) => ({ accountId, fromAccount, addresses })),
      ...(domains.length > 0 ? { domains } : {}),
    });
  }
  return ledger;
}

/**
 * Whether a state's ledger is in this form: ledgers written before issue 13 keyed items and
 * identities by text (which the changes a refresh applies cannot be matched to) and spelled
 * names out.
 */
export function isCurrentLedger(p: unknown): p is PackedLedger {
  const l = p as { keys?: unknown[]; identity?: unknown[]; strings?: unknown };
  return Array.isArray(l?.keys) && Array.isArray(l.identity) && Array.isArray(l.strings) && l.keys.every((k) => typeof k === 'number') && l.identity.every((k) => typeof k === 'number');
}

/**
 * Conversation tails as a mailbox state keeps them: parallel columns of keys and instants, the
 * organisation's tails only (see `packTails`).
 */
export interface PackedTails {
  keys: ConversationKey[];
  at: number[];
}

/**
 * The tails a later run needs: those of conversations whose last message the organisation sent.
 * A message from an account counts as a reply only when the message before it came from the
 * organisation, and any message replaces the tail, so a tail from anyone else answers exactly as
 * no tail does; leaving them out makes the state a fifth smaller (issue 13) and changes no figure.
 */
export function packTails(tails: ReadonlyMap<ConversationKey, ConversationTail>): PackedTails {
  const packed: PackedTails = { keys: [], at: [] };
  for (const [key, t] of tails) {
    if (!t.fromOrganisation) continue;
    packed.keys.push(key);
    packed.at.push(t.at);
  }
  return packed;
}

/** The tails a state carries, every one the organisation's. */
export function unpackTails(p: PackedTails): ConversationTails {
  const tails: ConversationTails = new Map();
  for (let i = 0; i < p.keys.length; i++) tails.set(p.keys[i]!, { at: p.at[i]!, fromOrganisation: true });
  return tails;
}

/**
 * Whether a state's tails are in this form: states written before issue 13 keyed conversations
 * by text and stored who wrote last. Their keys cannot be matched to today's, so such a
 * mailbox is read in full once.
 */
export function isCurrentTails(p: unknown): p is PackedTails {
  const t = p as { keys?: unknown[]; at?: unknown[]; fromOrganisation?: unknown };
  return Array.isArray(t?.keys) && Array.isArray(t.at) && t.fromOrganisation === undefined && t.keys.every((k) => typeof k === 'number');
}

/** Drops what fell out of the window since the buckets and tails were made. */
export function pruneToWindow(buckets: AccountBuckets, tails: ConversationTails, windowStart: number): void {
  for (const [account, bySlot] of buckets) {
    // A slot is in the window when its key is after the window's start (see `slotKey`).
    for (const h of bySlot.keys()) if (h <= windowStart) bySlot.delete(h);
    if (bySlot.size === 0) buckets.delete(account);
  }
  for (const [k, t] of tails) if (t.at <= windowStart) tails.delete(k);
}
