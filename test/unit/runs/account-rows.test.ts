/**
 * One account's rows from its buckets, checked against the test's own placement of items: the
 * Year row is every month's items together (its people counted once however many months they
 * appear in), and a week that straddles two months is one Week row split over two Month rows.
 */
import { describe, expect, it } from 'vitest';
import { accountRows } from '../../../api/src/runs/domain/account-rows';
import { countItem, emptyBucket, slotKey, type Bucket } from '../../../api/src/runs/domain/engagement-buckets';

const AS_OF = Date.parse('2026-11-30T00:00:00Z');
const H = 30;

interface Email {
  at: string;
  colleague: number;
  contact: string;
}

function bucketOf(e: Email): Bucket {
  const at = Date.parse(e.at);
  const b = emptyBucket(slotKey(at));
  countItem(b, 'emailsTo', at, H);
  b.selectedOnEmails = [e.colleague];
  b.accountOnEmails = [e.contact];
  b.latestEmail = at;
  return b;
}

const emails: Email[] = [
  { at: '2026-09-29T09:15:00Z', colleague: 0, contact: 'ann@fabrikam.example' },
  { at: '2026-09-30T16:40:00Z', colleague: 1, contact: 'bob@fabrikam.example' },
  { at: '2026-10-01T08:05:00Z', colleague: 0, contact: 'ann@fabrikam.example' },
  { at: '2026-10-01T08:05:30Z', colleague: 2, contact: 'cy@fabrikam.example' },
  { at: '2026-11-20T11:00:00Z', colleague: 1, contact: 'ann@fabrikam.example' },
];

describe('account rows', () => {
  it('when an account has emails in three months, then the Year row holds all of them and counts each colleague and contact once', () => {
    const rows = accountRows({ id: 'ACC-1', name: 'Fabrikam' }, emails.map(bucketOf), AS_OF, H);
    const year = rows.find((r) => r.AggregationLevel === 'Year')!;
    expect(year.NoOfEmails_ToAccount).toBe(5);
    expect(year.NoOfContactsInvolved_Emails).toBe(3);
    expect(year.NoOfAccountContactsInvolved_Emails).toBe(3);
    expect(year.EngagementStartDate).toBe('2026-09-29T09:15:00.000Z');
    expect(year.DaysSinceLastEmail).toBe(9);
    const months = rows.filter((r) => r.AggregationLevel === 'Month').map((r) => [r.AggregationStartDate, r.NoOfEmails_ToAccount, r.NoOfContactsInvolved_Emails]);
    expect(months).toEqual([
      ['2026-09-01T00:00:00.000Z', 2, 2],
      ['2026-10-01T00:00:00.000Z', 2, 2],
      ['2026-11-01T00:00:00.000Z', 1, 1],
    ]);
  });

  it('when a week straddles two months, then it is one Week row while each month keeps its own days', () => {
    const rows = accountRows({ id: 'ACC-1', name: 'Fabrikam' }, emails.map(bucketOf), AS_OF, H);
    const weeks = rows.filter((r) => r.AggregationLevel === 'Week').map((r) => [r.AggregationStartDate, r.NoOfEmails_ToAccount, r.NoOfAccountContactsInvolved_Emails]);
    // 2026-09-28 is a Monday: the 29th, the 30th and 1 October are one week.
    expect(weeks).toEqual([
      ['2026-09-28T00:00:00.000Z', 4, 3],
      ['2026-11-16T00:00:00.000Z', 1, 1],
    ]);
  });

  it('when the same slot comes from two mailboxes, then the rows are those of its items merged, whatever the order', () => {
    const a = bucketOf({ at: '2026-10-01T08:05:00Z', colleague: 0, contact: 'ann@fabrikam.example' });
    const b = bucketOf({ at: '2026-10-01T08:20:00Z', colleague: 2, contact: 'ann@fabrikam.example' });
    const forward = accountRows({ id: 'ACC-1', name: 'Fabrikam' }, [a, b], AS_OF, H);
    const backward = accountRows({ id: 'ACC-1', name: 'Fabrikam' }, [b, a], AS_OF, H);
    expect(backward).toEqual(forward);
    const year = forward.find((r) => r.AggregationLevel === 'Year')!;
    expect([year.NoOfEmails_ToAccount, year.NoOfContactsInvolved_Emails, year.NoOfAccountContactsInvolved_Emails]).toEqual([2, 2, 1]);
  });
});
