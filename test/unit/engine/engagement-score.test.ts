import { describe, expect, it } from 'vitest';
import type { ActivityRow } from '../../../api/src/engine/domain/account-rows';
import { rankScores, scoreParts } from '../../../api/src/engine/domain/engagement-score';

function row(over: Partial<ActivityRow> = {}): ActivityRow {
  return {
    AccountId: 'A', AccountName: 'A', AggregationLevel: 'Year', AggregationStartDate: '2025-01-01T00:00:00.000Z',
    NoOfEmails_ToAccount: 0, NoOfEmails_FromAccount: 0, NoOfMeetings_FromAccount: 0, NoOfMeetings_ToAccount: 0,
    NoOfContactsInvolved_Emails: 0, NoOfContactsInvolved_Meetings: 0, NoOfAccountContactsInvolved_Emails: 0, NoOfAccountContactsInvolved_Meetings: 0,
    EngagementStartDate: null, DaysSinceLastEmail: null, DaysSinceLastMeeting: null, AverageDuration_Of_Meetings: null, AverageDuration_Of_AccountEmailReplies: null,
    ...over,
  };
}

describe('scoreParts', () => {
  it('when an account has at least as much of every activity and is as recent, then its raw score is not lower', () => {
    const base = row({ NoOfEmails_ToAccount: 3, NoOfMeetings_ToAccount: 1, NoOfContactsInvolved_Emails: 2, NoOfAccountContactsInvolved_Emails: 1, DaysSinceLastEmail: 10 });
    const more = [
      { NoOfEmails_ToAccount: 4 },
      { NoOfMeetings_FromAccount: 1 },
      { NoOfContactsInvolved_Emails: 3 },
      { NoOfAccountContactsInvolved_Meetings: 2 },
      { DaysSinceLastEmail: 2 },
      { DaysSinceLastMeeting: 1 },
    ];
    for (const change of more) expect(scoreParts(row({ ...base, ...change })).raw).toBeGreaterThan(scoreParts(base).raw);
  });

  it('when an account has no activity, then every part is zero', () => {
    expect(scoreParts(row())).toEqual({ emails: 0, meetings: 0, people: 0, recency: 0, raw: 0 });
  });
});

describe('rankScores', () => {
  it('when raw values are ranked, then the top scores 100, ties share a score and inactive accounts score 0', () => {
    expect(rankScores([5, 1, 5, null, 3])).toEqual([100, 25, 100, 0, 50]);
  });

  it('when nobody is active, then everyone scores 0', () => {
    expect(rankScores([null, null])).toEqual([0, 0]);
  });

  it('when a raw value grows, then its score never drops', () => {
    const raws = [0.2, 1.1, 2.5, 2.5, 4];
    const before = rankScores(raws);
    const after = rankScores(raws.map((r, i) => (i === 1 ? 3 : r)));
    expect(after[1]).toBeGreaterThanOrEqual(before[1]!);
  });
});
