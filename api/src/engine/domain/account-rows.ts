import { DAY_MS, emptyBucket, mergeBucketInto, WINDOW_MS, type Bucket } from './engagement-buckets';
import { scoreParts, type ScoreParts } from './engagement-score';
import { monthStart, referenceInstant, weekStart, type AggregationLevel } from './periods';

/** One row of the output entity before scoring: the spec's columns for one account and period. */
export interface ActivityRow {
  AccountId: string;
  AccountName: string;
  AggregationLevel: AggregationLevel;
  AggregationStartDate: string;
  NoOfEmails_ToAccount: number;
  NoOfEmails_FromAccount: number;
  NoOfMeetings_FromAccount: number;
  NoOfMeetings_ToAccount: number;
  NoOfContactsInvolved_Emails: number;
  NoOfContactsInvolved_Meetings: number;
  NoOfAccountContactsInvolved_Emails: number;
  NoOfAccountContactsInvolved_Meetings: number;
  EngagementStartDate: string | null;
  DaysSinceLastEmail: number | null;
  DaysSinceLastMeeting: number | null;
  AverageDuration_Of_Meetings: number | null;
  AverageDuration_Of_AccountEmailReplies: number | null;
}

/** A row as the engine writes it, before ranking: the columns and the score's parts. */
export interface AccountRow extends ActivityRow {
  ScoreParts: ScoreParts;
}

function toRow(account: { id: string; name: string }, level: AggregationLevel, start: number, b: Bucket, asOf: number): ActivityRow {
  const meetings = b.meetingsTo + b.meetingsFrom;
  return {
    AccountId: account.id,
    AccountName: account.name,
    AggregationLevel: level,
    AggregationStartDate: new Date(start).toISOString(),
    NoOfEmails_ToAccount: b.emailsTo,
    NoOfEmails_FromAccount: b.emailsFrom,
    NoOfMeetings_FromAccount: b.meetingsFrom,
    NoOfMeetings_ToAccount: b.meetingsTo,
    NoOfContactsInvolved_Emails: b.selectedOnEmails.length,
    NoOfContactsInvolved_Meetings: b.selectedOnMeetings.length,
    NoOfAccountContactsInvolved_Emails: b.accountOnEmails.length,
    NoOfAccountContactsInvolved_Meetings: b.accountOnMeetings.length,
    EngagementStartDate: b.first === null ? null : new Date(b.first).toISOString(),
    DaysSinceLastEmail: b.latestEmail === null ? null : Math.floor((asOf - b.latestEmail) / DAY_MS),
    DaysSinceLastMeeting: b.latestEndedMeeting === null ? null : Math.floor((asOf - b.latestEndedMeeting) / DAY_MS),
    AverageDuration_Of_Meetings: meetings === 0 ? null : b.meetingMs / meetings / 60_000,
    AverageDuration_Of_AccountEmailReplies: b.replies === 0 ? null : b.replyMs / b.replies / 60_000,
  };
}

/** A period's slots: their merged figures for the columns, and the slots themselves for the score. */
interface PeriodSlots {
  merged: Bucket;
  slots: Bucket[];
}

/**
 * Rolls one account's buckets (from every mailbox, emails and meetings) up into its Week,
 * Month and Year rows with their score parts (H = `halfLifeDays`). A slot belongs to the window
 * and to the periods that hold its key (see `slotKey`). Week and Month rows exist only where
 * something was counted; the Year row always exists.
 */
export function accountRows(
  account: { id: string; name: string },
  buckets: Iterable<Bucket>,
  asOf: number,
  halfLifeDays: number,
): AccountRow[] {
  const windowStart = asOf - WINDOW_MS;
  const year: PeriodSlots = { merged: emptyBucket(0), slots: [] };
  const weeks = new Map<number, PeriodSlots>();
  const months = new Map<number, PeriodSlots>();
  const add = (periods: Map<number, PeriodSlots>, start: number, b: Bucket) => {
    const p = periods.get(start) ?? periods.set(start, { merged: emptyBucket(start), slots: [] }).get(start)!;
    mergeBucketInto(p.merged, b);
    p.slots.push(b);
  };
  for (const b of buckets) {
    if (b.h <= windowStart || b.h > asOf) continue;
    mergeBucketInto(year.merged, b);
    year.slots.push(b);
    add(weeks, weekStart(b.h), b);
    add(months, monthStart(b.h), b);
  }
  const scored = (level: AggregationLevel, start: number, p: PeriodSlots): AccountRow => ({
    ...toRow(account, level, start, p.merged, asOf),
    ScoreParts: scoreParts(p.slots, referenceInstant(level, start, asOf), halfLifeDays),
  });
  const rows: AccountRow[] = [];
  const sorted = (m: Map<number, PeriodSlots>) => [...m.entries()].sort((a, b) => a[0] - b[0]);
  for (const [start, p] of sorted(weeks)) rows.push(scored('Week', start, p));
  for (const [start, p] of sorted(months)) rows.push(scored('Month', start, p));
  rows.push(scored('Year', windowStart, year));
  return rows;
}
