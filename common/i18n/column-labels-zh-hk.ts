import type { ColumnLabels } from './column-labels-en';

/** Traditional Chinese (Hong Kong) names of the output entity's columns, as the grid and the CSV header show them. */
export const columnLabelsZhHk: ColumnLabels = {
  columns: {
    AccountId: '客戶帳戶 ID',
    AccountName: '客戶帳戶',
    AggregationLevel: '層級',
    AggregationStartDate: '期間',
    NoOfEmails_ToAccount: '寄給客戶帳戶的電郵',
    NoOfEmails_FromAccount: '來自客戶帳戶的電郵',
    NoOfMeetings_FromAccount: '客戶帳戶安排的會議',
    NoOfMeetings_ToAccount: '我方安排的會議',
    NoOfContactsInvolved_Emails: '電郵中的我方人員',
    NoOfContactsInvolved_Meetings: '會議中的我方人員',
    NoOfAccountContactsInvolved_Emails: '電郵中的對方人員',
    NoOfAccountContactsInvolved_Meetings: '會議中的對方人員',
    EngagementStartDate: '開始參與日期',
    DaysSinceLastEmail: '距上次電郵天數',
    DaysSinceLastMeeting: '距上次會議天數',
    AverageDuration_Of_Meetings: '平均會議時長',
    AverageDuration_Of_AccountEmailReplies: '平均回覆時間',
    EngagementScore: '分數',
    ScoreChange: '分數變化',
    CountsWithheld: '數字已隱藏（私隱）',
  },
  /** The header of a column whose numbers are minutes (the grid writes the unit in each cell instead). */
  inMinutes: '{label}（分鐘）',
};
