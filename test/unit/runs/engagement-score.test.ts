import { describe, expect, it } from 'vitest';
import { bucketFor, countItem, DAY_MS, HOUR_MS, slotKey, type AccountBuckets, type Bucket, type ItemKind } from '../../../api/src/runs/domain/engagement-buckets';
import { rankScores, rawScore, scoreParts } from '../../../api/src/runs/domain/engagement-score';
import { SCORE_PART_FIELDS, type ScoreParts } from '../../../api/src/snapshots/output-entity';

const ASOF = Date.parse('2026-03-16T12:00:00Z');
const H = 30;

interface Item {
  kind: ItemKind;
  at: number;
  /** The account's addresses on the item. */
  people: string[];
}

/** Buckets the way the mailbox step makes them: one per slot, each item counted in its slot. */
function bucketsOf(items: Item[], halfLifeDays = H): Bucket[] {
  const all: AccountBuckets = new Map();
  for (const item of items) {
    const b = bucketFor(all, 'A', slotKey(item.at));
    countItem(b, item.kind, item.at, halfLifeDays);
    for (const p of item.people) {
      const list = item.kind.startsWith('emails') ? b.accountOnEmails : b.accountOnMeetings;
      if (!list.includes(p)) list.push(p);
    }
    if (item.kind.startsWith('emails')) b.latestEmail = Math.max(b.latestEmail ?? item.at, item.at);
  }
  return [...(all.get('A')?.values() ?? [])];
}

const partsOf = (items: Item[], reference = ASOF, halfLifeDays = H) => scoreParts(bucketsOf(items, halfLifeDays), reference, halfLifeDays);

