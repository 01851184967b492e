import type { Formatters, Translate } from '../../platform/i18n/i18n';
import type { ColumnName, ColumnType, OutputRow } from '../../platform/insights-api-types';

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
};

export const allColumns = Object.keys(columnTypes) as ColumnName[];

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

export function columnLabel(t: Translate, column: ColumnName): string {
  return t(`column.${column}`);
}

/** A cell as the locale writes it; a missing value says what it means instead of showing blank. */
export function formatCell(
  t: Translate,
  format: Formatters,
  column: ColumnName,
  value: OutputRow[ColumnName] | undefined,
): string {
  if (value === null || value === undefined || value === '') {
    return neverColumns.has(column) ? t('grid.never') : t('grid.noValue');
  }
  const type = columnTypes[column];
  if (type === 'number' && typeof value === 'number') return format.number(value);
  if (type === 'date' && typeof value === 'string') return format.date(value);
  if (column === 'AggregationLevel' && typeof value === 'string') return t(`level.${value as 'Year' | 'Month' | 'Week'}`);
  return String(value);
}
