/**
 * generateTenant: a deterministic synthetic Microsoft 365 tenant.
 *
 * The directory (users, groups, accounts, contacts, licences) is built eagerly and held in
 * memory. Mail and calendar activity is never held for the whole tenant: a mailbox's copies
 * are regenerated on demand from the two activity units that can reach it (its team's and
 * the team whose partner it is), and only a bounded number of mailboxes and units is cached.
 */
import type { MailFolderName, SimEvent, SimMessage, Tenant, TenantSpec } from './tenant.types';
import { generateDirectory } from './generate-directory';
import { activityContext, generateUnit, meetingHolders, unitsForUser, type ActivityContext, type UnitActivity } from './activity-model';
import { buildEventCopy, buildMessageCopy, copyTiming, graphInstant, graphLocalDateTime, rolesFor, type CopyContext } from './materialize-copies';
import { CalendarEdits, meetingOccurrenceKey, type EditedOccurrence } from './calendar-edits';
import { deriveSeed } from './random';
import { BoundedCache } from './bounded-cache';
import { accountsCsv, contactsCsv } from './dataset-csv';
import { registerInternals, type TenantInternals } from './tenant-internals';

export { tenantCacheStats, type TenantCacheStats } from './tenant-internals';

/** Cache bounds: entries, and total weight (records for units, copies for mailboxes). */
const UNIT_CACHE_ENTRIES = 6;
const UNIT_CACHE_WEIGHT = 300_000;
const MAILBOX_CACHE_ENTRIES = 16;
const MAILBOX_CACHE_WEIGHT = 150_000;

interface MailboxContents {
  /** Newest first by the instant the copy appeared. */
  messages: SimMessage[];
  visibleFrom: Float64Array;
  /** By start ascending. */
  events: SimEvent[];
  eventStart: Float64Array;
  eventEnd: Float64Array;
  eventCreated: Float64Array;
  /** NaN when the occurrence is never cancelled. */
  eventCancelled: Float64Array;
  /** The occurrence each event is a copy of (what calendar edits are keyed by). */
  eventOccurrence: string[];
}

function unitWeight(unit: UnitActivity): number {
  let w = 0;
  for (const t of unit.threads) w += t.messages.length;
  for (const m of unit.meetings) w += m.occurrences.length;
  return Math.max(1, w);
}

function buildMailbox(ctx: ActivityContext, copy: CopyContext, unit: (t: number) => UnitActivity, userIndex: number): MailboxContents {
  const messages: Array<{ copy: SimMessage; visibleFromMs: number }> = [];
  const events: Array<{ copy: SimEvent; start: number; end: number; created: number; cancelled: number; occurrence: string }> = [];
  for (const team of unitsForUser(ctx, userIndex)) {
    const activity = unit(team);
    for (const thread of activity.threads) {
      for (const msg of thread.messages) {
        const roles = rolesFor(msg, userIndex);
        if (roles.sent) messages.push({ copy: buildMessageCopy(copy, thread, msg, userIndex, 'sent'), visibleFromMs: msg.sentMs });
        if (roles.draft) messages.push({ copy: buildMessageCopy(copy, thread, msg, userIndex, 'draft'), visibleFromMs: msg.sentMs });
        if (roles.received) {
          const timing = copyTiming(copy, thread, msg, userIndex, 'received');
          messages.push({ copy: buildMessageCopy(copy, thread, msg, userIndex, 'received'), visibleFromMs: timing.visibleFromMs });
        }
      }
    }
    for (const meeting of activity.meetings) {
      if (!meetingHolders(meeting).includes(userIndex)) continue;
      for (const occ of meeting.occurrences) {
        events.push({
          copy: buildEventCopy(copy, meeting, occ, userIndex),
          start: occ.startMs,
          end: occ.endMs,
          created: meeting.createdMs,
          cancelled: occ.cancelledMs ?? Number.NaN,
          occurrence: meetingOccurrenceKey(meeting, occ),
        });
      }
    }
  }
  messages.sort((a, b) => b.visibleFromMs - a.visibleFromMs || (a.copy.id < b.copy.id ? -1 : a.copy.id > b.copy.id ? 1 : 0));
  events.sort((a, b) => a.start - b.start || (a.copy.id < b.copy.id ? -1 : a.copy.id > b.copy.id ? 1 : 0));
  return {
    messages: messages.map((m) => m.copy),
    visibleFrom: Float64Array.from(messages, (m) => m.visibleFromMs),
    events: events.map((e) => e.copy),
    eventStart: Float64Array.from(events, (e) => e.start),
    eventEnd: Float64Array.from(events, (e) => e.end),
    eventCreated: Float64Array.from(events, (e) => e.created),
    eventCancelled: Float64Array.from(events, (e) => e.cancelled),
    eventOccurrence: events.map((e) => e.occurrence),
  };
}