/** A small deterministic generator, so each property is checked over many cases yet never flakes. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const KINDS: ItemKind[] = ['emailsTo', 'emailsFrom', 'meetingsTo', 'meetingsFrom'];

function randomItem(next: () => number): Item {
  // Some items on whole hours, the rest anywhere in the window, up to the reference instant.
  const age = next() < 0.2 ? Math.floor(next() * 365 * 24) * HOUR_MS : Math.floor(next() * 365 * DAY_MS);
  return { kind: KINDS[Math.floor(next() * 4)]!, at: ASOF - age, people: [`p${Math.floor(next() * 6)}@acme.example.com`] };
}

function randomItems(next: () => number, n: number): Item[] {
  return Array.from({ length: n }, () => randomItem(next));
}

describe('engagement score: hand-computed decay', () => {
  it('when an email from the account is exactly 30 days old and H is 30, then it contributes exactly 1', () => {
    const parts = partsOf([{ kind: 'emailsFrom', at: ASOF - 30 * DAY_MS, people: ['carla@acme.example.com'] }]);
    expect(parts.activity).toBe(1);
    expect(parts.activityEmailsFromAccount).toBe(1);
    expect(parts.people).toBe(1);
    expect(parts.raw).toBe(Math.log(2) + 0.5 * Math.log(2));
  });

  it('when items of each kind have aged by whole half-lives, then each weighs w / 2^(age / H)', () => {
    const parts = partsOf([
      { kind: 'emailsTo', at: ASOF, people: ['a@acme.example.com'] }, // 1
      { kind: 'emailsFrom', at: ASOF - 60 * DAY_MS, people: ['a@acme.example.com'] }, // 2 / 4
      { kind: 'meetingsTo', at: ASOF - 90 * DAY_MS, people: ['b@acme.example.com'] }, // 3 / 8
      { kind: 'meetingsFrom', at: ASOF - 30 * DAY_MS, people: ['c@acme.example.com'] }, // 4 / 2
    ]);
    expect(parts).toMatchObject({ activityEmailsToAccount: 1, activityEmailsFromAccount: 0.5, activityMeetingsByOrganisation: 0.375, activityMeetingsByAccount: 2 });
    expect(parts.activity).toBe(3.875);
    expect(parts.people).toBe(3);
    expect(parts.raw).toBeCloseTo(Math.log(4.875) + 0.5 * Math.log(4), 12);
  });

  it('when an item is not on a whole hour, then its own time decides its weight, not its slot', () => {
    const at = ASOF - 10 * DAY_MS - 17 * 60_000 - 3_000;
    const parts = partsOf([{ kind: 'meetingsFrom', at, people: ['a@acme.example.com'] }], ASOF, 7);
    expect(parts.activity).toBeCloseTo(4 * 2 ** (-(ASOF - at) / (7 * DAY_MS)), 10);
  });

  it('when the half-life is shorter, then the same old item weighs less', () => {
    const items: Item[] = [{ kind: 'emailsTo', at: ASOF - 45 * DAY_MS, people: ['a@acme.example.com'] }];
    expect(partsOf(items, ASOF, 7).activity).toBeLessThan(partsOf(items, ASOF, 30).activity);
    expect(partsOf(items, ASOF, 365).activity).toBeCloseTo(2 ** (-45 / 365), 10);
  });

  it('when the row is a past week, then ages run to the end of that week', () => {
    const weekEnd = Date.parse('2026-03-09T00:00:00Z');
    const parts = partsOf([{ kind: 'emailsFrom', at: Date.parse('2026-03-02T00:00:00Z'), people: ['a@acme.example.com'] }], weekEnd, 7);
    expect(parts.activity).toBe(1);
  });

  it('when items fall before and within the last 90 days, then only the recent ones are recent, and the last contact is the latest email', () => {
    const parts = partsOf([
      { kind: 'emailsTo', at: ASOF - 90 * DAY_MS, people: [] }, // exactly 90 days: not within (ref − 90 d, ref]
      { kind: 'emailsTo', at: ASOF - 89 * DAY_MS, people: [] },
      { kind: 'meetingsTo', at: ASOF - 3 * HOUR_MS, people: [] },
      { kind: 'emailsFrom', at: ASOF - 12 * DAY_MS - HOUR_MS, people: [] },
    ]);
    expect(parts).toMatchObject({ recentEmails: 2, recentMeetings: 1, daysSinceLastContact: 12, halfLifeDays: H });
  });

  it('when nothing is counted, then every term is zero and there is no last contact', () => {
    expect(partsOf([])).toEqual({
      activity: 0,
      activityEmailsToAccount: 0,
      activityEmailsFromAccount: 0,
      activityMeetingsByOrganisation: 0,
      activityMeetingsByAccount: 0,
      people: 0,
      raw: 0,
      recentEmails: 0,
      recentMeetings: 0,
      daysSinceLastContact: null,
      halfLifeDays: H,
    } satisfies ScoreParts);
    expect(rawScore(0, 0)).toBe(0);
  });

  it('when the parts are listed for storage, then the list names every field of ScoreParts once', () => {
    const names = SCORE_PART_FIELDS.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.sort()).toEqual(Object.keys(partsOf([])).sort());
  });
});

describe('engagement score: the spec’s properties', () => {
  it('when a counted item is added, then raw never goes down', () => {
    const next = random(11);
    for (let trial = 0; trial < 300; trial++) {
      const items = randomItems(next, Math.floor(next() * 12));
      const before = partsOf(items).raw;
      expect(partsOf([...items, randomItem(next)]).raw).toBeGreaterThanOrEqual(before);
    }
  });

  it('when a counted item moves later in time, then raw never goes down', () => {
    const next = random(12);
    for (let trial = 0; trial < 300; trial++) {
      const items = randomItems(next, 1 + Math.floor(next() * 12));
      const i = Math.floor(next() * items.length);
      const moved = items.map((item, k) => (k === i ? { ...item, at: item.at + Math.floor(next() * (ASOF - item.at)) } : item));
      expect(partsOf(moved).raw).toBeGreaterThanOrEqual(partsOf(items).raw);
    }
  });

  it('when buckets of one slot come from several mailboxes in any order, then the parts are identical to the last bit', () => {
    const next = random(13);
    const items = randomItems(next, 40);
    const perMailbox = [items.slice(0, 13), items.slice(13, 27), items.slice(27)].map((list) => bucketsOf(list));
    const forward = scoreParts(perMailbox.flat(), ASOF, H);
    const backward = scoreParts([...perMailbox].reverse().flatMap((list) => [...list].reverse()), ASOF, H);
    expect(backward).toEqual(forward);
    expect(partsOf(items)).toEqual(forward);
  });
});

describe('rankScores: the mid-rank percentile', () => {
  it('when one account is active, then it scores 50', () => {
    expect(rankScores([2.3])).toEqual([50]);
    expect(rankScores([null, 0.7, null])).toEqual([0, 50, 0]);
  });

  it('when four raws differ, then they score 12.5, 37.5, 62.5 and 87.5 rounded half up', () => {
    expect(rankScores([4, 1, 3, 2])).toEqual([88, 13, 63, 38]);
  });

  it('when raws tie, then they share the mid-rank', () => {
    // 1 → (0 + 1/2) / 3 = 16.7 %; the two 5s → (1 + 2/2) / 3 = 66.7 %.
    expect(rankScores([5, 1, 5])).toEqual([67, 17, 67]);
    // Two pairs among four: (0 + 1) / 4 = 25 %, (2 + 1) / 4 = 75 %.
    expect(rankScores([2, 1, 2, 1])).toEqual([75, 25, 75, 25]);
  });

  it('when raws differ only by float noise (within 1e-9 relative), then they are equal; a real difference is not', () => {
    expect(rankScores([1, 1 + 1e-12, 2])).toEqual([33, 33, 83]);
    expect(rankScores([1, 1 + 1e-6, 2])).toEqual([17, 50, 83]);
  });

  it('when the lowest of many active accounts is alone, then the formula can round it to 0, as written', () => {
    const raws = Array.from({ length: 200 }, (_, i) => i + 1);
    const scores = rankScores(raws);
    expect(scores[0]).toBe(0); // 100 × 0.5 / 200 = 0.25
    expect(scores[199]).toBe(100); // 100 × 199.5 / 200 = 99.75
    expect(scores[2]).toBe(1); // 100 × 2.5 / 200 = 1.25
  });

  it('when nothing is counted, then the score is 0', () => {
    expect(rankScores([null, null])).toEqual([0, 0]);
    expect(rankScores([])).toEqual([]);
  });

  it('when raws are random, then scores are integers from 0 to 100, equal raws score equal, and a higher raw never scores lower', () => {
    const next = random(14);
    for (let trial = 0; trial < 200; trial++) {
      const raws = Array.from({ length: 1 + Math.floor(next() * 60) }, () => (next() < 0.2 ? null : Math.round(next() * 20) / 4));
      const scores = rankScores(raws);
      const problems: string[] = [];
      raws.forEach((r, i) => {
        const s = scores[i]!;
        if (!Number.isInteger(s) || s < 0 || s > 100) problems.push(`score ${s}`);
        if (r === null && s !== 0) problems.push(`inactive scored ${s}`);
        raws.forEach((q, j) => {
          if (r === null || q === null) return;
          if (q === r && scores[j] !== s) problems.push(`equal raws ${r} scored ${s} and ${scores[j]}`);
          if (q > r && scores[j]! < s) problems.push(`raw ${q} > ${r} scored ${scores[j]} < ${s}`);
        });
      });
      expect(problems).toEqual([]);
    }
  });
});
