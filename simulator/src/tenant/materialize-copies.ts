/**
 * Turns logical records into what one mailbox holds: Graph-shaped message copies and
 * calendar events. All per-copy choices (folder, delivery delay, read state) come from
 * hashes of the copy's identity, not from a random stream, so a copy looks the same whether
 * it is built for one mailbox, for another mailbox's regeneration, or for the oracle.
 */
import type { DirectoryModel, Party } from './generate-directory';
import type { MessageRecord, ThreadRecord, MeetingRecord, OccurrenceRecord, AttendeeResponse } from './activity-model';
import { MINUTE_MS } from './activity-model';
import type { MailFolderName, Recipient, SimAttendee, SimEvent, SimMessage } from './tenant.types';
import { hashInts, unitFromHash } from './random';
import {
  ACCOUNT_MAIL_TOPICS,
  BODY_SENTENCES,
  INTERNAL_MAIL_TOPICS,
  INTERNAL_MEETING_TOPICS,
  MEETING_TOPICS,
} from './directory-vocabulary';

const ROLE_SENT = 0;
const ROLE_RECEIVED = 1;
const ROLE_DRAFT = 2;
const ROLE_OCCURRENCE = 3;
const ROLE_SERIES_MASTER = 4;
const MASTER_ORDINAL = 0xffff;

/** What the id helpers need to know about the tenant. */
export interface CopyContext {
  dir: DirectoryModel;
  /** 32 bits of the seed, mixed into ids so two tenants' ids differ. */
  seedTag: number;
}

function writeUint(buf: Buffer, offset: number, value: number, bytes: number): void {
  for (let i = bytes - 1; i >= 0; i--) {
    buf[offset + i] = value & 0xff;
    value = Math.floor(value / 256);
  }
}

/** Graph-like opaque id built from the structural identity of a copy: unique by construction. */
function copyId(marker: number, seedTag: number, streamKind: number, streamIndex: number, itemIndex: number, ordinal: number, role: number, userIndex: number): string {
  const buf = Buffer.allocUnsafe(21);
  buf[0] = 0x00;
  buf[1] = marker;
  writeUint(buf, 2, seedTag >>> 0, 4);
  buf[6] = streamKind;
  writeUint(buf, 7, streamIndex, 4);
  writeUint(buf, 11, itemIndex, 4);
  writeUint(buf, 15, ordinal, 2);
  buf[17] = role;
  writeUint(buf, 18, userIndex, 3);
  return `AAMkA${buf.toString('base64url')}`;
}

export function messageCopyId(cc: CopyContext, thread: ThreadRecord, msg: MessageRecord, userIndex: number, role: number): string {
  return copyId(0x4d, cc.seedTag, thread.streamKind, thread.streamIndex, thread.threadIndex, msg.ordinal, role, userIndex);
}

export function conversationIdOf(cc: CopyContext, thread: ThreadRecord): string {
  const buf = Buffer.allocUnsafe(14);
  buf[0] = 0x00;
  buf[1] = 0x43;
  writeUint(buf, 2, cc.seedTag >>> 0, 4);
  buf[6] = thread.streamKind;
  writeUint(buf, 7, thread.streamIndex, 4);
  writeUint(buf, 11, thread.threadIndex, 3);
  return `AAQkA${buf.toString('base64url')}`;
}

function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at >= 0 ? address.slice(at + 1).toLowerCase() : 'unknown.example';
}

export function internetMessageIdOf(cc: CopyContext, thread: ThreadRecord, msg: MessageRecord): string {
  const local = `${(cc.seedTag >>> 0).toString(36)}.${thread.streamKind}${thread.streamIndex.toString(36)}.${thread.threadIndex.toString(36)}.${msg.ordinal}`;
  return `<${local.toUpperCase()}@mail.${domainOf(msg.from.address)}>`;
}

export function iCalUIdOf(cc: CopyContext, meeting: MeetingRecord, occ: OccurrenceRecord): string {
  const hex = (v: number, width: number) => (v >>> 0).toString(16).toUpperCase().padStart(width, '0');
  return `040000008200E00074C5B7101A82E00800000000${hex(cc.seedTag, 8)}${hex(meeting.streamKind, 2)}${hex(meeting.streamIndex, 8)}${hex(meeting.meetingIndex, 8)}${hex(occ.ordinal, 4)}`;
}

