/**
 * The output entity of the spec (../shared/spec/engagement-metrics.md): one row per account and
 * period with its counts and the score's parts. A run computes these rows (runs/domain) and a
 * snapshot stores them (snapshot-schema.ts lays them out as columns); both read the shape here,
 * so the storage below the engine never imports the engine.
 */

export type AggregationLevel = 'Week' | 'Month' | 'Year';

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

/**
 * What each output row keeps of its score: the formula's terms, and what the card needs to say
 * it in natural units. The one definition of `ScoreParts`: the type below is derived from this
 * list, and stores that lay the parts out as columns read their names and types from it.
 */
export const SCORE_PART_FIELDS = [
  { name: 'activity', type: 'double', nullable: false, description: 'Σ w × 2^(−age / H) over the row’s counted items: the four activity parts below added up' },
  { name: 'activityEmailsToAccount', type: 'double', nullable: false, description: 'The part of activity from emails to the account (w = 1)' },
  { name: 'activityEmailsFromAccount', type: 'double', nullable: false, description: 'The part of activity from emails from the account (w = 2)' },
  { name: 'activityMeetingsByOrganisation', type: 'double', nullable: false, description: 'The part of activity from meetings organised by the organisation (w = 3)' },
  { name: 'activityMeetingsByAccount', type: 'double', nullable: false, description: 'The part of activity from meetings organised by the account (w = 4)' },
  { name: 'people', type: 'integer', nullable: false, description: 'P: distinct addresses of the account over the row’s counted emails and meetings together' },
  { name: 'raw', type: 'double', nullable: false, description: 'ln(1 + activity) + 0.5 × ln(1 + people): the value ranked into EngagementScore' },
  { name: 'recentEmails', type: 'integer', nullable: false, description: 'Counted emails in the 90 days up to the row’s reference instant (a Week or Month row: its whole period)' },
  { name: 'recentMeetings', type: 'integer', nullable: false, description: 'Counted meetings (by start) in the 90 days up to the row’s reference instant (a Week or Month row: its whole period)' },
  { name: 'daysSinceLastContact', type: 'integer', nullable: true, description: 'Whole days from the row’s latest counted email or ended meeting (by start) to its reference instant; null when there is none' },
  { name: 'halfLifeDays', type: 'integer', nullable: false, description: 'H, the half-life in days the run scored with' },
] as const;

type ScorePartField = (typeof SCORE_PART_FIELDS)[number];
export type ScorePartName = ScorePartField['name'];
export type ScoreParts = { [F in ScorePartField as F['name']]: F['nullable'] extends true ? number | null : number };
