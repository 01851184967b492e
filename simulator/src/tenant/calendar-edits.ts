/**
 * Calendar changes made after a tenant was generated: a meeting occurrence moved or cancelled,
 * a meeting added. Generated activity never changes, so tests and the bench say what happens
 * through the simulator's control endpoint, at the tenant clock's instant. Every edit has a
 * sequence number (what calendarView/delta rounds compare) and an instant (what decides
 * whether a view at a given time, or the oracle at a given as-of, sees it).
 */
import { accountMeetings, meetingHolders, teamMeetings, STREAM_ACCOUNT_MEETINGS, STREAM_TEAM_MEETINGS, type ActivityContext, type MeetingRecord, type OccurrenceRecord } from './activity-model';
import type { Party } from './generate-directory';
import { eventCopyId, parseEventCopyId, type CopyContext } from './materialize-copies';
import type { CalendarEditRequest, CalendarEditResult } from './tenant.types';

/** Meetings added by an edit: their own stream, so their ids never meet a generated one. */
export const STREAM_ADDED_MEETINGS = 9;

export class CalendarEditError extends Error {
  constructor(
    readonly status: 400 | 404,
    message: string,
  ) {
    super(message);
  }
}

interface OccurrenceEdit {
  seq: number;
  at: number;
  kind: 'move' | 'cancel';
  startMs: number;
  endMs: number;
}

/** An occurrence as a view at some instant sees it. */
export interface EditedOccurrence {
  type: OccurrenceRecord['type'];
  startMs: number;
  endMs: number;
  cancelledMs: number | null;
  /** The latest edit's instant, null when none applies. */
  modifiedMs: number | null;
}

export const occurrenceKey = (streamKind: number, streamIndex: number, meetingIndex: number, ordinal: number) => `${streamKind}:${streamIndex}:${meetingIndex}:${ordinal}`;

export const meetingOccurrenceKey = (m: MeetingRecord, occ: OccurrenceRecord) => occurrenceKey(m.streamKind, m.streamIndex, m.meetingIndex, occ.ordinal);

export class CalendarEdits {
  private lastSeq = 0;
  private readonly byOccurrence = new Map<string, OccurrenceEdit[]>();
  /** Meetings added by edits, in order. */
  readonly added: MeetingRecord[] = [];
  /** Which user's calendar items each edit touched (what a delta round reports). */
  private readonly touched: Array<{ seq: number; userIndex: number; eventId: string }> = [];

  constructor(
    private readonly ctx: ActivityContext,
    private readonly copy: CopyContext,
    private readonly userIndexOf: (address: string) => number | undefined,
  ) {}

  /** The latest edit's sequence number (0: none yet). */
  get seq(): number {
    return this.lastSeq;
  }

  hasEdits(key: string): boolean {
    return this.byOccurrence.has(key);
  }

  /** `occ` as a view at `visibleAt` sees it: the latest move made by then, cancelled by the earliest cancel. */
  occurrenceAt(key: string, occ: Pick<OccurrenceRecord, 'type' | 'startMs' | 'endMs' | 'cancelledMs'>, visibleAt: number): EditedOccurrence {
    const out: EditedOccurrence = { type: occ.type, startMs: occ.startMs, endMs: occ.endMs, cancelledMs: occ.cancelledMs, modifiedMs: null };
    for (const e of this.byOccurrence.get(key) ?? []) {
      if (e.at > visibleAt) continue;
      out.modifiedMs = e.at;
      if (e.kind === 'move') {
        out.startMs = e.startMs;
        out.endMs = e.endMs;
        if (occ.type === 'occurrence') out.type = 'exception';
      } else if (out.cancelledMs === null || e.at < out.cancelledMs) out.cancelledMs = e.at;
    }
    return out;
  }

  /** Immutable ids of `userIndex`'s calendar items that edits numbered in (sinceSeq, untilSeq] touched. */
  changedSince(userIndex: number, sinceSeq: number, untilSeq: number): string[] {
    const out = new Set<string>();
    for (const t of this.touched) if (t.seq > sinceSeq && t.seq <= untilSeq && t.userIndex === userIndex) out.add(t.eventId);
    return [...out];
  }