export function eventCopyId(cc: CopyContext, meeting: MeetingRecord, ordinal: number, userIndex: number): string {
  const role = ordinal === MASTER_ORDINAL ? ROLE_SERIES_MASTER : ROLE_OCCURRENCE;
  return copyId(0x45, cc.seedTag, meeting.streamKind, meeting.streamIndex, meeting.meetingIndex, ordinal, role, userIndex);
}

/** The structural identity inside a calendar item's id (null when it is not one of ours). */
export function parseEventCopyId(id: string): { streamKind: number; streamIndex: number; meetingIndex: number; ordinal: number; userIndex: number } | null {
  if (!id.startsWith('AAMkA')) return null;
  const buf = Buffer.from(id.slice(5), 'base64url');
  if (buf.length !== 21 || buf[1] !== 0x45 || buf[17] !== ROLE_OCCURRENCE) return null;
  const uint = (offset: number, bytes: number) => {
    let v = 0;
    for (let i = 0; i < bytes; i++) v = v * 256 + buf[offset + i]!;
    return v;
  };
  return { streamKind: buf[6]!, streamIndex: uint(7, 4), meetingIndex: uint(11, 4), ordinal: uint(15, 2), userIndex: uint(18, 3) };
}

export function seriesMasterIdOf(cc: CopyContext, meeting: MeetingRecord, userIndex: number): string {
  return eventCopyId(cc, meeting, MASTER_ORDINAL, userIndex);
}

const DAY_MS = 86_400_000;
const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);
/** The last day formatted (copies are built in bursts of nearby instants). */
let lastDay = Number.NaN;
let lastDate = '';

/** `YYYY-MM-DDThh:mm:ss` (UTC) of an instant, without a Date object: copies need several each. */
function isoSeconds(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  if (day !== lastDay) {
    // Days since the epoch to the civil date (proleptic Gregorian calendar).
    const z = day + 719_468;
    const era = Math.floor(z / 146_097);
    const doe = z - era * 146_097;
    const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    const mp = Math.floor((5 * doy + 2) / 153);
    const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
    const m = mp < 10 ? mp + 3 : mp - 9;
    lastDate = `${yoe + era * 400 + (m <= 2 ? 1 : 0)}-${two(m)}-${two(d)}T`;
    lastDay = day;
  }
  let s = Math.floor((ms - day * DAY_MS) / 1000);
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const min = Math.floor(s / 60);
  return `${lastDate}${two(h)}:${two(min)}:${two(s - min * 60)}`;
}

/** Graph's format without fractional seconds: `2026-03-02T09:30:12Z`. */
export function graphInstant(ms: number): string {
  return `${isoSeconds(ms)}Z`;
}

/** Graph's DateTimeTimeZone.dateTime format (7 fractional digits, no offset). */
export function graphLocalDateTime(ms: number): string {
  return `${isoSeconds(ms)}.0000000`;
}

// One Recipient object per person, shared by every copy built from the model: copies are
// read-only views, and sharing keeps a large mailbox's memory (and GC work) down.
const recipientOf = new WeakMap<Party, Recipient>();
const EMPTY_RECIPIENTS: Recipient[] = Object.freeze([]) as unknown as Recipient[];
function recipient(p: Party): Recipient {
  let r = recipientOf.get(p);
  if (!r) {
    r = { emailAddress: { name: p.name, address: p.address } };
    recipientOf.set(p, r);
  }
  return r;
}

function recipients(list: Party[]): Recipient[] {
  return list.length === 0 ? EMPTY_RECIPIENTS : list.map(recipient);
}

function firstName(p: Party): string {
  const space = p.name.indexOf(' ');
  return space > 0 ? p.name.slice(0, space) : p.name;
}

