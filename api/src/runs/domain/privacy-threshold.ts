import { DAY_MS, slotsInOrder, WINDOW_MS, type Bucket } from './engagement-buckets';
import { RECENT_DAYS } from './engagement-score';
import type { AggregationLevel } from '../../snapshots/output-entity';
import { monthStart, weekStart } from './periods';

/**
 * The small-count privacy threshold k (docs/metrics.md, "Privacy threshold"): a row whose counted
 * items involve fewer than k distinct selected mailboxes is published with its counts withheld,
 * and so are the further rows needed so that no difference of published rows gives the withheld
 * figures back. Pure: one account's rows and buckets in, which rows to withhold out.
 */

export interface PeriodRow {
  AggregationLevel: AggregationLevel;
  AggregationStartDate: string;
}

export interface PrivacyVerdict {
  /** Per row (same order as given): publish its counts withheld. */
  withheld: boolean[];
  /** Per row: distinct selected mailboxes over its counted items ("colleagues involved"). */
  colleagues: number[];
}

/**
 * Which rows of one account are withheld under threshold `k` (null: none).
 *
 * 1. **Primary**: a row with counted items involving fewer than k distinct members of S. A row
 *    with nothing counted says nothing about anyone and stays (the Year row of a quiet account).
 * 2. **Complementary**: Week rows, Month rows and the Year row cover the same slots (each level
 *    partitions the window), so published rows are tied by sums: the Year minus the visible
 *    weeks is the sum of the withheld weeks, and the weeks and months of a stretch between two
 *    instants that start both a week and a month (a Monday the 1st) add up to the same. Every
 *    withheld value a reader could compute from such a difference is the sum over a set of
 *    slots (an "exposure"); each exposure must involve at least k colleagues, so further rows
 *    are withheld (the visible one with the fewest colleagues first) until each does:
 *    - a withheld month withholds every week sharing a slot with it, so the months' withheld
 *      slots are always inside the weeks' ones;
 *    - per stretch: the slots of withheld weeks in visible months;
 *    - all withheld months' slots together;
 *    - the Year row's 90-day recent counts (score parts) against the weeks (resp. months) inside
 *      that range: the withheld ones' slots there plus the period the 90-day line cuts.
 *    If the Year row itself is withheld every row with counts is (each has a subset of its
 *    colleagues), and nothing is tied to a published figure.
 */
