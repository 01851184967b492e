import { DAY_MS, emptyBucket, mergeBucketInto, WINDOW_MS, type Bucket } from './engagement-buckets';
import { bucketInstant, monthStart, weekStart, type AggregationLevel } from './periods';

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

/**
 * Rolls one account's hourly buckets (from every mailbox, emails and meetings) up into its
 * Week, Month and Year rows. Week and Month rows exist only where something was counted; the
 * Year row always exists.
 */
export function accountRows(
  account: { id: string; name: string },
  buckets: Iterable<Bucket>,
  asOf: number,
): ActivityRow[] {
  const windowStart = asOf - WINDOW_MS;
  const year = emptyBucket(0);
  const weeks = new Map<number, Bucket>();
  const months = new Map<number, Bucket>();
  for (const b of buckets) {
    if (b.h <= windowStart || b.h - 3_600_000 >= asOf) continue;
    const at = bucketInstant(b.h);
    mergeBucketInto(year, b);
    const w = weekStart(at);
    mergeBucketInto(weeks.get(w) ?? weeks.set(w, emptyBucket(w)).get(w)!, b);
    const m = monthStart(at);
    mergeBucketInto(months.get(m) ?? months.set(m, emptyBucket(m)).get(m)!, b);
  }
  const rows: ActivityRow[] = [];
  const sorted = (m: Map<number, Bucket>) => [...m.entries()].sort((a, b) => a[0] - b[0]);
  for (const [start, b] of sorted(weeks)) rows.push(toRow(account, 'Week', start, b, asOf));
  for (const [start, b] of sorted(months)) rows.push(toRow(account, 'Month', start, b, asOf));
  rows.push(toRow(account, 'Year', windowStart, year, asOf));
  return rows;
}
