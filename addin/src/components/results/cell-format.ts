import type { Formatters, Translate } from '../../platform/i18n/i18n';
import type { ColumnName, ColumnType, Level, OutputRow } from '../../platform/api/contracts';

/** Every column of the output entity with its type, in the spec's order (the API's ColumnInfo agrees). */
export const columnTypes: Record<ColumnName, ColumnType> = {
  AccountId: 'string',
  AccountName: 'string',
  AggregationLevel: 'string',
  AggregationStartDate: 'date',
  NoOfEmails_ToAccount: 'number',
  NoOfEmails_FromAccount: 'number',
  NoOfMeetings_FromAccount: 'number',
  NoOfMeetings_ToAccount: 'number',
  NoOfContactsInvolved_Emails: 'number',
  NoOfContactsInvolved_Meetings: 'number',
  NoOfAccountContactsInvolved_Emails: 'number',
  NoOfAccountContactsInvolved_Meetings: 'number',
  EngagementStartDate: 'date',
  DaysSinceLastEmail: 'number',
  DaysSinceLastMeeting: 'number',
  AverageDuration_Of_Meetings: 'number',
  AverageDuration_Of_AccountEmailReplies: 'number',
  EngagementScore: 'number',
  ScoreChange: 'number',
};

/**
 * The order columns are shown in: who (the account), how engaged (the score), which period a
 * Week or Month row covers, then the rest in the spec's order. Score never ends up off-screen.
 */
export const gridColumnOrder: ColumnName[] = [
  'AccountName',
  'EngagementScore',
  'ScoreChange',
  'AggregationStartDate',
  ...(Object.keys(columnTypes) as ColumnName[]).filter((c) => c !== 'AccountName' && c !== 'EngagementScore' && c !== 'ScoreChange' && c !== 'AggregationStartDate'),
];

/** The chosen columns in display order, with the period added whenever rows are per Week or Month. */
export function displayColumns(chosen: readonly ColumnName[], level: Level): ColumnName[] {
  return gridColumnOrder.filter((c) => chosen.includes(c) || (c === 'AggregationStartDate' && level !== 'Year'));
}

/** Columns shown before the user picks: enough to read an account at a glance. */
export const defaultGridColumns: ColumnName[] = [
  'AccountName',
  'EngagementScore',
  'NoOfEmails_ToAccount',
  'NoOfEmails_FromAccount',
  'NoOfMeetings_ToAccount',
  'NoOfMeetings_FromAccount',
  'DaysSinceLastEmail',
  'DaysSinceLastMeeting',
];

/** Days-since columns where null means "never" rather than "no value" (the API's reading too). */
const neverColumns = new Set<ColumnName>(['DaysSinceLastEmail', 'DaysSinceLastMeeting']);

/** Columns holding minutes; shown with the one duration rule (minutes, hours, days). */
export const durationColumns = new Set<ColumnName>(['AverageDuration_Of_Meetings', 'AverageDuration_Of_AccountEmailReplies']);

export function columnLabel(t: Translate, column: ColumnName): string {
  return t(`column.${column}`);
}

/** A cell as the locale writes it; a missing value says what it means instead of showing blank. */
export function formatCell(
  t: Translate,
  format: Formatters,
  column: ColumnName,
  value: OutputRow[ColumnName] | undefined,
  /** The rows' level: a period start reads "Week of …" or "November 2025". */
  level: Level = 'Year',
): string {
  if (value === null || value === undefined || value === '') {
    return neverColumns.has(column) ? t('grid.never') : t('grid.noValue');
  }
  const type = columnTypes[column];
  if (durationColumns.has(column) && typeof value === 'number') return format.duration(value);
  // A change in score reads as the card says it: ▲ 12, ▼ 5 (empty: new since the previous run, or no previous run).
  if (column === 'ScoreChange' && typeof value === 'number') {
    return value > 0 ? t('trend.up', { change: value }) : value < 0 ? t('trend.down', { change: -value }) : t('trend.same');
  }
  if (type === 'number' && typeof value === 'number') return format.number(value);
  if (column === 'AggregationStartDate' && typeof value === 'string') return format.period(level, value);
  if (type === 'date' && typeof value === 'string') return format.date(value);
  if (column === 'AggregationLevel' && typeof value === 'string') return t(`level.${value as 'Year' | 'Month' | 'Week'}`);
  return String(value);
}
