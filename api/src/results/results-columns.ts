import type { OutputRowDocument } from '../runs/output/run-output.store';
import { DOUBLE_COLUMNS, INSTANT_COLUMNS, INTEGER_COLUMNS } from '../snapshots/snapshot-schema';

/**
 * The output entity's columns as readers see them: the spec's columns plus the score. This
 * catalogue is the only place a column name becomes a SQL identifier, so anything a client
 * sends is checked against it first (an unknown name never reaches a query).
 */
/** The one column not stored in a snapshot: joined in by the account ordinal when a query names it. */
export const SCORE_CHANGE = 'ScoreChange';

export type ColumnType = 'string' | 'number' | 'date';

export interface ColumnInfo {
  name: ColumnName;
  type: ColumnType;
  nullable: boolean;
}

export const COLUMNS = [
  { name: 'AccountId', type: 'string', nullable: false },
  { name: 'AccountName', type: 'string', nullable: false },
  { name: 'AggregationLevel', type: 'string', nullable: false },
  { name: 'AggregationStartDate', type: 'date', nullable: false },
  { name: 'NoOfEmails_ToAccount', type: 'number', nullable: false },
  { name: 'NoOfEmails_FromAccount', type: 'number', nullable: false },
  { name: 'NoOfMeetings_FromAccount', type: 'number', nullable: false },
  { name: 'NoOfMeetings_ToAccount', type: 'number', nullable: false },
  { name: 'NoOfContactsInvolved_Emails', type: 'number', nullable: false },
  { name: 'NoOfContactsInvolved_Meetings', type: 'number', nullable: false },
  { name: 'NoOfAccountContactsInvolved_Emails', type: 'number', nullable: false },
  { name: 'NoOfAccountContactsInvolved_Meetings', type: 'number', nullable: false },
  { name: 'EngagementStartDate', type: 'date', nullable: true },
  { name: 'DaysSinceLastEmail', type: 'number', nullable: true },
  { name: 'DaysSinceLastMeeting', type: 'number', nullable: true },
  { name: 'AverageDuration_Of_Meetings', type: 'number', nullable: true },
  { name: 'AverageDuration_Of_AccountEmailReplies', type: 'number', nullable: true },
  { name: 'EngagementScore', type: 'number', nullable: false },
  // Computed at read time from two kept snapshots (score-trend.ts): the account's Year score minus its Year score in the previous published run; empty when new.
  { name: 'ScoreChange', type: 'number', nullable: true },
] as const satisfies ReadonlyArray<{ name: keyof OutputRowDocument | typeof SCORE_CHANGE; type: ColumnType; nullable: boolean }>;

export type ColumnName = (typeof COLUMNS)[number]['name'];
export const COLUMN_NAMES = COLUMNS.map((c) => c.name) as [ColumnName, ...ColumnName[]];
const BY_NAME = new Map<string, ColumnInfo>(COLUMNS.map((c) => [c.name, c]));

export function columnInfo(name: string): ColumnInfo | undefined {
  return BY_NAME.get(name);
}

/** How a column is stored in a snapshot, which decides how a value compared with it is bound. */
export type SqlKind = 'integer' | 'double' | 'instant' | 'text';
const SQL_KINDS = new Map<string, SqlKind>([
  ...INTEGER_COLUMNS.map((c) => [c, 'integer'] as const),
  ...DOUBLE_COLUMNS.map((c) => [c, 'double'] as const),
  ...INSTANT_COLUMNS.map((c) => [c, 'instant'] as const),
  [SCORE_CHANGE, 'integer'],
]);
export function sqlKindOf(name: ColumnName): SqlKind {
  return SQL_KINDS.get(name) ?? 'text';
}

/** The columns a snapshot stores (every column but ScoreChange). */
export const STORED_COLUMN_NAMES = COLUMN_NAMES.filter((c) => c !== SCORE_CHANGE);

export const NUMBER_COLUMNS = COLUMNS.filter((c) => c.type === 'number').map((c) => c.name) as [ColumnName, ...ColumnName[]];

/**
 * Null in the days-since columns means "never": longer ago than any number. A sales analyst
 * counts an account never emailed as stale, so these nulls pass lower bounds (`>`, `>=`).
 */
export const NEVER_MEANS_INFINITE: ReadonlySet<ColumnName> = new Set<ColumnName>(['DaysSinceLastEmail', 'DaysSinceLastMeeting']);

/**
 * The privacy threshold's flag (snapshot-schema.ts): not a column one picks, filters or sorts on,
 * but, when the result was published with a threshold, on every row a reader gets (grid page,
 * CSV, preview, segment members), so a withheld row's empty cells are never mistaken for
 * "nothing" or "never". Without a threshold rows have exactly the picked columns, as always.
 */
export const COUNTS_WITHHELD = 'CountsWithheld';
/** Picked columns plus the flag, as a SELECT list and as the names `rowObjects` reads. */
export function withFlag(columns: readonly ColumnName[]): ColumnName[] {
  return [...columns, COUNTS_WITHHELD as ColumnName];
}
/** `withFlag` when the snapshot was published with a privacy threshold, else the columns as they are. */
export function withFlagIf(s: { facts: { privacyThreshold?: number | null } }, columns: readonly ColumnName[]): ColumnName[] {
  return s.facts.privacyThreshold ? withFlag(columns) : [...columns];
}

export const LEVELS = ['Week', 'Month', 'Year'] as const;
export type Level = (typeof LEVELS)[number];
