import type { OutputRowDocument } from '../runs/output/run-output.store';
import type { ScoreParts } from '../snapshots/output-entity';
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

/** A period's counts for the card's charts; all null when the privacy threshold withheld the period. */
export interface HistoryPoint {
  start: string;
  emailsToAccount: number | null;
  emailsFromAccount: number | null;
  meetingsByOrganisation: number | null;
  meetingsByAccount: number | null;
  withheld: boolean;
}

/** A row as the card reads it: `withheld` when the privacy threshold withheld its counts. */
export type CardRow = OutputRowDocument & { withheld?: boolean };

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
export function historySeries(rows: CardRow[], level: 'Week' | 'Month', asOf: Date): HistoryPoint[] {
  const byStart = new Map(rows.filter((r) => r.AggregationLevel === level).map((r) => [Date.parse(r.AggregationStartDate), r]));
  const end = asOf.getTime();
  const first = level === 'Week' ? weekStart(end - YEAR_MS) : monthStart(end - YEAR_MS);
  const out: HistoryPoint[] = [];
  for (let t = first; t < end; t = level === 'Week' ? t + 7 * DAY_MS : nextMonth(t)) {
    out.push(pointOf(new Date(t).toISOString(), byStart.get(t)));
  }
  // A row outside the computed axis would mean the engine's periods differ from ours: keep it visible.
  for (const [t, r] of byStart) {
    if (!out.some((p) => Date.parse(p.start) === t)) out.push(pointOf(r.AggregationStartDate, r));
  }
  return out.sort((a, b) => a.start.localeCompare(b.start));
}

/** A period with no row had nothing counted (zeros); a withheld one has no figures at all. */
function pointOf(start: string, r: CardRow | undefined): HistoryPoint {
  if (r?.withheld) return { start, emailsToAccount: null, emailsFromAccount: null, meetingsByOrganisation: null, meetingsByAccount: null, withheld: true };
  return {
    start,
    emailsToAccount: r?.NoOfEmails_ToAccount ?? 0,
    emailsFromAccount: r?.NoOfEmails_FromAccount ?? 0,
    meetingsByOrganisation: r?.NoOfMeetings_ToAccount ?? 0,
    meetingsByAccount: r?.NoOfMeetings_FromAccount ?? 0,
    withheld: false,
  };
}

function nextMonth(t: number): number {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** The Year row's totals; null when the privacy threshold withheld them (never zeros in their place). */
export function totalsOf(y: CardRow) {
  if (y.withheld) return null;
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