/** A calendar item as an edited occurrence looks at some instant (a fresh object: copies are shared). */
function editedEvent(ev: SimEvent, o: EditedOccurrence, visibleAt: number): SimEvent {
  const out: SimEvent = {
    ...ev,
    type: o.type,
    start: { dateTime: graphLocalDateTime(o.startMs), timeZone: 'UTC' },
    end: { dateTime: graphLocalDateTime(o.endMs), timeZone: 'UTC' },
    lastModifiedDateTime: o.modifiedMs === null ? ev.lastModifiedDateTime : graphInstant(o.modifiedMs),
    isCancelled: o.cancelledMs !== null && o.cancelledMs <= visibleAt,
  };
  if (o.cancelledMs !== null) out.cancelledDateTime = graphInstant(o.cancelledMs);
  return out;
}

/** First index in a descending array whose value is ≤ limit. */
function firstAtOrBefore(desc: Float64Array, limit: number): number {
  let lo = 0;
  let hi = desc.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((desc[mid] as number) <= limit) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function generateTenant(spec: TenantSpec): Tenant {
  const dir = generateDirectory(spec);
  const ctx = activityContext(spec, dir);
  const copy: CopyContext = { dir, seedTag: deriveSeed(spec.seed, 'id-tag') };
  const units = new BoundedCache<number, UnitActivity>(UNIT_CACHE_ENTRIES, UNIT_CACHE_WEIGHT);
  const mailboxes = new BoundedCache<number, MailboxContents>(MAILBOX_CACHE_ENTRIES, MAILBOX_CACHE_WEIGHT);

  // Look-ups accept the object id or the address (Graph accepts /users/{id | userPrincipalName}).
  const userIndexById = new Map<string, number>();
  dir.users.forEach((u, i) => {
    userIndexById.set(u.id.toLowerCase(), i);
    userIndexById.set(u.mail.toLowerCase(), i);
    userIndexById.set(u.userPrincipalName.toLowerCase(), i);
  });

  const unit = (team: number): UnitActivity =>
    units.getOrCreate(team, () => {
      const value = generateUnit(ctx, team);
      return { value, weight: unitWeight(value) };
    });

  const edits = new CalendarEdits(ctx, copy, (address) => userIndexById.get(address.toLowerCase()));

  const mailbox = (userIndex: number): MailboxContents =>
    mailboxes.getOrCreate(userIndex, () => {
      const value = buildMailbox(ctx, copy, unit, userIndex);
      return { value, weight: Math.max(1, value.messages.length + value.events.length) };
    });

  const tenant: Tenant = {
    spec,
    verifiedDomains: dir.verifiedDomains,
    users: dir.users,
    groups: dir.groups,
    accounts: dir.accounts,
    contacts: dir.contacts,
    subscribedSkus: dir.subscribedSkus,

    mailboxMessages(userId: string, opts: { visibleAt: Date; folder?: MailFolderName }): SimMessage[] {
      const index = userIndexById.get(userId.toLowerCase());
      if (index === undefined) return [];
      const box = mailbox(index);
      const from = firstAtOrBefore(box.visibleFrom, opts.visibleAt.getTime());
      const visible = box.messages.slice(from);
      return opts.folder ? visible.filter((m) => m.folder === opts.folder) : visible;
    },

    mailboxEvents(userId: string, opts: { start: Date; end: Date; visibleAt: Date }): SimEvent[] {
      const index = userIndexById.get(userId.toLowerCase());
      if (index === undefined) return [];
      const box = mailbox(index);
      const start = opts.start.getTime();
      const end = opts.end.getTime();
      const at = opts.visibleAt.getTime();
      if (edits.seq > 0) return editedMailboxEvents(index, box, start, end, at);
      const out: SimEvent[] = [];
      for (let i = 0; i < box.events.length; i++) {
        if ((box.eventStart[i] as number) >= end) break; // sorted by start
        if ((box.eventEnd[i] as number) <= start) continue;
        if ((box.eventCreated[i] as number) > at) continue;
        const ev = box.events[i] as SimEvent;
        const cancelled = box.eventCancelled[i] as number;
        // The cached copy is the uncancelled state; a cancelled view is a fresh object.
        out.push(cancelled <= at ? { ...ev, isCancelled: true, lastModifiedDateTime: ev.cancelledDateTime ?? ev.lastModifiedDateTime } : ev);
      }
      return out;
    },

    datasetCsv() {
      return { accountsCsv: accountsCsv(dir.accounts), contactsCsv: contactsCsv(dir.contacts) };
    },

    releaseCaches() {
      units.clear();
      mailboxes.clear();
    },

    calendarEdits: {
      get seq() {
        return edits.seq;
      },
      edit: (req, at) => edits.edit(req, at.getTime()),
      changedSince(userId, sinceSeq, untilSeq) {
        const index = userIndexById.get(userId.toLowerCase());
        return index === undefined ? [] : edits.changedSince(index, sinceSeq, untilSeq);
      },
    },
  };

  /** A mailbox's calendar once edits exist: each occurrence as edited by then, plus added meetings it holds. */
  function editedMailboxEvents(userIndex: number, box: MailboxContents, start: number, end: number, at: number): SimEvent[] {
    const out: Array<{ event: SimEvent; start: number }> = [];
    const keep = (ev: SimEvent, o: EditedOccurrence, created: number, edited: boolean) => {
      if (created > at || o.startMs >= end || o.endMs <= start) return;
      const cancelled = o.cancelledMs !== null && o.cancelledMs <= at;
      // Unedited copies are shared and uncancelled; a changed view is a fresh object.
      const event = edited ? editedEvent(ev, o, at) : cancelled ? { ...ev, isCancelled: true, lastModifiedDateTime: ev.cancelledDateTime ?? ev.lastModifiedDateTime } : ev;
      out.push({ event, start: o.startMs });
    };
    for (let i = 0; i < box.events.length; i++) {
      const ev = box.events[i] as SimEvent;
      const key = box.eventOccurrence[i] as string;
      const cancelled = box.eventCancelled[i] as number;
      const base = { type: ev.type as EditedOccurrence['type'], startMs: box.eventStart[i] as number, endMs: box.eventEnd[i] as number, cancelledMs: Number.isNaN(cancelled) ? null : cancelled };
      const edited = edits.hasEdits(key);
      keep(ev, edited ? edits.occurrenceAt(key, base, at) : { ...base, modifiedMs: null }, box.eventCreated[i] as number, edited);
    }
    for (const meeting of edits.added) {
      if (!meetingHolders(meeting).includes(userIndex)) continue;
      const occ = meeting.occurrences[0]!;
      keep(buildEventCopy(copy, meeting, occ, userIndex), edits.occurrenceAt(meetingOccurrenceKey(meeting, occ), occ, at), meeting.createdMs, true);
    }
    out.sort((a, b) => a.start - b.start || (a.event.id < b.event.id ? -1 : a.event.id > b.event.id ? 1 : 0));
    return out.map((e) => e.event);
  }

  const internals: TenantInternals = {
    ctx,
    copy,
    edits,
    unit,
    userIndexById,
    stats: () => ({ cachedMailboxes: mailboxes.size, cachedCopies: mailboxes.weight, cachedUnits: units.size, cachedUnitRecords: units.weight }),
  };
  registerInternals(tenant, internals);
  return tenant;
}
