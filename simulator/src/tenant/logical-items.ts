/**
 * Logical items: each message once (with the list of mailbox copies it produced) and each
 * meeting occurrence once (with the mailboxes holding it). This is the ground truth the
 * oracle counts from.
 *
 * For a generated tenant the items stream straight from the activity model, one unit at a
 * time (memory bounded by one unit). For any other Tenant object (e.g. one built by hand
 * in a test) they are reassembled from every user's mailbox through the Tenant interface.
 */
import type { EmailAddress, MailFolderName, SimAttendee, Tenant } from './tenant.types';
import { generateUnit, meetingHolders, type MeetingRecord } from './activity-model';
import { meetingOccurrenceKey } from './calendar-edits';
import { conversationIdOf, copyTiming, iCalUIdOf, internalRecipients, internetMessageIdOf } from './materialize-copies';
import { tenantInternals } from './tenant-internals';

export interface LogicalCopy {
  mailboxUserId: string;
  folder: MailFolderName;
  /** When this copy appears in its mailbox (receivedDateTime; creation for drafts). */
  visibleFromMs: number;
}

export interface LogicalMessage {
  internetMessageId: string;
  conversationId: string;
  from: EmailAddress;
  toRecipients: EmailAddress[];
  ccRecipients: EmailAddress[];
  bccRecipients: EmailAddress[];
  sentMs: number;
  isDraft: boolean;
  copies: LogicalCopy[];
}

export interface LogicalMeeting {
  iCalUId: string;
  type: 'singleInstance' | 'occurrence' | 'exception';
  startMs: number;
  endMs: number;
  organizer: EmailAddress;
  attendees: Array<{ type: SimAttendee['type']; emailAddress: EmailAddress }>;
  /** When the meeting appeared in calendars. */
  createdMs: number;
  /** When this occurrence was cancelled; null if never. */
  cancelledMs: number | null;
  holderUserIds: string[];
}

export interface LogicalItemOptions {
  /**
   * `model` (default for generated tenants) streams from the generator; `mailboxes` rebuilds
   * items from every user's mailbox through the Tenant interface (the only option for
   * hand-built tenants, and a cross-check of the per-mailbox copies for generated ones).
   */
  source?: 'model' | 'mailboxes';
  /** The instant calendar edits are seen at (a move made later is not there yet). Default: every edit. */
  asOf?: number;
}

const FAR_PAST = new Date(Date.UTC(1970, 0, 1));
const FAR_FUTURE = new Date(Date.UTC(9999, 11, 31));

/** Calls `cb` with the messages of one conversation at a time; every message appears once. */
export function forEachLogicalConversation(tenant: Tenant, cb: (messages: LogicalMessage[]) => void, opts: LogicalItemOptions = {}): void {
  const internals = tenantInternals(tenant);
  if (!internals || opts.source === 'mailboxes') {
    conversationsFromMailboxes(tenant, cb);
    return;
  }
  const { ctx, copy } = internals;
  const users = ctx.dir.users;
  for (let team = 0; team < ctx.dir.teams.length; team++) {
    // Generate directly rather than through the cache: a full pass must not evict the
    // units that recently served mailboxes.
    const unit = generateUnit(ctx, team);
    for (const thread of unit.threads) {
      const conversationId = conversationIdOf(copy, thread);
      const messages: LogicalMessage[] = [];
      for (const msg of thread.messages) {
        const copies: LogicalCopy[] = [];
        if (msg.from.userIndex >= 0) {
          const role = msg.isDraft ? 'draft' : 'sent';
          const t = copyTiming(copy, thread, msg, msg.from.userIndex, role);
          copies.push({ mailboxUserId: (users[msg.from.userIndex] as { id: string }).id, folder: t.folder, visibleFromMs: t.visibleFromMs });
        }
        if (!msg.isDraft) {
          for (const u of internalRecipients(msg)) {
            const t = copyTiming(copy, thread, msg, u, 'received');
            copies.push({ mailboxUserId: (users[u] as { id: string }).id, folder: t.folder, visibleFromMs: t.visibleFromMs });
          }
        }
        messages.push({
          internetMessageId: internetMessageIdOf(copy, thread, msg),
          conversationId,
          from: msg.from,
          toRecipients: msg.to,
          ccRecipients: msg.cc,
          bccRecipients: msg.bcc,
          sentMs: msg.sentMs,
          isDraft: msg.isDraft,
          copies,
        });
      }
      cb(messages);
    }
  }
}

/** Every logical message once (streamed conversation by conversation). */
export function forEachLogicalMessage(tenant: Tenant, cb: (message: LogicalMessage) => void, opts: LogicalItemOptions = {}): void {
  forEachLogicalConversation(tenant, (messages) => messages.forEach((m) => cb(m)), opts);
}

