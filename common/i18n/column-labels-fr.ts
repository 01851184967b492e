import type { ColumnLabels } from './column-labels-en';

/** French names of the output entity's columns, as the grid and the CSV header show them. */
export const columnLabelsFr: ColumnLabels = {
  columns: {
    AccountId: 'Identifiant de compte',
    AccountName: 'Compte',
    AggregationLevel: 'Niveau',
    AggregationStartDate: 'Période',
    NoOfEmails_ToAccount: 'E-mails vers le compte',
    NoOfEmails_FromAccount: 'E-mails du compte',
    NoOfMeetings_FromAccount: 'Réunions organisées par le compte',
    NoOfMeetings_ToAccount: 'Réunions organisées par nous',
    NoOfContactsInvolved_Emails: 'Nos collaborateurs dans les e-mails',
    NoOfContactsInvolved_Meetings: 'Nos collaborateurs dans les réunions',
    NoOfAccountContactsInvolved_Emails: 'Leurs interlocuteurs dans les e-mails',
    NoOfAccountContactsInvolved_Meetings: 'Leurs interlocuteurs dans les réunions',
    EngagementStartDate: 'Engagé depuis',
    DaysSinceLastEmail: 'Jours depuis le dernier e-mail',
    DaysSinceLastMeeting: 'Jours depuis la dernière réunion',
    AverageDuration_Of_Meetings: 'Durée moyenne des réunions',
    AverageDuration_Of_AccountEmailReplies: 'Délai de réponse moyen',
    EngagementScore: 'Score',
    ScoreChange: 'Évolution du score',
    CountsWithheld: 'Chiffres masqués (confidentialité)',
  },
  /** The header of a column whose numbers are minutes (the grid writes the unit in each cell instead). */
  inMinutes: '{label} (minutes)',
};