function messageSubject(dir: DirectoryModel, thread: ThreadRecord): string {
  const accountName = thread.accountIndex >= 0 ? dir.accounts[thread.accountIndex]?.name ?? '' : '';
  switch (thread.kind) {
    case 'internal':
      return INTERNAL_MAIL_TOPICS[thread.topic % INTERNAL_MAIL_TOPICS.length] as string;
    case 'unknown-external':
      return 'Quick introduction';
    case 'third-party':
      return 'Invitation: industry roundtable';
    case 'automatic':
      return `${accountName}: ticket update`;
    case 'tool-notification':
      return 'You have a new notification';
    default:
      return `${ACCOUNT_MAIL_TOPICS[thread.topic % ACCOUNT_MAIL_TOPICS.length] as string}${accountName ? ` – ${accountName}` : ''}`;
  }
}

/** Where a received copy ends up: mostly the inbox, sometimes archived or deleted. */
export function receivedFolder(hash: number): MailFolderName {
  const r = unitFromHash(hash);
  return r < 0.9 ? 'inbox' : r < 0.95 ? 'archive' : 'deleteditems';
}

/** Delivery delay of a received copy: a few seconds after sending. */
export function deliveryDelayMs(hash: number): number {
  return (2 + ((hash >>> 8) % 29)) * 1000;
}

export function copyHash(cc: CopyContext, thread: ThreadRecord, msg: MessageRecord, userIndex: number): number {
  return hashInts(cc.seedTag, thread.streamKind, thread.streamIndex, thread.threadIndex, msg.ordinal, userIndex);
}

/** Users (indices) who received a copy: internal To/Cc/Bcc recipients other than the sender. */
export function internalRecipients(msg: MessageRecord): number[] {
  const out: number[] = [];
  const add = (list: Party[]) => {
    for (const p of list) if (p.userIndex >= 0 && p.userIndex !== msg.from.userIndex && !out.includes(p.userIndex)) out.push(p.userIndex);
  };
  add(msg.to);
  add(msg.cc);
  add(msg.bcc);
  return out;
}

/** The roles mailbox `userIndex` holds this message in: sender copy, received copy, or draft. */
export function rolesFor(msg: MessageRecord, userIndex: number): { sent: boolean; received: boolean; draft: boolean } {
  if (msg.isDraft) return { sent: false, received: false, draft: msg.from.userIndex === userIndex };
  const sent = msg.from.userIndex === userIndex;
  let received = false;
  if (!sent) {
    for (const list of [msg.to, msg.cc, msg.bcc]) {
      for (const p of list) if (p.userIndex === userIndex) received = true;
    }
  }
  return { sent, received, draft: false };
}

export interface CopyTiming {
  folder: MailFolderName;
  /** When the copy appears in the mailbox (received time; sent time or creation for drafts). */
  visibleFromMs: number;
}

export function copyTiming(cc: CopyContext, thread: ThreadRecord, msg: MessageRecord, userIndex: number, role: 'sent' | 'received' | 'draft'): CopyTiming {
  if (role === 'sent') return { folder: 'sentitems', visibleFromMs: msg.sentMs };
  if (role === 'draft') return { folder: 'drafts', visibleFromMs: msg.sentMs };
  const h = copyHash(cc, thread, msg, userIndex);
  return { folder: receivedFolder(h), visibleFromMs: msg.sentMs + deliveryDelayMs(h) };
}

/**
 * A message copy. Its text (subject, preview, body) is written when first read: only full
 * renders read it, and a year of mail per mailbox is cheaper to build (and for the garbage
 * collector to keep) without it. Everything a copy shares with its message's other copies
 * (recipients, internet message id, conversation id) is built once per message.
 */
class MessageCopy implements SimMessage {
  readonly id: string;
  readonly mailboxUserId: string;
  readonly folder: MailFolderName;
  readonly internetMessageId: string;
  readonly conversationId: string;
  readonly from: Recipient;
  readonly sender: Recipient;
  readonly toRecipients: Recipient[];
  readonly ccRecipients: Recipient[];
  readonly bccRecipients: Recipient[];
  readonly replyTo: Recipient[];
  readonly sentDateTime: string;
  readonly receivedDateTime: string;
  readonly createdDateTime: string;
  readonly lastModifiedDateTime: string;
  readonly isDraft: boolean;
  readonly isRead: boolean;
  readonly hasAttachments: boolean;
  readonly importance: 'low' | 'normal' | 'high';
  readonly inferenceClassification: 'focused' | 'other';

