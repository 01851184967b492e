import type { ColumnLabels } from './column-labels-en';

/** Indonesian names of the output entity's columns, as the grid and the CSV header show them. */
export const columnLabelsId: ColumnLabels = {
  columns: {
    AccountId: 'ID akun',
    AccountName: 'Akun',
    AggregationLevel: 'Tingkat',
    AggregationStartDate: 'Periode',
    NoOfEmails_ToAccount: 'Email ke akun',
    NoOfEmails_FromAccount: 'Email dari akun',
    NoOfMeetings_FromAccount: 'Rapat yang diadakan akun',
    NoOfMeetings_ToAccount: 'Rapat yang kami adakan',
    NoOfContactsInvolved_Emails: 'Orang kami di email',
    NoOfContactsInvolved_Meetings: 'Orang kami di rapat',
    NoOfAccountContactsInvolved_Emails: 'Orang mereka di email',
    NoOfAccountContactsInvolved_Meetings: 'Orang mereka di rapat',
    EngagementStartDate: 'Terlibat sejak',
    DaysSinceLastEmail: 'Hari sejak email terakhir',
    DaysSinceLastMeeting: 'Hari sejak rapat terakhir',
    AverageDuration_Of_Meetings: 'Rata-rata lama rapat',
    AverageDuration_Of_AccountEmailReplies: 'Rata-rata waktu balasan',
    EngagementScore: 'Skor',
    ScoreChange: 'Perubahan skor',
    CountsWithheld: 'Angka disembunyikan (privasi)',
  },
  /** The header of a column whose numbers are minutes (the grid writes the unit in each cell instead). */
  inMinutes: '{label} (menit)',
};
