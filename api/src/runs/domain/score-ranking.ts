import type { AccountRow } from './account-rows';
import { hasActivity, rankScores } from './engagement-score';

type PeriodOf = Pick<AccountRow, 'AggregationLevel' | 'AggregationStartDate'>;
const periodKey = (r: PeriodOf) => `${r.AggregationLevel}|${r.AggregationStartDate}`;

/**
 * EngagementScore is a rank among the accounts of the same level and period. Ranking needs every
 * raw score of a period first, while the rows themselves may be too many to hold: pass 1 `add`s
 * each row (only its raw score is kept), pass 2 asks `scoreOf` for the rows again in the same
 * order.
 */
export class PeriodRanking {
  private readonly raws = new Map<string, Array<number | null>>();
  private ranked: Map<string, { values: number[]; next: number }> | null = null;

  /** `ranked` false: the row keeps its place in the order but takes no part in the ranking (a row the privacy threshold withholds). */
  add(r: AccountRow, ranked = true): void {
    if (this.ranked) throw new Error('PeriodRanking: a row was added after scores were handed out.');
    const k = periodKey(r);
    (this.raws.get(k) ?? this.raws.set(k, []).get(k)!).push(ranked && hasActivity(r) ? r.ScoreParts.raw : null);
  }

  scoreOf(r: PeriodOf): number {
    if (!this.ranked) {
      this.ranked = new Map();
      for (const [k, list] of this.raws) this.ranked.set(k, { values: rankScores(list), next: 0 });
    }
    const s = this.ranked.get(periodKey(r));
    return s?.values[s.next++] ?? 0;
  }
}

/** Rows held in memory with their EngagementScore: the same two passes, over one list. */
export function rankRows<R extends AccountRow>(rows: R[]): Array<R & { EngagementScore: number }> {
  const ranking = new PeriodRanking();
  for (const r of rows) ranking.add(r);
  return rows.map((r) => ({ ...r, EngagementScore: ranking.scoreOf(r) }));
}
