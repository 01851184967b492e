import type { OutputRowDocument } from '../engine/engine-results.store';
import { monthStart, weekStart } from '../engine/domain/periods';

/** Pure shaping of the customer card from an account's rows of one run. */

export const SCORE_PARTS = ['emails', 'meetings', 'people', 'recency'] as const;
export type ScorePartName = (typeof SCORE_PARTS)[number];
export type PartMedians = Record<ScorePartName | 'raw', number> & { score: number };

export interface HistoryPoint {
  start: string;
  emailsToAccount: number;
  emailsFromAccount: number;
  meetingsByOrganisation: number;
  meetingsByAccount: number;
}

const DAY_MS = 86_400_000;
const YEAR_MS = 365 * DAY_MS;
/** Parts within 5 % of the median (or both zero) neither raised nor lowered the score. */
const NEUTRAL_BAND = 0.05;

export function explainScore(parts: OutputRowDocument['ScoreParts'], medians: PartMedians) {
  return SCORE_PARTS.map((part) => {
    const value = parts[part];
    const median = medians[part];
    const band = Math.max(Math.abs(median) * NEUTRAL_BAND, 1e-9);
    const effect: 'raised' | 'lowered' | 'neutral' = value > median + band ? 'raised' : value < median - band ? 'lowered' : 'neutral';
    return { part, value, median, effect };
  });
}

/**
 * Every week (Monday) and month start of the window (asOf − 365 d, asOf], oldest first, with the
 * account's counts where the engine wrote a row and zeros elsewhere (it writes only periods where
 * something was counted), so charts have an even axis.
 */
export function historySeries(rows: OutputRowDocument[], level: 'Week' | 'Month', asOf: Date): HistoryPoint[] {
  const byStart = new Map(rows.filter((r) => r.AggregationLevel === level).map((r) => [Date.parse(r.AggregationStartDate), r]));
  const end = asOf.getTime();
  const first = level === 'Week' ? weekStart(end - YEAR_MS) : monthStart(end - YEAR_MS);
  const out: HistoryPoint[] = [];
  for (let t = first; t < end; t = level === 'Week' ? t + 7 * DAY_MS : nextMonth(t)) {
    const r = byStart.get(t);
    out.push({
      start: new Date(t).toISOString(),
      emailsToAccount: r?.NoOfEmails_ToAccount ?? 0,
      emailsFromAccount: r?.NoOfEmails_FromAccount ?? 0,
      meetingsByOrganisation: r?.NoOfMeetings_ToAccount ?? 0,
      meetingsByAccount: r?.NoOfMeetings_FromAccount ?? 0,
    });
  }
  // A row outside the computed axis would mean the engine's periods differ from ours: keep it visible.
  for (const [t, r] of byStart) {
    if (!out.some((p) => Date.parse(p.start) === t)) {
      out.push({ start: r.AggregationStartDate, emailsToAccount: r.NoOfEmails_ToAccount, emailsFromAccount: r.NoOfEmails_FromAccount, meetingsByOrganisation: r.NoOfMeetings_ToAccount, meetingsByAccount: r.NoOfMeetings_FromAccount });
    }
  }
  return out.sort((a, b) => a.start.localeCompare(b.start));
}

function nextMonth(t: number): number {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

export function totalsOf(y: OutputRowDocument) {
  return {
    emails: y.NoOfEmails_ToAccount + y.NoOfEmails_FromAccount,
    emailsToAccount: y.NoOfEmails_ToAccount,
    emailsFromAccount: y.NoOfEmails_FromAccount,
    meetings: y.NoOfMeetings_ToAccount + y.NoOfMeetings_FromAccount,
    meetingsByOrganisation: y.NoOfMeetings_ToAccount,
    meetingsByAccount: y.NoOfMeetings_FromAccount,
    peopleOrganisationEmails: y.NoOfContactsInvolved_Emails,
    peopleOrganisationMeetings: y.NoOfContactsInvolved_Meetings,
    peopleAccountEmails: y.NoOfAccountContactsInvolved_Emails,
    peopleAccountMeetings: y.NoOfAccountContactsInvolved_Meetings,
    daysSinceLastEmail: y.DaysSinceLastEmail,
    daysSinceLastMeeting: y.DaysSinceLastMeeting,
    averageMeetingMinutes: y.AverageDuration_Of_Meetings,
    averageReplyMinutes: y.AverageDuration_Of_AccountEmailReplies,
    engagementStartDate: y.EngagementStartDate,
  };
}
