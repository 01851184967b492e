import type { ColumnLabels } from './column-labels-en';

/** Polish names of the output entity's columns, as the grid and the CSV header show them. */
export const columnLabelsPl: ColumnLabels = {
  columns: {
    AccountId: 'Identyfikator konta',
    AccountName: 'Konto',
    AggregationLevel: 'Poziom',
    AggregationStartDate: 'Okres',
    NoOfEmails_ToAccount: 'Wiadomości do konta',
    NoOfEmails_FromAccount: 'Wiadomości od konta',
    NoOfMeetings_FromAccount: 'Spotkania zorganizowane przez konto',
    NoOfMeetings_ToAccount: 'Spotkania zorganizowane przez nas',
    NoOfContactsInvolved_Emails: 'Nasze osoby w wiadomościach',
    NoOfContactsInvolved_Meetings: 'Nasze osoby na spotkaniach',
    NoOfAccountContactsInvolved_Emails: 'Ich osoby w wiadomościach',
    NoOfAccountContactsInvolved_Meetings: 'Ich osoby na spotkaniach',
    EngagementStartDate: 'Zaangażowanie od',
    DaysSinceLastEmail: 'Dni od ostatniej wiadomości',
    DaysSinceLastMeeting: 'Dni od ostatniego spotkania',
    AverageDuration_Of_Meetings: 'Średni czas spotkania',
    AverageDuration_Of_AccountEmailReplies: 'Średni czas odpowiedzi',
    EngagementScore: 'Wynik',
    ScoreChange: 'Zmiana wyniku',
    CountsWithheld: 'Dane ukryte (prywatność)',
  },
  /** The header of a column whose numbers are minutes (the grid writes the unit in each cell instead). */
  inMinutes: '{label} (w minutach)',
};