  // Private (not enumerable): what the text is written from, never part of the copy's data.
  readonly #dir: DirectoryModel;
  readonly #thread: ThreadRecord;
  readonly #msg: MessageRecord;
  readonly #h: number;

  constructor(dir: DirectoryModel, thread: ThreadRecord, msg: MessageRecord, h: number, fields: Omit<SimMessage, 'subject' | 'bodyPreview' | 'body'>) {
    this.#dir = dir;
    this.#thread = thread;
    this.#msg = msg;
    this.#h = h;
    this.id = fields.id;
    this.mailboxUserId = fields.mailboxUserId;
    this.folder = fields.folder;
    this.internetMessageId = fields.internetMessageId;
    this.conversationId = fields.conversationId;
    this.from = fields.from;
    this.sender = fields.sender;
    this.toRecipients = fields.toRecipients;
    this.ccRecipients = fields.ccRecipients;
    this.bccRecipients = fields.bccRecipients;
    this.replyTo = fields.replyTo;
    this.sentDateTime = fields.sentDateTime;
    this.receivedDateTime = fields.receivedDateTime;
    this.createdDateTime = fields.createdDateTime;
    this.lastModifiedDateTime = fields.lastModifiedDateTime;
    this.isDraft = fields.isDraft;
    this.isRead = fields.isRead;
    this.hasAttachments = fields.hasAttachments;
    this.importance = fields.importance;
    this.inferenceClassification = fields.inferenceClassification;
  }

