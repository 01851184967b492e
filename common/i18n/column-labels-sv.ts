import type { ColumnLabels } from './column-labels-en';

/** Swedish names of the output entity's columns, as the grid and the CSV header show them. */
export const columnLabelsSv: ColumnLabels = {
  columns: {
    AccountId: 'Konto-id',
    AccountName: 'Konto',
    AggregationLevel: 'Nivå',
    AggregationStartDate: 'Period',
    NoOfEmails_ToAccount: 'E-post till kontot',
    NoOfEmails_FromAccount: 'E-post från kontot',
    NoOfMeetings_FromAccount: 'Möten som kontot ordnat',
    NoOfMeetings_ToAccount: 'Möten som vi ordnat',
    NoOfContactsInvolved_Emails: 'Våra personer i e-post',
    NoOfContactsInvolved_Meetings: 'Våra personer i möten',
    NoOfAccountContactsInvolved_Emails: 'Deras personer i e-post',
    NoOfAccountContactsInvolved_Meetings: 'Deras personer i möten',
    EngagementStartDate: 'Engagerat sedan',
    DaysSinceLastEmail: 'Dagar sedan senaste e-post',
    DaysSinceLastMeeting: 'Dagar sedan senaste möte',
    AverageDuration_Of_Meetings: 'Genomsnittlig möteslängd',
    AverageDuration_Of_AccountEmailReplies: 'Genomsnittlig svarstid',
    EngagementScore: 'Poäng',
    ScoreChange: 'Poängförändring',
    CountsWithheld: 'Siffror dolda (integritet)',
  },
  /** The header of a column whose numbers are minutes (the grid writes the unit in each cell instead). */
  inMinutes: '{label} (minuter)',
};
