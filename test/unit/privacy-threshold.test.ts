/**
 * The privacy threshold k as a pure function over one account's buckets and rows: which rows are
 * withheld, and that no difference of published Week, Month and Year rows adds up to the items
 * of fewer than k colleagues.
 */
import { describe, expect, it } from 'vitest';
import { accountRows } from '../../api/src/runs/domain/account-rows';
import { countItem, DAY_MS, emptyBucket, slotKey, WINDOW_MS, type Bucket } from '../../api/src/runs/domain/engagement-buckets';
import { monthStart, periodEnd, weekStart } from '../../api/src/runs/domain/periods';
import { privacyVerdict } from '../../api/src/runs/domain/privacy-threshold';

const AS_OF = Date.parse('2026-03-17T00:00:00Z');
const H = 30;

interface Item {
  at: number;
  people: number[];
}

function bucketsOf(items: readonly Item[]): Bucket[] {
  return items.map((it) => {
    const b = emptyBucket(slotKey(it.at));
    countItem(b, 'emailsTo', it.at, H);
    b.selectedOnEmails = [...it.people];
    b.latestEmail = it.at;
    return b;
  });
}

function verdictOf(items: readonly Item[], k: number | null) {
  const buckets = bucketsOf(items);
  const rows = accountRows({ id: 'A', name: 'Acme' }, buckets, AS_OF, H);
  return { rows, ...privacyVerdict(rows, buckets, AS_OF, k) };
}

const day = (iso: string) => Date.parse(iso);

/** The items of a row, from the test's own placement (not the function's). */
function itemsOf(items: readonly Item[], level: string, start: string): Item[] {
  const s = Date.parse(start);
  if (level === 'Year') return [...items];
  const end = periodEnd(level as 'Week' | 'Month', s);
  return items.filter((i) => i.at >= s && i.at < end);
}
const peopleOf = (items: readonly Item[]) => new Set(items.flatMap((i) => i.people)).size;

describe('privacy threshold', () => {
  it('when k is off, then nothing is withheld and the colleagues are still counted', () => {
    const v = verdictOf([{ at: day('2026-03-03T10:00:00Z'), people: [1] }], null);
    expect(v.withheld.every((w) => !w)).toBe(true);
    expect(v.colleagues.every((c) => c === 1)).toBe(true);
  });

  it('when the whole year involves fewer than k colleagues, then every row with counts is withheld', () => {
    const v = verdictOf(
      [
        { at: day('2026-01-05T10:00:00Z'), people: [1] },
        { at: day('2026-02-10T10:00:00Z'), people: [2] },
      ],
      3,
    );
    expect(v.withheld.every(Boolean)).toBe(true);
  });

  it('when an account had nothing counted, then its Year row of zeros is published', () => {
    const v = verdictOf([], 5);
    expect(v.rows).toHaveLength(1);
    expect(v.withheld).toEqual([false]);
  });

  it('when one week involves one colleague, then it is withheld and so is another week, so the Year minus the visible weeks covers at least k colleagues', () => {
    const items: Item[] = [
      { at: day('2026-02-02T09:30:00Z'), people: [1, 2, 3] },
      { at: day('2026-02-09T09:30:00Z'), people: [4] },
      { at: day('2026-02-16T09:30:00Z'), people: [1, 2, 5] },
      { at: day('2026-02-23T09:30:00Z'), people: [3, 6, 7] },
    ];
    const v = verdictOf(items, 3);
    const withheldWeeks = v.rows.filter((r, i) => r.AggregationLevel === 'Week' && v.withheld[i]);
    expect(withheldWeeks.map((r) => r.AggregationStartDate)).toContain('2026-02-09T00:00:00.000Z');
    expect(withheldWeeks.length).toBeGreaterThanOrEqual(2);
    const hidden = withheldWeeks.flatMap((r) => itemsOf(items, 'Week', r.AggregationStartDate));
    expect(peopleOf(hidden)).toBeGreaterThanOrEqual(3);
    // The Year and the month stay published (each involves 7 colleagues).
    expect(v.withheld[v.rows.findIndex((r) => r.AggregationLevel === 'Year')]).toBe(false);
  });

  it('on random accounts, then every published difference covers at least k colleagues', () => {
    let seed = 17;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let trial = 0; trial < 60; trial++) {
      const k = 2 + Math.floor(rand() * 5);
      const items: Item[] = Array.from({ length: 5 + Math.floor(rand() * 40) }, () => ({
        at: AS_OF - Math.floor(rand() * (WINDOW_MS - DAY_MS)) - 1,
        people: Array.from({ length: 1 + Math.floor(rand() * 2) }, () => Math.floor(rand() * 12)),
      }));
      const v = verdictOf(items, k);
      const year = v.rows.findIndex((r) => r.AggregationLevel === 'Year');
      v.rows.forEach((r, i) => {
        const n = peopleOf(itemsOf(items, r.AggregationLevel, r.AggregationStartDate));
        expect(v.colleagues[i]).toBe(n);
        if (n > 0 && n < k) expect(v.withheld[i]).toBe(true);
      });
      if (v.withheld[year]) continue;
      const withheldAt = (level: 'Week' | 'Month', at: number) => {
        const start = new Date(level === 'Week' ? weekStart(at) : monthStart(at)).toISOString();
        const i = v.rows.findIndex((r) => r.AggregationLevel === level && r.AggregationStartDate === start);
        return v.withheld[i]!;
      };
      // Year − visible months = the withheld months' items.
      const hiddenMonths = items.filter((it) => withheldAt('Month', it.at));
      if (hiddenMonths.length) expect(peopleOf(hiddenMonths)).toBeGreaterThanOrEqual(k);
      // A withheld month's items are all in withheld weeks.
      for (const it of hiddenMonths) expect(withheldAt('Week', it.at)).toBe(true);
      // Per stretch between Mondays the 1st: weeks − months = withheld-week items in visible months.
      const stretches = new Map<number, Item[]>();
      for (const it of items) {
        if (!withheldAt('Week', it.at) || withheldAt('Month', it.at)) continue;
        let m = monthStart(it.at);
        while (m > AS_OF - WINDOW_MS && weekStart(m) !== m) m = monthStart(m - 1);
        (stretches.get(m) ?? stretches.set(m, []).get(m)!).push(it);
      }
      for (const list of stretches.values()) expect(peopleOf(list)).toBeGreaterThanOrEqual(k);
    }
  });
});
