import type { AccountRow } from './account-rows';
import { hasActivity, rankScores } from './engagement-score';

type PeriodOf = Pick<AccountRow, 'AggregationLevel' | 'AggregationStartDate'>;
const periodKey = (r: PeriodOf) => `${r.AggregationLevel}|${r.AggregationStartDate}`;

/**
 * EngagementScore is a rank among the accounts of the same level and period. Ranking needs every
 * raw score of a period first, while the rows themselves may be too many to hold: pass 1 `add`s
 * each row (only its raw score and its period are kept), pass 2 either asks `scoreOf` for the
 * rows again in the same order, or takes `scoresInOrder` (every row's score in the order the
 * rows were added) without the rows.
 */
export class PeriodRanking {
  private readonly periods = new Map<string, number>();
  /**
   * Each period's raw scores, NaN for a row outside the ranking: numbers only, which V8 keeps
   * unboxed (with nulls among them every raw was an object of its own: a million of them at
   * 2,500 mailboxes for the collector to trace through every merge).
   */
  private readonly raws: number[][] = [];
  /** The period (index into `raws`) of each row, in the order the rows were added. */
  private readonly order: number[] = [];
  private ranked: Array<{ values: number[]; next: number }> | null = null;

  /** `ranked` false: the row keeps its place in the order but takes no part in the ranking (a row the privacy threshold withholds). */
  add(r: AccountRow, ranked = true): void {
    if (this.ranked) throw new Error('PeriodRanking: a row was added after scores were handed out.');
    const k = periodKey(r);
    let period = this.periods.get(k);
    if (period === undefined) {
      period = this.raws.length;
      this.periods.set(k, period);
      this.raws.push([]);
    }
    this.raws[period]!.push(ranked && hasActivity(r) ? r.ScoreParts.raw : NaN);
    this.order.push(period);
  }

  scoreOf(r: PeriodOf): number {
    const period = this.periods.get(periodKey(r));
    return period === undefined ? 0 : this.next(period);
  }

  /** Every added row's score, in the order the rows were added (pass 2 without the rows). */
  *scoresInOrder(): Generator<number> {
    for (const period of this.order) yield this.next(period);
  }

  private next(period: number): number {
    this.ranked ??= this.raws.map((list) => ({ values: rankScores(list.map((raw) => (Number.isNaN(raw) ? null : raw))), next: 0 }));
    const s = this.ranked[period]!;
    return s.values[s.next++] ?? 0;
  }
}

/** Rows held in memory with their EngagementScore: the same two passes, over one list. */
export function rankRows<R extends AccountRow>(rows: R[]): Array<R & { EngagementScore: number }> {
  const ranking = new PeriodRanking();
  for (const r of rows) ranking.add(r);
  return rows.map((r) => ({ ...r, EngagementScore: ranking.scoreOf(r) }));
}
