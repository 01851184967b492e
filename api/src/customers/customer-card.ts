import type { OutputRowDocument } from '../runs/output/run-output.store';
import type { ScoreParts } from '../runs/domain/engagement-score';
import { monthStart, weekStart } from '../runs/domain/periods';

/** Pure shaping of the customer card from an account's rows of one run. */

/**
 * The score parts the card sets against the typical (median) active account, in natural units:
 * emails and meetings of the last 90 days, how many of the account's people were involved, and
 * days since the last contact (fewer is better).
 */
export const CARD_PARTS = ['recentEmails', 'recentMeetings', 'people', 'daysSinceLastContact'] as const;
export type CardPartName = (typeof CARD_PARTS)[number];
/** Medians over the active accounts; null when no active account has a value (e.g. no contact has ended yet). */
export type PartMedians = Record<CardPartName, number | null> & { score: number };

export interface HistoryPoint {
  start: string;
  emailsToAccount: number;
  emailsFromAccount: number;
  meetingsByOrganisation: number;
  meetingsByAccount: number;
}

const DAY_MS = 86_400_000;
const YEAR_MS = 365 * DAY_MS;
/** Parts within 5 % of the median (or equal to it) neither raised nor lowered the score. */
const NEUTRAL_BAND = 0.05;

/**
 * Each card part of the account's Year row set against the median active account, and whether
 * it helped ('raised'), held back ('lowered') or made no difference ('neutral'). A part equal to
 * the median, or within 5 % of it, is always 'neutral'. A part the account has no value for (no
 * contact that has ended) is left out.
 */
export function explainScore(parts: ScoreParts, medians: PartMedians) {
  return CARD_PARTS.flatMap((part) => {
    const value = parts[part];
    const median = medians[part];
    if (value === null || median === null) return [];
    const band = Math.max(Math.abs(median) * NEUTRAL_BAND, 1e-9);
    // Every part but the days since the last contact helps a score by being higher.
    const better = part === 'daysSinceLastContact' ? value < median - band : value > median + band;
    const worse = part === 'daysSinceLastContact' ? value > median + band : value < median - band;
    const effect: 'raised' | 'lowered' | 'neutral' = better ? 'raised' : worse ? 'lowered' : 'neutral';
    return [{ part, value, median, effect }];
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
