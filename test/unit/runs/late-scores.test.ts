import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AccountRow } from '../../../api/src/runs/domain/account-rows';
import { PeriodRanking } from '../../../api/src/runs/domain/score-ranking';
import { readSnapshotRows } from '../../../api/src/snapshots/snapshot-file';
import { SnapshotWriter } from '../../../api/src/snapshots/snapshot-writer';

/**
 * Finalize hands each row to the snapshot writer as soon as it is built and the ranks afterwards,
 * in the same order (issue 13: no row is held until the ranking is known).
 */
const parts = (raw: number) => ({ activity: raw, activityEmailsToAccount: raw, activityEmailsFromAccount: 0, activityMeetingsByOrganisation: 0, activityMeetingsByAccount: 0, people: 1, raw, recentEmails: 1, recentMeetings: 0, daysSinceLastContact: 2, halfLifeDays: 90 });

function rowOf(account: number, level: AccountRow['AggregationLevel'], start: string, raw: number): AccountRow {
  return {
    AccountId: `ACC-${account}`, AccountName: `Account ${account}`, AggregationLevel: level, AggregationStartDate: start,
    NoOfEmails_ToAccount: raw > 0 ? 1 : 0, NoOfEmails_FromAccount: 0, NoOfMeetings_FromAccount: 0, NoOfMeetings_ToAccount: 0,
    NoOfContactsInvolved_Emails: 1, NoOfContactsInvolved_Meetings: 0, NoOfAccountContactsInvolved_Emails: 1, NoOfAccountContactsInvolved_Meetings: 0,
    EngagementStartDate: raw > 0 ? '2026-01-05T10:00:00.000Z' : null, DaysSinceLastEmail: raw > 0 ? 2 : null, DaysSinceLastMeeting: null,
    AverageDuration_Of_Meetings: null, AverageDuration_Of_AccountEmailReplies: null, ScoreParts: parts(raw),
  } as AccountRow;
}

/** Rows of several accounts and periods interleaved as shards produce them (accounts by hash, not by id). */
const rows: AccountRow[] = [3, 1, 4, 2, 5].flatMap((a) => [
  rowOf(a, 'Year', '2025-06-01T00:00:00.000Z', a * 1.5),
  rowOf(a, 'Month', '2026-01-01T00:00:00.000Z', (7 - a) * 0.75),
  rowOf(a, 'Week', '2026-01-05T00:00:00.000Z', a === 4 ? 0 : a),
]);

describe('scores handed after the rows', () => {
  it('when the ranking gives its scores in the order the rows were added, then each equals what scoreOf gives for the same rows', () => {
    const byRow = new PeriodRanking();
    const inOrder = new PeriodRanking();
    for (const r of rows) {
      byRow.add(r);
      inOrder.add(r, r.AccountId !== 'ACC-2');
    }
    // ACC-2 withheld in the second ranking: the others' ranks close up, its own is 0.
    const withheld = new PeriodRanking();
    for (const r of rows) withheld.add(r, r.AccountId !== 'ACC-2');
    const expected = rows.map((r) => withheld.scoreOf(r));
    expect([...inOrder.scoresInOrder()]).toEqual(expected);
    expect(expected.filter((_, i) => rows[i]!.AccountId === 'ACC-2')).toEqual([0, 0, 0]);
    expect(rows.map((r) => byRow.scoreOf(r)).filter((s) => s > 0).length).toBeGreaterThan(expected.filter((s) => s > 0).length);
  });

  it('when the writer is given the scores after every row, then the snapshot holds each row with its own score, withheld rows without one', async () => {
    const ranking = new PeriodRanking();
    const writer = await SnapshotWriter.open({ attributes: [] });
    let file: Awaited<ReturnType<SnapshotWriter['finish']>>;
    let back: Awaited<ReturnType<typeof readSnapshotRows>>;
    try {
      for (const r of rows) writer.account({ id: r.AccountId, name: r.AccountName, domains: [], attributes: {} });
      for (const r of rows) {
        ranking.add(r, r.AccountId !== 'ACC-5');
        writer.add(r, 0, r.AccountId === 'ACC-5');
      }
      writer.scoresInOrder(ranking.scoresInOrder());
      file = await writer.finish({ runId: 'run-late', asOf: new Date('2026-02-01T00:00:00Z') });
      back = await readSnapshotRows(fs.readFileSync(file.path));
    } finally {
      writer.close();
    }
    const check = new PeriodRanking();
    for (const r of rows) check.add(r, r.AccountId !== 'ACC-5');
    const expected = new Map(rows.map((r) => [`${r.AccountId}|${r.AggregationLevel}`, r.AccountId === 'ACC-5' ? null : check.scoreOf(r)]));
    expect(back).toHaveLength(rows.length);
    for (const r of back) expect([`${r.AccountId}|${r.AggregationLevel}`, r.EngagementScore]).toEqual([`${r.AccountId}|${r.AggregationLevel}`, expected.get(`${r.AccountId}|${r.AggregationLevel}`)]);
    expect(back.some((r) => (r.EngagementScore ?? 0) > 0)).toBe(true);
  });

  it('when the writer is given fewer scores than rows, or a row after its scores, then it refuses', async () => {
    const writer = await SnapshotWriter.open({ attributes: [] });
    try {
      writer.add(rows[0]!, 0);
      writer.add(rows[1]!, 0);
      expect(() => writer.scoresInOrder([7])).toThrow('1 scores for 2 rows');
    } finally {
      writer.close();
    }
    const other = await SnapshotWriter.open({ attributes: [] });
    try {
      other.add(rows[0]!, 0);
      other.scoresInOrder([3]);
      expect(() => other.add(rows[1]!, 0)).toThrow('after the scores');
      expect(() => other.scoresInOrder([3])).toThrow('already given');
    } finally {
      other.close();
    }
  });
});
