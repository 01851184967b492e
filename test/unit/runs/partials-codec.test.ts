import { describe, expect, it } from 'vitest';
import { countItem, emptyBucket, HOUR_MS, slotKey, type Bucket } from '../../../api/src/runs/domain/engagement-buckets';
import type { AccountPartial } from '../../../api/src/runs/domain/account-partials';
import { decodePartial, encodePartial, packPartials, partialBytes, unpackPartials, type PackedPartials } from '../../../api/src/runs/output/partials-codec';

/** A bucket with every field set to something that tells it apart from its neighbours. */
function bucketOf(h: number, seed: number, fill: Partial<Bucket> = {}): Bucket {
  return {
    ...emptyBucket(h),
    emailsTo: seed,
    emailsFrom: seed + 1,
    meetingsTo: seed + 2,
    meetingsFrom: seed + 3,
    decayed: { emailsTo: seed * 68_719_476_736 + 17, emailsFrom: 68_719_476_737, meetingsTo: 0, meetingsFrom: 2 ** 40 + seed },
    selectedOnEmails: [seed % 7, 3],
    selectedOnMeetings: [],
    accountOnEmails: [`buyer${seed % 3}@fabrikam.example`, 'ceo@fabrikam.example'],
    accountOnMeetings: ['ceo@fabrikam.example'],
    first: h + seed,
    latestEmail: h + 2 * seed,
    latestEndedMeeting: null,
    meetingMs: 1_800_000 * seed,
    replyMs: 60_000 * seed,
    replies: seed % 4,
    ...fill,
  };
}

describe('partials codec', () => {
  it('when per-account buckets are packed as columns, stored and read back, then every account, bucket and field comes back equal and in order', async () => {
    const partials: AccountPartial[] = [
      { accountId: 'ACC-1', buckets: [bucketOf(1_700_000_000_000, 1), bucketOf(1_700_003_600_001, 2, { latestEndedMeeting: 1_700_003_700_000, first: null, latestEmail: null })] },
      { accountId: 'ACC-2', buckets: [] },
      { accountId: 'ACC-3', buckets: [bucketOf(1_700_007_200_000, 5, { accountOnEmails: [], selectedOnMeetings: [4, 0, 2] })] },
    ];
    const back = unpackPartials(await decodePartial<PackedPartials>(await encodePartial(packPartials(partials))));
    expect(back).toEqual(partials);
  });

  it('when buckets of one mailbox name the same addresses many times, then the packed form keeps each address once', () => {
    const partials: AccountPartial[] = [{ accountId: 'ACC-1', buckets: Array.from({ length: 50 }, (_, i) => bucketOf(1_700_000_000_000 + i * 3_600_000, i)) }];
    const packed = packPartials(partials);
    expect([...packed.addresses].sort()).toEqual(['buyer0@fabrikam.example', 'buyer1@fabrikam.example', 'buyer2@fabrikam.example', 'ceo@fabrikam.example']);
    expect(partialBytes(packed).length).toBeLessThan(JSON.stringify(partials).length / 2);
  });

  it('when buckets come from counted items (slot keys, instants in their slot), then keys and instants travel as small integers and come back exact', async () => {
    const hour = Math.floor(1_780_000_000_000 / HOUR_MS) * HOUR_MS;
    const counted = (at: number, kind: 'emailsTo' | 'meetingsFrom', fill: Partial<Bucket> = {}): Bucket => {
      const b = { ...emptyBucket(slotKey(at)), ...fill };
      countItem(b, kind, at, 30);
      return b;
    };
    const partials: AccountPartial[] = [
      { accountId: 'ACC-1', buckets: [counted(hour, 'emailsTo', { latestEmail: hour }), counted(hour + 1_234_567, 'emailsTo', { latestEmail: hour + 2_000_000 })] },
      { accountId: 'ACC-2', buckets: [counted(hour + HOUR_MS - 1, 'meetingsFrom', { latestEndedMeeting: hour + HOUR_MS - 1, selectedOnMeetings: [2] })] },
      { accountId: 'ACC-3', buckets: [emptyBucket(hour + 1)] },
    ];
    const packed = packPartials(partials);
    expect(Array.from(packed.slot!)).toEqual([2 * (hour / HOUR_MS), 2 * (hour / HOUR_MS) + 1, 2 * (hour / HOUR_MS) + 1, 2 * (hour / HOUR_MS) + 1]);
    expect(Array.from(packed.inSlot!.first)).toEqual([1, 1_234_567, HOUR_MS - 1, 0]);
    expect(packed.h).toBeUndefined();
    expect(unpackPartials(await decodePartial<PackedPartials>(await encodePartial(packed)))).toEqual(partials);
  });

  it('when partials were stored with absolute keys and instants (before the compact columns), then they still read back', () => {
    const b = bucketOf(1_700_000_000_000, 3);
    const old = { ...packPartials([{ accountId: 'ACC-1', buckets: [b] }]) };
    expect(old.h).toEqual([b.h]);
    expect(unpackPartials(old)).toEqual([{ accountId: 'ACC-1', buckets: [b] }]);
  });
});
