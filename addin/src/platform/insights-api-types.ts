/**
 * Shapes of the results, customer card, segment and measure endpoints (docs/rest-api.md,
 * "Results, customers, segments and measures"), as the tab relies on them.
 */

export type Level = 'Week' | 'Month' | 'Year';
export const levels: readonly Level[] = ['Year', 'Month', 'Week'];

export interface OutputRow {
  AccountId: string;
  AccountName: string;
  AggregationLevel: Level;
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
  EngagementScore: number;
  /** The Year score minus the previous published run's (computed at read time); null when new or there is no previous run. */
  ScoreChange: number | null;
}

export type ColumnName = keyof OutputRow;
export type ColumnType = 'string' | 'number' | 'date';

export interface ColumnInfo {
  name: ColumnName;
  type: ColumnType;
  nullable: boolean;
}

export type SortOrder = 'asc' | 'desc';

export interface RowsPage {
  runId: string | null;
  asOf: string | null;
  level: Level;
  period: string | null;
  total: number;
  offset: number;
  limit: number;
  sort: ColumnName;
  order: SortOrder;
  columns: ColumnName[];
  items: Partial<OutputRow>[];
}

export type ConditionOperator = '>' | '<' | '>=' | '<=' | '=' | 'between' | 'isEmpty' | 'isNotEmpty';

export interface SegmentCondition {
  type: 'condition';
  column: ColumnName;
  operator: ConditionOperator;
  value?: number | string;
  valueTo?: number | string;
}

export interface SegmentGroup {
  type: 'group';
  combinator: 'and' | 'or';
  children: (SegmentCondition | SegmentGroup)[];
}

export interface SegmentDefinition {
  level?: Level;
  period?: string;
  root: SegmentGroup;
}

export interface Segment {
  id: string;
  enrichmentId: string;
  name: string;
  description: string;
  definition: SegmentDefinition;
  builtIn: boolean;
  count: number;
  total: number;
  runId: string | null;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  updatedBy: string;
}

export type RunState = 'queued' | 'running' | 'merging' | 'completed' | 'failed' | 'cancelled';

export interface ResultsOverview {
  enrichmentId: string;
  entityName: string;
  userEntityName: string;
  current: { runId: string; asOf: string; flippedAt: string } | null;
  summary: {
    accountsEnriched: number;
    emailsProcessed: number;
    meetingsProcessed: number;
    daysCovered: number;
    durationMs: number;
  } | null;
  yearComplete: boolean;
  lastRun: { id: string; state: RunState; createdAt: string; endedAt: string | null; durationMs: number | null } | null;
  history: { runId: string; endedAt: string; accountsEnriched: number; emailsProcessed: number; meetingsProcessed: number }[];
  preview: OutputRow[];
  columns: ColumnInfo[];
  attributes: string[];
}

export interface UserEntityPage {
  runId: string | null;
  entityName: string;
  total: number;
  offset: number;
  limit: number;
  items: { UserId: string; Mail: string }[];
}

export interface AccountMatch {
  id: string;
  name: string;
  score: number;
  /** Change of the Year score since the previous published run; null when new (or no previous run). */
  change: number | null;
  daysSinceLastContact: number | null;
}

export interface AccountSearchResult {
  enrichmentId: string | null;
  runId: string | null;
  items: AccountMatch[];
  total: number;
  offset: number;
  limit: number;
  /** The as-of of the run changes are measured against; null when there is none. */
  previousAsOf: string | null;
}

/** Score bands (spec: High 70–100, Medium 40–69, Low 1–39; 0 is no engagement). */
export type ScoreBand = 'high' | 'medium' | 'low' | 'none';
export type AccountSort = 'relevance' | 'name' | 'score' | 'change' | 'lastContact';

/** What the customer list asks for (GET /api/accounts). */
export interface AccountListQuery {
  search: string;
  enrichmentId: string | null;
  sort: AccountSort;
  order?: SortOrder;
  band?: ScoreBand;
  /** e.g. −10: accounts cooling down (score dropped by 10 or more). */
  changeMax?: number;
  offset: number;
  limit: number;
}

export interface ScoreTrend {
  change: number | null;
  previousAsOf: string | null;
  /** The Year score in each kept run, oldest first (null: not in that run). */
  history: { runId: string; asOf: string; score: number | null }[];
}

/** The parts the card sets against the typical active account (api/src/customers/customer-card.ts). */
export type ScorePart = 'recentEmails' | 'recentMeetings' | 'people' | 'daysSinceLastContact';

/** A row's score parts as the engine stores them (api/src/engine/domain/engagement-score.ts, SCORE_PART_FIELDS). */
export interface ScoreParts {
  activity: number;
  activityEmailsToAccount: number;
  activityEmailsFromAccount: number;
  activityMeetingsByOrganisation: number;
  activityMeetingsByAccount: number;
  people: number;
  raw: number;
  recentEmails: number;
  recentMeetings: number;
  daysSinceLastContact: number | null;
  halfLifeDays: number;
}

export interface HistoryPoint {
  start: string;
  emailsToAccount: number;
  emailsFromAccount: number;
  meetingsByOrganisation: number;
  meetingsByAccount: number;
}

export interface CustomerCard {
  enrichmentId: string;
  runId: string;
  asOf: string;
  account: { id: string; name: string; attributes: Record<string, string> };
  year: OutputRow;
  score: {
    value: number;
    medianScore: number;
    parts: ScoreParts;
    band: ScoreBand;
    explanation: { part: ScorePart; value: number; median: number; effect: 'raised' | 'lowered' | 'neutral' }[];
  };
  totals: {
    emails: number;
    emailsToAccount: number;
    emailsFromAccount: number;
    meetings: number;
    meetingsByOrganisation: number;
    meetingsByAccount: number;
    peopleOrganisationEmails: number;
    peopleOrganisationMeetings: number;
    peopleAccountEmails: number;
    peopleAccountMeetings: number;
    daysSinceLastEmail: number | null;
    daysSinceLastMeeting: number | null;
    averageMeetingMinutes: number | null;
    averageReplyMinutes: number | null;
    engagementStartDate: string | null;
  };
  history: { week: HistoryPoint[]; month: HistoryPoint[] };
  trend: ScoreTrend;
}

export type Aggregate = 'count' | 'sum' | 'avg' | 'min' | 'max' | 'median';

export interface MeasureRequest {
  aggregate: Aggregate;
  column?: ColumnName;
  level?: Level;
  period?: string;
  segmentId?: string;
  filter?: SegmentGroup;
  groupBy?: string;
}

export interface MeasureResult {
  runId: string | null;
  aggregate: Aggregate;
  column: string | null;
  groupBy: string | null;
  value: number | null;
  count: number;
  groups: { key: string | null; value: number | null; count: number }[] | null;
}

/** The grid's view: which rows, in what order, which columns (also what CSV export writes). */
export interface GridView {
  level: Level;
  period?: string;
  scoreMin?: number;
  scoreMax?: number;
  emailDaysMin?: number;
  emailDaysMax?: number;
  meetingDaysMin?: number;
  meetingDaysMax?: number;
  /** Change of the Year score since the previous run, at most (−10: cooling down). */
  changeMax?: number;
  search?: string;
  segmentId?: string;
  sort: ColumnName;
  order: SortOrder;
  columns?: ColumnName[];
}