  edit(req: CalendarEditRequest, at: number): CalendarEditResult {
    if (req.kind === 'add') return this.add(req, at);
    const ref = parseEventCopyId(req.eventId);
    const meeting = ref && this.meetingOf(ref.streamKind, ref.streamIndex, ref.meetingIndex);
    const occ = meeting?.occurrences.find((o) => o.ordinal === ref!.ordinal);
    if (!meeting || !occ) throw new CalendarEditError(404, 'No calendar item of this tenant has that id.');
    if (req.kind === 'move' && !(req.endMs > req.startMs)) throw new CalendarEditError(400, 'A meeting must end after it starts.');
    const seq = ++this.lastSeq;
    const key = meetingOccurrenceKey(meeting, occ);
    const edit: OccurrenceEdit = req.kind === 'move' ? { seq, at, kind: 'move', startMs: req.startMs, endMs: req.endMs } : { seq, at, kind: 'cancel', startMs: 0, endMs: 0 };
    this.byOccurrence.set(key, [...(this.byOccurrence.get(key) ?? []), edit]);
    return { seq, eventIds: this.touch(seq, meeting, occ.ordinal) };
  }

  private add(req: Extract<CalendarEditRequest, { kind: 'add' }>, at: number): CalendarEditResult {
    if (!(req.endMs > req.startMs)) throw new CalendarEditError(400, 'A meeting must end after it starts.');
    const organizer = this.party(req.organizer);
    const attendees = [...new Set(req.attendees.map((a) => a.trim().toLowerCase()))].filter((a) => a !== organizer.address.toLowerCase()).map((a) => ({ party: this.party(a), type: 'required' as const, response: 'accepted' as const }));
    const seq = this.lastSeq + 1;
    const meeting: MeetingRecord = {
      streamKind: STREAM_ADDED_MEETINGS,
      streamIndex: 0,
      meetingIndex: seq,
      kind: 'internal',
      topic: 0,
      accountIndex: -1,
      organizer,
      attendees,
      recurrence: 'none',
      createdMs: at,
      isOnline: true,
      occurrences: [{ ordinal: 0, type: 'singleInstance', startMs: req.startMs, endMs: req.endMs, originalStartMs: req.startMs, cancelledMs: null }],
    };
    if (meetingHolders(meeting).length === 0) throw new CalendarEditError(400, 'Nobody in the organisation would hold this meeting: name a user as organiser or attendee.');
    this.lastSeq = seq;
    this.added.push(meeting);
    return { seq, eventIds: this.touch(seq, meeting, 0) };
  }

  private touch(seq: number, meeting: MeetingRecord, ordinal: number): string[] {
    return meetingHolders(meeting).map((userIndex) => {
      const eventId = eventCopyId(this.copy, meeting, ordinal, userIndex);
      this.touched.push({ seq, userIndex, eventId });
      return eventId;
    });
  }

  private meetingOf(streamKind: number, streamIndex: number, meetingIndex: number): MeetingRecord | undefined {
    if (streamKind === STREAM_ADDED_MEETINGS) return this.added.find((m) => m.meetingIndex === meetingIndex);
    // A stream regenerates identically from its own seed: no cache is needed to find one meeting.
    if (streamKind === STREAM_ACCOUNT_MEETINGS) return accountMeetings(this.ctx, streamIndex).find((m) => m.meetingIndex === meetingIndex);
    if (streamKind === STREAM_TEAM_MEETINGS) return teamMeetings(this.ctx, streamIndex).find((m) => m.meetingIndex === meetingIndex);
    return undefined;
  }

  private party(address: string): Party {
    const a = address.trim();
    const userIndex = this.userIndexOf(a.toLowerCase());
    if (userIndex !== undefined) return this.ctx.dir.userParties[userIndex]!;
    const contact = this.ctx.dir.contactParties.find((p) => p.address.toLowerCase() === a.toLowerCase());
    return contact ?? { name: a.slice(0, Math.max(0, a.indexOf('@'))) || a, address: a, userIndex: -1 };
  }
}