export function privacyVerdict(rows: readonly PeriodRow[], buckets: Iterable<Bucket>, asOf: number, k: number | null): PrivacyVerdict {
  const windowStart = asOf - WINDOW_MS;
  const slots = slotsInOrder(buckets).filter((s) => s.h > windowStart && s.h <= asOf);
  const slotPeople = slots.map((s) => unionOf(s.selectedOnEmails, s.selectedOnMeetings));
  const rowIndex = new Map<string, number>();
  rows.forEach((r, i) => rowIndex.set(`${r.AggregationLevel}|${Date.parse(r.AggregationStartDate)}`, i));
  const weekOf = slots.map((s) => rowIndex.get(`Week|${weekStart(s.h)}`) ?? -1);
  const monthOf = slots.map((s) => rowIndex.get(`Month|${monthStart(s.h)}`) ?? -1);
  const slotsOfRow: number[][] = rows.map(() => []);
  const year = rows.findIndex((r) => r.AggregationLevel === 'Year');
  slots.forEach((_, i) => {
    if (weekOf[i]! >= 0) slotsOfRow[weekOf[i]!]!.push(i);
    if (monthOf[i]! >= 0) slotsOfRow[monthOf[i]!]!.push(i);
    if (year >= 0) slotsOfRow[year]!.push(i);
  });
  const people = (slotIndexes: Iterable<number>): number => {
    const seen = new Set<number>();
    for (const i of slotIndexes) for (const p of slotPeople[i]!) seen.add(p);
    return seen.size;
  };
  const colleagues = slotsOfRow.map((list) => people(list));
  const withheld = colleagues.map((c) => k !== null && c > 0 && c < k);
  if (k === null || !withheld.includes(true)) return { withheld, colleagues };
  if (year >= 0 && withheld[year]) {
    // Every row with counts has a subset of the Year's colleagues: all are withheld already.
    return { withheld, colleagues };
  }

  const blockOf = slots.map((s) => stretchStart(s.h, windowStart));
  const recentLine = asOf - RECENT_DAYS * DAY_MS;
  const levelRows = (level: AggregationLevel) => rows.map((r, i) => (r.AggregationLevel === level ? i : -1)).filter((i) => i >= 0);
  const weeks = levelRows('Week');
  const months = levelRows('Month');
  const wholeIn = (i: number, from: number) => slotsOfRow[i]!.every((s) => slots[s]!.h > from);
  /** The visible row with the fewest colleagues among `candidates` (the earliest on a tie). */
  const cheapest = (candidates: number[]): number | null => {
    let best: number | null = null;
    for (const i of candidates) if (!withheld[i] && (best === null || colleagues[i]! < colleagues[best]!)) best = i;
    return best;
  };
  interface Exposure {
    slots: number[];
    /** Whether it holds any withheld slot (else it is a plain published figure). */
    hidden: boolean;
    candidates: number[];
  }
  const exposures = (): Exposure[] => {
    const out: Exposure[] = [];
    const byBlock = new Map<number, number[]>();
    slots.forEach((_, i) => {
      if (weekOf[i]! >= 0 && withheld[weekOf[i]!] && !(monthOf[i]! >= 0 && withheld[monthOf[i]!])) (byBlock.get(blockOf[i]!) ?? byBlock.set(blockOf[i]!, []).get(blockOf[i]!)!).push(i);
    });
    for (const [block, list] of byBlock) out.push({ slots: list, hidden: true, candidates: weeks.filter((w) => blockOf[slotsOfRow[w]![0]!] === block) });
    const monthSlots = slots.map((_, i) => i).filter((i) => monthOf[i]! >= 0 && withheld[monthOf[i]!]);
    if (monthSlots.length) out.push({ slots: monthSlots, hidden: true, candidates: months });
    for (const [list, of] of [[weeks, weekOf], [months, monthOf]] as const) {
      const recent = slots.map((_, i) => i).filter((i) => slots[i]!.h > recentLine && of[i]! >= 0);
      const cut = new Set(recent.map((i) => of[i]!).filter((r) => !wholeIn(r, recentLine)));
      const exposed = recent.filter((i) => withheld[of[i]!] || cut.has(of[i]!));
      out.push({ slots: exposed, hidden: exposed.some((i) => withheld[of[i]!]), candidates: list.filter((r) => wholeIn(r, recentLine)) });
    }
    return out;
  };
  for (let changed = true; changed; ) {
    changed = false;
    // A withheld month's slots must lie in withheld weeks (so the stretches' sums expose plain slot sets).
    slots.forEach((_, i) => {
      if (monthOf[i]! >= 0 && withheld[monthOf[i]!] && weekOf[i]! >= 0 && !withheld[weekOf[i]!]) {
        withheld[weekOf[i]!] = true;
        changed = true;
      }
    });
    if (changed) continue;
    for (const e of exposures()) {
      if (!e.hidden || people(e.slots) >= k) continue;
      const next = cheapest(e.candidates);
      if (next === null) continue;
      withheld[next] = true;
      changed = true;
      break;
    }
  }
  return { withheld, colleagues };
}

/**
 * The start of the stretch holding `ms`: the latest instant ≤ ms that starts both an ISO week and
 * a calendar month (a Monday the 1st, 00:00 UTC), or the window's start. Weeks and months never
 * cross such an instant, so within a stretch the weeks and the months add up to the same.
 */
function stretchStart(ms: number, windowStart: number): number {
  for (let m = monthStart(ms); m > windowStart; m = monthStart(m - 1)) if (weekStart(m) === m) return m;
  return windowStart;
}

function unionOf(a: readonly number[], b: readonly number[]): number[] {
  return [...new Set([...a, ...b])];
}

/** A row as publish sees it: marked when its counts are withheld. */
export interface WithheldMark {
  CountsWithheld?: true;
}

/** Marks the rows of one account whose counts publish withheld under `k` (nothing when k is off). */
export function markWithheldRows(rows: ReadonlyArray<PeriodRow & WithheldMark>, buckets: Iterable<Bucket>, asOf: number, k: number | null): void {
  if (k === null) return;
  const { withheld } = privacyVerdict(rows, buckets, asOf, k);
  rows.forEach((r, i) => {
    if (withheld[i]) (r as WithheldMark).CountsWithheld = true;
  });
}
