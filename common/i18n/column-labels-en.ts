/** English names of the output entity's columns, as the grid and the CSV header show them. */
export const columnLabelsEn = {
  columns: {
    AccountId: 'Account id',
    AccountName: 'Account',
    AggregationLevel: 'Level',
    AggregationStartDate: 'Period',
    NoOfEmails_ToAccount: 'Emails to account',
    NoOfEmails_FromAccount: 'Emails from account',
    NoOfMeetings_FromAccount: 'Meetings by account',
    NoOfMeetings_ToAccount: 'Meetings by us',
    NoOfContactsInvolved_Emails: 'Our people in emails',
    NoOfContactsInvolved_Meetings: 'Our people in meetings',
    NoOfAccountContactsInvolved_Emails: 'Their people in emails',
    NoOfAccountContactsInvolved_Meetings: 'Their people in meetings',
    EngagementStartDate: 'Engaged since',
    DaysSinceLastEmail: 'Days since last email',
    DaysSinceLastMeeting: 'Days since last meeting',
    AverageDuration_Of_Meetings: 'Average meeting length',
    AverageDuration_Of_AccountEmailReplies: 'Average reply time',
    EngagementScore: 'Score',
    ScoreChange: 'Change in score',
    CountsWithheld: 'Counts withheld (privacy)',
  },
  /** The header of a column whose numbers are minutes (the grid writes the unit in each cell instead). */
  inMinutes: '{label} (minutes)',
} as const;

/** Every language's column names: the same columns, each named. */
export interface ColumnLabels {
  columns: Record<keyof typeof columnLabelsEn.columns, string>;
  inMinutes: string;
}

export type LabelledColumn = keyof ColumnLabels['columns'];

/** A table's column names as the tab's string keys (`column.AccountName`…), so the grid and the CSV read the same words. */
export function columnMessages(labels: ColumnLabels): { [K in LabelledColumn as `column.${K}`]: string } {
  return Object.fromEntries(Object.entries(labels.columns).map(([name, label]) => [`column.${name}`, label])) as { [K in LabelledColumn as `column.${K}`]: string };
}
