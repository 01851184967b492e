import type { Filter } from 'mongodb';
import type { OutputRowDocument } from '../engine/engine-results.store';
import { AppError } from '../platform/errors/app-error';
import type { ColumnName } from '../results/results-columns';
import { checkGroup, groupFilter } from '../results/row-filter';
import type { ResultsService } from '../results/results.service';
import { ResultsStore } from '../results/results.store';
import type { MeasureRequest } from './measures.schema';

const MAX_GROUPS = 100;

/**
 * Aggregates of a column over the current result's rows, computed in MongoDB: count by
 * countDocuments, sum and average by $group/$sum, min and max by a sorted limit-1 read (FerretDB
 * has no $avg/$min/$max accumulators and no $lookup; the same plan runs on MongoDB). Grouping by a
 * dataset attribute restricts each group's aggregate to the group's account ids.
 */
export class MeasuresService {
  constructor(private readonly results: ResultsService) {}

  async attributes(tenantId: string, enrichmentId: string) {
    return { attributes: await this.results.attributes(await this.results.requireEnrichment(tenantId, enrichmentId)) };
  }

  async measure(tenantId: string, enrichmentId: string, r: MeasureRequest) {
    const e = await this.results.requireEnrichment(tenantId, enrichmentId);
    if (r.filter) checkGroup(r.filter, 'body.filter');
    const dataset = r.groupBy ? await this.results.datasets.get(tenantId, e.datasetId) : null;
    if (r.groupBy && !dataset?.accountAttributes.includes(r.groupBy)) {
      throw new AppError('validation', `"${r.groupBy}" is not an account attribute of the enrichment's dataset; use one of: ${(dataset?.accountAttributes ?? []).join(', ') || '(none)'}.`, {
        fields: [{ path: 'body.groupBy', message: 'unknown attribute' }],
      });
    }
    const segment = r.segmentId ? await this.results.lookupSegment(tenantId, enrichmentId, r.segmentId) : null;
    const head = { aggregate: r.aggregate, column: r.column ?? null, groupBy: r.groupBy ?? null };
    const current = await this.results.store.current(tenantId, enrichmentId);
    if (!current) return { runId: null, ...head, value: null, count: 0, groups: r.groupBy ? [] : null };
    const level = segment?.level ?? r.level;
    const period = segment?.period ?? r.period ?? (await this.results.latestPeriod(tenantId, enrichmentId, current.runId, level));
    const and: Filter<OutputRowDocument>[] = [];
    if (segment) and.push(groupFilter(segment.root));
    if (r.filter) and.push(groupFilter(r.filter));
    const scope: Filter<OutputRowDocument> = {
      ...ResultsStore.base(tenantId, enrichmentId, current.runId),
      AggregationLevel: level,
      ...(period ? { AggregationStartDate: period } : {}),
      ...(and.length ? { $and: and } : {}),
    };
    const overall = await this.aggregate(scope, r);
    let groups: Array<{ key: string | null; value: number | null; count: number }> | null = null;
    if (r.groupBy && dataset) {
      const byValue = await this.results.accountAttributes.groupsBy(tenantId, dataset, r.groupBy);
      const entries = [...byValue.entries()].sort((a, b) => b[1].length - a[1].length).slice(0, MAX_GROUPS);
      groups = await Promise.all(entries.map(async ([key, ids]) => ({ key, ...(await this.aggregate({ $and: [scope, { AccountId: { $in: ids } }] }, r)) })));
      groups = groups.filter((g) => g.count > 0).sort((a, b) => b.count - a.count);
    }
    return { runId: current.runId, ...head, ...overall, groups };
  }

  /** count = matching rows; value = the aggregate over the rows where the column has a value. */
  private async aggregate(filter: Filter<OutputRowDocument>, r: MeasureRequest): Promise<{ value: number | null; count: number }> {
    const count = await this.results.store.count(filter);
    if (r.aggregate === 'count') return { value: count, count };
    const column = r.column as ColumnName;
    if (r.aggregate === 'min' || r.aggregate === 'max') return { value: await this.results.store.extreme(filter, column, r.aggregate), count };
    const { sum, n } = await this.results.store.sum(filter, column);
    return { value: r.aggregate === 'sum' ? (n ? sum : null) : n ? sum / n : null, count };
  }
}
