import type { ActivityRow } from './account-rows';

/** Weights of the raw score's parts; configuration, so the card can explain a score by them. */
export interface ScoreWeights {
  emails: number;
  meetings: number;
  people: number;
  recency: number;
}

export const DEFAULT_SCORE_WEIGHTS: ScoreWeights = { emails: 1, meetings: 1.5, people: 1, recency: 1 };

export interface ScoreParts {
  emails: number;
  meetings: number;
  people: number;
  recency: number;
  raw: number;
}

export function hasActivity(r: ActivityRow): boolean {
  return r.NoOfEmails_ToAccount + r.NoOfEmails_FromAccount + r.NoOfMeetings_ToAccount + r.NoOfMeetings_FromAccount > 0;
}

/**
 * Raw engagement of one row, as weighted parts. Every part grows with activity, so an account
 * with at least as much of everything (and at least as recent) never has a lower raw value.
 * Recency is 1 / (1 + days since the latest email or ended meeting).
 */
export function scoreParts(r: ActivityRow, w: ScoreWeights = DEFAULT_SCORE_WEIGHTS): ScoreParts {
  const emails = r.NoOfEmails_ToAccount + r.NoOfEmails_FromAccount;
  const meetings = r.NoOfMeetings_ToAccount + r.NoOfMeetings_FromAccount;
  const people =
    Math.max(r.NoOfContactsInvolved_Emails, r.NoOfContactsInvolved_Meetings) +
    Math.max(r.NoOfAccountContactsInvolved_Emails, r.NoOfAccountContactsInvolved_Meetings);
  const days = [r.DaysSinceLastEmail, r.DaysSinceLastMeeting].filter((d): d is number => d !== null);
  const recency = days.length === 0 ? 0 : 1 / (1 + Math.min(...days));
  const parts = {
    emails: w.emails * Math.log1p(emails),
    meetings: w.meetings * Math.log1p(meetings),
    people: w.people * Math.log1p(people),
    recency: w.recency * recency,
  };
  return { ...parts, raw: parts.emails + parts.meetings + parts.people + parts.recency };
}

/**
 * 0–100 scores for rows of one level and period: the percentile rank of the raw value among the
 * accounts with any activity (the share of active accounts whose raw value is at most this one;
 * ties share a rank), 0 for accounts with no activity.
 */
export function rankScores(raws: readonly (number | null)[]): number[] {
  const active = raws.filter((r): r is number => r !== null).sort((a, b) => a - b);
  const n = active.length;
  return raws.map((r) => {
    if (r === null || n === 0) return 0;
    // Number of active values ≤ r, by binary search for the last index holding ≤ r.
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((active[mid] as number) <= r + 1e-12) lo = mid + 1;
      else hi = mid;
    }
    return Math.round((100 * lo) / n);
  });
}