/** Every logical meeting occurrence (single, occurrence or exception) once. */
export function forEachLogicalMeeting(tenant: Tenant, cb: (meeting: LogicalMeeting) => void, opts: LogicalItemOptions = {}): void {
  const internals = tenantInternals(tenant);
  if (!internals || opts.source === 'mailboxes') {
    meetingsFromMailboxes(tenant, cb);
    return;
  }
  const { ctx, copy, edits } = internals;
  const asOf = opts.asOf ?? Number.POSITIVE_INFINITY;
  const emit = (meeting: MeetingRecord) => {
    const holderUserIds = meetingHolders(meeting).map((u) => (ctx.dir.users[u] as { id: string }).id);
    const attendees = meeting.attendees.map((a) => ({ type: a.type, emailAddress: a.party as EmailAddress }));
    for (const occ of meeting.occurrences) {
      const edited = edits.occurrenceAt(meetingOccurrenceKey(meeting, occ), occ, asOf);
      cb({
        iCalUId: iCalUIdOf(copy, meeting, occ),
        type: edited.type,
        startMs: edited.startMs,
        endMs: edited.endMs,
        organizer: meeting.organizer,
        attendees,
        createdMs: meeting.createdMs,
        cancelledMs: edited.cancelledMs,
        holderUserIds,
      });
    }
  };
  for (let team = 0; team < ctx.dir.teams.length; team++) generateUnit(ctx, team).meetings.forEach(emit);
  edits.added.forEach(emit);
}

function conversationsFromMailboxes(tenant: Tenant, cb: (messages: LogicalMessage[]) => void): void {
  const byId = new Map<string, LogicalMessage>();
  for (const user of tenant.users) {
    for (const m of tenant.mailboxMessages(user.id, { visibleAt: FAR_FUTURE })) {
      const visibleFromMs = Date.parse(m.isDraft ? m.createdDateTime : m.receivedDateTime);
      let item = byId.get(m.internetMessageId);
      if (!item) {
        item = {
          internetMessageId: m.internetMessageId,
          conversationId: m.conversationId,
          from: m.from.emailAddress,
          toRecipients: m.toRecipients.map((r) => r.emailAddress),
          ccRecipients: m.ccRecipients.map((r) => r.emailAddress),
          bccRecipients: [],
          sentMs: Date.parse(m.sentDateTime),
          isDraft: m.isDraft,
          copies: [],
        };
        byId.set(m.internetMessageId, item);
      }
      // Bcc is only on the sender's copy: take the union over copies.
      for (const r of m.bccRecipients) {
        if (!item.bccRecipients.some((b) => b.address.toLowerCase() === r.emailAddress.address.toLowerCase())) item.bccRecipients.push(r.emailAddress);
      }
      item.copies.push({ mailboxUserId: m.mailboxUserId, folder: m.folder, visibleFromMs });
    }
  }
  const byConversation = new Map<string, LogicalMessage[]>();
  for (const item of byId.values()) {
    const list = byConversation.get(item.conversationId);
    if (list) list.push(item);
    else byConversation.set(item.conversationId, [item]);
  }
  for (const list of byConversation.values()) cb(list);
}

function meetingsFromMailboxes(tenant: Tenant, cb: (meeting: LogicalMeeting) => void): void {
  const byKey = new Map<string, LogicalMeeting>();
  for (const user of tenant.users) {
    for (const e of tenant.mailboxEvents(user.id, { start: FAR_PAST, end: FAR_FUTURE, visibleAt: FAR_FUTURE })) {
      if (e.type === 'seriesMaster') continue;
      const startMs = Date.parse(`${e.start.dateTime.slice(0, 19)}Z`);
      const endMs = Date.parse(`${e.end.dateTime.slice(0, 19)}Z`);
      const createdMs = Date.parse(e.createdDateTime);
      // A copy marked cancelled without a time counts as cancelled since it was created.
      const cancelledMs = e.cancelledDateTime ? Date.parse(e.cancelledDateTime) : e.isCancelled ? createdMs : null;
      const key = `${e.iCalUId}|${startMs}`;
      const item = byKey.get(key);
      if (!item) {
        byKey.set(key, {
          iCalUId: e.iCalUId,
          type: e.type,
          startMs,
          endMs,
          organizer: e.organizer.emailAddress,
          attendees: e.attendees.map((a) => ({ type: a.type, emailAddress: a.emailAddress })),
          createdMs,
          cancelledMs,
          holderUserIds: [e.mailboxUserId],
        });
        continue;
      }
      item.holderUserIds.push(e.mailboxUserId);
      item.createdMs = Math.min(item.createdMs, createdMs);
      if (cancelledMs !== null) item.cancelledMs = item.cancelledMs === null ? cancelledMs : Math.min(item.cancelledMs, cancelledMs);
    }
  }
  for (const item of byKey.values()) cb(item);
}
