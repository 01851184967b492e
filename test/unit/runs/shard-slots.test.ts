/**
 * Finalize merges each shard's packed partials slot by slot in place (ShardSlots): its rows must
 * be the rows of the same buckets unpacked, gathered and merged as objects (`accountRows`).
 */
import { describe, expect, it } from 'vitest';
import type { AccountPartial } from '../../../api/src/runs/domain/account-partials';
import { accountRows, accountRowsOfSlots } from '../../../api/src/runs/domain/account-rows';
import { countItem, emptyBucket, slotKey, slotsInOrder, type Bucket, type ItemKind } from '../../../api/src/runs/domain/engagement-buckets';
import { decodePartialBytes, packPartials, partialBytes, unpackPartials, type PackedPartials } from '../../../api/src/runs/output/partials-codec';
import { ShardSlots } from '../../../api/src/runs/output/shard-slots';

const AS_OF = Date.parse('2026-11-30T00:00:00Z');
const H = 30;
const HOUR = 3_600_000;
const KINDS: ItemKind[] = ['emailsTo', 'emailsFrom', 'meetingsTo', 'meetingsFrom'];

/** A deterministic generator, so that a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

/** One mailbox's partials for accounts A0..A4: items in a few busy hours (so mailboxes share slots), some unsorted. */
function mailboxPartials(seed: number): AccountPartial[] {
  const next = random(seed);
  const out: AccountPartial[] = [];
  for (let a = 0; a < 5; a++) {
    if (next() < 0.2) continue;
    const bySlot = new Map<number, Bucket>();
    for (let i = 0; i < 12; i++) {
      const at = AS_OF - Math.floor(next() * 40) * 9 * HOUR - Math.floor(next() * HOUR) - (next() < 0.1 ? 400 * 86_400_000 : 0);
      const h = slotKey(at);
      const b = bySlot.get(h) ?? bySlot.set(h, emptyBucket(h)).get(h)!;
      const kind = KINDS[Math.floor(next() * 4)]!;
      countItem(b, kind, at, H);
      if (kind.startsWith('emails')) {
        b.selectedOnEmails.push(Math.floor(next() * 6));
        b.accountOnEmails.push(`p${Math.floor(next() * 4)}@a${a}.example`);
        b.latestEmail = Math.max(b.latestEmail ?? 0, at);
        if (next() < 0.3) {
          b.replies++;
          b.replyMs += 60_000 * (1 + Math.floor(next() * 100));
        }
      } else {
        b.selectedOnMeetings.push(Math.floor(next() * 6));
        b.accountOnMeetings.push(`p${Math.floor(next() * 4)}@a${a}.example`);
        b.meetingMs += 1_800_000;
        if (next() < 0.7) b.latestEndedMeeting = Math.max(b.latestEndedMeeting ?? 0, at);
      }
    }
    for (const b of bySlot.values()) {
      b.selectedOnEmails = [...new Set(b.selectedOnEmails)];
      b.selectedOnMeetings = [...new Set(b.selectedOnMeetings)];
      b.accountOnEmails = [...new Set(b.accountOnEmails)];
      b.accountOnMeetings = [...new Set(b.accountOnMeetings)];
    }
    // Buckets in the order they were made, not by slot: a mailbox's partials are not sorted.
    out.push({ accountId: `A${a}`, buckets: [...bySlot.values()] });
  }
  return out;
}

/** As finalize gets them: packed, encoded and decoded. */
const stored = (partials: AccountPartial[]) => decodePartialBytes<PackedPartials>(partialBytes(packPartials(partials)));

describe('shard slots', () => {
  it('when many mailboxes share slots of the same accounts, then the rows merged in place equal the rows of the unpacked buckets', () => {
    const mailboxes = Array.from({ length: 30 }, (_, i) => mailboxPartials(i + 1));
    const slots = new ShardSlots();
    const gathered = new Map<string, Bucket[]>();
    for (const partials of mailboxes) {
      const packed = stored(partials);
      slots.add(packed);
      for (const p of unpackPartials(packed)) gathered.set(p.accountId, [...(gathered.get(p.accountId) ?? []), ...p.buckets]);
    }
    let shared = 0;
    for (let a = 0; a < 6; a++) {
      const id = `A${a}`;
      const account = { id, name: `Account ${a}` };
      const buckets = gathered.get(id) ?? [];
      shared += buckets.length - new Set(buckets.map((b) => b.h)).size;
      expect(accountRowsOfSlots(account, slots.inOrder(id), AS_OF, H)).toEqual(accountRows(account, buckets, AS_OF, H));
      expect(slots.copiesInOrder(id)).toEqual(slotsInOrder(buckets));
    }
    // The check means something only if mailboxes did share slots.
    expect(shared).toBeGreaterThan(20);
  });

  it('when partials were packed with absolute keys and instants (hand-made buckets), then they merge the same', () => {
    const odd = emptyBucket(AS_OF - 5 * HOUR + 7);
    odd.emailsTo = 2;
    odd.first = AS_OF - 5 * HOUR + 7;
    odd.latestEmail = AS_OF - 5 * HOUR + 9;
    odd.accountOnEmails = ['x@a0.example'];
    const handMade: AccountPartial[] = [{ accountId: 'A0', buckets: [odd] }];
    expect(packPartials(handMade).h).toBeDefined();
    const slots = new ShardSlots();
    const regular = mailboxPartials(7);
    slots.add(stored(regular));
    slots.add(stored(handMade));
    const buckets = [...(regular.find((p) => p.accountId === 'A0')?.buckets ?? []), odd];
    const account = { id: 'A0', name: 'Account 0' };
    expect(accountRowsOfSlots(account, slots.inOrder('A0'), AS_OF, H)).toEqual(accountRows(account, buckets, AS_OF, H));
  });

  it('when an account has no bucket in the shard, then it gets the Year row of a quiet account', () => {
    const slots = new ShardSlots();
    slots.add(stored(mailboxPartials(3)));
    const account = { id: 'NONE', name: 'Quiet' };
    expect(accountRowsOfSlots(account, slots.inOrder('NONE'), AS_OF, H)).toEqual(accountRows(account, [], AS_OF, H));
  });
});
