import type { Filter } from 'mongodb';
import type { OutputRowDocument } from '../engine/engine-results.store';
import { AppError } from '../platform/errors/app-error';
import type { ResultsService } from '../results/results.service';
import { ResultsStore } from '../results/results.store';
import { CARD_PARTS, explainScore, historySeries, totalsOf, type CardPartName, type PartMedians } from './customer-card';

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const SEARCH_TOTAL_CAP = 1000;

/**
 * Customer search and card. Both read Year rows of the current result only; the medians a card
 * explains its score against are computed once per run from one read of the active Year rows
 * and kept in memory, since a run's rows never change after the pointer names them.
 */
export class CustomersService {
  private readonly medians = new Map<string, Promise<PartMedians>>();

  constructor(private readonly results: ResultsService) {}

  async search(tenantId: string, term: string, limit: number, enrichmentId?: string) {
    let eid = enrichmentId ?? null;
    if (eid) await this.results.requireEnrichment(tenantId, eid);
    else eid = (await this.results.store.latestPointer(tenantId))?.enrichmentId ?? null;
    const current = eid ? await this.results.store.current(tenantId, eid) : null;
    if (!eid || !current) return { enrichmentId: eid, runId: null, items: [], total: 0 };
    const t = term.trim();
    const filter: Filter<OutputRowDocument> = {
      ...ResultsStore.base(tenantId, eid, current.runId),
      AggregationLevel: 'Year',
      ...(t ? { $or: [{ AccountName: { $regex: `^${escapeRegex(t)}`, $options: 'i' } }, { AccountId: t }] } : {}),
    };
    const [docs, total] = await Promise.all([
      this.results.store.page(filter, { AccountName: 1, AccountId: 1 }, { _id: 0, AccountId: 1, AccountName: 1, EngagementScore: 1 }, 0, limit),
      this.results.store.rows.countDocuments(filter, { limit: SEARCH_TOTAL_CAP }),
    ]);
    return { enrichmentId: eid, runId: current.runId, items: docs.map((d) => ({ id: d.AccountId, name: d.AccountName, score: d.EngagementScore })), total };
  }

  async card(tenantId: string, enrichmentId: string, accountId: string) {
    // Independent reads run side by side: a card costs the slowest of them, not their sum.
    const [e, current] = await Promise.all([this.results.requireEnrichment(tenantId, enrichmentId), this.results.store.current(tenantId, enrichmentId)]);
    if (!current) throw new AppError('not-found', 'This enrichment has no results yet: run it, then open the customer again.');
    const medians = this.partMedians(tenantId, enrichmentId, current.runId);
    const attributesRead = this.accountAttributes(tenantId, e.datasetId, accountId);
    // Both are awaited below; until then a rejection must not count as unhandled.
    medians.catch(() => undefined);
    attributesRead.catch(() => undefined);
    const rows = await this.results.store.accountRows(tenantId, enrichmentId, current.runId, accountId);
    const year = rows.find((r) => r.AggregationLevel === 'Year');
    if (!year) throw new AppError('not-found', 'This account is not in the enrichment\'s current results; search for it again.');
    const [medianValues, attributes] = await Promise.all([medians, attributesRead]);
    const { tenantId: _t, enrichmentId: _e, runId: _r, entityName: _n, ScoreParts: parts, ...yearRow } = year as OutputRowDocument & { _id?: unknown };
    void _t; void _e; void _r; void _n;
    return {
      enrichmentId,
      runId: current.runId,
      asOf: current.asOf.toISOString(),
      account: { id: year.AccountId, name: year.AccountName, attributes },
      year: yearRow,
      score: { value: year.EngagementScore, medianScore: medianValues.score, parts, explanation: explainScore(parts, medianValues) },
      totals: totalsOf(year),
      history: { week: historySeries(rows, 'Week', current.asOf), month: historySeries(rows, 'Month', current.asOf) },
    };
  }

  private async accountAttributes(tenantId: string, datasetId: string, accountId: string): Promise<Record<string, string>> {
    return this.results.accountAttributes.of(tenantId, await this.results.datasets.get(tenantId, datasetId), accountId);
  }

  /** Medians of the score and the card's parts over the active accounts (Year rows with raw > 0). */
  partMedians(tenantId: string, enrichmentId: string, runId: string): Promise<PartMedians> {
    const key = `${tenantId}:${enrichmentId}:${runId}`;
    let p = this.medians.get(key);
    if (!p) {
      p = this.computeMedians(tenantId, enrichmentId, runId);
      p.catch(() => this.medians.delete(key));
      // A run's rows are immutable, so the cache only needs bounding, not invalidation.
      if (this.medians.size > 200) this.medians.delete(this.medians.keys().next().value as string);
      this.medians.set(key, p);
    }
    return p;
  }

  /**
   * One read of the active Year rows' score and card parts, medians taken in memory: each
   * sort-and-skip query would read the whole collection again on FerretDB, where only key reads
   * avoid a scan.
   */
  private async computeMedians(tenantId: string, enrichmentId: string, runId: string): Promise<PartMedians> {
    const active: Filter<OutputRowDocument> = { ...ResultsStore.base(tenantId, enrichmentId, runId), AggregationLevel: 'Year', 'ScoreParts.raw': { $gt: 0 } };
    const projection = Object.fromEntries([['EngagementScore', 1], ...CARD_PARTS.map((p) => [`ScoreParts.${p}`, 1])]) as Record<string, 0 | 1>;
    const scores: number[] = [];
    const parts = Object.fromEntries(CARD_PARTS.map((p) => [p, [] as number[]])) as Record<CardPartName, number[]>;
    for await (const r of this.results.store.stream(active, {}, projection)) {
      scores.push(r.EngagementScore);
      // A part an active account may lack (no contact that has ended yet) is the median of those that have it.
      for (const p of CARD_PARTS) if (typeof r.ScoreParts?.[p] === 'number') parts[p].push(r.ScoreParts[p]);
    }
    const medians = Object.fromEntries(CARD_PARTS.map((p) => [p, median(parts[p])])) as Record<CardPartName, number | null>;
    return { ...medians, score: median(scores) ?? 0 };
  }
}

/** The middle value, or the mean of the two middle values; null for no values. */
function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