  get subject(): string {
    const base = messageSubject(this.#dir, this.#thread);
    return this.#msg.ordinal > 0 ? `RE: ${base}` : base;
  }

  #lines(): { greetee: string; sentence: string; signature: string } {
    return {
      greetee: this.#msg.to[0] ? firstName(this.#msg.to[0]) : 'there',
      sentence: BODY_SENTENCES[this.#h % BODY_SENTENCES.length] as string,
      signature: firstName(this.#msg.from),
    };
  }

  get bodyPreview(): string {
    const { greetee, sentence, signature } = this.#lines();
    return `Hi ${greetee}, ${sentence} ${signature}`;
  }

  get body(): SimMessage['body'] {
    const { greetee, sentence, signature } = this.#lines();
    return { contentType: 'html', content: `<html><body><p>Hi ${greetee},</p><p>${sentence}</p><p>${signature}</p></body></html>` };
  }
}

/** What every copy of a message shares. */
const sharedOfMessage = new WeakMap<MessageRecord, { internetMessageId: string; to: Recipient[]; cc: Recipient[]; bcc: Recipient[] }>();
const conversationIds = new WeakMap<ThreadRecord, string>();

export function buildMessageCopy(cc: CopyContext, thread: ThreadRecord, msg: MessageRecord, userIndex: number, role: 'sent' | 'received' | 'draft'): SimMessage {
  const { dir } = cc;
  const timing = copyTiming(cc, thread, msg, userIndex, role);
  const h = copyHash(cc, thread, msg, userIndex);
  const sentIso = graphInstant(msg.sentMs);
  const visibleIso = graphInstant(timing.visibleFromMs);
  const automaticKind = thread.kind === 'automatic' || thread.kind === 'tool-notification';
  const roleCode = role === 'sent' ? ROLE_SENT : role === 'draft' ? ROLE_DRAFT : ROLE_RECEIVED;
  const from = recipient(msg.from);
  let shared = sharedOfMessage.get(msg);
  if (!shared) sharedOfMessage.set(msg, (shared = { internetMessageId: internetMessageIdOf(cc, thread, msg), to: recipients(msg.to), cc: recipients(msg.cc), bcc: recipients(msg.bcc) }));
  let conversationId = conversationIds.get(thread);
  if (!conversationId) conversationIds.set(thread, (conversationId = conversationIdOf(cc, thread)));
  return new MessageCopy(dir, thread, msg, h, {
    id: messageCopyId(cc, thread, msg, userIndex, roleCode),
    mailboxUserId: dir.users[userIndex]?.id ?? '',
    folder: timing.folder,
    internetMessageId: shared.internetMessageId,
    conversationId,
    from,
    sender: from,
    toRecipients: shared.to,
    ccRecipients: shared.cc,
    // Exchange keeps Bcc only on the sender's own copy.
    bccRecipients: role === 'received' ? EMPTY_RECIPIENTS : shared.bcc,
    replyTo: EMPTY_RECIPIENTS,
    // Drafts have no real send time; the creation time stands in (Graph would return null).
    sentDateTime: sentIso,
    receivedDateTime: visibleIso,
    createdDateTime: role === 'sent' ? graphInstant(msg.sentMs - (1 + (h % 9)) * MINUTE_MS) : visibleIso,
    lastModifiedDateTime: visibleIso,
    isDraft: msg.isDraft,
    isRead: role !== 'received' || unitFromHash(hashInts(h, 7)) < 0.85,
    hasAttachments: unitFromHash(hashInts(h, 11)) < 0.15,
    importance: unitFromHash(hashInts(h, 13)) < 0.05 ? 'high' : 'normal',
    inferenceClassification: automaticKind ? 'other' : 'focused',
  });
}

function showAsFor(response: AttendeeResponse | 'organizer'): SimEvent['showAs'] {
  if (response === 'organizer' || response === 'accepted') return 'busy';
  if (response === 'declined') return 'free';
  return 'tentative';
}

export function meetingSubject(dir: DirectoryModel, meeting: MeetingRecord): string {
  if (meeting.kind === 'internal') return INTERNAL_MEETING_TOPICS[meeting.topic % INTERNAL_MEETING_TOPICS.length] as string;
  const accountName = dir.accounts[meeting.accountIndex]?.name ?? '';
  return `${MEETING_TOPICS[meeting.topic % MEETING_TOPICS.length] as string} – ${accountName}`;
}

export function buildEventCopy(cc: CopyContext, meeting: MeetingRecord, occ: OccurrenceRecord, userIndex: number): SimEvent {
  const { dir } = cc;
  const isOrganizer = meeting.organizer.userIndex === userIndex;
  const mine = meeting.attendees.find((a) => a.party.userIndex === userIndex && a.type !== 'resource');
  const createdIso = graphInstant(meeting.createdMs);
  const attendees: SimAttendee[] = meeting.attendees.map((a) => ({
    type: a.type,
    status: {
      response: a.response,
      time: a.response === 'none' || a.response === 'notResponded' ? '0001-01-01T00:00:00Z' : graphInstant(meeting.createdMs + 2 * 60 * MINUTE_MS),
    },
    emailAddress: { name: a.party.name, address: a.party.address },
  }));
  const subject = meetingSubject(dir, meeting);
  const event: SimEvent = {
    id: eventCopyId(cc, meeting, occ.ordinal, userIndex),
    mailboxUserId: dir.users[userIndex]?.id ?? '',
    iCalUId: iCalUIdOf(cc, meeting, occ),
    type: occ.type,
    seriesMasterId: occ.type === 'singleInstance' ? null : seriesMasterIdOf(cc, meeting, userIndex),
    subject,
    bodyPreview: `Agenda: ${subject}`,
    body: { contentType: 'html', content: `<html><body><p>Agenda: ${subject}</p></body></html>` },
    organizer: recipient(meeting.organizer),
    attendees,
    start: { dateTime: graphLocalDateTime(occ.startMs), timeZone: 'UTC' },
    end: { dateTime: graphLocalDateTime(occ.endMs), timeZone: 'UTC' },
    isAllDay: false,
    isCancelled: false,
    isOrganizer,
    isOnlineMeeting: meeting.isOnline,
    onlineMeetingProvider: meeting.isOnline ? 'teamsForBusiness' : 'unknown',
    showAs: showAsFor(isOrganizer ? 'organizer' : mine?.response ?? 'none'),
    sensitivity: 'normal',
    createdDateTime: createdIso,
    lastModifiedDateTime: occ.type === 'exception' ? graphInstant(Math.max(meeting.createdMs, Math.min(occ.startMs, occ.originalStartMs) - 24 * 60 * MINUTE_MS)) : createdIso,
  };
  if (occ.cancelledMs !== null) event.cancelledDateTime = graphInstant(occ.cancelledMs);
  return event;
}
